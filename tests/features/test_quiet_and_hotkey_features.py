"""The quiet and hotkey features inside a real CompanionApp (offscreen): what a quiet moment does to a tag's
cooldown offer and to the chime, and the `call` command the call hotkey sends."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtWidgets import QApplication

from companion.__main__ import build_parser
from companion.core.ipc import Request
from companion.core.paths import AppPaths
from companion.core.quiet import RELEASE_AFTER_SECONDS, QuietReason
from companion.features.quiet import QuietFeature
from companion.features.rough_calls import RoughCallsFeature
from tests.test_app_seams import ChimeRecorder, long_day_settings
from tests.ui.test_activity_ui import Desk


@dataclass
class Switch:
    """The desktop's switch as a test sets it (each real switch is driven in tests/platform/test_quiet_signals.py)."""

    reason: QuietReason = QuietReason.DO_NOT_DISTURB
    on: bool = True
    name: str = "switch"

    def is_quiet(self) -> bool | None:
        return self.on


@pytest.fixture
def desk(qapp: QApplication, app_paths: AppPaths, qtbot) -> Iterator[Desk]:
    desk = Desk(qapp, app_paths, qtbot)
    yield desk
    desk.app.server.close()
    desk.close()


def test_a_tag_during_do_not_disturb_keeps_its_offer_until_the_quiet_ends(desk: Desk) -> None:
    switch = Switch()
    quiet = QuietFeature(desk.ctx, [switch])
    quiet.install()
    rough = RoughCallsFeature(desk.ctx)
    try:
        reply = desk.ctx.handlers["tag"](Request("tag", {"severity": 3}))
        assert reply.ok and not reply.data["offer_shown"]
        assert "will wait: do not disturb is on" in reply.message
        switch.on = False
        quiet.sample()  # off since now
        rough.present_next()
        assert rough.offer is None  # not yet: the switch may flick back
        desk.clock.advance(RELEASE_AFTER_SECONDS)
        quiet.sample()
        rough.present_next()  # what its half-second gate timer does
        assert rough.offer is not None
    finally:
        rough._close_windows()
        quiet.close()


def test_no_chime_while_quiet(desk: Desk) -> None:
    quiet = QuietFeature(desk.ctx, [Switch()])
    quiet.install()
    try:
        long_day_settings(desk, enabled=True, sound=True)
        chime = ChimeRecorder()
        desk.app._tone_player = chime
        desk.work(40 * 60)
        assert desk.notified == ["A full day's work"]  # the desktop's own do not disturb decides about banners
        assert chime.played == []
    finally:
        quiet.close()


def test_the_call_command_flips_or_sets_im_on_a_call(desk: Desk) -> None:
    assert "on a call" in desk.ctx.handlers["call"](Request("call")).message
    assert desk.feature.manual_call
    desk.ctx.handlers["call"](Request("call"))
    assert not desk.feature.manual_call
    desk.ctx.handlers["call"](Request("call", {"on": True}))
    desk.ctx.handlers["call"](Request("call", {"on": True}))
    assert desk.feature.manual_call
    assert build_parser().parse_args(["call", "--off"]).on is False
    assert build_parser().parse_args(["call"]).on is None
