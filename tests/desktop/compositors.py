"""Real Wayland compositors for tests, headless, from Debian packages: sway (wlroots), mutter and gnome-shell
(GNOME) and KWin.

sway refuses to run as root, and CI runs as root: it runs as an unprivileged user made for the tests, with a
runtime folder that user owns; root clients still connect through the socket's absolute path. mutter runs as
whoever we are, on a session bus of its own (its IdleMonitor and RemoteDesktop services live there).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import desktop

SWAY_USER = "companion-wl"  # made by the tests when run as root; sway will not run as root


@dataclass
class Sway:
    runtime: Path
    user: str | None  # None: sway runs as us (a laptop run as a normal user)
    process: subprocess.Popen

    @property
    def socket(self) -> str:
        return str(self.runtime / "wayland-1")

    def as_user(self, *command: str) -> list[str]:
        """A command line that runs inside the session as the compositor's user (wtype must, to reach its seat)."""
        env = ["env", "-i", "PATH=/usr/bin:/bin", f"XDG_RUNTIME_DIR={self.runtime}", "WAYLAND_DISPLAY=wayland-1"]
        return [_runuser(), "-u", self.user, "--", *env, *command] if self.user else [*env, *command]

    def type_key(self) -> None:
        """Synthetic input through the virtual-keyboard protocol: the seat sees a key, as from a real keyboard."""
        subprocess.run(self.as_user(desktop.need("wtype", "wtype"), "-k", "Shift_L"), check=True, timeout=10)

    def swaymsg(self, *args: str) -> str:
        result = subprocess.run(
            self.as_user("swaymsg", "-s", str(next(self.runtime.glob("sway-ipc.*.sock"))), *args),
            capture_output=True, text=True, timeout=10,
        )  # fmt: skip
        return result.stdout


def _runuser() -> str:
    return shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin:/bin") or "runuser"


def _sway_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SWAY_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SWAY_USER], check=True
        )
    return SWAY_USER


@contextmanager
def running_sway(logs: Path) -> Iterator[Sway]:
    """sway on its own headless output; its log is copied to `logs` at the end."""
    sway = desktop.need("sway", "sway")
    user = _sway_user()
    # Not under pytest's temporary folder, which only root may enter: the sway user must reach its runtime folder.
    base = Path(tempfile.mkdtemp(prefix="companion-sway-"))
    base.chmod(0o755)
    runtime = base / "run"
    runtime.mkdir(mode=0o700)
    if user is not None:
        shutil.chown(runtime, user)
    config = base / "sway.config"
    config.write_text("output HEADLESS-1 resolution 1280x800\n")
    config.chmod(0o644)
    env = {
        "PATH": "/usr/bin:/bin", "XDG_RUNTIME_DIR": str(runtime), "WLR_BACKENDS": "headless",
        "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman", "HOME": str(base),
    }  # fmt: skip
    command = [sway, "-c", str(config)]
    if user is not None:
        command = [_runuser(), "-u", user, "--", "env", *(f"{k}={v}" for k, v in env.items()), *command]
    with (base / "sway.log").open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    session = Sway(runtime, user, process)
    try:
        desktop.wait_until(lambda: (runtime / "wayland-1").exists() and any(runtime.glob("sway-ipc.*.sock")),
                           timeout=20, what="sway's Wayland socket")  # fmt: skip
        yield session
    finally:
        desktop.stop_process(process)
        logs.mkdir(parents=True, exist_ok=True)
        shutil.copy(base / "sway.log", logs / "sway.log")
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class Mutter:
    runtime: Path
    bus_address: str
    wayland_display: str
    home: Path  # the session's HOME: dconf-service on its bus keeps the settings database under it

    @property
    def settings_env(self) -> dict[str, str]:
        """What a dconf client in this session needs: it reads the database file itself, and writes through the bus."""
        return {"HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home / ".config"),
                "XDG_RUNTIME_DIR": str(self.runtime), "DBUS_SESSION_BUS_ADDRESS": self.bus_address}  # fmt: skip


