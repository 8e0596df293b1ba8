"""What the rep wrote about a rough call, read back for the journal: the call's private note and the cooldown's
reflection, each with its call (time, severity, what happened). Only while the journal is unlocked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

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

    def searchable(self) -> str:
        return " ".join([self.text, *self.categories, *(category_label(c) for c in self.categories)]).casefold()


def _local(at_utc: float, offset_minutes: int) -> datetime:
    return datetime.fromtimestamp(at_utc, timezone(timedelta(minutes=offset_minutes)))


def call_notes(store: Store, vault: Vault, query: str = "") -> list[CallNote]:
    """Notes and reflections, newest first, containing every word of `query`; [] while the vault is locked."""
    if not vault.is_unlocked:
        return []
    calls: dict[int, tuple[int, tuple[str, ...]]] = {}
    notes: list[CallNote] = []
    rows = store.connection.execute(
        "SELECT id, uid, at_utc, utc_offset_minutes, severity, content FROM rough_calls WHERE content IS NOT NULL"
    ).fetchall()
    for row_id, uid, at_utc, offset, severity, sealed in rows:
        content = vault.open_record(ROUGH_CALL_KIND, uid, sealed)
        categories = tuple(str(c) for c in content.get("categories", []))
        calls[row_id] = (severity, categories)
        note = str(content.get("note", "")).strip()
        if note:
            notes.append(CallNote("rough_call", row_id, _local(at_utc, offset), severity, categories, note))
    for row_id, uid, call_id, offered, offset, sealed in store.connection.execute(
        "SELECT id, uid, rough_call_id, offered_utc, utc_offset_minutes, content FROM cooldowns "
        "WHERE content IS NOT NULL"
    ).fetchall():
        reflection = str(vault.open_record(COOLDOWN_KIND, uid, sealed).get("reflection", "")).strip()
        if reflection:
            severity, categories = calls.get(call_id, (None, ())) if call_id is not None else (None, ())
            notes.append(CallNote("cooldown", row_id, _local(offered, offset), severity, categories, reflection))
    words = query.casefold().split()
    found = [note for note in notes if all(word in note.searchable() for word in words)]
    return sorted(found, key=lambda note: note.at.timestamp(), reverse=True)
