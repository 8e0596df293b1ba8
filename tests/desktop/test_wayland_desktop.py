"""The real app on real Wayland desktops: headless sway and KWin with waybar as their StatusNotifierItem tray host,
mutter (GNOME without a tray) and gnome-shell with the AppIndicator extension as its tray host.

Qt registers Companion's icon with waybar's org.kde.StatusNotifierWatcher over D-Bus (no XEmbed on Wayland). What a
host does on a left click (Activate) and with the menu (com.canonical.dbusmenu: AboutToShow, GetLayout, Event) is
done here the same way, and the windows it opens are looked for in sway's own tree. The idle source the app chose
is read from `companion status --json`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from jeepney import MatchRule, message_bus

from tests import desktop
from tests.desktop import compositors
from tests.desktop.compositors import Sway, running_sway
from tests.desktop.test_activity_desktop import seed_almost_a_full_stretch_of_work
from tests.platform.quiet_desk import run
from tests.platform.test_activity_notify import read_until

WATCHER = "org.kde.StatusNotifierWatcher"


@pytest.fixture(scope="module")
def sway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sway]:
    with running_sway(desktop.ARTIFACTS / "sway") as session:
        yield session


@pytest.fixture
def wayland_env(sway: Sway, tmp_path: Path) -> Iterator[dict[str, str]]:
    bus = desktop.start_dbus(dict(os.environ))
    runtime = Path(tempfile.mkdtemp(prefix="companion-rt-"))  # Qt wants its own 0700 runtime folder
    env = {**os.environ, **bus.env, "WAYLAND_DISPLAY": sway.socket, "XDG_RUNTIME_DIR": str(runtime),
           "QT_QPA_PLATFORM": "wayland", "COMPANION_DATA_DIR": str(tmp_path / "data")}  # fmt: skip
    env.pop("DISPLAY", None)  # nothing may fall back to an X server here
    yield env
    bus.stop()
    shutil.rmtree(runtime, ignore_errors=True)


@contextmanager
def waybar_on(env: dict[str, str], folder: Path) -> Iterator[None]:
    """waybar as the panel with a StatusNotifierItem tray (sway and KWin both offer it the layer-shell protocol)."""
    binary = desktop.need("waybar", "waybar")
    config = folder / "waybar.json"
    config.write_text(json.dumps({"layer": "top", "height": 28, "modules-right": ["tray"], "tray": {}}))
    with (folder / "waybar.log").open("w") as log:
        process = subprocess.Popen([binary, "-c", str(config)], env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        desktop.wait_until(lambda: desktop.bus_name_has_owner(env, WATCHER), timeout=20,
                           what="waybar's StatusNotifierWatcher")  # fmt: skip
        yield
    finally:
        desktop.stop_process(process)


@pytest.fixture
def waybar(wayland_env: dict[str, str], tmp_path: Path) -> Iterator[None]:
    with waybar_on(wayland_env, tmp_path):
        yield


class Bus:
    """One jeepney connection to the test's session bus, for typed calls as a tray host makes them."""

    def __init__(self, address: str) -> None:
        from jeepney.io.blocking import open_dbus_connection

        self.conn = open_dbus_connection(address)

    def call(self, service: str, path: str, interface: str, method: str, signature: str | None = None,
             *args: Any) -> tuple:  # fmt: skip
        from jeepney import DBusAddress, MessageType, new_method_call

        message = new_method_call(DBusAddress(path, service, interface), method, signature, args)
        reply = self.conn.send_and_get_reply(message, timeout=5)
        assert reply.header.message_type is not MessageType.error, (method, reply.body)
        return tuple(reply.body)

    def property(self, service: str, path: str, interface: str, name: str) -> Any:
        return self.call(service, path, "org.freedesktop.DBus.Properties", "Get", "ss", interface, name)[0][1]

    def close(self) -> None:
        self.conn.close()


def menu_items(layout: tuple) -> dict[str, int]:
    """dbusmenu's (id, properties, children) tree as label -> id, accelerator marks removed."""
    found: dict[str, int] = {}
    item_id, properties, children = layout
    if "label" in properties:
        found[properties["label"][1].replace("_", "")] = item_id
    for _signature, child in children:
        found.update(menu_items(child))
    return found


