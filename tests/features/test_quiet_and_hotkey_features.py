"""The quiet and hotkey features inside a real CompanionApp (offscreen): what a quiet moment does to a tag's
cooldown offer and to the chime, and the `call` command the call hotkey sends."""

from __future__ import annotations

from dataclasses import dataclass

from companion.__main__ import build_parser
from companion.core.ipc import Request, decode_request, encode_request
from companion.core.prompt_gate import STILL_WAITING_SECONDS
from companion.core.quiet import RELEASE_AFTER_SECONDS, QuietReason
from companion.features.hotkeys import HotkeysFeature
from companion.features.quiet import QuietFeature
from companion.features.rough_calls import RoughCallsFeature
from tests.test_app_seams import ChimeRecorder, long_day_settings


@dataclass
class Switch:
    """The desktop's switch as a test sets it (each real switch is driven in tests/platform/test_quiet_signals.py)."""

    reason: QuietReason = QuietReason.DO_NOT_DISTURB
    on: bool = True
    name: str = "switch"

    def is_quiet(self) -> bool | None:
        return self.on


def test_a_tag_during_do_not_disturb_keeps_its_offer_until_the_quiet_ends(make_desk) -> None:
    switch = Switch()
    desk = make_desk(quiet=[switch])
    quiet = desk.app.add_feature(QuietFeature())
    rough = desk.app.add_feature(RoughCallsFeature())
    assert isinstance(quiet, QuietFeature) and isinstance(rough, RoughCallsFeature)
    reply = desk.app.registry.run_command(Request("tag", {"severity": 3}))
    assert reply is not None and reply.ok and not reply.data["offer_shown"]
    assert "will wait: do not disturb is on" in reply.message
    assert quiet.timer.isActive()  # the offer waits: the desktop is sampled until the quiet ends
    switch.on = False
    quiet.sample()  # off since now
    rough.present_next()
    assert rough.offer is None  # not yet: the switch may flick back
    desk.clock.advance(RELEASE_AFTER_SECONDS)
    quiet.sample()
    rough.present_next()  # what its half-second gate timer does
    assert rough.offer is not None
    assert not quiet.timer.isActive()


def test_no_chime_while_quiet(make_desk) -> None:
    desk = make_desk(quiet=[Switch()])
    desk.app.add_feature(QuietFeature())
    long_day_settings(desk, enabled=True, sound=True)
    chime = ChimeRecorder()
    desk.app._tone_player = chime
    desk.work(40 * 60)
    assert desk.notified == ["A full day's work"]  # the desktop's own do not disturb decides about banners
    assert chime.played == []


def test_the_call_command_flips_or_sets_im_on_a_call(make_desk) -> None:
    desk = make_desk()
    run = desk.app.registry.run_command
    reply = run(Request("call"))
    assert reply is not None and "on a call" in reply.message
    assert desk.feature.manual_call
    run(Request("call"))
    assert not desk.feature.manual_call
    run(Request("call", {"on": True}))
    run(Request("call", {"on": True}))
    assert desk.feature.manual_call
    assert build_parser().parse_args(["call", "--off"]).on is False
    assert build_parser().parse_args(["call"]).on is None
    # The socket lets it through: a second `companion call` reaches this handler.
    assert decode_request(encode_request(Request("call", {"on": False}))) == Request("call", {"on": False})


def test_quiet_and_hotkeys_start_and_stop_with_the_app_leaving_nothing_behind(make_desk) -> None:
    """Started with the backends chosen for them, registered where the app reads them, and after the staged
    shutdown: no sample timer running, no listener on the gate, nothing left in the registry."""
    switch = Switch()
    desk = make_desk(quiet=[switch])
    quiet = desk.app.add_feature(QuietFeature())
    hotkeys = desk.app.add_feature(HotkeysFeature())
    assert isinstance(quiet, QuietFeature) and isinstance(hotkeys, HotkeysFeature)
    assert not quiet.timer.isActive()  # the desktop is asked when a prompt is due, not polled
    facts = dict(desk.app.registry.about_facts)
    assert facts["Quiet signals"] == "switch" and facts["Global hotkeys"] == "none on this desktop"
    status = desk.app.live_status()
    assert status["quiet_reason"] == "do_not_disturb" and status["global_hotkeys"] == {}
    assert status["quiet_signals"] == ["switch"]
    assert "hotkeys" in desk.app.registry.settings_page_extras
    assert desk.app.ports.global_shortcuts is hotkeys
    assert "waiting:" not in desk.app.status_line()  # do not disturb is on, but nothing waits for it
    gate = desk.app.prompt_gate
    gate.enqueue("checkin", lambda: None)
    assert gate.show_next() is None and quiet.timer.isActive()  # held: sampled until the quiet ends
    assert "waiting: do not disturb is on" in desk.app.status_line()

    desk.close()

    assert not quiet.timer.isActive() and quiet.life.ended and hotkeys.life.ended
    assert gate._quiet_check is None  # the gate asks a stopped feature nothing
    assert desk.app.registry.settings_page_extras == {} and desk.app.ports.global_shortcuts.bound() == {}
    assert gate._reopen_listeners == []  # the activity feature's "quiet is over" call-back went with it


