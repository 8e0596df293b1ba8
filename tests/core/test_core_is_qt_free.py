"""The core must import and work with PySide6 made unimportable."""

import subprocess
import sys

CODE = """
import sys, pkgutil, importlib
sys.modules['PySide6'] = None
import companion.core
for module in pkgutil.walk_packages(companion.core.__path__, 'companion.core.'):
    importlib.import_module(module.name)
loaded = [name for name in sys.modules if name.startswith(('companion.ui', 'companion.platform'))]
assert not loaded, loaded
print('ok', len([n for n in sys.modules if n.startswith('companion.core')]))
"""


def test_every_core_module_imports_without_pyside6():
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok ")
    assert int(result.stdout.split()[1]) >= 8  # every module was walked, not just the package