def window_titles(sway: Sway) -> list[str]:
    titles: list[str] = []

    def walk(node: dict) -> None:
        if node.get("name") and node.get("type") in ("con", "floating_con"):
            titles.append(node["name"])
        for child in node.get("nodes", []) + node.get("floating_nodes", []):
            walk(child)

    tree = sway.swaymsg("-t", "get_tree")
    if tree.strip():
        walk(json.loads(tree))
    return titles


def test_on_sway_the_icon_registers_with_waybar_and_click_and_menu_reach_companion(
    sway: Sway, wayland_env: dict[str, str], waybar: None, tmp_path: Path
) -> None:
    notifications = tmp_path / "dunst.log"
    dunst = desktop.start_notification_daemon(wayland_env, notifications)
    app = desktop.start_companion(wayland_env)
    bus = Bus(wayland_env["DBUS_SESSION_BUS_ADDRESS"])
    try:

        def registered() -> list[str]:
            return bus.property(WATCHER, "/StatusNotifierWatcher", WATCHER, "RegisteredStatusNotifierItems")

        items = desktop.wait_until(registered, timeout=30, what="Companion's item at the watcher")
        assert len(items) == 1
        service, _, path = items[0].partition("/")
        path = "/" + path
        item = "org.kde.StatusNotifierItem"
        assert bus.property(service, path, item, "Status") == "Active"
        assert bus.property(service, path, item, "Title") == "Companion"

        status = live_status(wayland_env)
        assert status["idle_source"] == "Wayland idle notifications (org_kde_kwin_idle)"
        assert status["idle_system_wide"] is True

        # A left click (Activate): the default click action is the menu, which Wayland lets only the panel open, so
        # Companion says the day's status and where the menu is, instead of nothing (Qt's popup would fail).
        watch = "type=method_call,interface=org.freedesktop.Notifications,member=Notify"
        monitor = subprocess.Popen([desktop.need("dbus-monitor", "dbus"), "--session", watch], env=wayland_env,
                                   stdout=subprocess.PIPE, start_new_session=True)  # fmt: skip
        try:
            assert monitor.stdout is not None
            read_until(monitor.stdout, "NameAcquired")  # the monitor is listening
            bus.call(service, path, item, "Activate", "ii", 10, 10)
            read_until(monitor.stdout, "Right-click the icon", timeout=20)
        finally:
            desktop.stop_process(monitor)

        # The menu as the host shows it: the status line first, the rep's items, About, Quit.
        menu_path = bus.property(service, path, item, "Menu")
        dbusmenu = "com.canonical.dbusmenu"
        bus.call(service, menu_path, dbusmenu, "AboutToShow", "i", 0)  # Companion rebuilds the menu here
        _revision, layout = bus.call(service, menu_path, dbusmenu, "GetLayout", "iias", 0, -1, [])
        labels = menu_items(layout)
        for expected in ("Tag a rough call", "Take a break now", "About Companion", "Quit"):
            assert any(label.startswith(expected) for label in labels), (expected, labels)
        first = layout[2][0][1][1]["label"][1]
        assert "today" in first or "Companion" in first, first  # the status line heads the menu
        for label, window in (("Tag a rough call", "Tag a rough call"), ("About", "About Companion")):
            chosen = next(item_id for text, item_id in labels.items() if text.startswith(label))
            bus.call(service, menu_path, dbusmenu, "Event", "isvu", chosen, "clicked", ("i", 0), 0)
            desktop.wait_until(lambda window=window: window in window_titles(sway), timeout=20, what=window)
    finally:
        bus.close()
        out, err = desktop.finish(app)
        dunst.stop()
        (desktop.ARTIFACTS / "wayland-app.log").parent.mkdir(parents=True, exist_ok=True)
        (desktop.ARTIFACTS / "wayland-app.log").write_text(out + err)
    assert "Traceback" not in err, err


