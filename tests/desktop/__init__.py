"""A real virtual desktop for tests: Xvfb, a tray host, a D-Bus session, a notification daemon, an unlocked
Secret Service and a PulseAudio server, each started on demand and stopped at the end of the session.

A missing tool skips its tests with the install line on a laptop and fails them in CI (CI=true).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = REPO / "docs" / "screenshots"  # curated, committed, shown in the README


def need(tool: str, package: str) -> str:
    """The tool's path, or a skip (laptop) or failure (CI) that names the package to install."""
    path = shutil.which(tool)
    if path:
        return path
    message = (
        f"{tool} is not installed: sudo apt-get install --no-install-recommends {package} (or run `make test` as root)"
    )
    if IN_CI:
        pytest.fail(f"CI needs the desktop tools: {message}")
    pytest.skip(message)
    raise AssertionError("unreachable")


def wait_until(check: Callable[[], object], timeout: float = 10.0, interval: float = 0.05, what: str = "") -> object:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what or check}")
        time.sleep(interval)


@dataclass
class Service:
    """A background process we started; stopped with SIGTERM, then SIGKILL."""

    name: str
    process: subprocess.Popen
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        stop_process(self.process)


def finish(process: subprocess.Popen, timeout: float = 5.0) -> tuple[str, str]:
    """Stop a process started with pipes and return what it printed (stdout, stderr), closing the pipes."""
    if process.poll() is None:
        _terminate(process, timeout)
    out, err = process.communicate()
    return out or "", err or ""


def stop_process(process: subprocess.Popen, timeout: float = 5.0) -> None:
    if process.poll() is None:
        _terminate(process, timeout)
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()  # a pipe left open is a ResourceWarning, and warnings fail the run


def _terminate(process: subprocess.Popen, timeout: float) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout)


def start_xvfb(size: str = "1280x800") -> Service:
    xvfb = need("Xvfb", "xvfb")
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-noreset", "-nolisten", "tcp", "-screen", "0", f"{size}x24"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    if not number:
        stop_process(process)
        pytest.fail("Xvfb did not start")
    return Service("xvfb", process, {"DISPLAY": f":{number}"})


