"""One way to find a resource file: from the source tree, an installed wheel, or the PyInstaller bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources")
    package_dir = Path(__file__).resolve().parent
    candidates += [package_dir / "resources", package_dir.parent / "resources"]
    for candidate in candidates:
        if (candidate / "icons").is_dir():
            return candidate
    raise FileNotFoundError(f"Companion's resources folder is missing (looked in {', '.join(map(str, candidates))})")


def resource_path(*parts: str) -> Path:
    """The path of a file under resources/; raises FileNotFoundError with the path if it is missing."""
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"Companion's resource {path} is missing")
    return path

