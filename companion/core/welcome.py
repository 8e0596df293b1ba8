"""The first start, in plain words: what Companion is, the privacy promise, the journal key, and keeping the
recovery code (a 0600 text file when the rep saves it)."""

from __future__ import annotations

import sys
from pathlib import Path

from companion.core.i18n import N_, _
from companion.core.paths import write_private_atomically

# Marked here, translated where they are shown (the welcome dialog's tr(), the saved recovery code).
WHAT_IT_IS = N_(
    "Companion sits in your tray and looks after you through the working day. "
    "It reminds you to take short breaks, offers a two-minute cooldown after a rough call, and keeps a private "
    "journal of how your days go. "
    "Once a week it shows you how the week went, in your own words."
)
PRIVACY_PROMISE = N_(
    "Everything stays on this computer. Nothing is sent anywhere, and what you write is locked with a key that "
    "only you hold."
)
JOURNAL_KEY = N_(
    "Your journal is locked with a key kept in this computer's keyring (or your passphrase). If that is ever lost, "
    "this recovery code is the only way back in. Keep it somewhere private, away from this computer."
)


def start_at_login_default() -> bool:
    """Offered checked on Linux and Windows, where a rep's workday starts at login; unchecked on macOS, which asks
    for the login item permission itself."""
    return sys.platform != "darwin"


def recovery_code_text(code: str) -> str:
    return f"{_('Companion journal recovery code')}\n\n{code}\n\n{_(JOURNAL_KEY)}\n"


def save_recovery_code(path: Path, code: str) -> None:
    """The code with a line saying what it is, readable by the rep alone (0600)."""
    write_private_atomically(path, recovery_code_text(code).encode("utf-8"))
