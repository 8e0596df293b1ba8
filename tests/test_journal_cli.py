"""`companion export --highlights` as a separate process unlocks the journal through the real keyring (headless)."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from companion.core.clock import FakeClock
from companion.core.crypto import Vault
from companion.core.journal import EntryKind, Journal, Writing
from companion.core.keys import KeyManager, ScryptParams
from companion.core.store import Store
from companion.platform.keyring_store import detect_secret_store
from tests import desktop


def export_highlights(data: Path, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        desktop.companion_command("--data-dir", str(data), "export", "--week", "2026-W47", "--format", "markdown",
                                  "--highlights", "--output", str(cwd / "week.md")),
        capture_output=True, text=True, env=env, cwd=cwd, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def journal_with_a_win(app_paths, secrets, passphrase: str | None = None) -> None:
    clock = FakeClock(datetime(2026, 11, 18, 11, 0))  # Wednesday of 2026-W47
    store = Store.open(app_paths.database)
    try:
        vault = Vault()
        KeyManager(store, vault, secrets, clock, ScryptParams(log2_n=10)).set_up(passphrase=passphrase)
        Journal(store, vault, clock).add(EntryKind.WIN, Writing("talked a caller down from a cancellation"))
    finally:
        store.close()


@pytest.mark.desktop
def test_highlights_unlock_with_the_keyring(app_paths, secret_service, monkeypatch, tmp_path):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service["DBUS_SESSION_BUS_ADDRESS"])
    journal_with_a_win(app_paths, detect_secret_store())
    env = {key: value for key, value in os.environ.items() if key not in {"DISPLAY", "QT_QPA_PLATFORM"}}
    result = export_highlights(app_paths.data, env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "talked a caller down from a cancellation" in (tmp_path / "week.md").read_text(encoding="utf-8")
    assert "need the journal unlocked" not in result.stderr


def test_without_keyring_or_terminal_the_export_says_why_highlights_are_missing(app_paths, tmp_path):
    journal_with_a_win(app_paths, None, passphrase="typed at a terminal")
    result = export_highlights(app_paths.data, dict(os.environ), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "talked a caller down" not in (tmp_path / "week.md").read_text(encoding="utf-8")
    assert "Your highlights need the journal unlocked; the summary was saved without them." in result.stderr
    assert "Run this command from a terminal to type your passphrase." in result.stderr
