"""Rough interactions and the cooldowns they earn: records and the repository that stores them.

Time, severity and the cooldown's response and outcome stay plain (counted fast, reveal little). Categories,
the rep's note, tension ratings and the reflection are personal: sealed by the Vault, or not kept at all while
the journal is locked. Nothing here ever logs that content.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from companion.core.clock import Clock, utc_offset_minutes
from companion.core.crypto import Vault, random_hex
from companion.core.i18n import _, ngettext
from companion.core.idempotency import RecentAnswers
from companion.core.status_part import StatusPart
from companion.core.store import Store

log = logging.getLogger(__name__)

ROUGH_CALL_KIND = "rough_call"
COOLDOWN_KIND = "cooldown"
SEVERITIES = (1, 2, 3, 4, 5)
# Built-in categories (the panel shows words for these keys); the rep may add their own free words too.
CATEGORIES = (
    "yelling",
    "insults",
    "threats",
    "unreasonable_demand",
    "blamed_me",
    "repeated_escalation",
    "heavy_story",
)
MAX_NOTE_CHARS = 2000
MAX_OWN_TAG_CHARS = 40


class Response(Enum):
    OFFERED = "offered"
    STARTED = "started"
    DEFERRED = "deferred"
    DECLINED = "declined"


class Outcome(Enum):
    COMPLETED = "completed"
    CUT_SHORT = "cut_short"
    ABANDONED = "abandoned"


@dataclass(frozen=True)
class RoughCall:
    id: int
    uid: str
    at: datetime
    severity: int
    categories: tuple[str, ...] = ()
    note: str = ""
    content_saved: bool = False  # False when tagged while the journal was locked: time and severity only


@dataclass(frozen=True)
class CooldownResult:
    """What the cooldown window hands back when it closes."""

    outcome: Outcome
    pattern: str
    preset: str
    started: datetime
    ended: datetime
    tension_before: int | None = None
    tension_after: int | None = None
    reflection: str = ""


@dataclass(frozen=True)
class TagRequest:
    severity: int
    categories: tuple[str, ...] = field(default=())
    note: str = ""
    # Chosen by the client (the panel, `companion tag`): the same id again is the same save, stored once.
    request_id: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be 1 to 5, not {self.severity!r}")  # i18n: not for reps


def clean_categories(raw: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Trimmed, short, without duplicates, in the order given."""
    seen: list[str] = []
    for item in raw:
        word = " ".join(str(item).split())[:MAX_OWN_TAG_CHARS].rstrip()
        if word and word not in seen:
            seen.append(word)
    return tuple(seen)


def _new_uid() -> str:
    return random_hex(16)


