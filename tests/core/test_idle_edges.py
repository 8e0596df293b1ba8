"""Idle time from idled/resumed edges (Wayland idle notifications, Mutter's watches), on a fake clock."""

from __future__ import annotations

from companion.core.clock import FakeClock
from companion.core.idle_edges import IdleEdges


def test_active_until_the_idle_edge_then_counted_from_the_last_input(clock: FakeClock) -> None:
    edges = IdleEdges(1.0, clock.monotonic)
    clock.advance(30)
    assert edges.seconds_since_last_input() == 0.0 and not edges.idle
    edges.idled()  # the compositor: no input for the timeout
    clock.advance(59)
    assert edges.seconds_since_last_input() == 60.0  # back-dated by the timeout
    edges.resumed()
    assert edges.seconds_since_last_input() == 0.0


def test_an_exact_figure_with_the_edge_wins_over_the_timeout(clock: FakeClock) -> None:
    edges = IdleEdges(1.0, clock.monotonic)
    edges.idled(last_input_seconds_ago=1.25)  # Mutter's GetIdletime, asked on the edge
    clock.advance(10)
    assert edges.seconds_since_last_input() == 11.25
