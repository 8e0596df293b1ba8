"""The journal window's writes, carried out here: the window emits what the rep asked (save this, delete that) and
only reads the journal itself. The journal feature serves its window with this; so do the window's tests."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from companion.core.errors import CompanionError
from companion.core.journal import Journal

if TYPE_CHECKING:
    from companion.ui.journal_window import EntrySave, JournalWindow

log = logging.getLogger(__name__)


def serve_journal_window(window: JournalWindow, journal: Journal) -> None:
    """Write what the window asks for, and tell it how that went."""

    def save(request: EntrySave) -> None:
        try:
            if request.entry is None:
                entry = journal.add(request.kind, request.content)
            else:
                entry = journal.update(request.entry, request.content)
        except (CompanionError, LookupError) as error:
            window.entry_not_saved(str(error))
            return
        window.entry_saved(entry)

    def delete(uid: str) -> None:
        try:
            journal.delete(uid)
        except CompanionError as error:
            window.entry_not_deleted(error.message)
            return
        window.entry_deleted()

    window.entry_save_requested.connect(save)
    window.entry_delete_requested.connect(delete)
