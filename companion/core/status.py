"""`companion status`: a short report read straight from the database, with or without a running instance.

Each feature contributes a StatusPart (JSON keys and human lines; see feature_contributors); the running
instance adds live facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from companion import __version__
from companion.core.clock import Clock
from companion.core.store import Store


@dataclass
class StatusPart:
    values: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


StatusContributor = Callable[[Store, Clock], StatusPart]


def foundation_status(store: Store, clock: Clock) -> StatusPart:
    return StatusPart(
        {"version": __version__, "schema_version": store.version, "database": str(store.path)},
        [f"Companion {__version__}; data in {store.path.parent}"],
    )


def feature_contributors() -> list[StatusContributor]:
    """Every status contributor, in the order of their lines. Imported late: the feature modules import StatusPart
    from here."""
    from companion.core.activity import activity_status
    from companion.core.journal import journal_status
    from companion.core.rough_calls import rough_calls_status

    return [foundation_status, activity_status, rough_calls_status, journal_status]


def collect_status(store: Store, clock: Clock, contributors: list[StatusContributor] | None = None) -> StatusPart:
    report = StatusPart()
    for contributor in feature_contributors() if contributors is None else contributors:
        part = contributor(store, clock)
        report.values.update(part.values)
        report.lines.extend(part.lines)
    return report


def format_duration(seconds: float) -> str:
    """'2 h 05 min', '12 min', 'under a minute': how a rep would say it."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
