"""Do-not-disturb and presenting signals on the Linux session bus (QtDBus), one class per desktop's own switch.

- `org.freedesktop.Notifications` `Inhibited` (KDE Plasma and other notification servers that implement it)
- dunst's `org.dunstproject.cmd0` `paused` (`dunstctl set-paused true`)
- SwayNotificationCenter's do not disturb (`org.erikreider.swaync.cc` `GetDnd`; `swaync-client -dn`, its panel's
  switch)
- mako's modes (`fr.emersion.Mako` `ListModes`): mako has no pause, its manual's do-not-disturb is a mode named
  "do-not-disturb" (`makoctl mode -a do-not-disturb`) that hides every notification
- XFCE: xfconf's `xfce4-notifyd` `/do-not-disturb` (`xfconf-query -c xfce4-notifyd -p /do-not-disturb`)
- GNOME: `org.gnome.SessionManager` `InhibitedActions` (the bits `IsInhibited` answers) has 8: an application
  holds an idle inhibitor (a presentation, a screen share, a video call, a film)

Each is read when sampled (one short call; the watch samples every few seconds), so a daemon that restarts or
a switch flipped by any tool is seen without a subscription to keep in step. A service missing at start is
left out for the session.
"""

from __future__ import annotations

from PySide6.QtDBus import QDBusConnection

from companion.core.i18n import N_
from companion.core.quiet import QuietReason
from companion.platform import BackendUnavailable
from companion.platform.dbus import call, get_property, has_service

NOTIFICATIONS = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
XFCONF = ("org.xfce.Xfconf", "/org/xfce/Xfconf", "org.xfce.Xfconf")
GNOME_SESSION = ("org.gnome.SessionManager", "/org/gnome/SessionManager", "org.gnome.SessionManager")
GNOME_INHIBIT_IDLE = 8  # GsmInhibitorFlag: "inhibit the session being marked as idle"


def _session(bus: QDBusConnection | None) -> QDBusConnection:
    return bus if bus is not None else QDBusConnection.sessionBus()


class _BoolProperty:
    """A boolean D-Bus property read on each sample."""

    service: str
    path: str
    interface: str
    property: str

    def __init__(self, bus: QDBusConnection | None = None) -> None:
        self._bus = _session(bus)
        if not has_service(self._bus, self.service) or self._read() is None:
            raise BackendUnavailable(f"{self.service} offers no {self.interface}.{self.property}")  # i18n: not for reps

    def _read(self) -> bool | None:
        value = get_property(self._bus, self.service, self.path, self.interface, self.property)
        return value if isinstance(value, bool) else None

    def is_quiet(self) -> bool | None:
        return self._read()


class NotificationsInhibitedSignal(_BoolProperty):
    name = N_("notification server's Inhibited (do not disturb)")
    reason = QuietReason.DO_NOT_DISTURB
    service, path = NOTIFICATIONS
    interface, property = "org.freedesktop.Notifications", "Inhibited"


class DunstPausedSignal(_BoolProperty):
    name = N_("dunst paused (do not disturb)")
    reason = QuietReason.DO_NOT_DISTURB
    service, path = NOTIFICATIONS
    interface, property = "org.dunstproject.cmd0", "paused"


MAKO = ("org.freedesktop.Notifications", "/fr/emersion/Mako", "fr.emersion.Mako")
MAKO_DO_NOT_DISTURB = "do-not-disturb"  # the mode mako(5) names for it; a rep's config hides notifications in it


class MakoDoNotDisturbSignal:
    name = N_("mako do-not-disturb mode")
    reason = QuietReason.DO_NOT_DISTURB

    def __init__(self, bus: QDBusConnection | None = None) -> None:
        self._bus = _session(bus)
        if not has_service(self._bus, MAKO[0]) or self.is_quiet() is None:
            raise BackendUnavailable("the notification server is not mako 1.7+ (no ListModes)")  # i18n: not for reps

    def is_quiet(self) -> bool | None:
        values = call(self._bus, *MAKO, "ListModes")
        if not values or not isinstance(values[0], list):
            return None
        return MAKO_DO_NOT_DISTURB in values[0]


SWAYNC = ("org.erikreider.swaync.cc", "/org/erikreider/swaync/cc", "org.erikreider.swaync.cc")


class SwayncDoNotDisturbSignal:
    name = N_("SwayNotificationCenter do not disturb")
    reason = QuietReason.DO_NOT_DISTURB

    def __init__(self, bus: QDBusConnection | None = None) -> None:
        self._bus = _session(bus)
        if not has_service(self._bus, SWAYNC[0]) or self.is_quiet() is None:
            raise BackendUnavailable("no SwayNotificationCenter control center")  # i18n: not for reps

    def is_quiet(self) -> bool | None:
        values = call(self._bus, *SWAYNC, "GetDnd")
        return values[0] if values and isinstance(values[0], bool) else None


class XfceDoNotDisturbSignal:
    name = N_("XFCE notifications' do not disturb")
    reason = QuietReason.DO_NOT_DISTURB

    def __init__(self, bus: QDBusConnection | None = None, desktop: str | None = None) -> None:
        self._bus = _session(bus)
        # xfconfd starts on demand: ask it only on XFCE or when it already runs, never start it on another desktop.
        if "XFCE" not in (desktop or "").upper() and not has_service(self._bus, XFCONF[0]):
            raise BackendUnavailable("not an XFCE session")  # i18n: not for reps
        if self.is_quiet() is None:
            raise BackendUnavailable("xfconf answers no xfce4-notifyd /do-not-disturb")  # i18n: not for reps

    def is_quiet(self) -> bool | None:
        values = call(self._bus, *XFCONF, "GetProperty", "xfce4-notifyd", "/do-not-disturb")
        if values is None:
            # The property is absent until the rep first flips the switch: that is "off", if xfconfd answers.
            return False if call(self._bus, *XFCONF, "ListChannels") is not None else None
        value = values[0].variant() if hasattr(values[0], "variant") else values[0]
        return value if isinstance(value, bool) else None


class GnomeIdleInhibitedSignal:
    name = N_("GNOME session idle inhibitor (presenting or sharing)")
    reason = QuietReason.PRESENTING

    def __init__(self, bus: QDBusConnection | None = None) -> None:
        self._bus = _session(bus)
        if not has_service(self._bus, GNOME_SESSION[0]) or self.is_quiet() is None:
            raise BackendUnavailable("no org.gnome.SessionManager")  # i18n: not for reps

    def is_quiet(self) -> bool | None:
        # The InhibitedActions property carries the same bits as IsInhibited(flags) answers, without a uint32
        # argument to marshal (PySide6's QtDBus sends Python ints as int32, which IsInhibited refuses).
        actions = get_property(self._bus, *GNOME_SESSION, "InhibitedActions")
        return bool(actions & GNOME_INHIBIT_IDLE) if isinstance(actions, int) else None
