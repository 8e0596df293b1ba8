"""The private reflection log: entry records, the repository over `journal_entries`, and in-memory search.

Only an entry's kind and times are plain; everything the rep wrote (moods, intentions, text, tags) is sealed by
the Vault, bound to ("journal", uid). Search runs over the decrypted entries held in memory while unlocked, and
`forget()` drops them when the journal locks. Nothing here logs what an entry says: ids and counts only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from enum import Enum
from typing import Any

from companion.core.clock import Clock, utc_offset_minutes
from companion.core.crypto import Vault, random_hex
from companion.core.errors import CompanionError
from companion.core.i18n import N_, _, ngettext
from companion.core.status_part import StatusPart
from companion.core.store import Store

log = logging.getLogger(__name__)

RECORD_KIND = "journal"
SCALE = range(1, 6)


class EntryKind(Enum):
    CHECKIN = "checkin"
    CLOSING = "closing"
    WIN = "win"
    GRATITUDE = "gratitude"
    REFLECTION = "reflection"
    NOTE = "note"

    @property
    def is_writing(self) -> bool:
        return self in WRITING_KINDS


UNREADABLE_ENTRY = N_("This entry could not be read: its stored copy is damaged. The rest of your journal is fine.")
WRITING_KINDS = (EntryKind.WIN, EntryKind.GRATITUDE, EntryKind.REFLECTION, EntryKind.NOTE)


def _check_scale(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
        raise ValueError(f"{name} is a number from 1 to 5")  # i18n: not for reps (the widgets offer 1 to 5)


@dataclass(frozen=True)
class CheckIn:
    mood: int
    energy: int
    intention: str = ""

    def __post_init__(self) -> None:
        _check_scale("Mood", self.mood)
        _check_scale("Energy", self.energy)


@dataclass(frozen=True)
class GoodThing:
    what: str
    why: str = ""


@dataclass(frozen=True)
class Closing:
    day_rating: int
    pick_up: str = ""
    good_things: tuple[GoodThing, ...] = ()

    def __post_init__(self) -> None:
        _check_scale("The day's rating", self.day_rating)  # i18n: not for reps


@dataclass(frozen=True)
class Writing:
    """A win, gratitude, reflection or note: free text and the rep's own tags."""

    text: str
    tags: tuple[str, ...] = ()


Content = CheckIn | Closing | Writing


