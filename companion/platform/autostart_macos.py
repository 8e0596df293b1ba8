"""Start at login on macOS: a LaunchAgent plist in ~/Library/LaunchAgents, loaded by launchd at the next login."""

from __future__ import annotations

import plistlib
from pathlib import Path

from companion.core.paths import write_private_atomically

LAUNCH_AGENT_LABEL = "io.github.companion.Companion"


class MacAutostart:
    name = "launch-agent"

    def __init__(self, agents_dir: Path | None = None) -> None:
        self._agents_dir = agents_dir

    @property
    def plist_path(self) -> Path:
        agents_dir = self._agents_dir or Path.home() / "Library" / "LaunchAgents"
        return agents_dir / f"{LAUNCH_AGENT_LABEL}.plist"

    def is_enabled(self) -> bool:
        return self.plist_path.is_file()

    def enable(self, command: list[str]) -> None:
        agent = {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": command,
            "RunAtLoad": True,
            "ProcessType": "Interactive",  # a tray app the rep looks at: no background throttling
        }
        self.plist_path.parent.mkdir(parents=True, exist_ok=True)
        write_private_atomically(self.plist_path, plistlib.dumps(agent))

    def disable(self) -> None:
        self.plist_path.unlink(missing_ok=True)
