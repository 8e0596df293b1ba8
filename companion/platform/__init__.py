"""Backends for the core's interfaces (companion/core/interfaces.py): one module per OS facility, plus fallbacks.

A backend that cannot work here raises BackendUnavailable from its constructor; the selectors try the next one.
Its reason only reaches the log, so it stays English (`# i18n: not for reps`).

A backend's `name` is English, marked with `N_` where it is written: the log, `status --json` and comparisons read it
as it is, and whatever shows it to the rep (About, `companion status`, `--self-test`) shows `_(backend.name)`. A
name with a part that varies is one whole marked name per variant (see idle_wayland), so `_()` finds each.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class BackendUnavailable(RuntimeError):
    """This backend cannot work on this desktop (missing library, service or OS)."""


def first_available(kind: str, factories: Sequence[Callable[[], T]], works: Callable[[T], bool]) -> T | None:
    """Build each backend in order and keep the first that answers; log why the others were passed over."""
    for factory in factories:
        try:
            backend = factory()
        except BackendUnavailable as reason:
            log.info("%s backend %s not available: %s", kind, getattr(factory, "__name__", factory), reason)
            continue
        if works(backend):
            log.info("%s backend: %s", kind, getattr(backend, "name", backend))
            return backend
        log.info("%s backend %s gave no answer", kind, getattr(backend, "name", backend))
        close = getattr(backend, "close", None)
        if close is not None:
            close()
    return None
