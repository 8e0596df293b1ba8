"""Start-up plumbing: a missing Qt system library is named as a package; Qt's own messages reach our log file."""

import ctypes
import subprocess
import sys

import pytest

from companion import preflight


@pytest.fixture
def missing_cursor_library(monkeypatch):
    real_cdll = ctypes.CDLL

    def fake_cdll(name, *args, **kwargs):
        if name == "libxcb-cursor.so.0":
            raise OSError(f"{name}: cannot open shared object file")
        return real_cdll(name, *args, **kwargs)

    monkeypatch.setattr(preflight.ctypes, "CDLL", fake_cdll)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux system libraries")
def test_a_missing_xcb_library_is_named_by_its_debian_package(missing_cursor_library):
    assert preflight.missing_packages({"DISPLAY": ":0"}) == ["libxcb-cursor0"]
    message = preflight.explain_missing(["libxcb-cursor0"])
    assert "sudo apt-get install --no-install-recommends libxcb-cursor0" in message


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux system libraries")
def test_offscreen_does_not_need_the_xcb_libraries(missing_cursor_library):
    assert preflight.missing_packages({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}) == []


def test_qt_warnings_land_in_the_log_file(tmp_path):
    log_file = tmp_path / "logs" / "companion.log"
    code = f"""
from pathlib import Path
from companion.logsetup import configure_logging
from companion.ui.qtlog import route_qt_messages
from PySide6.QtCore import qWarning
configure_logging(Path({str(log_file)!r}))
route_qt_messages()
qWarning("a warning from Qt itself")
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    text = log_file.read_text()
    assert "WARNING qt: a warning from Qt itself" in text
    assert oct(log_file.stat().st_mode & 0o777) == oct(0o600)


def test_an_exception_in_a_qt_slot_lands_in_the_log_with_its_traceback(tmp_path):
    """PySide6 hands a slot's exception to sys.excepthook and carries on; ours writes it to companion.log."""
    log_file = tmp_path / "logs" / "companion.log"
    code = f"""
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QTimer
from companion.logsetup import configure_logging
configure_logging(Path({str(log_file)!r}))
app = QCoreApplication([])

def broken_slot():
    raise ValueError("a bug in a slot")

timer = QTimer()
timer.setSingleShot(True)
timer.timeout.connect(broken_slot)
timer.timeout.connect(app.quit)
timer.start(0)
app.exec()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    text = log_file.read_text()
    assert "ERROR companion.crash: uncaught exception" in text
    assert "Traceback (most recent call last)" in text and "ValueError: a bug in a slot" in text
    assert "broken_slot" in text
