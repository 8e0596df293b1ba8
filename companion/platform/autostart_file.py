"""The shape shared by the autostart backends that are one file the login session reads (XDG, macOS launchd).

Its own module so those backends and platform.autostart, which chooses among them, do not import each other.
"""

from __future__ import annotations

from pathlib import Path

from companion.core.paths import write_private_atomically


class FileAutostart:
    """A backend that is one file the session reads at login: on when the file is there, off when it is gone."""

    name = "file"

    @property
    def path(self) -> Path:
        raise NotImplementedError

    def content(self, command: list[str]) -> bytes:
        raise NotImplementedError

    def is_enabled(self) -> bool:
        return self.path.is_file()

    def enable(self, command: list[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_private_atomically(self.path, self.content(command))

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)
