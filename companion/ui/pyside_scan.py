"""PySide's import hook without the source it keeps.

PySide6 asks of every module imported after it whether its source mentions "PySide6" (for `from __feature__
import ...`, which Companion does not use). It asks through `inspect.getsource`, and that keeps every line of every
such module in `linecache` for the life of the process: about 5 MB of Python strings in the idle tray, never given
back (docs/performance.md). The same question answered from the file's bytes keeps nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

HOOK_MODULE = "shibokensupport.feature"


def scan_sources_without_linecache() -> bool:
    """Install the lighter scan; False (and nothing changed) when this PySide has no such hook."""
    feature = sys.modules.get(HOOK_MODULE)
    original: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(original, "reads_bytes", False):
        return False

    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)  # built-in, compiled-only or frozen: PySide's own answer
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    mod_uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = mod_uses_pyside  # type: ignore[attr-defined]
    return True