@pytest.fixture
def kwin_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    with compositors.running_kwin(tmp_path / "kwin") as kwin:
        runtime = Path(tempfile.mkdtemp(prefix="companion-rt-"))
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": kwin.bus_address, "WAYLAND_DISPLAY": kwin.socket,
               "XDG_RUNTIME_DIR": str(runtime), "QT_QPA_PLATFORM": "wayland",
               "COMPANION_DATA_DIR": str(tmp_path / "data")}  # fmt: skip
        env.pop("DISPLAY", None)
        yield env
        shutil.rmtree(runtime, ignore_errors=True)


@pytest.fixture
def mutter_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    with compositors.running_mutter(tmp_path / "mutter") as mutter:
        env = {**os.environ, **mutter.settings_env, "WAYLAND_DISPLAY": str(mutter.runtime / mutter.wayland_display),
               "QT_QPA_PLATFORM": "wayland", "COMPANION_DATA_DIR": str(tmp_path / "data")}  # fmt: skip
        env.pop("DISPLAY", None)
        yield env


def live_status(env: dict[str, str]) -> dict[str, object]:
    """`status --json` once the running app's features answer in it (the tray shows before they load)."""

    def with_features() -> dict[str, object]:
        status = desktop.status_json(env)
        return status if "idle_source" in status else {}

    return desktop.wait_until(with_features, timeout=60, what="status --json with the activity feature's keys")


def run_and_read_status(env: dict[str, str]) -> dict[str, object]:
    app = desktop.start_companion(env)
    try:
        return live_status(env)
    finally:
        _out, err = desktop.finish(app)
        assert "Traceback" not in err, err


def test_on_kwin_the_app_uses_ext_idle_notify_and_its_icon_registers_with_a_panel(
    kwin_env: dict[str, str], tmp_path: Path
) -> None:
    with waybar_on(kwin_env, tmp_path):
        app = desktop.start_companion(kwin_env)
        bus = Bus(kwin_env["DBUS_SESSION_BUS_ADDRESS"])
        try:
            desktop.wait_until(lambda: bus.property(WATCHER, "/StatusNotifierWatcher", WATCHER,
                                                    "RegisteredStatusNotifierItems"),
                               timeout=30, what="Companion's item at the watcher")  # fmt: skip
            status = live_status(kwin_env)
            assert status["idle_source"] == "Wayland idle notifications (ext-idle-notify-v1)"
            assert status["idle_system_wide"] is True
        finally:
            bus.close()
            _out, err = desktop.finish(app)
        assert "Traceback" not in err, err


def test_on_mutter_the_app_uses_the_idle_monitor_watches(mutter_env: dict[str, str]) -> None:
    status = run_and_read_status(mutter_env)
    assert status["idle_source"] == "GNOME Mutter idle monitor (watches)"
    assert status["idle_system_wide"] is True


def test_on_gnome_shell_the_icon_registers_with_the_appindicator_extension_and_idle_uses_mutter_watches(
    tmp_path: Path,
) -> None:
    with compositors.running_gnome_shell(tmp_path / "gnome") as shell:
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": shell.bus_address,
               "WAYLAND_DISPLAY": str(shell.runtime / shell.wayland_display), "XDG_RUNTIME_DIR": str(shell.runtime),
               "QT_QPA_PLATFORM": "wayland", "COMPANION_DATA_DIR": str(tmp_path / "data")}  # fmt: skip
        env.pop("DISPLAY", None)
        bus = Bus(shell.bus_address)
        shown = Bus(shell.bus_address)  # the extension says an item is in the panel with this signal
        rule = MatchRule(type="signal", interface=WATCHER, member="StatusNotifierItemRegistered")
        signals = shown.conn.filter(rule).queue  # caught from now on, before the app starts
        shown.conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=5)
        app = desktop.start_companion(env)
        try:
            info = bus.call("org.gnome.Shell", "/org/gnome/Shell", "org.gnome.Shell.Extensions", "GetExtensionInfo",
                            "s", compositors.APPINDICATOR)[0]  # fmt: skip
            assert info["state"][1] == 1.0, info  # ExtensionState.ENABLED: the shell runs it, it is the tray host
            assert bus.property(WATCHER, "/StatusNotifierWatcher", WATCHER, "IsStatusNotifierHostRegistered")

            registered = shown.conn.recv_until_filtered(signals, timeout=30).body[0]
            # the extension names an item "bus-name@/object/path"; it emits the signal once the icon is in the panel
            service, _, path = registered.partition("@")
            items = bus.property(WATCHER, "/StatusNotifierWatcher", WATCHER, "RegisteredStatusNotifierItems")
            assert items == [registered]
            item = "org.kde.StatusNotifierItem"
            assert bus.property(service, path, item, "Title") == "Companion"
            assert bus.property(service, path, item, "Status") == "Active"

            status = live_status(env)
            assert status["idle_source"] == "GNOME Mutter idle monitor (watches)"
            assert status["idle_system_wide"] is True
        finally:
            bus.close()
            shown.close()
            out, err = desktop.finish(app)
            (desktop.ARTIFACTS / "gnome-shell").mkdir(parents=True, exist_ok=True)
            (desktop.ARTIFACTS / "gnome-shell" / "app.log").write_text(out + err)
            shutil.copy(shell.log, desktop.ARTIFACTS / "gnome-shell" / "gnome-shell.log")
        assert "Traceback" not in err, err


