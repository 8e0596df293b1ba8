"""What the rep wrote about a rough call, read back for the journal: the call's private note and the cooldown's
reflection, each with its call (time, severity, what happened). Only while the journal is unlocked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property
from typing import Any

from companion.core.crypto import Vault
from companion.core.rough_calls import COOLDOWN_KIND, ROUGH_CALL_KIND
from companion.core.store import Store
from companion.core.words import SEVERITY_WORDS, category_label


@dataclass(frozen=True)
class CallNote:
    source: str  # "rough_call" (the note typed when tagging) or "cooldown" (the reflection after it)
    row_id: int
    at: datetime  # when the call was tagged (or the cooldown offered), in the offset the rep lived it
    severity: int | None
    categories: tuple[str, ...]
    text: str

    def call_line(self) -> str:
        """'14:05 · 3 hostile · Yelling, Blamed me personally': the call this was written about."""
        parts = [f"{self.at:%H:%M}"]
        if self.severity is not None:
            parts.append(f"{self.severity} {SEVERITY_WORDS[self.severity]}")
        if self.categories:
            parts.append(", ".join(category_label(name) for name in self.categories))
        return " · ".join(parts)

    @cached_property
    def searchable(self) -> str:
        return " ".join([self.text, *self.categories, *(category_label(c) for c in self.categories)]).casefold()


def _local(at_utc: float, offset_minutes: int) -> datetime:
    return datetime.fromtimestamp(at_utc, timezone(timedelta(minutes=offset_minutes)))


class OpenedRecords:
    """What call_notes opened, kept while the journal stays unlocked: a year of rough calls is about 25,000 sealed
    records, and the journal window reads them on every search. A record is opened again only when its sealed bytes
    change; the owner calls `forget()` when the journal locks, so no plain text outlives the key."""

    def __init__(self) -> None:
        self._opened: dict[tuple[str, int], tuple[bytes, dict[str, Any]]] = {}
        self._notes: dict[tuple[str, int], tuple[tuple[object, ...], CallNote]] = {}
        self.read_at: tuple[int, int, int] | None = None  # the database's state when `latest` was read
        self.latest: list[CallNote] = []

    def forget(self) -> None:
        self._opened.clear()
        self._notes.clear()
        self.read_at = None
        self.latest = []

    def open(self, vault: Vault, kind: str, row_id: int, uid: str, sealed: bytes) -> dict[str, Any]:
        held = self._opened.get((kind, row_id))
        if held is not None and held[0] == sealed:
            return held[1]
        content = vault.open_record(kind, uid, sealed)
        self._opened[(kind, row_id)] = (sealed, content)
        return content

    def note(self, source: str, row_id: int, made_of: tuple[object, ...], make: Callable[[], CallNote]) -> CallNote:
        """The same CallNote (its search text worked out once) while what it is made of stays the same."""
        held = self._notes.get((source, row_id))
        if held is not None and held[0] == made_of:
            return held[1]
        note = make()
        self._notes[(source, row_id)] = (made_of, note)
        return note


def matching_notes(notes: list[CallNote], query: str) -> list[CallNote]:
    """The notes of `notes` that contain every word of `query` (any case), in their order; safe on a worker."""
    words = query.casefold().split()
    return [note for note in notes if all(word in note.searchable for word in words)]


def read_state(store: Store) -> tuple[int, int, int]:
    """Which connection, and how far the database had changed for it: anything written since, by this connection
    (total_changes) or another (data_version), makes a different state."""
    connection = store.connection
    return id(connection), connection.total_changes, int(connection.execute("PRAGMA data_version").fetchone()[0])


def call_notes(
    store: Store,
    vault: Vault,
    query: str = "",
    opened: OpenedRecords | None = None,
    as_of: tuple[int, int, int] | None = None,
) -> list[CallNote]:
    """Notes and reflections, newest first, containing every word of `query`; [] while the vault is locked.
    With `opened`, records opened before are not opened again (the journal window's searches), and a database
    unchanged since the last read gives the same notes without reading the rows. `as_of` is the app connection's
    `read_state`, taken before a worker reads through a connection of its own, so the app's next read matches."""
    if not vault.is_unlocked:
        if opened is not None:
            opened.forget()
        return []
    memory = opened or OpenedRecords()
    state = as_of or read_state(store)
    if memory.read_at == state:  # nothing written since: no reading 25,000 rows again for every search
        return matching_notes(memory.latest, query)
    calls: dict[int, tuple[int, tuple[str, ...]]] = {}
    notes: list[CallNote] = []
    rows = store.connection.execute(
        "SELECT id, uid, at_utc, utc_offset_minutes, severity, content FROM rough_calls WHERE content IS NOT NULL"
    ).fetchall()
    for row_id, uid, at_utc, offset, severity, sealed in rows:
        content = memory.open(vault, ROUGH_CALL_KIND, row_id, uid, sealed)
        categories = tuple(str(c) for c in content.get("categories", []))
        calls[row_id] = (severity, categories)
        text = str(content.get("note", "")).strip()
        if text:
            notes.append(memory.note(
                "rough_call", row_id, (sealed, at_utc, offset, severity),
                lambda: CallNote("rough_call", row_id, _local(at_utc, offset), severity, categories, text),  # noqa: B023
            ))  # fmt: skip
    for row_id, uid, call_id, offered, offset, sealed in store.connection.execute(
        "SELECT id, uid, rough_call_id, offered_utc, utc_offset_minutes, content FROM cooldowns "
        "WHERE content IS NOT NULL"
    ).fetchall():
        reflection = str(memory.open(vault, COOLDOWN_KIND, row_id, uid, sealed).get("reflection", "")).strip()
        if reflection:
            severity, categories = calls.get(call_id, (None, ())) if call_id is not None else (None, ())
            notes.append(memory.note(
                "cooldown", row_id, (sealed, offered, offset, severity, categories),
                lambda: CallNote("cooldown", row_id, _local(offered, offset), severity, categories,  # noqa: B023
                                 reflection),  # noqa: B023
            ))  # fmt: skip
    notes.sort(key=lambda note: note.at.timestamp(), reverse=True)
    memory.read_at, memory.latest = state, notes
    return matching_notes(notes, query)
