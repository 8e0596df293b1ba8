"""The one way prompts reach the screen, inside the real CompanionApp: `show_prompt` holds the prompt gate's slot
until the prompt ends however it ends, the next queued prompt then shows from the event loop, and what a feature
queued or left on screen never fires after it stopped or the app shut down."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from companion.app import CompanionApp
from companion.lifecycle import Lifetime, Registry, Services
from companion.ui.prompt import Choice, ChoicePrompt


class Asker(QObject):
    """A feature that asks through the queue, as the journal's check-in and closing prompts do."""

    def __init__(self) -> None:
        super().__init__()
        self.life = Lifetime(self)
        self.shown: list[ChoicePrompt] = []

    def start(self, services: Services, registry: Registry) -> None:
        self.ctx = services

    def stop(self) -> None:
        self.life.end()

    def ask(self, key: str) -> None:
        self.life.queue_prompt(self.ctx.prompt_gate, key, lambda: self._show(key))
        self.ctx.prompt_gate.show_next()

    def _show(self, key: str) -> None:
        prompt = ChoicePrompt(key, f"The {key} question", [Choice("yes", "&Yes", default=True)], "no")
        self.shown.append(prompt)
        self.ctx.show_prompt(prompt)


def started(companion_app: Callable[..., CompanionApp]) -> tuple[CompanionApp, Asker]:
    asker = Asker()
    app = companion_app([asker])
    app.start_features()
    return app, asker


def test_a_queued_prompt_shows_once_the_one_on_screen_ends(qtbot, companion_app):
    app, asker = started(companion_app)
    asker.ask("checkin")
    first = asker.shown[0]
    assert first.isVisible() and app.prompt_gate.showing == ["checkin"]
    asker.ask("closing")
    assert app.prompt_gate.waiting == ["closing"] and len(asker.shown) == 1  # never on top of another prompt
    first.deleteLater()  # gone without an answer: the slot is released all the same
    qtbot.waitUntil(lambda: len(asker.shown) == 2)
    assert asker.shown[1].isVisible() and app.prompt_gate.showing == ["closing"] and app.prompt_gate.waiting == []


def test_a_stopped_feature_s_queued_prompt_never_shows(qtbot, companion_app):
    app, asker = started(companion_app)
    asker.ask("checkin")
    asker.ask("closing")  # waits behind the check-in
    asker.stop()
    assert app.prompt_gate.waiting == []  # withdrawn by the feature's Lifetime
    asker.ask("later")  # asked after stop: ignored
    with qtbot.waitSignal(asker.shown[0].chosen):
        asker.shown[0].close()
    qtbot.waitUntil(app.prompt_gate.may_prompt)
    app.show_next_prompt()
    assert len(asker.shown) == 1


def test_shutdown_closes_the_prompts_and_leaves_nothing_queued_or_scheduled(qtbot, companion_app):
    app, asker = started(companion_app)
    asker.ask("checkin")
    asker.ask("closing")
    shown = asker.shown[0]
    app.shutdown()
    assert not shown.isVisible()
    assert app.prompt_gate.waiting == [] and app.prompt_gate.showing == []
    assert not [timer for timer in app.findChildren(QTimer) if timer.isActive()]
    app.show_next_prompt()  # a late call (a prompt deleted on the way out) shows nothing
    assert len(asker.shown) == 1
