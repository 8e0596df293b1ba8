"""`companion --self-test`: one line per check, non-zero exit on a failure, from source and from the bundle."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

from companion.core.paths import AppPaths
from companion.selftest import (
    CHECKS,
    CheckResult,
    Outcome,
    check_database,
    check_idle_backend,
    check_keyring,
    check_notifier,
    run_self_test,
)
from tests import desktop

CHECK_NAMES = ["resources", "keyring", "notifier", "idle backend", "database", "qt"]


def passing(paths: AppPaths) -> CheckResult:
    return CheckResult("passing", Outcome.OK, "fine")


def skipped(paths: AppPaths) -> CheckResult:
    return CheckResult("later", Outcome.SKIP, "not in this build")


def crashing(paths: AppPaths) -> CheckResult:
    raise RuntimeError("boom")


def test_one_line_per_check_and_a_crash_is_a_failure(app_paths: AppPaths) -> None:
    out = io.StringIO()
    assert run_self_test(app_paths, out, [passing, crashing, skipped]) == 1
    assert out.getvalue().splitlines() == [
        "ok   passing: fine",
        "FAIL crashing: RuntimeError: boom",
        "skip later: not in this build",
    ]


def test_skips_do_not_fail_the_run(app_paths: AppPaths) -> None:
    assert run_self_test(app_paths, io.StringIO(), [passing, skipped]) == 0


def test_no_session_bus_means_no_keyring_and_the_check_says_so(app_paths: AppPaths) -> None:
    result = check_keyring(app_paths)
    assert result.outcome is Outcome.FAIL
    assert result.detail in {"No system keyring is available on this computer.", "The keyring could not be reached."}


def test_an_unreadable_database_fails_the_check_with_its_sentence(app_paths: AppPaths) -> None:
    app_paths.database.write_bytes(b"this is not a database" * 100)
    result = check_database(app_paths)
    assert result.outcome is Outcome.FAIL
    assert "could not be read" in result.detail
    assert app_paths.database.read_bytes().startswith(b"this is not")  # the check never moves the rep's file


def test_without_a_display_or_mutter_the_idle_check_fails_and_says_what_it_tried(app_paths: AppPaths) -> None:
    result = check_idle_backend(app_paths)
    assert result.outcome is Outcome.FAIL
    assert "tried X11IdleSource, MutterIdleSource" in result.detail


@pytest.mark.desktop
def test_on_an_x_display_the_idle_check_names_the_backend_the_app_uses(
    xvfb: desktop.Service, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.platform.idle import choose_system_idle_source

    monkeypatch.setenv("DISPLAY", xvfb.env["DISPLAY"])
    chosen = choose_system_idle_source()
    assert chosen is not None
    chosen.close()
    result = check_idle_backend(app_paths)
    assert result.outcome is Outcome.OK
    assert result.detail.startswith(f"{chosen.name}, ") and result.detail.endswith(" s since the last input")


def test_without_a_session_bus_the_notifier_check_fails_with_the_reason(app_paths: AppPaths) -> None:
    result = check_notifier(app_paths)
    assert result.outcome is Outcome.FAIL
    assert result.detail == "only the tray balloon: there is no D-Bus session bus to reach a notification service"


def self_test_lines(command: list[str], env: dict[str, str], data: Path) -> tuple[int, list[str]]:
    result = subprocess.run(
        [*command, "--data-dir", str(data), "--self-test"],
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout.splitlines()


def assert_all_pass(returncode: int, lines: list[str]) -> None:
    assert [line.split(":")[0][5:] for line in lines] == CHECK_NAMES, lines
    assert all(line.startswith("ok   ") for line in lines), "\n".join(lines)
    assert returncode == 0
    assert len(CHECKS) == len(CHECK_NAMES)


@pytest.mark.desktop
def test_the_installed_app_passes_its_self_test_with_a_keyring(secret_service: dict[str, str], tmp_path: Path):
    returncode, lines = self_test_lines(desktop.companion_command(), secret_service, tmp_path / "data")
    assert_all_pass(returncode, lines)
    assert "SecretService" in next(line for line in lines if line.startswith("ok   keyring"))
    assert "X11 screen saver extension" in next(line for line in lines if line.startswith("ok   idle backend"))
    assert "NotifySend" in next(line for line in lines if line.startswith("ok   notifier"))


@pytest.mark.slow
@pytest.mark.desktop
def test_the_bundle_built_with_build_spec_passes_its_self_test(
    frozen_bundle: Path, secret_service: dict[str, str], tmp_path: Path
):
    """What CI ships: PyInstaller with build.spec, then the frozen companion checks itself, offscreen."""
    frozen = frozen_bundle / ("companion.exe" if os.name == "nt" else "companion")
    assert (frozen_bundle / "_internal" / "resources" / "companion.desktop").is_file()

    returncode, lines = self_test_lines([str(frozen)], secret_service, tmp_path / "data")

    assert_all_pass(returncode, lines)
    assert str(frozen_bundle) in next(line for line in lines if line.startswith("ok   resources"))
    assert "X11 screen saver extension" in next(line for line in lines if line.startswith("ok   idle backend"))
    # the bundle's own `keyring-helper` command reached the real keyring, as the tray app does
    keyring_line = next(line for line in lines if line.startswith("ok   keyring"))
    assert "SecretService" in keyring_line and "helper process" in keyring_line
