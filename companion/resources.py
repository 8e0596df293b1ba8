"""One way to find a resource file: from the source tree, an installed wheel, or the PyInstaller bundle.

Its two sentences stay English: the catalogues live in the resources folder, so when it is missing nothing can be
translated, and a single missing file is a broken install that `--self-test` names (core/i18n imports this module,
so it cannot import core/i18n back).
"""

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
    looked_in = ", ".join(map(str, candidates))
    raise FileNotFoundError(f"Companion's resources folder is missing (looked in {looked_in})")  # i18n: not for reps


def resource_path(*parts: str) -> Path:
    """The path of a file under resources/; raises FileNotFoundError with the path if it is missing."""
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"Companion's resource {path} is missing")  # i18n: not for reps
    return path
