"""The `gsettings` tool (GLib), for the few GNOME settings Companion reads or writes; GIO has no Python binding
in the bundle, and the tool reads and writes through whatever backend the desktop uses (dconf on GNOME)."""

from __future__ import annotations

import shutil
import subprocess

TIMEOUT_SECONDS = 5


def gsettings_tool() -> str | None:
    return shutil.which("gsettings")


def gsettings(*args: str, env: dict[str, str] | None = None) -> str | None:
    """The tool's output without the trailing newline, or None when it failed (no tool, no schema, no key)."""
    tool = gsettings_tool()
    if tool is None:
        return None
    try:
        result = subprocess.run([tool, *args], env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def parse_string_list(text: str) -> list[str]:
    """A GVariant string array as gsettings prints it: "['a', 'b']" or "@as []"."""
    text = text.removeprefix("@as").strip()
    if not text.startswith("[") or not text.endswith("]"):
        raise ValueError(f"not a string list: {text!r}")  # i18n: not for reps
    return [item.strip().strip("'\"") for item in text[1:-1].split(",") if item.strip()]


def format_string_list(items: list[str]) -> str:
    return "[" + ", ".join(f"'{item}'" for item in items) + "]"
