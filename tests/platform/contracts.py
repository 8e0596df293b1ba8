"""What every backend of a port promises, checked the same way for each (aw-core's one suite over every storage).

The ports are the core's interfaces (companion/core/interfaces.py); a backend answers None ("cannot tell now") rather
than raising for a missing OS feature, and close() where it has one is harmless twice.
"""

from __future__ import annotations

from companion.core.errors import KeyUnavailable


def assert_named(backend: object) -> None:
    assert isinstance(getattr(backend, "name", None), str) and backend.name  # type: ignore[attr-defined]


def assert_closes_twice(backend: object) -> None:
    close = getattr(backend, "close", None)
    if close is not None:
        close()
        close()


def assert_idle_source(source: object) -> None:
    assert_named(source)
    assert isinstance(source.system_wide, bool)  # type: ignore[attr-defined]
    for _ in range(2):
        seconds = source.seconds_since_last_input()  # type: ignore[attr-defined]
        assert seconds is None or (isinstance(seconds, (int, float)) and seconds >= 0)
    assert_closes_twice(source)


def assert_call_detector(detector: object) -> None:
    assert_named(detector)
    for _ in range(2):
        assert detector.in_call() in (True, False, None)  # type: ignore[attr-defined]
    assert_closes_twice(detector)


def assert_lock_monitor(monitor: object) -> None:
    assert_named(monitor)
    assert monitor.is_locked() in (True, False, None)  # type: ignore[attr-defined]
    heard: list[bool] = []
    monitor.on_sleep(heard.append)  # type: ignore[attr-defined]  # registering never raises
    assert all(isinstance(going, bool) for going in heard)
    assert_closes_twice(monitor)


def assert_notifier(notifier: object) -> None:
    assert_named(notifier)
    assert notifier.notify("Companion", "A contract test message.") in (True, False)  # type: ignore[attr-defined]


def assert_secret_store(store: object, account: str) -> None:
    """Either keeps a secret (round trip, delete, a missing entry is None) or refuses every call with
    KeyUnavailable, whose sentence is for the rep."""
    assert_named(store)
    try:
        store.put(account, b"s" * 32)  # type: ignore[attr-defined]
    except KeyUnavailable as error:
        assert error.message.endswith(".")
        refused = 0
        for call in (lambda: store.get(account), lambda: store.delete(account)):  # type: ignore[attr-defined]
            try:
                call()
            except KeyUnavailable:
                refused += 1
        assert refused == 2, "a store that refused put answered another call"
        return
    assert store.get(account) == b"s" * 32  # type: ignore[attr-defined]
    store.delete(account)  # type: ignore[attr-defined]
    assert store.get(account) is None  # type: ignore[attr-defined]