# Do not disturb on each compositor, through the desktop's own switch, with the real app and the backends it chose.


def status_when(env: dict[str, str], wanted: dict[str, object], what: str, timeout: float = 60) -> dict[str, object]:
    def matching() -> dict[str, object]:
        status = desktop.status_json(env)
        return status if all(status.get(key) == value for key, value in wanted.items()) else {}

    return desktop.wait_until(matching, timeout=timeout, interval=0.5, what=what)  # type: ignore[return-value]


def due_break_held_by_do_not_disturb(
    env: dict[str, str], home: Path, turn_on: Callable[[], None], turn_off: Callable[[], None], signal: str
) -> None:
    """A break that comes due while the desktop's do-not-disturb is on waits, and `status --json` says why; turned
    off, the prompt comes out (after the 5 s debounce, at the next 3 s sample) with no input from the rep.

    The rep set the journal up on an earlier day and checked in (no first-run dialog stands in front), and had
    49 min 57 s of work just before start: the break is due within the first activity tick."""
    keyring = desktop.start_secret_service(env, home)
    app = None
    try:
        desktop.set_up_journal(env)
        seed_almost_a_full_stretch_of_work(env)
        turn_on()
        app = desktop.start_companion(env, "--verbose")
        held = status_when(env, {"break_status": "waiting", "quiet_reason": "do_not_disturb"},
                           "the due break held by do not disturb")  # fmt: skip
        assert held["idle_system_wide"] is True
        assert signal in held["quiet_signals"], held["quiet_signals"]  # the desktop's own switch, chosen at start
        turn_off()
        released = status_when(env, {"break_status": "prompting"}, "the break prompt once do not disturb is off")
        assert released["quiet_reason"] is None
    finally:
        err = ""
        try:
            if app is not None:
                out, err = desktop.finish(app)
                (desktop.ARTIFACTS / "wayland-dnd-app.log").parent.mkdir(parents=True, exist_ok=True)
                (desktop.ARTIFACTS / "wayland-dnd-app.log").write_text(out + err)
        finally:
            keyring.stop()  # also when the app failed: a keyring left running would warn in a later test
    assert "Traceback" not in err, err


def test_on_mutter_gnome_do_not_disturb_in_dconf_holds_a_due_break(mutter_env: dict[str, str], tmp_path: Path) -> None:
    """GNOME's own switch (the panel's "Do Not Disturb" writes show-banners=false) in the session's real dconf."""
    desktop.need("gsettings", "libglib2.0-bin")
    env = {**mutter_env, "XDG_CURRENT_DESKTOP": "GNOME"}  # as gnome-session sets it

    def banners(value: str) -> Callable[[], None]:
        return lambda: run(env, "gsettings", "set", "org.gnome.desktop.notifications", "show-banners", value)

    due_break_held_by_do_not_disturb(env, tmp_path / "keyring", banners("false"), banners("true"),
                                     "GNOME do not disturb (show-banners)")  # fmt: skip
    assert run(env, "dconf", "read", "/org/gnome/desktop/notifications/show-banners") == "true"  # the real dconf


