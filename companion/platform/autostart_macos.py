"""Start at login on macOS: a LaunchAgent plist in ~/Library/LaunchAgents, loaded by launchd at the next login."""

from __future__ import annotations

import plistlib
from pathlib import Path

from companion.platform.autostart_file import FileAutostart

LAUNCH_AGENT_LABEL = "io.github.companion.Companion"


class MacAutostart(FileAutostart):
    name = "launch-agent"

    def __init__(self, agents_dir: Path | None = None) -> None:
        self._agents_dir = agents_dir

    @property
    def path(self) -> Path:
        agents_dir = self._agents_dir or Path.home() / "Library" / "LaunchAgents"
        return agents_dir / f"{LAUNCH_AGENT_LABEL}.plist"

    def content(self, command: list[str]) -> bytes:
        agent = {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": command,
            "RunAtLoad": True,
            "ProcessType": "Interactive",  # a tray app the rep looks at: no background throttling
        }
        return plistlib.dumps(agent)
