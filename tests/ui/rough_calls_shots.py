"""Render the tag panel, the offer and every cooldown step to PNGs, for a person to look at.

Run as `python -m tests.ui.rough_calls_shots OUT_DIR` with QT_SCALE_FACTOR set for 200 %; the UI test runs it
at 1 and 2 in a fresh process each (the scale is fixed when Qt starts).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from companion.core.clock import FakeClock
from companion.core.cooldown import CooldownSession, plan_cooldown
from companion.core.reframes import load_reframes
from companion.core.settings import RoughCallSettings
from companion.resources import resource_path
from companion.ui.cooldown_window import CooldownWindow
from companion.ui.prompt import Choice, ChoicePrompt
from companion.ui.tag_panel import TagPanel

PROBLEMS: list[str] = []


def clipped(widget: QWidget) -> list[str]:
    """Buttons and one-line labels narrower than their text needs, and a window squeezed below its minimum."""
    found = []
    if widget.width() < widget.minimumSizeHint().width():
        found.append(f"window {widget.width()} < {widget.minimumSizeHint().width()}")
    for child in widget.findChildren(QPushButton) + widget.findChildren(QLabel):
        if not child.isVisibleTo(widget) or (isinstance(child, QLabel) and child.wordWrap()):
            continue
        if child.width() < child.sizeHint().width():
            found.append(f"{child.text()!r} {child.width()} < {child.sizeHint().width()}")
    return found


def save(widget: QWidget, folder: Path, name: str) -> Path:
    widget.adjustSize()
    widget.show()
    QApplication.processEvents()
    PROBLEMS.extend(f"clipped in {name}: {problem}" for problem in clipped(widget))
    target = folder / f"{name}.png"
    if not widget.grab().save(str(target)):
        raise OSError(f"could not write {target}")
    return target


def render_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    shots = []
    panel = TagPanel(content_allowed=True)
    panel.chips["yelling"].setChecked(True)
    panel.severity_buttons[4].setChecked(True)
    panel.note.setText("asked for a manager three times")
    shots.append(save(panel, folder, "tag-panel"))
    locked = TagPanel(content_allowed=False)
    shots.append(save(locked, folder, "tag-panel-locked"))
    choices = [Choice("start", "&Start", True), Choice("later", "In &2 min"), Choice("not_now", "&Not now")]
    offer = ChoicePrompt(
        "Smile and take a break?",
        "That one was hard. Take 2 minutes to breathe and let it go before the next customer.",
        choices,
        "not_now",
    )
    shots.append(save(offer, folder, "offer"))
    clock = FakeClock()
    reframe = load_reframes(resource_path("text", "reframes.json"))[0]
    for escalated in (False, True):
        session = CooldownSession(plan_cooldown(3, 3 if escalated else 1, RoughCallSettings()), clock)
        window = CooldownWindow(session, reframe)
        suffix = "-escalated" if escalated else ""
        shots.append(save(window, folder, f"cooldown-1-tension-before{suffix}"))
        if escalated:
            window.close()
            continue
        window.before_page.scale.pick(6)
        window.next_step()
        clock.advance(2.0)
        window.tick()
        shots.append(save(window, folder, "cooldown-2-breathing-in"))
        clock.advance(session.timeline.total_seconds * 0.7)
        window.tick()
        shots.append(save(window, folder, "cooldown-2-breathing-smile"))
        clock.advance(session.timeline.total_seconds)
        window.tick()
        shots.append(save(window, folder, "cooldown-3-reframe"))
        window.next_step()
        window.after_page.scale.pick(3)
        window.after_page.reflection.setText("She called me Ms Lee, email lee@example.com")
        window.next_step()
        shots.append(save(window, folder, "cooldown-4-tension-after"))
        window.close()
    calm = CooldownWindow(CooldownSession(plan_cooldown(1, 1, RoughCallSettings()), clock), reframe, True)
    calm.before_page.scale.pick(4)
    calm.next_step()
    clock.advance(3.2)
    calm.tick()
    shots.append(save(calm, folder, "cooldown-2-reduced-motion"))
    calm.close()
    return shots


def use_roomy_offscreen_screen() -> None:
    """The offscreen default (800x600) would squeeze windows at 200 %, as no real 200 % display does."""
    screen = Path(tempfile.mkdtemp(prefix="companion-shots-")) / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "shots", "x": 0, "y": 0, "width": 2560, "height": 1600}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"


def main() -> int:
    use_roomy_offscreen_screen()  # read when QApplication starts, so setting it here is in time
    app = QApplication(sys.argv[:1])
    for shot in render_all(Path(sys.argv[1])):
        print(shot)
    print("\n".join(PROBLEMS))
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