def test_a_prompt_queued_during_a_quiet_moment_comes_out_when_it_ends(make_desk) -> None:
    switch = Switch()
    desk = make_desk(quiet=[switch])
    quiet = desk.app.add_feature(QuietFeature())
    assert isinstance(quiet, QuietFeature)
    shown: list[str] = []
    gate = desk.app.prompt_gate
    gate.enqueue("checkin", lambda: shown.append("checkin"))
    assert gate.show_next() is None and shown == []  # held: do not disturb is on
    switch.on = False
    quiet.sample()  # off since now: not yet, it may flick back
    assert shown == []
    desk.clock.advance(RELEASE_AFTER_SECONDS)
    quiet.sample()
    assert shown == ["checkin"]  # the activity feature's call-back brought out the queue, no tick needed


def test_the_sample_stops_once_nothing_waits_though_the_quiet_goes_on(make_desk) -> None:
    """The timer samples only while a prompt is held; the tooltip says "waiting" only then. Do not disturb with
    nothing held back is the desktop's own business, shown by its own panel."""
    desk = make_desk(quiet=[Switch()])
    quiet = desk.app.add_feature(QuietFeature())
    assert isinstance(quiet, QuietFeature)
    gate, tray = desk.app.prompt_gate, desk.app.tray
    gate.enqueue("checkin", lambda: None)
    assert gate.show_next() is None and quiet.timer.isActive()
    quiet.sample()  # the timer's first sample puts the reason in the tooltip
    assert "waiting: do not disturb is on" in tray.icon.toolTip()
    gate.withdraw("checkin")  # checked in from the tray meanwhile: nothing asks again
    desk.clock.advance(STILL_WAITING_SECONDS + 1)
    quiet.sample()
    assert not quiet.timer.isActive() and "waiting:" not in tray.icon.toolTip()
    assert desk.app.live_status()["quiet_reason"] == "do_not_disturb"  # asked afresh for `status`
    assert not quiet.timer.isActive()  # a status question starts no sampling


def test_an_end_of_quiet_found_when_a_prompt_asks_comes_out_from_the_event_loop(make_desk, qtbot) -> None:
    """The sample stopped while the switch was off but not yet released; a prompt asking later finds the release.
    The gate's listeners must not run inside its own question: the prompt waits one turn of the event loop."""
    switch = Switch()
    desk = make_desk(quiet=[switch])
    quiet = desk.app.add_feature(QuietFeature())
    assert isinstance(quiet, QuietFeature)
    gate = desk.app.prompt_gate
    gate.enqueue("checkin", lambda: None)
    assert gate.show_next() is None
    desk.clock.advance(STILL_WAITING_SECONDS - 2)
    switch.on = False
    quiet.sample()  # off since now
    gate.withdraw("checkin")
    desk.clock.advance(3)
    quiet.sample()  # not released yet (3 s < the debounce), and nothing asked for 30 s
    assert not quiet.timer.isActive() and gate.quiet_words
    desk.clock.advance(RELEASE_AFTER_SECONDS)
    shown: list[str] = []
    gate.enqueue("closing", lambda: shown.append("closing"))
    assert gate.show_next() is None  # not from inside the question
    qtbot.waitUntil(lambda: shown == ["closing"], timeout=5000)  # the activity feature's call-back, next turn
    assert gate.quiet_words == "" and not quiet.timer.isActive()
