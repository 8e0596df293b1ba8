"""Every top-level window and dialog Companion shows, built with realistic content, for the geometry test, the
keyboard walk and the light/dark screenshots (issue 12).

Run as a program on a display: `python -m tests.ui.window_gallery report` prints, per window, its frame and the
screen's available area and whether each primary button is on screen, as JSON; `... shots DIR light|dark` saves a
picture of each window. Everything lives in a throwaway folder; nothing outside it is touched.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPoint, QRect
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from companion.core.clock import FakeClock
from companion.core.cooldown import CooldownSession, plan_cooldown
from companion.core.journal import CheckIn, EntryKind, Journal, Writing
from companion.core.reframes import Reframe
from companion.core.settings import RoughCallSettings, SettingsHolder
from companion.core.summary import build_summary
from companion.core.summary_week import IsoWeek
from companion.ui.placement import window_frame


@dataclass
class Shown:
    name: str
    window: QWidget
    primary: list[QAbstractButton]


def dark_palette() -> QPalette:
    """Adwaita-dark's colours, as the GTK platform theme hands them to Qt."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#242424", QPalette.ColorRole.WindowText: "#ffffff",
        QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#2a2a2a",
        QPalette.ColorRole.Text: "#ffffff", QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#ffffff", QPalette.ColorRole.Highlight: "#3584e4",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.Mid: "#6b6b6b",
        QPalette.ColorRole.Dark: "#1a1a1a", QPalette.ColorRole.Light: "#4a4a4a",
        QPalette.ColorRole.PlaceholderText: "#a0a0a0", QPalette.ColorRole.ToolTipBase: "#303030",
        QPalette.ColorRole.ToolTipText: "#ffffff", QPalette.ColorRole.Link: "#78aeed",
    }  # fmt: skip
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8a8a8a"))
    return palette


@contextmanager
def gallery(folder: Path) -> Iterator[list[Callable[[], Shown]]]:
    """Builders, one per window, each making the window fresh (so one can be shown and closed at a time)."""
    from tests.summary_fixtures import ordinary_weeks

    clock = FakeClock(datetime(2026, 11, 23, 10, 0).astimezone())
    with ordinary_weeks(folder / "companion.db") as writer:
        store, vault = writer.store, writer.vault
        journal = Journal(store, vault, clock)
        journal.add(EntryKind.CHECKIN, CheckIn(4, 3, "one call at a time"))
        journal.add(EntryKind.WIN, Writing("Talked a caller down from a cancellation, kept it friendly.", ("win",)))
        holder = SettingsHolder(folder / "settings.json")
        reframe = Reframe("r1", "Their anger is about their situation, not about you. You did your part well.")

        def tag_panel() -> Shown:
            from companion.ui.tag_panel import TagPanel

            panel = TagPanel(True)
            return Shown("tag-panel", panel, [panel.save_button])

        def cooldown(escalated: bool = False) -> Shown:
            from companion.ui.cooldown_window import CooldownWindow

            plan = plan_cooldown(5 if escalated else 3, 3 if escalated else 1, RoughCallSettings())
            window = CooldownWindow(CooldownSession(plan, clock), reframe)
            name = "cooldown-escalated" if escalated else "cooldown"
            return Shown(name, window, [window.call_button, window.end_button, window.next_button])

        def break_window() -> Shown:
            from companion.ui.breaks import BreakIdea, BreakWindow

            window = BreakWindow(300, BreakIdea("Look far away", "Find the farthest thing you can see."), clock)
            return Shown("break-window", window, [window.button])

        def break_prompt() -> Shown:
            from companion.ui.breaks import break_prompt as make

            prompt = make(55, 5, 2)
            return Shown("break-prompt", prompt, list(prompt.buttons.values()))

        def entry(kind: EntryKind) -> Callable[[], Shown]:
            def build() -> Shown:
                from companion.ui.journal_dialogs import EntryDialog

                dialog = EntryDialog(kind)
                return Shown(f"entry-{kind.value}", dialog, [dialog.save_button])

            return build

        def unlock() -> Shown:
            from companion.ui.journal_dialogs import UnlockDialog

            dialog = UnlockDialog("The system keyring is locked. Enter your passphrase to open your journal.", True)
            return Shown("unlock", dialog, [dialog.unlock_button])

        def passphrase() -> Shown:
            from companion.ui.journal_dialogs import PassphraseDialog

            dialog = PassphraseDialog("No system keyring is available on this computer. Choose a passphrase.")
            return Shown("passphrase", dialog, [dialog.ok_button])

        def recovery() -> Shown:
            from companion.ui.journal_dialogs import RecoveryCodeDialog

            dialog = RecoveryCodeDialog("ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789")
            return Shown("recovery-code", dialog, [dialog.done_button])

        def welcome() -> Shown:
            from companion.ui.journal_dialogs import RecoveryCodeDialog

            dialog = RecoveryCodeDialog("ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789", welcome=True, start_at_login=True)
            return Shown("welcome", dialog, [dialog.done_button])

        def journal_window() -> Shown:
            from companion.ui.journal_window import JournalWindow

            window = JournalWindow(journal)
            return Shown("journal", window, [])

        def settings_window() -> Shown:
            from companion.ui.settings_window import SettingsWindow

            window = SettingsWindow(holder)
            assert window.editors  # every page built (they are built when first shown), so every field is looked at
            return Shown("settings", window, [])

        def summary_window() -> Shown:
            from companion.ui.summary_window import SummaryWindow

            window = SummaryWindow(
                lambda week, highlights: build_summary(store, week, clock, vault, include_highlights=highlights),
                lambda: IsoWeek(2026, 47), lambda: folder, lambda: True,
            )  # fmt: skip
            while getattr(window, "building", False):  # the week is built on the window's worker
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            export = getattr(window, "export_button", None)
            return Shown("weekly-summary", window, [export] if isinstance(export, QAbstractButton) else [])

        yield [
            tag_panel, cooldown, lambda: cooldown(True), break_window, break_prompt, entry(EntryKind.CHECKIN),
            entry(EntryKind.CLOSING), unlock, passphrase, recovery, welcome, journal_window, settings_window,
            summary_window,
        ]  # fmt: skip


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def measure(shown: Shown) -> dict[str, object]:
    window = shown.window
    screen = window.screen() or QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    frame = window_frame(window)
    buttons = []
    for button in shown.primary:
        rect = global_rect(button)
        window_rect = QRect(window.mapToGlobal(QPoint(0, 0)), window.size())
        buttons.append({
            "text": button.text(), "visible": button.isVisible() and not button.visibleRegion().isEmpty(),
            "on_screen": area.contains(rect), "in_window": window_rect.contains(rect),
        })  # fmt: skip
    return {
        "name": shown.name,
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "available": [area.x(), area.y(), area.width(), area.height()],
        "fits": area.contains(frame),
        "buttons": buttons,
    }