def normalise_tags(raw: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """'calm, Team , calm' -> ('calm', 'team'): lower case, no blanks, no repeats, in the order given."""
    items = raw.replace(";", ",").split(",") if isinstance(raw, str) else list(raw)
    seen: dict[str, None] = {}
    for item in items:
        tag = item.strip().lstrip("#").strip().lower()
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


def content_to_dict(content: Content) -> dict[str, Any]:
    if isinstance(content, CheckIn):
        return {"mood": content.mood, "energy": content.energy, "intention": content.intention}
    if isinstance(content, Closing):
        return {
            "day_rating": content.day_rating,
            "pick_up": content.pick_up,
            "good_things": [{"what": g.what, "why": g.why} for g in content.good_things],
        }
    return {"text": content.text, "tags": list(content.tags)}


def content_from_dict(kind: EntryKind, raw: dict[str, Any]) -> Content:
    if kind is EntryKind.CHECKIN:
        return CheckIn(int(raw["mood"]), int(raw["energy"]), str(raw.get("intention", "")))
    if kind is EntryKind.CLOSING:
        things = tuple(GoodThing(str(g.get("what", "")), str(g.get("why", ""))) for g in raw.get("good_things", []))
        return Closing(int(raw["day_rating"]), str(raw.get("pick_up", "")), things)
    return Writing(str(raw.get("text", "")), normalise_tags(raw.get("tags", [])))


def _content_fits(kind: EntryKind, content: Content) -> bool:
    expected = {EntryKind.CHECKIN: CheckIn, EntryKind.CLOSING: Closing}.get(kind, Writing)
    return isinstance(content, expected)


_WIDEST_OFFSET_SECONDS = 15 * 3600  # UTC offsets run from -12:00 to +14:00


@dataclass(frozen=True)
class JournalEntry:
    uid: str
    kind: EntryKind
    created_utc: float
    updated_utc: float
    utc_offset_minutes: int
    content: Content
    rough_call_id: int | None = None
    cooldown_id: int | None = None
    damaged: bool = False  # its sealed content could not be opened; the content is UNREADABLE_ENTRY

    @property
    def local_time(self) -> datetime:
        """When the rep wrote it, in the offset they lived at that moment."""
        zone = timezone(timedelta(minutes=self.utc_offset_minutes))
        return datetime.fromtimestamp(self.created_utc, zone)

    @property
    def day(self) -> date:
        return self.local_time.date()

    @property
    def tags(self) -> tuple[str, ...]:
        return self.content.tags if isinstance(self.content, Writing) else ()

    def searchable_text(self) -> str:
        content = self.content
        if isinstance(content, CheckIn):
            parts = [content.intention]
        elif isinstance(content, Closing):
            parts = [content.pick_up] + [f"{g.what} {g.why}" for g in content.good_things]
        else:
            parts = [content.text, *content.tags]
        return "\n".join(parts)


@dataclass
class _Indexed:
    entry: JournalEntry
    folded: str = field(repr=False)


def _fold(text: str) -> str:
    return text.casefold()


class Journal:
    """Reads and writes journal entries through the Vault; keeps the decrypted entries in memory for search."""

    def __init__(self, store: Store, vault: Vault, clock: Clock) -> None:
        self._store = store
        self._vault = vault
        self._clock = clock
        self._loaded: dict[str, _Indexed] | None = None
        self.writes = 0  # counts adds, edits and deletes: a load read before one of them is out of date

    # --- plain facts, readable while locked ----------------------------------------------------------------

    def has_entry_on(self, kind: EntryKind, day: date) -> bool:
        row = self._store.connection.execute(
            "SELECT 1 FROM journal_entries WHERE kind = ? "
            "AND date(created_utc + utc_offset_minutes * 60, 'unixepoch') = ? LIMIT 1",
            (kind.value, day.isoformat()),
        ).fetchone()
        return row is not None

    def latest_time(self, kind: EntryKind) -> datetime | None:
        """When the newest entry of `kind` was written, in the offset it was written in; from plain columns, so it
        works while the journal is locked (the day's schedule asks whether the rep checked in or closed the day)."""
        row = self._store.connection.execute(
            "SELECT created_utc, utc_offset_minutes FROM journal_entries WHERE kind = ? "
            "ORDER BY created_utc DESC LIMIT 1",
            (kind.value,),
        ).fetchone()
        if row is None:
            return None
        return datetime.fromtimestamp(row[0], timezone(timedelta(minutes=row[1])))

    def count(self) -> int:
        return int(self._store.connection.execute("SELECT count(*) FROM journal_entries").fetchone()[0])

    def today(self) -> date:
        return self._clock.now().date()

    # --- writing --------------------------------------------------------------------------------------------

    def add(
        self,
        kind: EntryKind,
        content: Content,
        *,
        rough_call_id: int | None = None,
        cooldown_id: int | None = None,
    ) -> JournalEntry:
        if not _content_fits(kind, content):
            raise ValueError(f"a {kind.value} entry cannot hold {type(content).__name__}")  # i18n: not for reps
        now = self._clock.now()
        entry = JournalEntry(
            uid=random_hex(16),
            kind=kind,
            created_utc=now.timestamp(),
            updated_utc=now.timestamp(),
            utc_offset_minutes=utc_offset_minutes(now),
            content=content,
            rough_call_id=rough_call_id,
            cooldown_id=cooldown_id,
        )
        sealed = self._vault.seal_record(RECORD_KIND, entry.uid, content_to_dict(content))
        with self._store.transaction() as conn:
            conn.execute(
                "INSERT INTO journal_entries(uid, kind, created_utc, updated_utc, utc_offset_minutes, rough_call_id, "
                "cooldown_id, content) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                (entry.uid, kind.value, entry.created_utc, entry.updated_utc, entry.utc_offset_minutes,
                 rough_call_id, cooldown_id, sealed),
            )  # fmt: skip
        self.writes += 1
        self._remember(entry)
        log.info("journal entry %s (%s) added", entry.uid[:8], kind.value)
        return entry

    def update(self, entry: JournalEntry, content: Content) -> JournalEntry:
        if not _content_fits(entry.kind, content):
            raise ValueError(f"a {entry.kind.value} entry cannot hold {type(content).__name__}")  # i18n: not for reps
        changed = replace(entry, content=content, updated_utc=self._clock.now().timestamp())
        sealed = self._vault.seal_record(RECORD_KIND, entry.uid, content_to_dict(content))
        with self._store.transaction() as conn:
            cursor = conn.execute(
                "UPDATE journal_entries SET content = ?, updated_utc = ? WHERE uid = ?",
                (sealed, changed.updated_utc, entry.uid),
            )
            if cursor.rowcount != 1:
                raise LookupError(_("This entry no longer exists; it may have been deleted."))
        self._checkpoint()  # the old ciphertext should not wait in the WAL either
        self.writes += 1
        self._remember(changed)
        log.info("journal entry %s edited", entry.uid[:8])
        return changed

    def delete(self, uid: str) -> None:
        with self._store.transaction() as conn:
            conn.execute("DELETE FROM journal_entries WHERE uid = ?", (uid,))
        self._checkpoint()
        self.writes += 1
        if self._loaded is not None:
            self._loaded.pop(uid, None)
        log.info("journal entry %s deleted", uid[:8])

    def _checkpoint(self) -> None:
        """secure_delete zeroes freed space in the database; a truncating checkpoint empties the WAL of old pages."""
        self._store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- reading (needs the journal unlocked) --------------------------------------------------------------

    def load(self) -> int:
        """Decrypt every entry into memory (once per unlock); returns how many there are."""
        writes = self.writes
        return self.adopt(self.decrypt(self.sealed_rows()), writes)

    def sealed_rows(self, store: Store | None = None) -> list[tuple[Any, ...]]:
        """Every entry as stored, still sealed: the quick half of `load`, on the thread that owns `store` (the
        journal's own, or a read-only one a worker opened: 20 ms for 10,000 entries is too long for the GUI thread)."""
        connection = (store or self._store).connection
        return connection.execute(
            "SELECT uid, kind, created_utc, updated_utc, utc_offset_minutes, rough_call_id, cooldown_id, content "
            "FROM journal_entries"
        ).fetchall()

    def decrypt(self, rows: list[tuple[Any, ...]]) -> dict[str, _Indexed]:
        """The slow half of `load` (about 0.2 s for 10,000 entries): touches no store, so it may run on a worker."""
        loaded: dict[str, _Indexed] = {}
        for uid, kind, created, updated, offset, rough_call_id, cooldown_id, sealed in rows:
            entry_kind, content, damaged = self._open_entry(uid, kind, sealed)
            entry = JournalEntry(
                uid, entry_kind, created, updated, offset, content, rough_call_id, cooldown_id, damaged=damaged
            )
            loaded[uid] = _Indexed(entry, _fold(entry.searchable_text()))
        return loaded

    def adopt(self, loaded: dict[str, _Indexed], writes_when_read: int) -> int:
        """Keep what `decrypt` returned as the journal in memory, unless something was written after the rows were
        read (`writes` then): then read again, here, so no entry is missing or stale."""
        if writes_when_read != self.writes:
            writes_when_read = self.writes
            loaded = self.decrypt(self.sealed_rows())
        self._loaded = loaded
        return len(loaded)

    def _open_entry(self, uid: str, kind: str, sealed: bytes) -> tuple[EntryKind, Content, bool]:
        """One damaged record is one lost record: it shows, with its date, as unreadable; the rest of the journal
        opens (issue 13: one bad row locked the rep out of the whole journal)."""
        try:
            entry_kind = EntryKind(kind)
            return entry_kind, content_from_dict(entry_kind, self._vault.open_record(RECORD_KIND, uid, sealed)), False
        except (CompanionError, ValueError, KeyError, TypeError, AttributeError) as error:
            log.warning("journal entry %s could not be read: %s", uid, type(error).__name__)
            return EntryKind.NOTE, Writing(_(UNREADABLE_ENTRY)), True

    def forget(self) -> None:
        """Drop every decrypted entry (the journal locked)."""
        self._loaded = None

    @property
    def is_loaded(self) -> bool:
        return self._loaded is not None

    def _index(self) -> dict[str, _Indexed]:
        if self._loaded is None:
            self.load()
        assert self._loaded is not None
        return self._loaded

    def _remember(self, entry: JournalEntry) -> None:
        if self._loaded is not None:
            self._loaded[entry.uid] = _Indexed(entry, _fold(entry.searchable_text()))

    def get(self, uid: str) -> JournalEntry | None:
        found = self._index().get(uid)
        return None if found is None else found.entry

    def search(
        self,
        query: str = "",
        kinds: set[EntryKind] | None = None,
        tag: str | None = None,
    ) -> list[JournalEntry]:
        """Entries, newest first, that contain every word of `query` (any case), of one of `kinds`, with `tag`."""
        return search_in(self._index().values(), query, kinds, tag)

    def searchable(self) -> SearchableEntries:
        """What `search` looks through, as it is now: a search on a worker thread reads this copy, never the
        journal's own index, which the GUI thread may change meanwhile (an entry saved)."""
        return SearchableEntries(tuple(self._index().values()))

    def all_tags(self) -> list[str]:
        return sorted({tag for item in self._index().values() for tag in item.entry.tags})

    def entries_on(self, day: date) -> list[JournalEntry]:
        # Only entries written within a day and the widest UTC offsets of `day` can fall on it: comparing plain
        # numbers first spares turning every entry of a long journal into a local date each time the window fills.
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
        earliest, latest = midnight - _WIDEST_OFFSET_SECONDS, midnight + 86_400 + _WIDEST_OFFSET_SECONDS
        return [entry for entry in self.search() if earliest <= entry.created_utc < latest and entry.day == day]


