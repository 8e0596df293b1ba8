"""Before Qt starts: are the system libraries its platform plugin needs present? Say which package if not."""

from __future__ import annotations

import ctypes
import os
import sys

from companion.core.i18n import _

# soname -> Debian/Ubuntu package. Qt's xcb plugin refuses to load without any of these.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-image.so.0": "libxcb-image0",
    "libX11-xcb.so.1": "libx11-xcb1",
}
COMMON_LIBRARIES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}


def missing_packages(environ: dict[str, str] | None = None) -> list[str]:
    """Debian packages whose libraries Qt will need here and cannot find; empty off Linux."""
    environ = dict(os.environ) if environ is None else environ
    if not sys.platform.startswith("linux"):
        return []
    wanted = dict(COMMON_LIBRARIES)
    platform = environ.get("QT_QPA_PLATFORM", "")
    if not platform.startswith(("offscreen", "minimal", "wayland")) and environ.get("DISPLAY"):
        wanted.update(XCB_LIBRARIES)
    missing = []
    for soname, package in wanted.items():
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append(package)
    return sorted(set(missing))


def explain_missing(packages: list[str]) -> str:
    return _(
        "Companion cannot start its window system support: these system libraries are missing.\n"
        "Install them with:\n    sudo apt-get install --no-install-recommends {packages}\n"
        "(or run `make run` as root, which installs them)."
    ).format(packages=" ".join(packages))
