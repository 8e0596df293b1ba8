"""Where Companion keeps its files, and keeping them private."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from companion.core.frozen import FrozenRecord
from companion.core.i18n import _

DATA_DIR_ENV = "COMPANION_DATA_DIR"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


class AppPaths(FrozenRecord):  # not a dataclass: `companion tag` loads this module (core/frozen.py says why)
    __slots__ = ("config", "data", "logs")
    data: Path
    config: Path
    logs: Path

    def __init__(self, data: Path, config: Path, logs: Path) -> None:
        self.set_once("data", data)
        self.set_once("config", config)
        self.set_once("logs", logs)

    @property
    def database(self) -> Path:
        return self.data / "companion.db"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.logs / "companion.log"

    @property
    def lock_file(self) -> Path:
        return self.data / "companion.lock"

    @property
    def exports(self) -> Path:
        return self.data / "exports"

    @classmethod
    def resolve(cls, data_dir: str | Path | None = None, env: Mapping[str, str] | None = None) -> AppPaths:
        """The --data-dir option wins, then COMPANION_DATA_DIR, then the platform's user folders.

        An explicit data folder holds config and logs too, so a test or a portable install touches nothing else.
        """
        env = os.environ if env is None else env
        chosen = data_dir or env.get(DATA_DIR_ENV)
        if chosen:
            root = Path(chosen).expanduser().absolute()
            return cls(data=root, config=root / "config", logs=root / "logs")
        import platformdirs

        dirs = platformdirs.PlatformDirs("companion", appauthor=False)
        return cls(data=Path(dirs.user_data_dir), config=Path(dirs.user_config_dir), logs=Path(dirs.user_log_dir))

    def ensure(self) -> None:
        for folder in (self.data, self.config, self.logs):
            ensure_private_dir(folder)


def ensure_private_dir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix" and stat.S_IMODE(folder.stat().st_mode) != PRIVATE_DIR_MODE:
        folder.chmod(PRIVATE_DIR_MODE)


def make_private(path: Path) -> None:
    if os.name == "posix" and path.exists():
        path.chmod(PRIVATE_FILE_MODE)


def unusual_target(path: Path) -> str | None:
    """What sits at `path` if it is anything but a regular file or nothing ("a link", "a folder", ...), else None.

    Exports replace their target atomically; over a link, a pipe or a device that would silently turn it into a
    plain file (as root, `--output /dev/null` replaced the device node), so writers refuse these instead. The
    answer is in the rep's language: the writer's sentence names it ("{path} is {found}, not an ordinary file").
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError:
        return None  # the write itself will fail and explain why
    if stat.S_ISREG(mode):
        return None
    # TRANSLATORS: what sits where an export would be written: "{path} is {found}, not an ordinary file, ..."
    if stat.S_ISLNK(mode):
        return _("a link")
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a named pipe")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    return _("not an ordinary file")


def write_private_atomically(path: Path, data: bytes) -> None:
    """Write to a private temporary file beside `path`, flush it to disk, then rename over `path`.

    A crash or a full disk leaves either the old file or the new one, never half of one.
    """
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