def start_dbus(base_env: dict[str, str]) -> Service:
    daemon = need("dbus-daemon", "dbus")
    process = subprocess.Popen(
        [daemon, "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=base_env,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    address = process.stdout.readline().strip()
    process.stdout.close()  # the address was all we needed from it
    if not address:
        stop_process(process)
        pytest.fail("dbus-daemon did not start")
    return Service("dbus", process, {"DBUS_SESSION_BUS_ADDRESS": address})


def bus_name_has_owner(env: dict[str, str], name: str) -> bool:
    result = subprocess.run(
        [
            "dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner", f"string:{name}",
        ],
        env=env, capture_output=True, text=True, timeout=5,
    )  # fmt: skip
    return "boolean true" in result.stdout


class _X11:
    """Just enough Xlib through ctypes to ask who owns a selection (the tray manager) on a display."""

    def __init__(self) -> None:
        self.lib = ctypes.cdll.LoadLibrary("libX11.so.6")
        self.lib.XOpenDisplay.restype = ctypes.c_void_p
        self.lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.lib.XInternAtom.restype = ctypes.c_ulong
        self.lib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        self.lib.XGetSelectionOwner.restype = ctypes.c_ulong
        self.lib.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.lib.XCloseDisplay.argtypes = [ctypes.c_void_p]

    def selection_owner(self, display: str, selection: str) -> int:
        handle = self.lib.XOpenDisplay(display.encode())
        if not handle:
            return 0
        try:
            atom = self.lib.XInternAtom(handle, selection.encode(), 0)
            return int(self.lib.XGetSelectionOwner(handle, atom))
        finally:
            self.lib.XCloseDisplay(handle)


def start_tray_host(env: dict[str, str]) -> Service:
    trayer = need("trayer", "trayer")
    process = subprocess.Popen(
        [
            trayer, "--edge", "top", "--align", "right", "--widthtype", "pixel", "--width", "200",
            "--heighttype", "pixel", "--height", "32", "--tint", "0x303030", "--transparent", "true", "--alpha", "0",
        ],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    x11 = _X11()
    wait_until(lambda: x11.selection_owner(env["DISPLAY"], "_NET_SYSTEM_TRAY_S0"), what="trayer to own the tray")
    return Service("trayer", process)


def start_window_manager(env: dict[str, str]) -> Service:
    """openbox on the display: real focus, stacking and placement, as a rep's desktop has them."""
    openbox = need("openbox", "openbox")
    need("xprop", "x11-utils")
    process = subprocess.Popen(
        [openbox, "--sm-disable"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )

    def managing() -> bool:
        root = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env, capture_output=True, text=True)
        return "window id" in root.stdout

    wait_until(managing, what="openbox to manage the display")
    return Service("openbox", process)


def start_notification_daemon(env: dict[str, str], log_file: Path) -> Service:
    dunst = need("dunst", "dunst")
    need("dbus-send", "dbus")
    config = log_file.with_suffix(".dunstrc")
    config.write_text("[global]\n    timeout = 60\n")
    with log_file.open("w") as log:  # the daemon keeps its own copy of the descriptor
        process = subprocess.Popen(
            [dunst, "-config", str(config), "-verbosity", "info"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    wait_until(lambda: bus_name_has_owner(env, "org.freedesktop.Notifications"), what="dunst on the bus")
    return Service("dunst", process)


def start_mako(env: dict[str, str], folder: Path) -> Service:
    """mako, the notification daemon many sway users run (Wayland only: `env` names the compositor's socket), with
    the do-not-disturb mode its manual shows: `makoctl mode -a do-not-disturb` hides every notification."""
    mako = need("mako", "mako-notifier")
    config = folder / "mako.config"
    config.write_text("[mode=do-not-disturb]\ninvisible=1\n")
    with (folder / "mako.log").open("w") as log:
        process = subprocess.Popen([mako, "--config", str(config)], env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    wait_until(lambda: bus_name_has_owner(env, "org.freedesktop.Notifications"), what="mako on the bus")
    return Service("mako", process)


def start_swaync(env: dict[str, str], folder: Path) -> Service:
    """SwayNotificationCenter (Wayland only: `env` names the compositor's socket), with its packaged config."""
    swaync = need("swaync", "sway-notification-center")
    with (folder / "swaync.log").open("w") as log:
        process = subprocess.Popen([swaync], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    wait_until(lambda: bus_name_has_owner(env, "org.erikreider.swaync.cc"), timeout=20, what="swaync on the bus")
    return Service("swaync", process)


def start_secret_service(env: dict[str, str], home: Path) -> Service:
    """gnome-keyring-daemon with a fresh, unlocked login keyring in a private HOME (never the machine's own)."""
    daemon = need("gnome-keyring-daemon", "gnome-keyring")
    home.mkdir(parents=True, exist_ok=True)
    keyring_env = {**env, "HOME": str(home), "XDG_DATA_HOME": str(home / ".local/share")}
    process = subprocess.Popen(
        [daemon, "--foreground", "--unlock", "--components=secrets"],
        env=keyring_env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    assert process.stdin is not None
    process.stdin.write(b"test-password")
    process.stdin.close()
    wait_until(lambda: bus_name_has_owner(env, "org.freedesktop.secrets"), what="the Secret Service on the bus")
    return Service("gnome-keyring", process)


def start_pulseaudio(env: dict[str, str], runtime: Path) -> Service:
    """A private PulseAudio with a null source named `mic` standing in for the rep's microphone."""
    daemon = need("pulseaudio", "pulseaudio")
    need("pactl", "pulseaudio-utils")
    runtime.mkdir(parents=True, exist_ok=True)
    pulse_env = {
        **env,
        "PULSE_RUNTIME_PATH": str(runtime),
        "XDG_RUNTIME_DIR": str(runtime),
        "HOME": str(runtime),
    }
    process = subprocess.Popen(
        [
            daemon, "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit", "--log-target=stderr",
            "--load=module-null-source source_name=mic", "--load=module-null-sink sink_name=speaker",
            f"--load=module-native-protocol-unix socket={runtime}/native auth-anonymous=1",
        ],
        env=pulse_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    server = f"unix:{runtime}/native"
    client_env = {**env, "PULSE_SERVER": server, "PULSE_RUNTIME_PATH": str(runtime)}

    def ready() -> bool:
        return subprocess.run(["pactl", "info"], env=client_env, capture_output=True, timeout=5).returncode == 0

    wait_until(ready, what="pulseaudio to accept clients")
    return Service("pulseaudio", process, {"PULSE_SERVER": server})


def screenshot(env: dict[str, str], name: str) -> Path:
    """A PNG of the whole virtual screen in test-artifacts/, for a person to look at."""
    tool = need("import", "imagemagick")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    subprocess.run([tool, "-window", "root", str(target)], env=env, check=True, timeout=20)
    return target


def window_screenshot(env: dict[str, str], window_id: int | str, name: str) -> Path:
    """A PNG of one window, cropped to it. Into docs/screenshots/ when COMPANION_UPDATE_SCREENSHOTS=1 (to refresh
    the README's pictures on purpose), else into test-artifacts/ so an ordinary run never touches tracked files."""
    tool = need("import", "imagemagick")
    folder = SCREENSHOTS if os.environ.get("COMPANION_UPDATE_SCREENSHOTS") == "1" else ARTIFACTS
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.png"
    # -strip drops the timestamps, so an unchanged window gives the same bytes and no noise in git
    subprocess.run([tool, "-window", str(window_id), "-strip", str(target)], env=env, check=True, timeout=20)
    return target


def held_keyring_helper(release: Path) -> str:
    """A keyring helper command (for HELPER_OVERRIDE_ENV) that holds the start-up keyring conversation open: the
    real helper starts only once `release` exists."""
    script = 'while [ ! -e "$1" ]; do sleep 0.05; done; exec "$2" -m companion.platform.keyring_helper'
    return shlex.join(["sh", "-c", script, "slow-keyring-helper", str(release), sys.executable])


def companion_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "companion", *args]


@dataclass(frozen=True)
class Window:
    id: int
    x: int
    y: int
    width: int
    height: int
    types: str

    @property
    def center(self) -> tuple[int, int]:
        return self.x + self.width // 2, self.y + self.height // 2


def visible_windows(env: dict[str, str], classname: str) -> list[Window]:
    """The mapped X windows of an application class, with their position and _NET_WM_WINDOW_TYPE."""
    xdotool = need("xdotool", "xdotool")
    found = subprocess.run(
        [xdotool, "search", "--onlyvisible", "--classname", classname], env=env, capture_output=True, text=True
    ).stdout.split()
    windows = []
    for window_id in found:
        geometry = subprocess.run(
            [xdotool, "getwindowgeometry", "--shell", window_id], env=env, capture_output=True, text=True
        ).stdout
        values = dict(line.split("=", 1) for line in geometry.splitlines() if "=" in line)
        if not values:
            continue  # the window went away between the search and the question
        types = subprocess.run(
            ["xprop", "-id", window_id, "_NET_WM_WINDOW_TYPE"], env=env, capture_output=True, text=True
        ).stdout
        windows.append(
            Window(
                int(window_id), int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"]), types
            )
        )
    return windows


def ancestor_names(env: dict[str, str], window_id: int) -> list[str]:
    """Names of the window's ancestors up to the root (a tray icon's include the tray host's panel)."""
    need("xwininfo", "x11-utils")
    names = []
    current = window_id
    for _ in range(10):
        info = subprocess.run(
            ["xwininfo", "-children", "-id", str(current)], env=env, capture_output=True, text=True
        ).stdout
        parent_line = next((line for line in info.splitlines() if "Parent window id:" in line), "")
        if not parent_line or "(none)" in parent_line:
            break
        parent_id = parent_line.split("Parent window id:")[1].split()[0]
        names.append(parent_line.split(parent_id, 1)[1].strip())
        current = int(parent_id, 16)
    return names


def click(env: dict[str, str], x: int, y: int, button: int = 1) -> None:
    xdotool = need("xdotool", "xdotool")
    subprocess.run([xdotool, "mousemove", str(x), str(y), "click", str(button)], env=env, check=True, timeout=10)


def press(env: dict[str, str], *keys: str) -> None:
    xdotool = need("xdotool", "xdotool")
    subprocess.run([xdotool, "key", *keys], env=env, check=True, timeout=10)


_SET_UP_JOURNAL = """
import sys
from companion.core.clock import SystemClock
from companion.core.crypto import Vault
from companion.core.journal import CheckIn, EntryKind, Journal
from companion.core.keys import KeyManager
from companion.core.paths import AppPaths
from companion.core.store import Store
from companion.platform.keyring_store import KeyringSecretStore

paths = AppPaths.resolve()
paths.ensure()
store = Store.open(paths.database)
vault, clock = Vault(), SystemClock()
KeyManager(store, vault, KeyringSecretStore.detect(), clock).set_up()
if sys.argv[1:] == ["checked-in"]:
    Journal(store, vault, clock).add(EntryKind.CHECKIN, CheckIn(4, 3, "one call at a time"))
store.close()
"""


def set_up_journal(env: dict[str, str], checked_in: bool = True) -> None:
    """A rep who set up the journal with the keyring on an earlier day (and checked in this morning): the app then
    starts without first-run dialogs or the check-in prompt. Needs the `secret_service` fixture's bus in `env`."""
    subprocess.run(
        [sys.executable, "-c", _SET_UP_JOURNAL, *(["checked-in"] if checked_in else [])],
        env=env,
        check=True,
        timeout=60,
    )


def files_containing(root: Path, needle: str) -> list[Path]:
    """Every file below root holding needle as UTF-8 or UTF-16 bytes (Qt writes some files in UTF-16)."""
    patterns = [needle.encode("utf-8"), needle.encode("utf-16-le")]
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if any(pattern in data for pattern in patterns):
                hits.append(path)
    return hits


def start_companion(env: dict[str, str], *args: str, prefix: tuple[str, ...] = ()) -> subprocess.Popen:
    """The real app as its own process, in its own session, its output captured for `finish()`."""
    return subprocess.Popen(
        [*prefix, *companion_command(*args)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


def tray_icon(env: dict[str, str]) -> Window | None:
    """Companion's icon as embedded in the tray host (an override-redirect window, panel-sized)."""
    return next((w for w in visible_windows(env, "companion") if "OVERRIDE" in w.types and w.width < 64), None)


def status_json(env: dict[str, str]) -> dict[str, object]:
    """`companion status --json` as a dict; {} while the app cannot answer yet (it is still starting)."""
    result = subprocess.run(companion_command("status", "--json"), env=env, capture_output=True, text=True, timeout=30)
    return json.loads(result.stdout) if result.returncode == 0 and result.stdout.strip() else {}
