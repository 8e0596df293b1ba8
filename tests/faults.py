"""Helpers for the fault tests (issue 13): another Unix user, mounts, a database held by a real `sqlite3`.

They need root (CI runs as root): on a laptop they skip with the reason, in CI they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests import desktop


def need_root(what: str) -> None:
    if os.geteuid() == 0:
        return
    message = f"{what} needs root (CI runs the suite as root)"
    if desktop.IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def other_user() -> Iterator[str]:
    """A throwaway Unix user, removed afterwards: the 'other local user' of the issue."""
    need_root("creating another Unix user")
    useradd = desktop.need("useradd", "passwd")
    name = f"cmp{uuid.uuid4().hex[:8]}"
    subprocess.run([useradd, "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True, timeout=30)
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], check=False, timeout=30, capture_output=True)


@contextmanager
def mounted(*mount_args: str, target: Path) -> Iterator[Path]:
    need_root("mounting")
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", *mount_args, str(target)], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        pytest.fail(f"mount {' '.join(mount_args)} refused: {done.stderr.strip()}")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False, timeout=30)


class HeldLock:
    """A real `sqlite3` process holding BEGIN EXCLUSIVE on a database until `release()`."""

    def __init__(self, database: Path) -> None:
        sqlite3_cli = desktop.need("sqlite3", "sqlite3")
        self.process = subprocess.Popen(
            [sqlite3_cli, str(database)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(
            "BEGIN EXCLUSIVE;\nINSERT INTO meta(key, value) VALUES('held', '1');\nSELECT 'held';\n"
        )
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "held"  # the lock is taken once the write went through

    def release(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("ROLLBACK;\n.quit\n")
            self.process.stdin.flush()
            self.process.wait(timeout=10)

    def __enter__(self) -> HeldLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        desktop.stop_process(self.process)


def fill(folder: Path) -> Path:
    """Fill the file system holding `folder` until it refuses another byte; the filler file is returned."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for size in (1 << 16, 1 << 12, 1 << 9, 1):
            chunk = b"\0" * size
            try:
                while True:
                    os.write(fd, chunk)
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


def copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, dirs_exist_ok=True)
