"""The real app under Xvfb with a tray host, a session bus and a PulseAudio server: the break prompt appears near
the tray without taking the focus, the keyboard starts the break, the break window shows, and a recording
stream on the microphone shows up as a call in `companion status`, and `companion break` starts one break."""

from __future__ import annotations

import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest

from companion.core.activity_records import ActivityState, Interval, IntervalRepository
from companion.core.clock import utc_offset_minutes
from companion.core.paths import AppPaths
from companion.core.settings import Settings, save_settings
from companion.core.store import Store
from tests import desktop

pytestmark = [pytest.mark.desktop]


@pytest.fixture
def app_env(settled_rep_env):
    return settled_rep_env


def windows(env: dict[str, str], smallest_width: int) -> list[desktop.Window]:
    return [w for w in desktop.visible_windows(env, "companion") if w.width >= smallest_width and w.height > 60]


def painted(env: dict[str, str], window: desktop.Window) -> bool:
    """True once the window's area on screen is no longer the black of an empty Xvfb."""
    area = f"{window.width}x{window.height}+{window.x}+{window.y}"
    mean = subprocess.run(
        ["import", "-window", "root", "-crop", area, "-format", "%[fx:mean]", "info:"],
        env=env, capture_output=True, text=True, timeout=20,
    ).stdout  # fmt: skip
    return float(mean or 0) > 0.5


def seed_almost_a_full_stretch_of_work(env: dict[str, str]) -> None:
    """49 min 57 s of work just before start (Companion restarted, say): the prompt is due within one tick."""
    paths = AppPaths.resolve(env["COMPANION_DATA_DIR"])
    paths.ensure()
    every_hour = Settings().with_value("work", "work_start", "00:00").with_value("work", "work_end", "23:59")
    save_settings(every_hour.with_value("work", "work_days", [0, 1, 2, 3, 4, 5, 6]), paths.settings_file)
    now = datetime.now().astimezone()
    store = Store.open(paths.database)
    try:
        end = now.timestamp() - 1
        IntervalRepository(store).insert(
            Interval(ActivityState.ACTIVE, end - 50 * 60 + 4, end, utc_offset_minutes(now))
        )
    finally:
        store.close()


def test_break_prompt_near_the_tray_then_the_break_window_from_the_keyboard(app_env: dict[str, str]) -> None:
    seed_almost_a_full_stretch_of_work(app_env)
    desktop.click(app_env, 600, 700)  # the rep is at the desk: the idle time is fresh
    app = desktop.start_companion(app_env, "--verbose")
    try:
        prompt = desktop.wait_until(lambda: next(iter(windows(app_env, 300)), None), timeout=30, what="the prompt")
        assert 1280 - 200 < prompt.x + prompt.width <= 1280 and prompt.y < 200, "the prompt is not beside the tray"
        focused = subprocess.run(["xdotool", "getwindowfocus"], env=app_env, capture_output=True, text=True).stdout
        assert focused.strip() != str(prompt.id), "the prompt took the keyboard focus"
        desktop.wait_until(lambda: painted(app_env, prompt), what="the prompt to be drawn")
        desktop.screenshot(app_env, "activity-break-prompt")
        assert desktop.status_json(app_env)["break_status"] == "prompting"
        subprocess.run(["xdotool", "windowfocus", "--sync", str(prompt.id)], env=app_env, check=True, timeout=10)
        desktop.press(app_env, "Return")  # the default button: Start break
        break_window = desktop.wait_until(
            lambda: next((w for w in windows(app_env, 400) if w.id != prompt.id), None), what="the break window"
        )
        assert abs(break_window.center[0] - 640) < 40, "the break window is not centred"
        desktop.wait_until(lambda: painted(app_env, break_window), what="the break window to be drawn")
        desktop.screenshot(app_env, "activity-break-window")
        assert desktop.status_json(app_env)["break_status"] == "on_break"
        subprocess.run(["xdotool", "windowfocus", "--sync", str(break_window.id)], env=app_env, check=True, timeout=10)
        desktop.press(app_env, "Escape")  # ending the break early: a skip, not a break taken (issue 12)
        desktop.wait_until(lambda: not windows(app_env, 300), what="the break window to close")
        figures = desktop.status_json(app_env)
        assert figures["breaks_today"] == 0 and figures["break_status"] == "not_due"
        subprocess.run(desktop.companion_command("quit"), env=app_env, capture_output=True, timeout=30, check=True)
        assert app.wait(timeout=15) == 0
    finally:
        _, errors = desktop.finish(app)
    assert "Traceback" not in errors, errors
    assert "WARNING" not in errors, errors  # e.g. the pactl watcher must be stopped, not left running at quit
    assert "break prompt answered: start" in errors and "break finished: skipped" in errors


def test_a_recording_stream_on_the_microphone_is_a_call_in_status(app_env: dict[str, str]) -> None:
    parecord = desktop.need("parecord", "pulseaudio-utils")
    app = desktop.start_companion(app_env, "--verbose")
    try:
        desktop.wait_until(lambda: desktop.tray_icon(app_env), timeout=30, what="the tray icon")
        desktop.wait_until(lambda: desktop.status_json(app_env).get("running"), what="Companion to answer")
        assert desktop.status_json(app_env)["in_call"] is False
        recorder = subprocess.Popen(
            [parecord, "--device=mic", "/dev/null"], env=app_env, stderr=subprocess.DEVNULL, start_new_session=True
        )
        try:
            desktop.wait_until(lambda: desktop.status_json(app_env)["in_call"] is True, what="the call to be noticed")
        finally:
            desktop.stop_process(recorder)
        desktop.wait_until(lambda: desktop.status_json(app_env)["in_call"] is False, what="the call to end")
        first = subprocess.run(desktop.companion_command("break"), env=app_env, capture_output=True, text=True)
        again = subprocess.run(desktop.companion_command("break"), env=app_env, capture_output=True, text=True)
        assert "Break started: 5 min" in first.stdout and "already under way" in again.stdout
        assert desktop.status_json(app_env)["break_status"] == "on_break"
        started = time.monotonic()
        subprocess.run(desktop.companion_command("quit"), env=app_env, capture_output=True, timeout=30, check=True)
        assert app.wait(timeout=15) == 0
        assert time.monotonic() - started < 15
    finally:
        _, errors = desktop.finish(app)
    assert "call backend: PulseAudio/PipeWire recording streams" in errors, errors
    assert Path(app_env["COMPANION_DATA_DIR"], "companion.db").exists()
