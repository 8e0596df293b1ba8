"""What the tray holds in memory for nothing: modules it never needs at idle, and PySide's copy of every source.

Each check runs in its own interpreter, so what the test process already imported cannot hide a regression.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

# Loaded by the standard library's xml.sax.saxutils (urllib.request -> http.client -> ssl, email): OpenSSL's
# libcrypto alone is 3.4 MB resident; the idle tray talks to no network and sends no mail.
# The week's exports (documents, charts, csv) load when the rep exports, not at start.
NOT_AT_IDLE = ("ssl", "_ssl", "http.client", "urllib.request", "email", "hashlib", "_hashlib", "xml.sax")
NOT_AT_IDLE += ("companion.core.summary_export", "companion.core.charts", "csv")


def run_python(code: str, cwd: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=cwd, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.splitlines()[-1]))


def test_the_tray_and_its_features_load_no_network_mail_or_openssl_module(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[1]
    loaded = run_python(
        f"""
        import json, pkgutil, sys, importlib
        sys.path.insert(0, {str(repo)!r})
        import companion.app, companion.launch, companion.features
        for module in pkgutil.iter_modules(companion.features.__path__):
            importlib.import_module("companion.features." + module.name)
        print(json.dumps({{"loaded": sorted(n for n in {NOT_AT_IDLE!r} if n in sys.modules)}}))
        """,
        tmp_path,
    )
    assert loaded["loaded"] == []


def test_pyside_scan_gives_pysides_answer_and_keeps_no_source(tmp_path: Path) -> None:
    (tmp_path / "uses_qt.py").write_text("from PySide6.QtCore import QObject\n" + "# filler\n" * 200)
    (tmp_path / "plain.py").write_text("VALUE = 1\n" + "# filler\n" * 200)
    result = run_python(
        """
        import json, linecache, sys
        import PySide6.QtCore
        from companion.ui.pyside_scan import scan_sources_without_linecache, HOOK_MODULE
        feature = sys.modules[HOOK_MODULE]
        pysides_own = feature._mod_uses_pyside
        installed = scan_sources_without_linecache()
        again = scan_sources_without_linecache()
        linecache.clearcache()
        import uses_qt, plain
        held = sorted(name for name in linecache.cache if name.endswith(("uses_qt.py", "plain.py")))
        ours = [feature._mod_uses_pyside(m) for m in (uses_qt, plain, sys, json)]
        theirs = [pysides_own(m) for m in (uses_qt, plain, sys, json)]
        print(json.dumps({"installed": installed, "again": again, "held": held, "ours": ours, "theirs": theirs}))
        """,
        tmp_path,
    )
    assert result["installed"] is True
    assert result["again"] is False  # installed once, never wrapped twice
    assert result["held"] == []
    assert result["ours"] == result["theirs"] == [True, False, False, False]


# What the tray icon waits for: only the lock and the store. The log, Qt's namespace of enums, the typed settings and
# the translations, the app and its features load after it shows, one stage per turn (launch.py, issue 15).
AFTER_THE_ICON = ("companion.app", "companion.core.settings", "companion.ui.translations", "companion.ui.fit",
                  "logging.handlers", "companion.lifecycle", "cryptography", "companion.features")  # fmt: skip


def test_the_icon_shows_before_the_log_the_settings_the_app_and_qts_enums_load(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[1]
    shown = run_python(
        f"""
        import json, os, sys
        sys.path.insert(0, {str(repo)!r})
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QSystemTrayIcon
        from companion.ui.tray import Tray

        def record(icon):
            qtcore = sys.modules["PySide6.QtCore"]
            loaded = sorted(name for name in {AFTER_THE_ICON!r} if name in sys.modules)
            print(json.dumps({{"loaded": loaded, "qt_namespace": "Qt" in vars(qtcore)}}), flush=True)
            os._exit(0)

        Tray.can_show = staticmethod(lambda: True)  # offscreen has no tray host
        QSystemTrayIcon.show = record
        from companion.__main__ import main
        main(["--data-dir", {str(tmp_path / "data")!r}])
        """,
        tmp_path,
    )
    assert shown["loaded"] == []
    assert shown["qt_namespace"] is False
