"""Exports Companion wrote are remembered, included in Export everything and removed by Erase everything; exports
write only regular files (issue 13). The real `companion export` process over a real database."""

from __future__ import annotations

import os
import stat
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

from companion.core.crypto import Vault
from companion.core.data_controls import erase_everything, export_everything
from companion.core.exports_record import remember_exports, remembered_exports
from companion.core.paths import AppPaths
from companion.core.settings import Settings
from companion.core.store import Store
from tests import desktop

NOW = datetime(2026, 11, 23, 9, 30)


def export(env: dict[str, str], output: Path, fmt: str = "json") -> subprocess.CompletedProcess[str]:
    return subprocess.run(desktop.companion_command("export", "--week", "2026-W47", "--format", fmt, "--output",
                                                    str(output)), env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip


def test_cli_exports_are_remembered_included_and_erased(app_paths: AppPaths, tmp_path: Path):
    Store.open(app_paths.database).close()
    env = {**os.environ, "COMPANION_DATA_DIR": str(app_paths.data)}
    saved = tmp_path / "Documents" / "week-47.json"
    saved.parent.mkdir()
    assert export(env, saved).returncode == 0
    elsewhere = tmp_path / "Desktop" / "week-47.md"
    elsewhere.parent.mkdir()
    assert export(env, elsewhere, "markdown").returncode == 0
    store = Store.open(app_paths.database)
    assert remembered_exports(store) == [saved, elsewhere]

    everything = export_everything(store, Vault(), Settings(), app_paths, tmp_path / "all.zip", NOW)
    with zipfile.ZipFile(everything) as archive:
        assert {"exports/week-47.json", "exports/week-47.md"} <= set(archive.namelist())
        assert archive.read("exports/week-47.json") == saved.read_bytes()

    report = erase_everything(app_paths, store, None)
    assert not saved.exists() and not elsewhere.exists()
    assert saved in report.removed and elsewhere in report.removed


def test_erase_names_an_export_it_could_not_remove(app_paths: AppPaths, tmp_path: Path):
    store = Store.open(app_paths.database)
    replaced = tmp_path / "week.csv"
    replaced.mkdir()  # the rep since put a folder there: not Companion's file any more
    remember_exports(store, [replaced], NOW.timestamp())
    report = erase_everything(app_paths, store, None)
    assert replaced.is_dir()
    assert f"{replaced} is no longer a file Companion wrote; it was left alone." in report.problems


def test_export_refuses_a_fifo_a_symlink_and_a_folder_with_a_sentence(app_paths: AppPaths, tmp_path: Path):
    Store.open(app_paths.database).close()
    env = {**os.environ, "COMPANION_DATA_DIR": str(app_paths.data)}
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    link = tmp_path / "link.json"
    link.symlink_to(precious)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    for target, what in ((fifo, "a named pipe"), (link, "a link"), (folder, "a folder")):
        result = export(env, target)
        assert result.returncode == 1
        assert f"{target} is {what}, not an ordinary file, so Companion did not write there" in result.stderr
        assert "Traceback" not in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert link.is_symlink() and precious.read_text() == "keep me"
    assert folder.is_dir() and not list(folder.iterdir())
    store = Store.open(app_paths.database)
    assert remembered_exports(store) == []  # nothing written, nothing remembered
    store.close()
