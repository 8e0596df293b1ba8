"""Start at login: the real XDG entry on this machine (validated), the Windows Run key and the macOS LaunchAgent
through the same interface, with winreg stood in for where Windows is not at hand."""

from __future__ import annotations

import configparser
import plistlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.platform.autostart import NoAutostart, launch_command, select_autostart
from companion.platform.autostart_macos import LAUNCH_AGENT_LABEL, MacAutostart
from companion.platform.autostart_windows import RUN_KEY, WindowsAutostart
from companion.platform.autostart_xdg import XdgAutostart, exec_line
from companion.resources import resource_path
from tests import desktop

AWKWARD_COMMAND = ["/opt/my apps/companion", "--data-dir", '/home/rep/it\'s "mine" $HOME\\x', "100%"]


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def unescape_exec(value: str) -> list[str]:
    """Read an Exec value back as the Desktop Entry spec says: first the string escapes, then the quoting."""
    text = value.replace("\\\\", "\\")
    arguments: list[str] = []
    current, quoted, index, started = "", False, 0, False
    while index < len(text):
        char = text[index]
        if quoted and char == "\\" and text[index + 1] in '"`$\\':
            current, index = current + text[index + 1], index + 2
            continue
        if char == '"':
            quoted, started = not quoted, True
        elif char == " " and not quoted:
            if started or current:
                arguments.append(current)
            current, started = "", False
        else:
            current += char
        index += 1
    if started or current:
        arguments.append(current)
    return [argument.replace("%%", "%") for argument in arguments]


def test_xdg_autostart_writes_a_valid_entry_and_removes_it(private_home: Path) -> None:
    validate = desktop.need("desktop-file-validate", "desktop-file-utils")
    autostart = XdgAutostart()
    assert autostart.path == private_home / ".config" / "autostart" / "companion.desktop"
    assert not autostart.is_enabled()

    autostart.enable(AWKWARD_COMMAND)

    assert autostart.is_enabled()
    result = subprocess.run([validate, str(autostart.path)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr
    entry = desktop_entry(autostart.path)
    assert unescape_exec(entry["Exec"]) == AWKWARD_COMMAND
    assert Path(entry["Icon"]) == resource_path("icons", "companion.svg")
    assert entry["Name"] == desktop_entry(resource_path("companion.desktop"))["Name"]
    assert entry["X-GNOME-Autostart-enabled"] == "true"

    autostart.disable()

    assert not autostart.is_enabled()
    assert not autostart.path.exists()
    autostart.disable()  # turning it off twice is harmless


def test_plain_arguments_stay_unquoted() -> None:
    assert exec_line(["/usr/bin/companion"]) == "/usr/bin/companion"
    assert exec_line(["/usr/bin/python3", "-m", "companion"]) == "/usr/bin/python3 -m companion"


def test_the_menu_entry_in_resources_is_valid() -> None:
    validate = desktop.need("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([validate, str(resource_path("companion.desktop"))], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == "", result.stdout


class FakeKey:
    def __init__(self, values: dict[str, tuple[Any, int]]) -> None:
        self.values = values

    def __enter__(self) -> FakeKey:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class FakeWinreg:
    """The functions of winreg that WindowsAutostart uses, over a dict of keys (HKCU only)."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_READ = 0x20019
    KEY_SET_VALUE = 0x0002
    REG_SZ = 1

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], dict[str, tuple[Any, int]]] = {}

    def OpenKey(self, root: str, path: str, reserved: int, access: int) -> FakeKey:
        if (root, path) not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return FakeKey(self.keys[(root, path)])

    def CreateKeyEx(self, root: str, path: str, reserved: int, access: int) -> FakeKey:
        return FakeKey(self.keys.setdefault((root, path), {}))

    def SetValueEx(self, key: FakeKey, name: str, reserved: int, kind: int, value: Any) -> None:
        key.values[name] = (value, kind)

    def QueryValueEx(self, key: FakeKey, name: str) -> tuple[Any, int]:
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return key.values[name]

    def DeleteValue(self, key: FakeKey, name: str) -> None:
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del key.values[name]


def test_windows_run_key_is_written_quoted_and_removed() -> None:
    registry = FakeWinreg()
    autostart = WindowsAutostart(registry)
    assert not autostart.is_enabled()
    autostart.disable()  # no Run key yet: nothing to do, no error

    autostart.enable([r"C:\Program Files\Companion\companion.exe", "--data-dir", r"D:\my data"])

    assert autostart.is_enabled()
    value, kind = registry.keys[("HKCU", RUN_KEY)]["Companion"]
    assert kind == registry.REG_SZ
    assert value == r'"C:\Program Files\Companion\companion.exe" --data-dir "D:\my data"'
    autostart.disable()
    assert not autostart.is_enabled()
    assert registry.keys[("HKCU", RUN_KEY)] == {}


def test_macos_launch_agent_is_a_plist_that_runs_at_load(tmp_path: Path) -> None:
    autostart = MacAutostart(tmp_path / "LaunchAgents")
    autostart.enable(["/Applications/Companion.app/Contents/MacOS/companion"])

    assert autostart.is_enabled()
    agent = plistlib.loads(autostart.path.read_bytes())
    assert agent == {
        "Label": LAUNCH_AGENT_LABEL,
        "ProgramArguments": ["/Applications/Companion.app/Contents/MacOS/companion"],
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    }
    autostart.disable()
    assert not autostart.path.exists()


@pytest.mark.parametrize(
    ("platform", "backend"),
    [("linux", "xdg-autostart"), ("darwin", "launch-agent"), ("emscripten", "none")],
)
def test_selection_by_platform(platform: str, backend: str) -> None:
    assert select_autostart(platform).name == backend


def test_the_fallback_does_nothing_and_says_so() -> None:
    fallback = NoAutostart()
    fallback.enable(["companion"])
    assert not fallback.is_enabled()


def test_launch_command_from_a_venv_is_its_companion_script() -> None:
    command = launch_command()
    assert Path(command[0]).name == "companion" or command[:3] == [sys.executable, "-m", "companion"]
    assert Path(command[0]).exists()


@given(
    st.lists(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30), min_size=1, max_size=5)
)
def test_any_command_survives_the_exec_quoting(command: list[str]) -> None:
    assert unescape_exec(exec_line(command)) == command
