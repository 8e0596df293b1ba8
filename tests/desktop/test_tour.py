"""A tour of Companion as a rep sees it: the real app on the virtual desktop with a tray host, keyring and PulseAudio,
driven by keyboard, mouse and its own commands. Each stop keeps a picture of one window, cropped to it.

`COMPANION_UPDATE_SCREENSHOTS=1 pytest tests/desktop/test_tour.py` refreshes the README's pictures in
docs/screenshots/; an ordinary run writes them to test-artifacts/ instead.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest

from tests import desktop
from tests.desktop.test_activity_desktop import painted, seed_almost_a_full_stretch_of_work
from tests.desktop.test_rough_calls_desktop import windows_named

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


def companion(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        desktop.companion_command(*args), env=env, capture_output=True, text=True, timeout=30, check=True
    )
    return result.stdout


def window(env: dict[str, str], found: Callable[[], desktop.Window | None], what: str) -> desktop.Window:
    shown = desktop.wait_until(found, timeout=30, what=what)
    assert isinstance(shown, desktop.Window)
    assert shown.x >= 0 and shown.y >= 0 and shown.x + shown.width <= 1280 and shown.y + shown.height <= 800, (
        f"{what} is not wholly on the screen: {shown}"
    )
    desktop.wait_until(lambda: painted(env, shown), what=f"{what} to be drawn")
    return shown


def named(env: dict[str, str], pattern: str) -> Callable[[], desktop.Window | None]:
    """The one visible Companion window whose title matches, with its geometry."""

    def find() -> desktop.Window | None:
        ids = {str(w) for w in windows_named(env, pattern)}
        return next((w for w in desktop.visible_windows(env, "companion") if str(w.id) in ids), None)

    return find


def keys_to(env: dict[str, str], target: desktop.Window, *keys: str) -> None:
    subprocess.run(["xdotool", "windowfocus", "--sync", str(target.id)], env=env, check=True, timeout=10)
    desktop.press(env, *keys)


def popup_menu(env: dict[str, str]) -> desktop.Window | None:
    return next((w for w in desktop.visible_windows(env, "companion") if "POPUP_MENU" in w.types), None)


def test_a_tour_of_every_window_a_rep_sees(settled_rep_env: dict[str, str]) -> None:
    env = settled_rep_env
    seed_almost_a_full_stretch_of_work(env)  # so the break prompt is due within the first tick
    desktop.click(env, 600, 700)  # the rep is at the desk
    app = desktop.start_companion(env, "--verbose")
    shots = []
    try:
        icon = desktop.wait_until(lambda: desktop.tray_icon(env), timeout=30, what="the tray icon")
        assert isinstance(icon, desktop.Window)

        # A stretch of work ends: the prompt beside the tray, then the break window.
        prompt = window(env, named(env, "^Time for a short break$"), "the break prompt")
        shots.append(desktop.window_screenshot(env, prompt.id, "break-prompt"))
        keys_to(env, prompt, "Return")
        break_window = window(env, named(env, "^Break$"), "the break window")
        shots.append(desktop.window_screenshot(env, break_window.id, "break-window"))
        keys_to(env, break_window, "Escape")
        desktop.wait_until(lambda: named(env, "^Break$")() is None, what="the break window to close")

        # Some of a day behind us: a few journal entries and two rough calls.
        for option, text in (
            ("--win", "Calmed a caller whose order was lost twice; she thanked me by name."),
            ("--gratitude", "Maya covered my queue while I took five minutes."),
            ("--note", "Ask about the new refund script in Thursday's team call."),
        ):
            companion(env, "journal", option, text)

        # The tray menu, with every feature's items.
        desktop.click(env, *icon.center, button=3)
        menu = window(env, lambda: popup_menu(env), "the tray menu")
        shots.append(desktop.window_screenshot(env, menu.id, "tray-menu"))
        desktop.press(env, "Escape")
        desktop.wait_until(lambda: popup_menu(env) is None, what="the tray menu to close")

        # Tagging a rough call: the panel, then the cooldown offer and a breathing step.
        companion(env, "tag")
        panel = window(env, named(env, "^Tag a rough call$"), "the tag panel")
        shots.append(desktop.window_screenshot(env, panel.id, "tag-panel"))
        keys_to(env, panel, "Escape")
        companion(env, "tag", "--severity", "4")
        offer = window(env, named(env, r"^(Smile and take a break\?|Time to reset your clock\?)$"), "the offer")
        shots.append(desktop.window_screenshot(env, offer.id, "cooldown-offer"))
        keys_to(env, offer, "Return")
        cooldown = window(env, named(env, "^Smile and take a break$"), "the cooldown window")
        keys_to(env, cooldown, "7", "Return")  # how tense: 7 of 10, then Start: the breathing begins
        desktop.wait_until(lambda: painted(env, cooldown), what="the breathing step")
        shots.append(desktop.window_screenshot(env, cooldown.id, "cooldown-breathing"))
        desktop.press(env, "alt+c")  # "I have to take a call"
        desktop.wait_until(lambda: named(env, "^Smile and take a break$")() is None, what="the cooldown to end")

        companion(env, "journal")
        journal = window(env, named(env, "^Journal · Companion$"), "the journal window")
        shots.append(desktop.window_screenshot(env, journal.id, "journal"))

        companion(env, "summary")
        summary = window(env, named(env, "^Your week in review$"), "the week in review")
        shots.append(desktop.window_screenshot(env, summary.id, "weekly-summary"))

        companion(env, "settings")
        settings = window(env, named(env, "^Companion Settings$"), "the Settings window")
        shots.append(desktop.window_screenshot(env, settings.id, "settings"))

        figures = desktop.status_json(env)
        # The break was closed early with Esc: a skip, not a break taken (issue 12).
        assert figures["breaks_today"] == 0 and figures["rough_interactions_today"] == 1
        companion(env, "quit")
        assert app.wait(timeout=15) == 0
    finally:
        _, errors = desktop.finish(app)
    assert "Traceback" not in errors, errors
    for shot in shots:
        assert shot.stat().st_size < 150_000, f"{shot.name} is too large for the README"
