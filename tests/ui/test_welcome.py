"""A welcome on first start (issue 12, item 7): what Companion is, the privacy promise, start at login offered with
the platform's default, the journal key in plain words, and the recovery code with Copy, Save (0600) and Print."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from companion.core.welcome import PRIVACY_PROMISE, WHAT_IT_IS, start_at_login_default
from companion.ui.journal_dialogs import RecoveryCodeDialog

CODE = "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789"


def test_the_welcome_says_what_companion_is_and_offers_start_at_login(qtbot) -> None:
    dialog = RecoveryCodeDialog(CODE, welcome=True, start_at_login=start_at_login_default())
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Welcome to Companion"
    assert WHAT_IT_IS.count(". ") == 2  # three sentences
    texts = " ".join(label.text() for label in dialog.findChildren(type(dialog.code)))
    assert WHAT_IT_IS in texts and PRIVACY_PROMISE in texts and "keyring" not in WHAT_IT_IS
    assert dialog.start_at_login is not None
    assert dialog.start_at_login.isChecked() is (sys.platform != "darwin")
    plain = RecoveryCodeDialog(CODE)
    qtbot.addWidget(plain)
    assert plain.start_at_login is None and plain.windowTitle() == "Your recovery code"


def test_copy_and_save_keep_the_code(qtbot, tmp_path: Path) -> None:
    dialog = RecoveryCodeDialog(CODE, welcome=True)
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == CODE
    target = tmp_path / "code.txt"
    dialog.save_to(target)
    assert CODE in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "readable by you alone" in dialog.kept.text()
    dialog.save_to(tmp_path / "missing" / "code.txt")
    assert "could not be saved" in dialog.kept.text()
    assert dialog.print_button.isEnabled()