def test_on_sway_dunsts_own_pause_holds_a_due_break(sway: Sway, wayland_env: dict[str, str], tmp_path: Path) -> None:
    """sway has no do-not-disturb of its own: the notification daemon has it. dunst runs on sway's Wayland socket
    (layer shell) and pauses with `dunstctl set-paused true`, what a waybar button or a sway key binding calls."""
    desktop.need("dunstctl", "dunst")
    dunst = desktop.start_notification_daemon(wayland_env, tmp_path / "dunst.log")
    try:
        due_break_held_by_do_not_disturb(
            wayland_env, tmp_path / "keyring", lambda: run(wayland_env, "dunstctl", "set-paused", "true"),
            lambda: run(wayland_env, "dunstctl", "set-paused", "false"), "dunst paused (do not disturb)",
        )  # fmt: skip
    finally:
        dunst.stop()
    assert "Using Wayland output" in (tmp_path / "dunst.log").read_text()  # dunst runs on sway, not on an X server


def test_on_sway_makos_do_not_disturb_mode_holds_a_due_break(
    sway: Sway, wayland_env: dict[str, str], tmp_path: Path
) -> None:
    """mako, the other notification daemon people run on sway, has no pause: its do-not-disturb is a mode, set with
    `makoctl mode -a do-not-disturb` (the rep's config hides notifications in it, as mako(5) shows)."""
    desktop.need("makoctl", "mako-notifier")
    mako = desktop.start_mako(wayland_env, tmp_path)
    try:
        due_break_held_by_do_not_disturb(
            wayland_env, tmp_path / "keyring", lambda: run(wayland_env, "makoctl", "mode", "-a", "do-not-disturb"),
            lambda: run(wayland_env, "makoctl", "mode", "-r", "do-not-disturb"), "mako do-not-disturb mode",
        )  # fmt: skip
    finally:
        mako.stop()


def test_on_kwin_a_notification_servers_own_pause_holds_a_due_break(kwin_env: dict[str, str], tmp_path: Path) -> None:
    """KWin with dunst as the notification server (it runs on KWin's layer shell), paused with dunstctl. Plasma's
    own do-not-disturb lives in plasmashell, which does not run here (docs/desktops-dnd-hotkey.md says why); its
    `Inhibited` property is covered by a stand-in in tests/platform/test_quiet_signals.py."""
    desktop.need("dunstctl", "dunst")
    dunst = desktop.start_notification_daemon(kwin_env, tmp_path / "dunst.log")
    try:
        due_break_held_by_do_not_disturb(
            kwin_env, tmp_path / "keyring", lambda: run(kwin_env, "dunstctl", "set-paused", "true"),
            lambda: run(kwin_env, "dunstctl", "set-paused", "false"), "dunst paused (do not disturb)",
        )  # fmt: skip
    finally:
        dunst.stop()
    assert "Using Wayland output" in (tmp_path / "dunst.log").read_text()  # dunst runs on KWin, not on an X server


def test_on_sway_swayncs_do_not_disturb_holds_a_due_break(
    sway: Sway, wayland_env: dict[str, str], tmp_path: Path
) -> None:
    """SwayNotificationCenter, the panel-style notification centre for sway: its do-not-disturb switch, as its
    panel's toggle or `swaync-client --dnd-on` sets it."""
    desktop.need("swaync-client", "sway-notification-center")
    swaync = desktop.start_swaync(wayland_env, tmp_path)
    try:
        due_break_held_by_do_not_disturb(
            wayland_env, tmp_path / "keyring", lambda: run(wayland_env, "swaync-client", "--dnd-on", "--skip-wait"),
            lambda: run(wayland_env, "swaync-client", "--dnd-off", "--skip-wait"),
            "SwayNotificationCenter do not disturb",
        )  # fmt: skip
    finally:
        swaync.stop()
