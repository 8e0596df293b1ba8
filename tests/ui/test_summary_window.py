"""The week-in-review window and the summary feature, with real widgets (offscreen) over a real store."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from companion.app import CompanionApp, default_features
from companion.core.clock import FakeClock
from companion.core.crypto import Vault
from companion.core.ipc import Request
from companion.core.paths import AppPaths
from companion.core.store import Store
from companion.core.summary import WeeklySummary, build_summary
from companion.core.summary_week import IsoWeek
from companion.features import summary as summary_feature
from companion.ui.summary_window import SummaryWindow
from tests import desktop
from tests.summary_fixtures import Writer, ordinary_weeks

W47 = IsoWeek(2026, 47)


@pytest.fixture
def writer(app_paths: AppPaths) -> Writer:
    with ordinary_weeks(app_paths.database) as writer:
        yield writer


def _window(qtbot, writer: Writer, clock: FakeClock, folder: Path, vault: Vault | None = None) -> SummaryWindow:
    vault = writer.vault if vault is None else vault

    def build(week: IsoWeek, highlights: bool) -> WeeklySummary:
        return build_summary(writer.store, week, clock, vault, include_highlights=highlights)

    window = SummaryWindow(build, lambda: IsoWeek.of(clock.now().date()), lambda: folder, lambda: vault.is_unlocked)
    summary_feature.serve_summary_window(window, build)  # as the feature does: the window asks, this writes
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.summary is not None)  # built on the window's worker
    return window


def _show(qtbot, window: SummaryWindow, week: IsoWeek) -> None:
    with qtbot.waitSignal(window.week_shown):
        window.show_week(week)


def _click(qtbot, window: SummaryWindow, button) -> None:
    with qtbot.waitSignal(window.week_shown):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _texts(window: SummaryWindow) -> str:
    return "\n".join(label.text() for label in window.scroll.widget().findChildren(QLabel))


def test_the_window_opens_on_this_week_and_steps_back(qtbot, writer: Writer, clock: FakeClock, tmp_path: Path) -> None:
    window = _window(qtbot, writer, clock, tmp_path)  # the clock says Monday 23 November 2026: 2026-W48
    window.show()
    assert window.week == W47  # this week has nothing yet, so it opens on the week just finished
    _click(qtbot, window, window.next_button)
    assert window.week == IsoWeek(2026, 48)
    assert not window.next_button.isEnabled()  # no future weeks
    assert "Nothing was recorded this week." in _texts(window)
    _click(qtbot, window, window.previous_button)
    assert window.week == W47 and window.next_button.isEnabled()
    assert "16 to 22 November 2026" in window.week_label.text()
    assert "You took a cooldown after 3 of 5 rough calls" in _texts(window)
    assert [view.chart.key for view in window.chart_views()] == ["activity", "rough_calls", "tension"]
    _click(qtbot, window, window.previous_button)
    assert window.week == IsoWeek(2026, 46)
    _click(qtbot, window, window.this_week_button)
    assert window.week == IsoWeek(2026, 48)


def test_the_window_opens_on_this_week_once_it_has_figures(
    qtbot, writer: Writer, clock: FakeClock, tmp_path: Path
) -> None:
    writer.checkin(clock.now(), mood=4, energy=4)
    assert _window(qtbot, writer, clock, tmp_path).week == IsoWeek(2026, 48)


def test_charts_keep_their_proportions_and_describe_themselves(
    qtbot, writer: Writer, clock: FakeClock, tmp_path: Path
) -> None:
    window = _window(qtbot, writer, clock, tmp_path)
    _show(qtbot, window, W47)
    view = window.chart_views()[0]
    assert view.hasHeightForWidth() and view.heightForWidth(640) == 300
    description = view.accessibleDescription()
    assert description.startswith("Time at work and on breaks. Mon 16: At the computer 5.3 h, On calls 2.0 h, Breaks")
    assert description.endswith("Sat 21: nothing; Sun 22: nothing.")


def test_export_writes_the_chosen_format_and_remembers_the_folder(
    qtbot, writer: Writer, clock: FakeClock, tmp_path: Path
) -> None:
    window = _window(qtbot, writer, clock, tmp_path)
    _show(qtbot, window, W47)
    dialog = window.open_export()
    assert dialog.path == tmp_path / "companion-week-2026-W47.pdf"
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("json"))
    assert dialog.path == tmp_path / "companion-week-2026-W47.json"  # the default name follows the format
    dialog.highlights_box.setChecked(True)
    folders: list[str] = []
    window.folder_used.connect(folders.append)
    with qtbot.waitSignal(window.exported) as exported:
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    saved = tmp_path / "companion-week-2026-W47.json"
    assert exported.args == [[saved]]
    assert folders == [str(tmp_path)]
    data = json.loads(saved.read_text())
    assert data["totals"]["rough_calls"] == 5 and data["highlights"][0]["text"] == "Calmed an angry caller"
    assert not dialog.isVisible()
    assert str(saved) in window.status_label.text()


def test_export_to_pdf_from_the_window(qtbot, writer: Writer, clock: FakeClock, tmp_path: Path) -> None:
    window = _window(qtbot, writer, clock, tmp_path)
    _show(qtbot, window, W47)
    dialog = window.open_export()
    with qtbot.waitSignal(window.exported):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert (tmp_path / "companion-week-2026-W47.pdf").read_bytes().startswith(b"%PDF-")


def test_an_export_that_cannot_be_saved_says_why_and_stays_open(
    qtbot, writer: Writer, clock: FakeClock, tmp_path: Path
) -> None:
    window = _window(qtbot, writer, clock, tmp_path)
    window.show()
    dialog = window.open_export()
    dialog.path_edit.setText(str(tmp_path / "gone" / "week.html"))
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("html"))
    exported: list[list[Path]] = []
    window.exported.connect(exported.append)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not dialog.error_label.isHidden())  # the refusal comes back from the worker
    assert exported == [] and not window.exporting and not dialog.saving
    assert dialog.isVisible()
    assert dialog.error_label.text() == (
        f"The folder {tmp_path / 'gone'} does not exist. Choose another place to save week.html."
    )
    assert dialog.path.name == "week.html"  # a name the rep typed is kept when the format changes
    assert not list(tmp_path.glob("**/*.html"))


def test_a_locked_journal_is_said_before_exporting(qtbot, writer: Writer, clock: FakeClock, tmp_path: Path) -> None:
    window = _window(qtbot, writer, clock, tmp_path, vault=Vault())
    _show(qtbot, window, W47)
    assert "Unlock your journal to see the kinds of calls you tagged." in _texts(window)
    dialog = window.open_export()
    assert not dialog.locked_note.isHidden()
    assert not dialog.events_box.isEnabled()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("csv"))
    assert dialog.events_box.isEnabled()


def test_window_screenshot_for_a_person_to_look_at(qtbot, writer: Writer, clock: FakeClock, tmp_path: Path) -> None:
    window = _window(qtbot, writer, clock, tmp_path)
    _show(qtbot, window, W47)
    window.resize(780, 900)
    window.show()
    qtbot.waitExposed(window)
    desktop.ARTIFACTS.mkdir(exist_ok=True)
    target = desktop.ARTIFACTS / "summary-window.png"
    assert window.grab().save(str(target))
    assert target.stat().st_size > 10_000


def test_the_week_goes_on_screen_whole_and_a_newer_week_replaces_one_half_made(
    qtbot, writer: Writer, clock: FakeClock, tmp_path: Path, monkeypatch
) -> None:
    """The week's widgets are made a section per event-loop turn (issue 15: one turn was 50 ms and more); until the
    last one the window keeps saying it is putting the week together, and a newer week asked for meanwhile (the rep
    pressed < Previous week) is the only one that shows."""
    window = _window(qtbot, writer, clock, tmp_path)
    window.show()
    seen_meanwhile: list[str] = []
    shown: list[IsoWeek] = []
    window.week_shown.connect(shown.append)
    add_section = SummaryWindow._add_section

    def add_and_look(self: SummaryWindow, column, section) -> None:
        on_screen = self.scroll.widget()
        seen_meanwhile.append(on_screen.text() if isinstance(on_screen, QLabel) else type(on_screen).__name__)
        if self.week == W47:
            self.show_week(IsoWeek(2026, 46))  # while W47 is half made
        add_section(self, column, section)

    monkeypatch.setattr(SummaryWindow, "_add_section", add_and_look)
    window.show_week(W47)
    qtbot.waitUntil(lambda: shown == [IsoWeek(2026, 46)])
    assert len(seen_meanwhile) > 2 and set(seen_meanwhile) == {"Putting your week together\u2026"}
    assert window.week == IsoWeek(2026, 46) and window.summary is not None and window.summary.week == window.week
    assert "9 to 15 November 2026" in window.week_label.text() and window.export_button.isEnabled()
    assert len(window.chart_views()) == 3 and not window.building


def test_closing_the_window_while_the_week_goes_on_screen_stops_it(
    qtbot, writer: Writer, clock: FakeClock, tmp_path: Path, monkeypatch
) -> None:
    window = _window(qtbot, writer, clock, tmp_path)
    window.show()
    shown: list[IsoWeek] = []
    window.week_shown.connect(shown.append)
    made: list[str] = []
    add_section = SummaryWindow._add_section

    def add_then_close(self: SummaryWindow, column, section) -> None:
        add_section(self, column, section)
        made.append(section.key)
        self.close()

    monkeypatch.setattr(SummaryWindow, "_add_section", add_then_close)
    window.show_week(W47)
    qtbot.waitUntil(lambda: bool(made))
    for _turn in range(3):  # the turns that would have made the next sections, had the page not gone with the window
        QCoreApplication.processEvents()
    assert made == ["brief"] and shown == [] and not window.building and window.summary is None
    monkeypatch.setattr(SummaryWindow, "_add_section", add_section)
    with qtbot.waitSignal(window.week_shown):  # opened again (the feature asks for the week again)
        window.show_week(W47)
        window.show()
    assert shown == [W47] and len(window.chart_views()) == 3


def test_the_window_shows_with_its_week_on_it_not_an_empty_page(
    qtbot, writer: Writer, clock: FakeClock, tmp_path: Path
) -> None:
    window = _window(qtbot, writer, clock, tmp_path)
    charts_when_shown: list[int] = []

    class OnShow(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Show:
                charts_when_shown.append(len(window.chart_views()))
            return False

    on_show = OnShow(window)
    window.installEventFilter(on_show)
    window.show_week(W47)  # as the feature does when the rep opens it again
    window.present()
    assert not window.isVisible()  # built on the worker and laid out hidden first
    qtbot.waitUntil(window.isVisible)
    assert charts_when_shown == [3]


def test_a_slow_week_shows_the_window_with_a_calm_word_meanwhile(
    qtbot, writer: Writer, clock: FakeClock, tmp_path: Path
) -> None:
    release = threading.Event()

    def slow_build(week: IsoWeek, highlights: bool) -> WeeklySummary:
        release.wait(30)  # the test lets it finish once the window showed
        return build_summary(writer.store, week, clock, writer.vault, include_highlights=highlights)

    window = SummaryWindow(slow_build, lambda: W47, lambda: tmp_path, lambda: True)
    qtbot.addWidget(window)
    try:
        window.present()
        qtbot.waitUntil(window.isVisible)  # after SHOW_ANYWAY_MS, with the week still being built
        assert window.building and window.scroll.widget().text() == "Putting your week together\u2026"
        with qtbot.waitSignal(window.week_shown):
            release.set()
        assert len(window.chart_views()) == 3
    finally:
        release.set()  # never leaves the worker waiting
        window.close()


# --- the feature, installed in the real app -------------------------------------------------------------------


@pytest.fixture
def told() -> list[tuple[str, str]]:
    return []


@pytest.fixture
def app(companion_app, app_paths: AppPaths, writer: Writer, told) -> CompanionApp:
    clock = FakeClock(datetime(2026, 11, 20, 17, 45).astimezone())  # Friday, after work ends at 17:30
    store = Store.open(app_paths.database)
    companion = companion_app([summary_feature.create()], store=store, app_clock=clock, told=told)
    companion.start()  # the features start here, after the tray shows; the fixture shuts it down as Quit does
    return companion


def summary_of(app: CompanionApp) -> summary_feature.SummaryFeature:
    return next(f for f in app.started_features() if isinstance(f, summary_feature.SummaryFeature))


def test_the_tray_offers_the_week_in_review(app: CompanionApp) -> None:
    app.tray.rebuild_menu()
    assert "Your week in review\u2026" in app.tray.action_texts()
    assert summary_feature.__name__ in [feature.module for feature in default_features()]


def test_the_summary_command_opens_the_window(qtbot, app: CompanionApp) -> None:
    reply = app.registry.commands["summary"](Request("summary"))
    assert reply.ok and reply.message == "Your week in review is open."
    feature = summary_of(app)
    qtbot.waitUntil(lambda: feature.window is not None and feature.window.isVisible())
    assert feature.window.week == W47


def test_the_weekly_nudge_comes_once_and_can_be_turned_off(app: CompanionApp, told) -> None:
    feature = summary_of(app)
    settings = app.settings
    settings.update(settings.current.with_value("checkins", "weekly_summary_nudge", False))
    feature.check_nudge()
    assert told == []
    settings.update(settings.current.with_value("checkins", "weekly_summary_nudge", True))
    app.prompt_gate.update_call(True)  # never during a call
    feature.check_nudge()
    assert told == []
    app.prompt_gate.update_call(False)
    app.clock.advance(60)  # the grace after the call
    feature.check_nudge()
    feature.check_nudge()
    assert [title for title, _ in told] == ["Your week in review is ready"]
    assert app.store.get_meta(summary_feature.NUDGED_WEEK_KEY) == "2026-W47"


def test_the_export_folder_is_remembered_in_settings(app: CompanionApp, tmp_path: Path) -> None:
    feature = summary_of(app)
    feature.remember_folder(str(tmp_path))
    assert app.settings.current.export.last_folder == str(tmp_path)
    assert feature.last_folder() == tmp_path


def test_quitting_during_an_export_stops_the_worker_before_the_store_closes(
    qtbot, app: CompanionApp, tmp_path: Path
) -> None:
    feature = summary_of(app)
    feature.show_window()
    window = feature.window
    assert window is not None
    qtbot.waitUntil(lambda: window.summary is not None)  # built through the feature's own read-only connection
    assert "rough calls" in _texts(window)
    dialog = window.open_export()
    dialog.path_edit.setText(str(tmp_path / "week.pdf"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert window.exporting
    feature.stop()  # as the app's staged shutdown does, before it closes the store
    assert window.work.running_threads == 0 and feature.window is None