@contextmanager
def running_mutter(base: Path) -> Iterator[Mutter]:
    mutter = desktop.need("mutter", "mutter")
    base.mkdir(parents=True, exist_ok=True)
    runtime = base / "run"
    runtime.mkdir(parents=True, mode=0o700)
    home = base / "home"  # never the machine's own dconf: the tests flip GNOME's settings in this one
    home.mkdir(mode=0o700)
    session = {"XDG_RUNTIME_DIR": str(runtime), "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
               "XDG_CACHE_HOME": str(home / ".cache")}  # fmt: skip
    bus = desktop.start_dbus({**os.environ, **session})
    env = {**os.environ, **bus.env, **session}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    with (base / "mutter.log").open("w") as log:
        process = subprocess.Popen(
            [mutter, "--headless", "--wayland", "--no-x11", "--virtual-monitor", "1280x800",
             "--wayland-display=wl-test"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        desktop.wait_until(
            lambda: desktop.bus_name_has_owner(env, "org.gnome.Mutter.IdleMonitor")
            and desktop.bus_name_has_owner(env, "org.gnome.Mutter.RemoteDesktop"),
            timeout=30, interval=0.2, what="mutter's IdleMonitor on its bus",
        )  # fmt: skip
        yield Mutter(runtime, bus.env["DBUS_SESSION_BUS_ADDRESS"], "wl-test", home)
    finally:
        desktop.stop_process(process)
        bus.stop()


APPINDICATOR = "ubuntu-appindicators@ubuntu.com"  # Debian's gnome-shell-extension-appindicator 46


@dataclass
class GnomeShell:
    runtime: Path
    bus_address: str
    wayland_display: str
    log: Path


@contextmanager
def running_gnome_shell(base: Path) -> Iterator[GnomeShell]:
    """gnome-shell 43 headless with the AppIndicator extension enabled: the desktop a GNOME rep with a tray has.

    It runs on a session bus of its own, whose dconf keeps its settings in `base` (never the machine's own), and on
    a second private bus standing in for the system bus: the shell reads logind, accounts and the network from the
    system bus, and ends at start ("Could not connect: No such file or directory") when a container has none. An
    empty bus answers "no such service", which the shell takes in its stride.
    """
    shell = desktop.need("gnome-shell", "gnome-shell")
    extension = Path("/usr/share/gnome-shell/extensions") / APPINDICATOR
    if not extension.is_dir():
        package = "gnome-shell-extension-appindicator"
        message = f"{extension} is missing: sudo apt-get install --no-install-recommends {package}"
        if desktop.IN_CI:
            pytest.fail(f"CI needs the desktop tools: {message}")
        pytest.skip(message)
    gsettings = desktop.need("gsettings", "libglib2.0-bin")
    base.mkdir(parents=True, exist_ok=True)
    runtime = base / "run"
    runtime.mkdir(parents=True, mode=0o700)
    home = base / "home"
    home.mkdir()
    private = {"XDG_RUNTIME_DIR": str(runtime), "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
               "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CACHE_HOME": str(home / ".cache")}  # fmt: skip
    system_bus = desktop.start_dbus({**os.environ, **private})
    bus = desktop.start_dbus({**os.environ, **private})  # dconf-service, activated by it, inherits `private`
    env = {**os.environ, **private, **bus.env,
           "DBUS_SYSTEM_BUS_ADDRESS": system_bus.env["DBUS_SESSION_BUS_ADDRESS"]}  # fmt: skip
    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "GSETTINGS_BACKEND"):
        env.pop(variable, None)
    log = base / "gnome-shell.log"
    process: subprocess.Popen | None = None
    try:
        for key, value in (("disable-user-extensions", "false"), ("enabled-extensions", f"['{APPINDICATOR}']")):
            subprocess.run([gsettings, "set", "org.gnome.shell", key, value], env=env, check=True, timeout=20)
        with log.open("w") as output:
            process = subprocess.Popen(
                [shell, "--headless", "--wayland", "--no-x11", "--virtual-monitor", "1280x800",
                 "--wayland-display=wl-gnome"],
                env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        running = process

        def ready() -> bool:
            if running.poll() is not None:
                pytest.fail(f"gnome-shell exited ({running.returncode}); see {log}")
            return desktop.bus_name_has_owner(env, "org.kde.StatusNotifierWatcher") and desktop.bus_name_has_owner(
                env, "org.gnome.Mutter.IdleMonitor"
            )

        desktop.wait_until(ready, timeout=60, interval=0.2,
                           what="gnome-shell's IdleMonitor and the extension's StatusNotifierWatcher")  # fmt: skip
        yield GnomeShell(runtime, bus.env["DBUS_SESSION_BUS_ADDRESS"], "wl-gnome", log)
    finally:
        if process is not None:
            desktop.stop_process(process)
        bus.stop()
        system_bus.stop()


class MutterKeyboard:
    """Synthetic key presses through Mutter's RemoteDesktop API: mutter treats them as a real seat's input.

    Mutter accepts a session's input only from the connection that created it, so one jeepney connection does all.
    """

    SERVICE = "org.gnome.Mutter.RemoteDesktop"

    def __init__(self, bus_address: str) -> None:
        from jeepney import DBusAddress
        from jeepney.io.blocking import open_dbus_connection

        self._conn = open_dbus_connection(bus_address)
        manager = DBusAddress("/org/gnome/Mutter/RemoteDesktop", bus_name=self.SERVICE, interface=self.SERVICE)
        session_path = self._call(manager, "CreateSession")[0]
        self._session = DBusAddress(session_path, bus_name=self.SERVICE, interface=f"{self.SERVICE}.Session")
        self._call(self._session, "Start")

    def _call(self, address: object, method: str, signature: str | None = None, *args: object) -> tuple:
        from jeepney import MessageType, new_method_call

        reply = self._conn.send_and_get_reply(new_method_call(address, method, signature, args), timeout=5)
        if reply.header.message_type is MessageType.error:
            pytest.fail(f"Mutter's RemoteDesktop refused {method}: {reply.body}")
        return tuple(reply.body)

    def tap_shift(self) -> None:
        shift = 0xFFE1  # XK_Shift_L
        self._call(self._session, "NotifyKeyboardKeysym", "ub", shift, True)
        self._call(self._session, "NotifyKeyboardKeysym", "ub", shift, False)

    def close(self) -> None:
        self._call(self._session, "Stop")
        self._conn.close()


@dataclass
class KWin:
    runtime: Path
    wayland_display: str
    bus_address: str

    @property
    def socket(self) -> str:
        return str(self.runtime / self.wayland_display)


@contextmanager
def running_kwin(base: Path, lockscreen: bool = False) -> Iterator[KWin]:
    """kwin_wayland --virtual on a bus of its own; with `lockscreen`, its screen locker too, which serves
    org.freedesktop.ScreenSaver on that bus.

    Debian's binary carries the cap_sys_resource file capability, and exec of a binary with file capabilities is
    refused in a container without them ("Operation not permitted"); a plain copy has none and runs the same.
    """
    installed = desktop.need("kwin_wayland", "kwin-wayland")
    base.mkdir(parents=True, exist_ok=True)
    binary = base / "kwin_wayland"
    shutil.copyfile(installed, binary)
    binary.chmod(0o755)
    runtime = base / "run"
    runtime.mkdir(parents=True, mode=0o700)
    bus = desktop.start_dbus({**os.environ, "XDG_RUNTIME_DIR": str(runtime)})
    env = {**os.environ, **bus.env, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(base)}
    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(variable, None)
    with (base / "kwin.log").open("w") as log:
        process = subprocess.Popen(
            [str(binary), "--virtual", *([] if lockscreen else ["--no-lockscreen"]), "--socket", "wl-kwin",
             "--width", "1280", "--height", "800"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    session = KWin(runtime, "wl-kwin", bus.env["DBUS_SESSION_BUS_ADDRESS"])
    try:
        desktop.wait_until(lambda: (runtime / "wl-kwin").exists() or process.poll() is not None, timeout=30,
                           what="kwin's Wayland socket")  # fmt: skip
        if process.poll() is not None:
            pytest.fail(f"kwin_wayland exited ({process.returncode}); see {base / 'kwin.log'}")
        yield session
    finally:
        desktop.stop_process(process)
        bus.stop()


class KWinActivity:
    """User activity in KWin from a second client: org_kde_kwin_idle_timeout.simulate_user_activity.

    KWin 5.27 offers no virtual-keyboard protocol (wtype says so), and hides org_kde_kwin_fake_input from clients
    that are not listed in a .desktop file as allowed; simulate_user_activity resets the compositor's one idle
    detector, which every idle notification (ext-idle-notify-v1 included) watches.
    """

    def __init__(self, socket: str) -> None:
        from pywayland.client import Display
        from pywayland.protocol.wayland import WlSeat

        from companion.platform.wayland_kde_idle import OrgKdeKwinIdle

        self._display = Display(socket)
        self._display.connect()
        offered: dict[str, int] = {}
        registry = self._display.get_registry()
        registry.dispatcher["global"] = lambda _r, name, interface, _v: offered.setdefault(interface, name)
        self._display.roundtrip()
        seat = registry.bind(offered["wl_seat"], WlSeat, 1)
        idle = registry.bind(offered["org_kde_kwin_idle"], OrgKdeKwinIdle, 1)
        self._timeout = idle.get_idle_timeout(seat, 60_000)
        self._display.roundtrip()

    def poke(self) -> None:
        self._timeout.simulate_user_activity()
        self._display.roundtrip()

    def close(self) -> None:
        self._display.disconnect()
