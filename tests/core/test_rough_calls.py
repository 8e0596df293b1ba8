"""Rough-call tags and cooldown records in a real SQLite file, sealed by a real Vault."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.core.clock import FakeClock
from companion.core.crypto import Vault
from companion.core.errors import DecryptionFailed
from companion.core.rough_calls import (
    MAX_OWN_TAG_CHARS,
    CooldownResult,
    Outcome,
    Response,
    RoughCallRepository,
    TagRequest,
    clean_categories,
    counts_for_day,
    rough_calls_status,
)
from companion.core.status import collect_status
from companion.core.store import Store


def test_a_tag_keeps_severity_plain_and_seals_categories_and_note(store: Store, vault: Vault, clock: FakeClock) -> None:
    repo = RoughCallRepository(store, vault, clock)
    call = repo.tag(TagRequest(4, ("yelling", " my own  tag ", "yelling"), "asked for Dana twice"))
    raw = sqlite3.connect(store.path).execute("SELECT severity, content FROM rough_calls").fetchall()
    assert raw[0][0] == 4
    assert b"Dana" not in raw[0][1] and b"yelling" not in raw[0][1]
    again = repo.get(call.id)
    assert again is not None
    assert again.categories == ("yelling", "my own tag")
    assert again.note == "asked for Dana twice"
    assert again.at == clock.now()


def test_a_tag_while_locked_keeps_time_and_severity_and_never_plain_content(store: Store, clock: FakeClock) -> None:
    repo = RoughCallRepository(store, Vault(), clock)
    call = repo.tag(TagRequest(2, ("insults",), "a note"))
    assert call.content_saved is False and call.note == "" and call.categories == ()
    row = store.connection.execute("SELECT severity, content FROM rough_calls").fetchone()
    assert row == (2, None)


def test_sealed_content_cannot_be_moved_to_another_row(store: Store, vault: Vault, clock: FakeClock) -> None:
    repo = RoughCallRepository(store, vault, clock)
    first = repo.tag(TagRequest(1, ("threats",), "one"))
    second = repo.tag(TagRequest(1, (), "two"))
    with store.transaction() as conn:
        conn.execute(
            "UPDATE rough_calls SET content = (SELECT content FROM rough_calls WHERE id = ?) WHERE id = ?",
            (first.id, second.id),
        )
    with pytest.raises(DecryptionFailed):
        repo.get(second.id)


def test_severity_outside_one_to_five_is_refused() -> None:
    with pytest.raises(ValueError):
        TagRequest(6)


def test_count_since_looks_back_the_given_seconds(store: Store, vault: Vault, clock: FakeClock) -> None:
    repo = RoughCallRepository(store, vault, clock)
    repo.tag(TagRequest(3))
    clock.advance(50 * 60)
    repo.tag(TagRequest(3))
    clock.advance(20 * 60)
    assert repo.count_since(3600) == 1
    assert repo.count_since(2 * 3600) == 2


def test_a_cooldown_records_its_answer_outcome_and_sealed_tension(store: Store, vault: Vault, clock: FakeClock) -> None:
    repo = RoughCallRepository(store, vault, clock)
    call = repo.tag(TagRequest(5))
    cooldown_id = repo.offer_cooldown(call.id)
    repo.answer_offer(cooldown_id, Response.STARTED)
    started = clock.now()
    clock.advance(185)
    repo.record_session(
        cooldown_id,
        CooldownResult(Outcome.COMPLETED, "box", "default_180", started, clock.now(), 8, 4, "went outside"),
    )
    row = store.connection.execute(
        "SELECT rough_call_id, response, outcome, pattern, preset, ended_utc - started_utc FROM cooldowns"
    ).fetchone()
    assert row == (call.id, "started", "completed", "box", "default_180", 185.0)
    assert repo.cooldown_content(cooldown_id) == {"tension_before": 8, "tension_after": 4, "reflection": "went outside"}


def test_counts_follow_the_local_day_each_record_was_lived_on(tmp_path: Path) -> None:
    # 23:30 at UTC+2 is still Monday there, though UTC says 21:30; the next record lands after local midnight.
    plus_two = timezone(timedelta(hours=2))
    clock = FakeClock(datetime(2026, 11, 23, 23, 30, tzinfo=plus_two))
    store = Store.open(tmp_path / "companion.db")
    repo = RoughCallRepository(store, Vault(), clock)
    repo.tag(TagRequest(2))
    monday = repo.offer_cooldown(None)
    repo.record_session(monday, CooldownResult(Outcome.CUT_SHORT, "paced", "reset_60", clock.now(), clock.now()))
    clock.advance(45 * 60)
    repo.tag(TagRequest(4))
    repo.offer_cooldown(None)  # offered, never answered: not counted as taken
    counts = counts_for_day(store, clock)
    assert (counts.rough_interactions, counts.cooldowns, counts.highest_severity) == (1, 0, 4)
    clock.jump_wall(-3600)
    assert counts_for_day(store, clock).rough_interactions == 1
    assert counts_for_day(store, clock).cooldowns == 1
    store.close()


def test_status_reports_todays_counts_in_json_and_lines(store: Store, vault: Vault, clock: FakeClock) -> None:
    repo = RoughCallRepository(store, vault, clock)
    assert rough_calls_status(store, clock).values == {"rough_interactions_today": 0, "cooldowns_today": 0}
    call = repo.tag(TagRequest(3, ("yelling",), "private words"))
    cooldown_id = repo.offer_cooldown(call.id)
    repo.record_session(
        cooldown_id, CooldownResult(Outcome.COMPLETED, "cyclic_sighing", "default_180", clock.now(), clock.now(), 6, 3)
    )
    report = collect_status(store, clock)
    assert report.values["rough_interactions_today"] == 1
    assert report.values["cooldowns_today"] == 1
    assert "Rough interactions today: 1 (hardest: 3 of 5)" in report.lines
    assert "Cooldowns today: 1 taken, 1 to the end" in report.lines
    assert not any("private words" in line or "yelling" in line for line in report.lines)


def test_utc_clock_counts_today(store: Store, vault: Vault) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 0, 5, tzinfo=UTC))
    RoughCallRepository(store, vault, clock).tag(TagRequest(1))
    assert counts_for_day(store, clock).rough_interactions == 1


@given(st.lists(st.text(max_size=80), max_size=20))
def test_cleaned_categories_are_short_trimmed_unique_and_stable(raw: list[str]) -> None:
    cleaned = clean_categories(raw)
    assert len(set(cleaned)) == len(cleaned)
    assert all(word and word == " ".join(word.split()) and len(word) <= MAX_OWN_TAG_CHARS for word in cleaned)
    assert clean_categories(list(cleaned)) == cleaned