def settle(app: QApplication, window: QWidget, seconds: float = 3.0) -> None:
    """Until the window manager has framed the window and the geometry stopped changing (or `seconds` passed)."""
    import time

    deadline = time.monotonic() + seconds
    last, steady = None, 0
    while time.monotonic() < deadline and steady < 5:
        app.processEvents()
        time.sleep(0.02)
        now = (window_frame(window).getRect(), window.geometry().getRect())
        framed = now[0] != now[1]
        steady = steady + 1 if now == last and (framed or time.monotonic() > deadline - seconds / 2) else 0
        last = now


def show_each(app: QApplication, folder: Path, each: Callable[[Shown, Callable[[], Shown]], None]) -> None:
    import shiboken6

    with gallery(folder) as builders:
        for build in builders:
            shown = build()
            shown.window.show()
            settle(app, shown.window)
            each(shown, build)
            if shiboken6.isValid(shown.window):
                shown.window.close()
                shown.window.deleteLater()
            app.processEvents()


ESC_KEEPS_OPEN = {"recovery-code", "welcome"}  # shown once: a stray Esc must not lose it before the rep confirms


def walk(app: QApplication, shown: Shown, rebuild: Callable[[], Shown]) -> dict[str, object]:
    """Tab round the window, then Esc, then Ctrl+W (on a fresh one if Esc closed it), with real focus."""
    import time

    import shiboken6
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from tests.ui.keyboard import focusable_controls, owner

    window = shown.window
    window.raise_()
    window.activateWindow()
    deadline = time.monotonic() + 5
    while QApplication.focusWidget() is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    start = QApplication.focusWidget()
    result: dict[str, object] = {"name": shown.name, "focus": start is not None}
    if start is None:
        return result
    walked = [start]
    for _ in range(150):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        app.processEvents()
        current = QApplication.focusWidget()
        if current is None or current is start:
            break
        walked.append(current)
    result["came_back"] = QApplication.focusWidget() is start
    result["hidden_focus"] = [type(w).__name__ for w in walked if not w.isVisible()]
    result["unreached"] = sorted(
        w.accessibleName() or w.text() if hasattr(w, "text") else type(w).__name__
        for w in focusable_controls(window) - {owner(w) for w in walked}
    )
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    app.processEvents()
    result["esc_closes"] = not shiboken6.isValid(window) or not window.isVisible()
    result["esc_should_close"] = shown.name not in ESC_KEEPS_OPEN
    if result["esc_closes"]:
        again = rebuild()
        window = again.window
        window.show()
        settle(app, window)
        window.activateWindow()
        app.processEvents()
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    app.processEvents()
    result["ctrl_w_closes"] = not shiboken6.isValid(window) or not window.isVisible()
    if shiboken6.isValid(window):
        window.close()
    return result


def main(argv: list[str]) -> int:
    from companion.ui.fit import install_fit_on_show
    from companion.ui.translations import install_translations

    app = QApplication(sys.argv[:1])
    install_fit_on_show(app)
    # COMPANION_GALLERY_LANGUAGE=de: the windows in German, whose words run longest (the fit test checks them too)
    install_translations(app, os.environ.get("COMPANION_GALLERY_LANGUAGE", "en"))
    mode = argv[0] if argv else "report"
    with tempfile.TemporaryDirectory() as tmp:
        if mode == "walk":
            from companion.ui.keyboard_model import install_keyboard_model

            install_keyboard_model(app)
            walks: list[dict[str, object]] = []
            show_each(app, Path(tmp), lambda shown, build: walks.append(walk(app, shown, build)))
            print(json.dumps(walks))
            return 0
        if mode == "report":
            results: list[dict[str, object]] = []
            show_each(app, Path(tmp), lambda shown, _build: results.append(measure(shown)))
            print(json.dumps(results))
            return 0
        target, palette_name = Path(argv[1]), argv[2]
        if palette_name == "dark":
            app.setPalette(dark_palette())
        target.mkdir(parents=True, exist_ok=True)

        def save(shown: Shown, _build: Callable[[], Shown]) -> None:
            shown.window.grab().save(str(target / f"{shown.name}-{palette_name}.png"))

        show_each(app, Path(tmp), save)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
