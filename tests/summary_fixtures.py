"""Weeks written straight into a real SQLite store, personal content sealed with a real Vault.

Times are given as local wall-clock times in a real time zone (zoneinfo), so DST weeks store the offsets the
activity feature would have stored. The hand-computed figures each test expects are written beside the data.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from companion.core.clock import utc_offset_minutes
from companion.core.crypto import Vault, new_data_key
from companion.core.store import Store

ZONE = ZoneInfo("Europe/Berlin")


def unlocked_vault() -> Vault:
    vault = Vault()
    vault.unlock_with_data_key(new_data_key())
    return vault


def at(day: date, hhmm: str, zone: ZoneInfo = ZONE) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


@dataclass
class Writer:
    store: Store
    vault: Vault

    def interval(self, state: str, start: datetime, end: datetime) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO activity_intervals(state, start_utc, end_utc, utc_offset_minutes) VALUES (?, ?, ?, ?)",
                (state, start.timestamp(), end.timestamp(), utc_offset_minutes(start)),
            )

    def work_day(self, day: date, segments: list[tuple[str, str, str]]) -> None:
        """segments: (state, 'HH:MM', 'HH:MM') in local time."""
        for state, start, end in segments:
            self.interval(state, at(day, start), at(day, end))

    def break_(
        self,
        kind: str,
        start: datetime,
        minutes: float | None = None,
        response: str | None = "started",
        completed: bool = True,
    ) -> None:
        started = start.timestamp() if response == "started" else None
        ended = started + minutes * 60 if started is not None and minutes is not None else None
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO breaks(kind, due_utc, response, response_utc, started_utc, ended_utc, completed, "
                "utc_offset_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (kind, start.timestamp(), response, start.timestamp(), started, ended,
                 int(completed) if started else None, utc_offset_minutes(start)),
            )  # fmt: skip

    def rough_call(self, moment: datetime, severity: int, categories: list[str] | None = None) -> int:
        uid = uuid.uuid4().hex
        content = self.vault.seal_record("rough_call", uid, {"categories": categories or [], "note": "a private note"})
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO rough_calls(uid, at_utc, utc_offset_minutes, severity, content) VALUES (?, ?, ?, ?, ?)",
                (uid, moment.timestamp(), utc_offset_minutes(moment), severity, content),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def cooldown(
        self,
        moment: datetime,
        rough_call_id: int | None,
        response: str = "started",
        outcome: str | None = "completed",
        before: int | None = None,
        after: int | None = None,
        pattern: str = "cyclic_sighing",
        preset: str = "default_180",
        seconds: float = 180,
    ) -> None:
        uid = uuid.uuid4().hex
        started = moment.timestamp() + 5 if response == "started" else None
        content = self.vault.seal_record(
            "cooldown", uid, {"tension_before": before, "tension_after": after, "reflection": "words"}
        )
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO cooldowns(uid, rough_call_id, offered_utc, utc_offset_minutes, response, started_utc, "
                "ended_utc, outcome, pattern, preset, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (uid, rough_call_id, moment.timestamp(), utc_offset_minutes(moment), response, started,
                 None if started is None else started + seconds, outcome if started else None, pattern, preset,
                 content),
            )  # fmt: skip

    def journal(self, kind: str, moment: datetime, content: dict) -> None:
        uid = uuid.uuid4().hex
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO journal_entries(uid, kind, created_utc, updated_utc, utc_offset_minutes, content) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (uid, kind, moment.timestamp(), moment.timestamp(), utc_offset_minutes(moment),
                 self.vault.seal_record("journal", uid, content)),
            )  # fmt: skip

    def checkin(self, moment: datetime, mood: int, energy: int, intention: str = "") -> None:
        self.journal("checkin", moment, {"mood": mood, "energy": energy, "intention": intention})


def open_writer(path: Path, vault: Vault | None = None) -> Writer:
    return Writer(Store.open(path), vault or unlocked_vault())


@contextmanager
def ordinary_weeks(path: Path) -> Iterator[Writer]:
    """A store holding the ordinary week 2026-W47 and the week before it, closed afterwards."""
    writer = open_writer(path)
    try:
        write_ordinary_week(writer)
        write_previous_week(writer)
        yield writer
    finally:
        writer.store.close()


# --- The ordinary week: 2026-W47, Monday 16 to Sunday 22 November 2026 (Berlin, UTC+1 all week) ------------------
ORDINARY_MONDAY = date(2026, 11, 16)


def write_ordinary_week(writer: Writer) -> None:
    """Hand-computed figures are in tests/core/test_summary.py next to the test that checks them."""
    for offset in range(5):  # Monday to Friday, the same shape each day
        day = ORDINARY_MONDAY + timedelta(days=offset)
        writer.work_day(
            day,
            [
                ("active", "09:00", "10:30"),  # 90 min
                ("on_call", "10:30", "11:00"),  # 30 min
                ("away", "11:00", "11:10"),  # natural break
                ("active", "11:10", "12:30"),  # 80 min
                ("idle", "12:30", "12:33"),  # short idle: not a break, keeps the stretch going
                ("active", "12:33", "13:00"),  # 27 min
                ("away", "13:00", "13:30"),
                ("on_call", "13:30", "15:00"),  # 90 min
                ("active", "15:00", "17:00"),  # 120 min, a 5-min prompted break cut it on Mon-Wed
            ],
        )
        writer.break_("natural", at(day, "11:00"), 10)
        writer.break_("natural", at(day, "13:00"), 30)
    for offset in range(3):  # Monday to Wednesday: a prompted break at 16:00, taken for 5 minutes
        writer.break_("prompted", at(ORDINARY_MONDAY + timedelta(days=offset), "16:00"), 5)
    writer.break_("prompted", at(ORDINARY_MONDAY + timedelta(days=3), "16:00"), response="postponed")
    writer.break_("prompted", at(ORDINARY_MONDAY + timedelta(days=4), "16:00"), response="skipped")
    # Rough calls: Monday 2 (sev 2 at 09:30, sev 4 at 14:00), Tuesday 1 (sev 5 at 10:45), Thursday 2 (sev 3, 3).
    monday, tuesday, thursday = (ORDINARY_MONDAY + timedelta(days=n) for n in (0, 1, 3))
    call_1 = writer.rough_call(at(monday, "09:30"), 2, ["billing"])
    call_2 = writer.rough_call(at(monday, "14:00"), 4, ["abusive", "billing"])
    call_3 = writer.rough_call(at(tuesday, "10:45"), 5, ["abusive"])
    call_4 = writer.rough_call(at(thursday, "13:40"), 3, [])
    writer.rough_call(at(thursday, "17:30"), 3, ["long hold"])
    # Cooldowns: four offered; three started (two completed, one cut short), one declined.
    writer.cooldown(at(monday, "09:31"), call_1, before=6, after=3, pattern="box")  # drop 3
    writer.cooldown(at(monday, "14:01"), call_2, before=8, after=5, pattern="box")  # drop 3
    writer.cooldown(at(tuesday, "10:46"), call_3, outcome="cut_short", before=9, after=8)  # drop 1
    writer.cooldown(at(thursday, "13:41"), call_4, response="declined", outcome=None)
    # Check-ins Monday, Tuesday, Friday; two wins, one gratitude.
    writer.checkin(at(monday, "08:55"), mood=3, energy=4, intention="Take the breaks")
    writer.checkin(at(tuesday, "08:58"), mood=2, energy=2)
    writer.checkin(at(ORDINARY_MONDAY + timedelta(days=4), "09:01"), mood=5, energy=3, intention="Be patient")
    writer.journal("win", at(tuesday, "17:05"), {"text": "Calmed an angry caller", "tags": []})
    writer.journal("win", at(thursday, "16:50"), {"text": "Closed the billing backlog", "tags": []})
    writer.journal("gratitude", at(thursday, "17:01"), {"text": "A kind colleague", "tags": []})


def write_previous_week(writer: Writer) -> None:
    """2026-W46: 8 rough calls, 2 prompted breaks and one short work day, for the comparison lines."""
    monday = ORDINARY_MONDAY - timedelta(days=7)
    writer.work_day(monday, [("active", "09:00", "13:00")])
    for hour in range(8):
        writer.rough_call(at(monday, f"{9 + hour // 2:02d}:{(hour % 2) * 30:02d}"), 2)
    writer.break_("prompted", at(monday, "10:00"), 5)
    writer.break_("prompted", at(monday, "12:00"), 5)


# --- A heavy year for the benchmark -------------------------------------------------------------------------------


def write_heavy_year(writer: Writer, year: int = 2026, calls_per_day: int = 50, seed: int = 7) -> None:
    """Every working day of `year`: about 8 h of realistic intervals, breaks, 50 rough calls with cooldowns, a
    check-in and a win. Rows are written per day in one transaction, as fast as SQLite allows."""
    rng = random.Random(seed)
    vault = writer.vault
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5:
            _heavy_day(writer.store, vault, day, rng, calls_per_day)
        day += timedelta(days=1)


def _heavy_day(store: Store, vault: Vault, day: date, rng: random.Random, calls_per_day: int) -> None:
    start = at(day, "08:30").timestamp() + rng.randint(0, 1800)
    offset = utc_offset_minutes(at(day, "12:00"))
    intervals, breaks = [], []
    cursor = start
    end = start + 8.5 * 3600
    while cursor < end:
        length = rng.uniform(120, 900)
        state = rng.choices(["active", "on_call", "idle", "away"], [5, 6, 1, 0.4])[0]
        intervals.append((state, cursor, cursor + length, offset))
        if state == "away":
            breaks.append(("natural", cursor, "started", cursor, cursor, cursor + length, 1, offset))
        cursor += length
    for hour in range(1, 8):
        due = start + hour * 3600
        response = rng.choice(["started", "started", "postponed", "skipped"])
        started = due if response == "started" else None
        breaks.append(("prompted", due, response, due, started, None if started is None else due + 300,
                       None if started is None else 1, offset))  # fmt: skip
    calls, cooldowns = [], []
    for _ in range(calls_per_day):
        moment = start + rng.uniform(0, 8 * 3600)
        uid = uuid.uuid4().hex
        content = vault.seal_record("rough_call", uid, {"categories": [rng.choice(["billing", "abusive"])], "note": ""})
        calls.append((uid, moment, offset, rng.randint(1, 5), content))
    journal = []
    for kind, content in (("checkin", {"mood": rng.randint(1, 5), "energy": rng.randint(1, 5), "intention": "x"}),
                          ("win", {"text": "A good call", "tags": []})):  # fmt: skip
        uid = uuid.uuid4().hex
        journal.append((uid, kind, start, start, offset, vault.seal_record("journal", uid, content)))
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO activity_intervals(state, start_utc, end_utc, utc_offset_minutes) VALUES (?, ?, ?, ?)",
            intervals,
        )
        conn.executemany(
            "INSERT INTO breaks(kind, due_utc, response, response_utc, started_utc, ended_utc, completed, "
            "utc_offset_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            breaks,
        )
        for uid, moment, call_offset, severity, content in calls:
            call_id = conn.execute(
                "INSERT INTO rough_calls(uid, at_utc, utc_offset_minutes, severity, content) VALUES (?, ?, ?, ?, ?)",
                (uid, moment, call_offset, severity, content),
            ).lastrowid
            cooldowns.append(_heavy_cooldown(vault, rng, call_id, moment, call_offset))
        conn.executemany(
            "INSERT INTO cooldowns(uid, rough_call_id, offered_utc, utc_offset_minutes, response, started_utc, "
            "ended_utc, outcome, pattern, preset, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            cooldowns,
        )
        conn.executemany(
            "INSERT INTO journal_entries(uid, kind, created_utc, updated_utc, utc_offset_minutes, content) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            journal,
        )


def _heavy_cooldown(vault: Vault, rng: random.Random, call_id: int | None, moment: float, offset: int) -> tuple:
    uid = uuid.uuid4().hex
    before = rng.randint(4, 10)
    content = vault.seal_record(
        "cooldown",
        uid,
        {"tension_before": before, "tension_after": max(0, before - rng.randint(0, 4)), "reflection": ""},
    )
    started = moment + 10
    pattern = rng.choice(["cyclic_sighing", "paced", "box", "four_seven_eight"])
    preset = rng.choice(["reset_60", "default_180", "full_300"])
    return (uid, call_id, moment, offset, "started", started, started + 180,
            rng.choice(["completed", "completed", "cut_short"]), pattern, preset, content)  # fmt: skip
