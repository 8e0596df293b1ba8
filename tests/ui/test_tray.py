"""The tray menu, offscreen: rebuilt on open with a current status line, only working items, intents as signals."""

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from companion.ui.tray import Tray, TrayLook


def test_menu_has_a_readable_status_line_then_about_and_quit(qtbot):
    tray = Tray(lambda: "Active 1 h 05 min today")
    tray.rebuild_menu()
    actions = [a for a in tray.menu.actions() if not a.isSeparator()]
    assert [a.text() for a in actions] == ["Active 1 h 05 min today", "About Companion", "Quit"]
    # Not a disabled (grey) item: normal text, bold, so it reads at 4.5:1 or better on the menu's background.
    assert all(a.isEnabled() for a in actions)
    assert actions[0].font().bold()


def test_menu_is_rebuilt_when_it_opens(qtbot):
    lines = iter(["first", "second"])
    tray = Tray(lambda: next(lines))
    tray.rebuild_menu()
    assert tray.action_texts()[0] == "first"
    tray.menu.aboutToShow.emit()
    assert tray.action_texts()[0] == "second"
    assert "second" in tray.icon.toolTip()


def test_sections_appear_between_status_and_about(qtbot):
    tray = Tray(lambda: "status")
    clicked = []

    def section(menu):
        menu.addAction("Tag a rough call", lambda: clicked.append("tag"))

    tray.add_section(section)
    tray.rebuild_menu()
    assert tray.action_texts() == ["status", "Tag a rough call", "About Companion", "Quit"]
    next(a for a in tray.menu.actions() if a.text() == "Tag a rough call").trigger()
    assert clicked == ["tag"]


def test_about_and_quit_are_emitted_as_intents(qtbot):
    tray = Tray(lambda: "status")
    tray.rebuild_menu()
    by_text: dict[str, QAction] = {a.text(): a for a in tray.menu.actions()}
    with qtbot.waitSignal(tray.about_requested):
        by_text["About Companion"].trigger()
    with qtbot.waitSignal(tray.quit_requested):
        by_text["Quit"].trigger()


def test_look_changes_the_icon(qtbot):
    tray = Tray(lambda: "status")
    before = tray.icon.icon().cacheKey()
    tray.set_look(TrayLook.PAUSED)
    assert tray.look is TrayLook.PAUSED
    assert tray.icon.icon().cacheKey() != before


def test_every_tray_icon_renders_at_panel_sizes(qtbot):
    from companion.ui.icons import tray_icon

    for look in TrayLook:
        icon = tray_icon(look.value)
        for size in (16, 22, 24, 32, 48):
            image = icon.pixmap(size, size).toImage()
            assert image.width() == size
            # opaque pixels in the middle, transparent corners: a real drawing, not an empty square
            assert image.pixelColor(size // 2, size // 2).alpha() == 255
            assert image.pixelColor(0, 0).alpha() == 0


def test_app_status_ping_and_about(qtbot, companion_app):
    from companion.core.ipc import Request

    app = companion_app()
    reply = app._handle_ping(Request("ping"))
    assert reply.ok and reply.data["running"] is True
    assert reply.data["schema_version"] == app.store.version
    app.show_about()
    assert app.windows.about is not None and app.windows.about.isVisible()
    shown = {label.text() for label in app.windows.about.findChildren(QLabel)}
    assert str(app.paths.data) in shown


def test_without_a_tray_the_app_keeps_trying_then_says_so(qtbot, companion_app):
    from PySide6.QtWidgets import QSystemTrayIcon

    assert not QSystemTrayIcon.isSystemTrayAvailable()  # offscreen has no tray
    app = companion_app(tray_patience_seconds=1)
    app.start()
    qtbot.waitUntil(lambda: app.windows.no_tray_box is not None and app.windows.no_tray_box.isVisible(), timeout=5000)
    assert "no system tray" in app.windows.no_tray_box.text()
    for command in ("tag", "break", "journal", "settings", "status", "quit"):  # how to reach it without a tray
        assert f"`companion {command}`" in app.windows.no_tray_box.text()
    assert app.windows.tray_timer.isActive()  # still watching for a tray to appear
    app.shutdown()
    assert not app.windows.tray_timer.isActive() and app.windows.no_tray_box is None


def test_a_quarantined_database_is_reported_with_where_the_old_file_is(qtbot, companion_app, app_paths):
    app = companion_app()
    kept = app_paths.data / "companion.db.broken-20261123-093000"
    app.report_quarantine(kept)
    box = app.windows.quarantine_box
    assert box.isVisible() and not box.isModal()
    assert str(kept) in box.text() and "Nothing in it was deleted" in box.text()


def test_app_shows_one_prompt_at_a_time(qtbot, companion_app):
    from companion.ui.prompt import Choice, ChoicePrompt

    app = companion_app()
    gate = app.prompt_gate
    prompt = ChoicePrompt("Time for a break?", "You have worked 50 min.", [Choice("start", "&Start")], "skip")
    app.show_prompt(prompt)
    assert prompt.isVisible() and not gate.may_prompt()
    with qtbot.waitSignal(prompt.chosen):
        prompt.close()  # closing answers it with the dismiss choice
    assert gate.may_prompt()


def test_the_tray_pngs_are_their_svgs_drawn_now(qtbot):
    """The tray loads PNGs so QtSvg stays out of it; each must be exactly its SVG rendered at that size
    (after changing an SVG: python scripts/render_tray_icons.py)."""
    from PySide6.QtGui import QImage

    from companion.ui.icons import ICON_SIZES, render_svg, tray_png_path

    for look in TrayLook:
        for size in ICON_SIZES:
            stored = QImage(str(tray_png_path(look.value, size))).convertToFormat(QImage.Format.Format_ARGB32)
            drawn = render_svg(look.value, size)
            assert stored.size() == drawn.size(), (look, size)
            assert stored == drawn, f"{tray_png_path(look.value, size)} differs from its SVG: render it again"


def test_an_icon_shown_before_the_app_offers_only_its_status_until_the_app_takes_it_over(qtbot):
    """launch.py shows the icon before the app behind it exists: About and Quit would reach nobody yet."""
    tray = Tray(lambda: "Companion is starting…", starting=True)
    tray.rebuild_menu()
    assert tray.action_texts() == ["Companion is starting…"]
    assert "Companion is starting…" in tray.icon.toolTip()
    tray.finish_starting(lambda: "Active 5 min today")
    tray.menu.aboutToShow.emit()
    assert tray.action_texts() == ["Active 5 min today", "About Companion", "Quit"]
    tray.close()
