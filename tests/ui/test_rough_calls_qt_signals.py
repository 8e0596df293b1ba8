"""Guard against the PySide6 6.12.0 defect that made the suite abort at exit: each Python-side Signal.emit()
dropped one reference to True, until CPython deallocated True itself ("bool_dealloc")."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    happened = Signal(str)


def test_emitting_a_python_signal_keeps_the_reference_count_of_true(qapp) -> None:
    emitter = Emitter()
    received: list[str] = []
    emitter.happened.connect(received.append)
    gc.collect()
    before = sys.getrefcount(True)
    for _ in range(500):
        emitter.happened.emit("x")
    gc.collect()
    assert len(received) == 500
    assert sys.getrefcount(True) >= before - 5, "this PySide6 release leaks references to True on emit"
