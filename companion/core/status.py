"""`companion status`: a short report read straight from the database, with or without a running instance.

Each feature contributes a StatusPart (JSON keys and human lines; see feature_contributors); the running
instance adds live facts.
"""

from __future__ import annotations

from collections.abc import Callable

from companion import __version__
from companion.core.clock import Clock
from companion.core.i18n import _
from companion.core.status_part import StatusPart
from companion.core.store import Store

__all__ = ["StatusContributor", "StatusPart", "collect_status", "feature_contributors", "foundation_status"]


StatusContributor = Callable[[Store, Clock], StatusPart]


def foundation_status(store: Store, clock: Clock) -> StatusPart:
    return StatusPart(
        {"version": __version__, "schema_version": store.version, "database": str(store.path)},
        [_("Companion {version}; data in {folder}").format(version=__version__, folder=store.path.parent)],
    )


def feature_contributors() -> list[StatusContributor]:
    """Every status contributor, in the order of their lines. Imported when asked, so the running app loads the
    journal and rough-call code with their features, not with the socket (no cycle: they import status_part)."""
    from companion.core.activity_status import activity_status
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