class RoughCallRepository:
    """Rough-call tags and cooldown records in the store, sealed through the vault."""

    def __init__(self, store: Store, vault: Vault, clock: Clock) -> None:
        self._store = store
        self._vault = vault
        self._clock = clock
        self._answered = RecentAnswers[RoughCall]()

    def tag(self, request: TagRequest) -> RoughCall:
        """Store one rough call; a request id already answered returns that call again instead of a second row."""
        earlier = self._answered.get(request.request_id, self._clock.monotonic())
        if earlier is not None:
            log.info("rough call %d: request repeated, not stored again", earlier.id)
            return earlier
        call = self._insert(request)
        self._answered.put(request.request_id, call, self._clock.monotonic())
        return call

    def answered(self, request_id: str) -> RoughCall | None:
        """The call already stored for this request id, if it was stored lately."""
        return self._answered.get(request_id, self._clock.monotonic())

    def _insert(self, request: TagRequest) -> RoughCall:
        now = self._clock.now()
        uid = _new_uid()
        categories = clean_categories(request.categories)
        note = request.note.strip()[:MAX_NOTE_CHARS]
        content = None
        if self._vault.is_unlocked:
            content = self._vault.seal_record(ROUGH_CALL_KIND, uid, {"categories": list(categories), "note": note})
        with self._store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO rough_calls(uid, at_utc, utc_offset_minutes, severity, content) VALUES (?, ?, ?, ?, ?)",
                (uid, now.timestamp(), utc_offset_minutes(now), request.severity, content),
            )
        row_id = int(cursor.lastrowid or 0)
        log.info("rough call %d tagged, severity %d, content %s", row_id, request.severity,
                 "sealed" if content else "not kept (journal locked)")  # fmt: skip
        if content is None:
            return RoughCall(row_id, uid, now, request.severity)
        return RoughCall(row_id, uid, now, request.severity, categories, note, True)

    def seal_held_content(self, row_id: int, request: TagRequest) -> bool:
        """Seal the categories and note of a call tagged while the journal was on its way to unlocking (they waited
        in memory, never on disk). False if the vault is still locked or the call already has content."""
        if not self._vault.is_unlocked:
            return False
        row = self._store.connection.execute("SELECT uid, content FROM rough_calls WHERE id = ?", (row_id,)).fetchone()
        if row is None or row[1] is not None:
            return False
        content = self._vault.seal_record(
            ROUGH_CALL_KIND,
            row[0],
            {"categories": list(clean_categories(request.categories)), "note": request.note.strip()[:MAX_NOTE_CHARS]},
        )
        with self._store.transaction() as conn:
            conn.execute("UPDATE rough_calls SET content = ? WHERE id = ? AND content IS NULL", (content, row_id))
        log.info("rough call %d: content sealed once the journal unlocked", row_id)
        return True

    def get(self, row_id: int) -> RoughCall | None:
        """One rough call, with its categories and note when the vault is unlocked."""
        row = self._store.connection.execute(
            "SELECT id, uid, at_utc, severity, content FROM rough_calls WHERE id = ?", (row_id,)
        ).fetchone()
        if row is None:
            return None
        at = datetime.fromtimestamp(row[2]).astimezone()
        if row[4] is None or not self._vault.is_unlocked:
            return RoughCall(row[0], row[1], at, row[3], content_saved=row[4] is not None)
        content = self._vault.open_record(ROUGH_CALL_KIND, row[1], row[4])
        return RoughCall(row[0], row[1], at, row[3], tuple(content["categories"]), content["note"], True)

    def count_since(self, seconds: float) -> int:
        """Rough calls tagged in the last `seconds` (escalation looks back an hour)."""
        since = self._clock.now().timestamp() - seconds
        return int(
            self._store.connection.execute("SELECT count(*) FROM rough_calls WHERE at_utc >= ?", (since,)).fetchone()[0]
        )

    def offer_cooldown(self, rough_call_id: int | None) -> int:
        """A cooldown row in state `offered`; the offer's answer and the session update it."""
        now = self._clock.now()
        with self._store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO cooldowns(uid, rough_call_id, offered_utc, utc_offset_minutes, response) "
                "VALUES (?, ?, ?, ?, ?)",
                (_new_uid(), rough_call_id, now.timestamp(), utc_offset_minutes(now), Response.OFFERED.value),
            )
        return int(cursor.lastrowid or 0)

    def answer_offer(self, cooldown_id: int, response: Response) -> None:
        with self._store.transaction() as conn:
            conn.execute("UPDATE cooldowns SET response = ? WHERE id = ?", (response.value, cooldown_id))

    def record_session(self, cooldown_id: int, result: CooldownResult) -> None:
        """The plain outcome always; tension and reflection only sealed, and only while the vault is open."""
        uid = self._store.connection.execute("SELECT uid FROM cooldowns WHERE id = ?", (cooldown_id,)).fetchone()[0]
        content = None
        personal = (result.tension_before, result.tension_after, result.reflection.strip())
        if self._vault.is_unlocked and personal != (None, None, ""):
            content = self._vault.seal_record(
                COOLDOWN_KIND,
                uid,
                {
                    "tension_before": result.tension_before,
                    "tension_after": result.tension_after,
                    "reflection": result.reflection.strip()[:MAX_NOTE_CHARS],
                },
            )
        with self._store.transaction() as conn:
            conn.execute(
                "UPDATE cooldowns SET response = ?, started_utc = ?, ended_utc = ?, outcome = ?, pattern = ?, "
                "preset = ?, content = ? WHERE id = ?",
                (
                    Response.STARTED.value,
                    result.started.timestamp(),
                    result.ended.timestamp(),
                    result.outcome.value,
                    result.pattern,
                    result.preset,
                    content,
                    cooldown_id,
                ),
            )
        log.info("cooldown %d %s (%s, %s)", cooldown_id, result.outcome.value, result.pattern, result.preset)

    def cooldown_content(self, cooldown_id: int) -> dict[str, object] | None:
        """The sealed tension ratings and reflection of one cooldown (None if none were kept)."""
        row = self._store.connection.execute(
            "SELECT uid, content FROM cooldowns WHERE id = ?", (cooldown_id,)
        ).fetchone()
        if row is None or row[1] is None:
            return None
        return self._vault.open_record(COOLDOWN_KIND, row[0], row[1])


@dataclass(frozen=True)
class DayCounts:
    rough_interactions: int
    cooldowns: int  # cooldowns started (whatever their outcome)
    cooldowns_completed: int
    highest_severity: int | None


def counts_for_day(store: Store, clock: Clock) -> DayCounts:
    """Today's figures, each record on the local day the rep lived it (its own UTC offset, not today's)."""
    now = clock.now()
    today = now.date().isoformat()
    # A day-and-a-half window on each side lets the index narrow the scan; the offset test decides the day.
    low = now.timestamp() - timedelta(days=1.5).total_seconds()
    high = now.timestamp() + timedelta(days=1.5).total_seconds()
    local_day = "date({col} + utc_offset_minutes * 60, 'unixepoch')"  # i18n: not for reps
    rough = store.connection.execute(
        f"SELECT count(*), max(severity) FROM rough_calls WHERE at_utc BETWEEN ? AND ? "
        f"AND {local_day.format(col='at_utc')} = ?",
        (low, high, today),
    ).fetchone()
    cooled = store.connection.execute(
        f"SELECT count(*), coalesce(sum(outcome = 'completed'), 0) FROM cooldowns "
        f"WHERE response = 'started' AND offered_utc BETWEEN ? AND ? AND {local_day.format(col='offered_utc')} = ?",
        (low, high, today),
    ).fetchone()
    return DayCounts(int(rough[0]), int(cooled[0]), int(cooled[1]), rough[1])


def rough_calls_status(store: Store, clock: Clock) -> StatusPart:
    """`companion status`: today's rough interactions and cooldowns (counts only, never content)."""
    counts = counts_for_day(store, clock)
    values = {"rough_interactions_today": counts.rough_interactions, "cooldowns_today": counts.cooldowns}
    if counts.rough_interactions == 0 and counts.cooldowns == 0:
        return StatusPart(values, [_("No rough interactions tagged today.")])
    if counts.highest_severity is None:
        line = _("Rough interactions today: {count}").format(count=counts.rough_interactions)
    else:
        line = _("Rough interactions today: {count} (hardest: {severity} of 5)").format(
            count=counts.rough_interactions, severity=counts.highest_severity
        )
    cooled = ngettext(
        "Cooldowns today: {taken} taken, {completed} to the end",
        "Cooldowns today: {taken} taken, {completed} to the end",
        counts.cooldowns,
    ).format(taken=counts.cooldowns, completed=counts.cooldowns_completed)
    return StatusPart(values, [line, cooled])
