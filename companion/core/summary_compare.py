"""How a week differs from the one before, in whole translated clauses ('3 fewer rough calls')."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core.i18n import N_, _, ngettext
from companion.core.text import format_duration

if TYPE_CHECKING:  # the summary holds its changes, so it imports this module
    from companion.core.summary import WeeklySummary


@dataclass(frozen=True)
class Change:
    measure: str
    previous: float
    current: float
    text: str


def compare_weeks(previous: WeeklySummary, current: WeeklySummary) -> list[Change]:
    """What moved since last week, in plain words: '3 fewer rough calls', 'breaks up from 9 to 14'.

    Each change is a whole clause, said by one translated sentence (a count by ngettext): nothing is built from
    words chosen in code, so a language can say each its own way."""
    changes = []
    before, now = previous.rough_calls, current.rough_calls
    if now < before:
        text = ngettext("{count} fewer rough call", "{count} fewer rough calls", before - now).format(
            count=before - now
        )
    elif now > before:
        text = ngettext("{count} more rough call", "{count} more rough calls", now - before).format(count=now - before)
    else:
        text = _("the same number of rough calls ({now})").format(now=now)
    changes.append(Change("rough_calls", before, now, text))
    changes.append(_moved("breaks_taken", previous.breaks_taken, current.breaks_taken))
    work_before, work_now = previous.total("working_seconds"), current.total("working_seconds")
    if abs(work_now - work_before) >= 60:
        if work_now > work_before:
            text = _("time at work up from {before} to {now}")
        else:
            text = _("time at work down from {before} to {now}")
        text = text.format(before=format_duration(work_before), now=format_duration(work_now))
        changes.append(Change("working_seconds", work_before, work_now, text))
    done_before, done_now = int(previous.total("cooldowns_completed")), int(current.total("cooldowns_completed"))
    if done_before or done_now:
        changes.append(_moved("cooldowns_completed", done_before, done_now))
    return changes


def comparison_text(changes: list[Change]) -> str | None:
    """'Compared with last week: 3 fewer rough calls; breaks up from 2 to 13.': a list of whole clauses."""
    if not changes:
        return None
    return _("Compared with last week: {changes}.").format(changes=_("; ").join(change.text for change in changes))


# Per measure, how a change is said: (the same, up, down). Whole clauses, so no word is chosen in code.
_MOVES: dict[str, tuple[str, str, str]] = {
    "breaks_taken": (
        N_("breaks the same ({now})"),
        N_("breaks up from {before} to {now}"),
        N_("breaks down from {before} to {now}"),
    ),
    "cooldowns_completed": (
        N_("cooldowns completed the same ({now})"),
        N_("cooldowns completed up from {before} to {now}"),
        N_("cooldowns completed down from {before} to {now}"),
    ),
}


def _moved(measure: str, before: int, now: int) -> Change:
    same, up, down = _MOVES[measure]
    text = same if now == before else up if now > before else down
    return Change(measure, before, now, _(text).format(before=before, now=now))
