"""Shared fixtures. Every test gets private data, config and home folders; Qt runs offscreen in-process.

Desktop services (Xvfb, tray host, D-Bus, dunst, gnome-keyring, PulseAudio) start once per session, only when a
test asks for them; tests/desktop/__init__.py says how each is started and what a missing one means.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Before anything imports Qt: in-process widgets render offscreen, and no stray session bus gets launched.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"
os.environ.pop("DISPLAY", None)
os.environ.pop("WAYLAND_DISPLAY", None)

import pytest

from companion.core.clock import FakeClock
from companion.core.crypto import Vault, new_data_key
from companion.core.paths import AppPaths
from companion.core.store import Store
from tests import desktop

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Nothing a test does reaches the real home, config, data or keyring of the machine running it."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for variable, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        monkeypatch.setenv(variable, str(home / sub))
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))
    return home


@pytest.fixture
def app_paths(tmp_path: Path) -> AppPaths:
    paths = AppPaths.resolve(tmp_path / "data")
    paths.ensure()
    return paths


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def xvfb() -> Iterator[desktop.Service]:
    service = desktop.start_xvfb()
    yield service
    service.stop()


@pytest.fixture(scope="session")
def session_bus(xvfb: desktop.Service) -> Iterator[desktop.Service]:
    service = desktop.start_dbus({**os.environ, **xvfb.env})
    yield service
    service.stop()


@pytest.fixture(scope="session")
def desktop_env(xvfb: desktop.Service, session_bus: desktop.Service) -> dict[str, str]:
    """The environment for a process on the virtual desktop: its display and its session bus."""
    env = {**os.environ, **xvfb.env, **session_bus.env}
    env.pop("QT_QPA_PLATFORM", None)
    return env


@pytest.fixture(scope="session")
def tray_host(desktop_env: dict[str, str]) -> Iterator[desktop.Service]:
    service = desktop.start_tray_host(desktop_env)
    yield service
    service.stop()


@pytest.fixture(scope="session")
def notification_daemon(desktop_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """dunst on the session bus; yields its log file, where each notification it shows is written."""
    log_file = tmp_path_factory.mktemp("dunst") / "dunst.log"
    service = desktop.start_notification_daemon(desktop_env, log_file)
    yield log_file
    service.stop()


@pytest.fixture(scope="session")
def secret_service(desktop_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """An unlocked gnome-keyring on the session bus, keeping its keyrings in a throwaway home."""
    service = desktop.start_secret_service(desktop_env, tmp_path_factory.mktemp("keyring-home"))
    yield desktop_env
    service.stop()


@pytest.fixture(scope="session")
def pulseaudio(desktop_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A private PulseAudio with a null source `mic`; yields the environment that points clients at it."""
    service = desktop.start_pulseaudio(desktop_env, tmp_path_factory.mktemp("pulse"))
    yield {**desktop_env, **service.env}
    service.stop()


@pytest.fixture
def settled_rep_env(secret_service, tray_host, pulseaudio, tmp_path) -> dict[str, str]:
    """The real app's environment on the virtual desktop (tray, keyring, PulseAudio) for a rep whose journal was set
    up on an earlier day and who checked in this morning: no first-run dialog stands in front of what is tested."""
    env = {**secret_service, **pulseaudio, "QT_QPA_PLATFORM": "xcb", "COMPANION_DATA_DIR": str(tmp_path / "data")}
    desktop.set_up_journal(env)
    return env


@pytest.fixture(scope="session")
def frozen_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one-folder app (dist/companion) from build.spec, built once per session: the bundle's self-test runs it
    and the .deb packs it. A PyInstaller build is a minute of CPU, so two of them were the suite's slowest part."""
    work = tmp_path_factory.mktemp("bundle")
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", str(work / "dist"),
         "--workpath", str(work / "build"), str(REPO / "build.spec")],
        cwd=REPO, capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-3000:]
    return work / "dist" / "companion"


@pytest.fixture
def store(app_paths: AppPaths) -> Iterator[Store]:
    """A real database file in the test's private data folder, at the latest schema."""
    opened = Store.open(app_paths.database)
    yield opened
    opened.close()


@pytest.fixture
def vault() -> Vault:
    """An unlocked Vault with a fresh random data key (real AES-GCM; no keyring involved)."""
    unlocked = Vault()
    unlocked.unlock_with_data_key(new_data_key())
    return unlocked


@pytest.fixture
def companion_app(qapp, app_paths: AppPaths, clock: FakeClock) -> Iterator[Callable[..., Any]]:
    """Builds the real CompanionApp (no features unless given; the shipped fallback backends unless given) and
    shuts each one down at teardown through the app's staged shutdown, as Quit does."""
    from companion.app import CompanionApp
    from tests.app_harness import fallback_backends

    made: list[CompanionApp] = []

    def make(
        features: list[Any] | None = None,
        *,
        store: Store | None = None,
        app_clock: Any = None,
        backends: Any = None,
        told: list[tuple[str, str]] | None = None,
        tray_patience_seconds: float = 3600,
    ) -> CompanionApp:
        used_clock = app_clock if app_clock is not None else clock
        app = CompanionApp(
            qapp,
            app_paths,
            store if store is not None else Store.open(app_paths.database),
            used_clock,
            list(features or []),
            tray_patience_seconds=tray_patience_seconds,
            backends=backends if backends is not None else fallback_backends(qapp, used_clock, told),
        )
        made.append(app)
        return app

    yield make
    for app in made:
        app.shutdown()


@pytest.fixture
def make_desk(qapp, app_paths: AppPaths, qtbot) -> Iterator[Callable[..., Any]]:
    """Builds the real app with the activity feature on a fake clock (tests/ui/test_activity_ui.py's Desk), with
    the backends a test names (quiet signals, a hotkey backend, a lock monitor); each is shut down at teardown
    through the app's staged shutdown, which also closes those backends."""
    from tests.ui.test_activity_ui import Desk

    made: list[Desk] = []

    def make(**backends: Any) -> Desk:
        desk = Desk(qapp, app_paths, qtbot, **backends)
        made.append(desk)
        return desk

    yield make
    for desk in made:
        desk.close()
