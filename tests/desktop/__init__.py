"""End-to-end tests on the virtual desktop.

This package has the same name as tests/desktop.py, and a package wins over a module of the same name, so
`from tests import desktop` lands here. To keep `desktop.need()`, `desktop.screenshot()` and the service starters
reachable as documented, the helpers module is loaded from its file and its names are re-exported.
"""

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "tests._desktop_helpers", Path(__file__).resolve().parent.parent / "desktop.py"
)
assert _spec is not None and _spec.loader is not None
_helpers = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _helpers
_spec.loader.exec_module(_helpers)
globals().update({name: value for name, value in vars(_helpers).items() if not name.startswith("__")})