@dataclass(frozen=True)
class SearchableEntries:
    """A copy of the decrypted journal's search index, taken on the GUI thread for a search elsewhere."""

    indexed: tuple[_Indexed, ...] = field(repr=False)


def search_in(
    indexed: Iterable[_Indexed],
    query: str = "",
    kinds: set[EntryKind] | None = None,
    tag: str | None = None,
) -> list[JournalEntry]:
    """`Journal.search` over `indexed` (the journal's index, or a `SearchableEntries` copy of it)."""
    words = _fold(query).split()
    wanted_tag = normalise_tags([tag])[0] if tag and normalise_tags([tag]) else None
    found = [
        item.entry
        for item in indexed
        if (kinds is None or item.entry.kind in kinds)
        and (wanted_tag is None or wanted_tag in item.entry.tags)
        and all(word in item.folded for word in words)
    ]
    found.sort(key=lambda entry: entry.created_utc, reverse=True)
    return found


def journal_status(store: Store, clock: Clock) -> StatusPart:
    """`companion status`: counts from plain columns, so it works while the journal is locked."""
    if "journal_entries" not in {row[0] for row in store.connection.execute("SELECT name FROM sqlite_master")}:
        return StatusPart()
    journal = Journal(store, Vault(), clock)
    checked_in = journal.has_entry_on(EntryKind.CHECKIN, journal.today())
    total = journal.count()
    if checked_in:
        line = ngettext("Journal: {count} entry; checked in today", "Journal: {count} entries; checked in today", total)
    else:
        line = ngettext(
            "Journal: {count} entry; no check-in today", "Journal: {count} entries; no check-in today", total
        )
    return StatusPart({"journal_entries": total, "checked_in_today": checked_in}, [line.format(count=total)])
