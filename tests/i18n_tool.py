"""scripts/i18n.py (the `make i18n` tool), imported once for the tests that check the catalogues."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

TOOL = Path(__file__).resolve().parent.parent / "scripts" / "i18n.py"


@cache
def i18n_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("companion_i18n_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
