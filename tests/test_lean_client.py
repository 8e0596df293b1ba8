"""`companion tag` from a keyboard shortcut is a fresh Python process on every press, so what it imports before it
sends is most of the time to the offer on screen (issue 15, docs/performance.md). The commands that only forward a
request load no Qt, no cryptography, no SQLite, no store or typed settings, and not `dataclasses` or `typing`
(about 13 ms on their own): whether Companion answers or is not running at all.

Each command runs in its own process through the real entry point (`python -m companion`); the wrapper writes
the names of every module loaded when it ends.
"""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.core.ipc import Reply, Request
from companion.core.paths import AppPaths
from companion.core.settings import read_settings
from companion.core.settings_file import MAX_SETTINGS_BYTES, saved_language
from tests.fake_companion import answering_socket

# Runs the real command line as `python -m companion` does, then writes every loaded module's name.
WRAPPER = """
import json, runpy, sys
report, *sys.argv[1:] = sys.argv[1:]
try:
    runpy.run_module("companion", run_name="__main__", alter_sys=True)
finally:
    with open(report, "w") as out:
        json.dump(sorted(sys.modules), out)
"""
# What a forwarding command must never load: each costs milliseconds at every press of the shortcut.
HEAVY = ("PySide6", "shiboken6", "cryptography", "sqlite3", "_sqlite3", "keyring", "companion.core.store",
         "companion.core.settings", "dataclasses", "typing", "inspect")  # fmt: skip
FORWARDED = (
    ["tag", "--severity", "3", "--tag", "yelling"],
    ["tag"],
    ["journal", "--win", "Kept my calm"],
    ["break"],
    ["summary"],
    ["call", "--on"],
)


@pytest.fixture
def listening_companion(app_paths: AppPaths) -> Iterator[list[Request]]:
    """Something listening where the running Companion would, answering one request; yields what it received."""
    with answering_socket(app_paths.data, answers=1) as received:
        yield received


def heavy_modules_loaded(data: Path, args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    report = cwd / "modules.json"
    result = subprocess.run([sys.executable, "-c", WRAPPER, str(report), "--data-dir", str(data), *args],
                            capture_output=True, text=True, cwd=cwd, timeout=60)  # fmt: skip
    loaded = json.loads(report.read_text()) if report.exists() else ["(no report: the wrapper did not finish)"]
    return result, [name for name in loaded if name.split(".")[0] in HEAVY or name in HEAVY]


@pytest.mark.parametrize("args", FORWARDED, ids=" ".join)
def test_a_forwarded_command_loads_nothing_heavy_when_companion_answers(
    app_paths: AppPaths, tmp_path: Path, listening_companion: list[Request], args: list[str]
) -> None:
    result, heavy = heavy_modules_loaded(app_paths.data, args, tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, f"did {args[0]}"), result.stderr
    assert heavy == []
    assert [request.command for request in listening_companion] == [args[0]]


@pytest.mark.parametrize("args", FORWARDED, ids=" ".join)
def test_a_forwarded_command_loads_nothing_heavy_when_companion_is_not_running(
    app_paths: AppPaths, tmp_path: Path, args: list[str]
) -> None:
    result, heavy = heavy_modules_loaded(app_paths.data, args, tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "Companion is not running. Start it with `companion`."
    assert heavy == []


SETTINGS_FILES = [
    '{"version": 1, "language": {"language": "de"}}',
    '{"language": {"language": "pt_BR"}, "work": {"work_minutes": 50}}',
    '{"language": {"language": ""}}',
    '{"language": {"language": "xx"}}',
    '{"language": {"language": 7}}',
    '{"language": "de"}',
    '{"language": {"language": "fr"}, "work": 7',
    '["de"]',
    '{"language": {"language": "es"}, "version": 99}',
    '{"language": {"language": "fr", "extra": 1}}',
    '{"language": {"language": "de"}, "n": 1e400}',
    '{"language": {"language": "de"}, "n": NaN}',
    '{"language": {"language": "de"}, "deep": ' + "[" * 40 + "]" * 40 + "}",
    '{"language": {"language": "de"}, "pad": "' + "x" * MAX_SETTINGS_BYTES + '"}',
    "",
]


@pytest.mark.parametrize("text", SETTINGS_FILES, ids=lambda text: text[:48])
def test_the_command_line_reads_the_language_the_app_would(app_paths: AppPaths, text: str) -> None:
    """The command line reads only the language, without the typed settings; it must read what the app reads,
    broken files included."""
    app_paths.settings_file.write_text(text, encoding="utf-8")
    assert saved_language(app_paths.settings_file) == read_settings(app_paths.settings_file)[0].language.language


def test_bytes_that_are_not_text_read_as_the_system_language(app_paths: AppPaths) -> None:
    app_paths.settings_file.write_bytes(b'{"language": {"language": "de\xff"}}')
    assert saved_language(app_paths.settings_file) == read_settings(app_paths.settings_file)[0].language.language == ""


def test_the_client_s_records_behave_as_frozen_dataclasses(app_paths: AppPaths) -> None:
    reply = Reply(True, "Tagged", {"rough_call_id": 7})
    assert reply == Reply(True, "Tagged", {"rough_call_id": 7}) != Reply(False, "Tagged", {"rough_call_id": 7})
    assert repr(reply) == "Reply(data={'rough_call_id': 7}, message='Tagged', ok=True)"
    with pytest.raises(AttributeError):
        reply.ok = False  # type: ignore[misc]
    assert Request("tag").args == {} and Request("tag").args is not Request("tag").args  # no shared default
    assert copy.deepcopy(app_paths) == app_paths == pickle.loads(pickle.dumps(app_paths))
    assert hash(app_paths) == hash(copy.copy(app_paths))
