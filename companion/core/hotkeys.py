"""Global hotkeys: which actions have one, what a key combination text means, and how each desktop writes it.

The Settings values are Qt's portable text ("Ctrl+Alt+R"); the backends in companion/platform/hotkey_*.py turn a
parsed Hotkey into their own terms (X11 keysym and modifier mask, a Windows virtual key, a Carbon key code, a
portal trigger, a GNOME accelerator).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol, runtime_checkable

from companion.core.i18n import N_
from companion.core.settings import HOTKEY, HotkeySettings


class Modifier(Enum):
    CTRL = "Ctrl"
    ALT = "Alt"
    SHIFT = "Shift"
    META = "Meta"  # the Super / Windows / Command key


@dataclass(frozen=True)
class Hotkey:
    modifiers: frozenset[Modifier]
    key: str  # one upper-case letter, a digit, or F1..F12

    @property
    def text(self) -> str:
        order = [m for m in Modifier if m in self.modifiers]
        return "+".join([*(m.value for m in order), self.key])

    @property
    def gnome_accelerator(self) -> str:
        """GNOME's form: "<Primary><Alt>r" (GTK accelerator names; Super for Meta)."""
        names = {Modifier.CTRL: "<Primary>", Modifier.ALT: "<Alt>", Modifier.SHIFT: "<Shift>", Modifier.META: "<Super>"}
        key = self.key.lower() if len(self.key) == 1 else self.key
        return "".join(names[m] for m in Modifier if m in self.modifiers) + key

    @property
    def portal_trigger(self) -> str:
        """The XDG shortcuts specification's form ("CTRL+ALT+r"), the portal's preferred_trigger."""
        names = {Modifier.CTRL: "CTRL", Modifier.ALT: "ALT", Modifier.SHIFT: "SHIFT", Modifier.META: "LOGO"}
        key = self.key.lower() if len(self.key) == 1 else self.key
        return "+".join([*(names[m] for m in Modifier if m in self.modifiers), key])


def parse_hotkey(text: str) -> Hotkey | None:
    """None for "" (turned off); ValueError for text the Settings validation would refuse."""
    text = text.strip()
    if not text:
        return None
    if not HOTKEY.match(text):
        raise ValueError(f"not a key combination: {text!r}")  # i18n: not for reps
    *mods, key = text.split("+")
    return Hotkey(frozenset(Modifier(m) for m in mods), key.upper() if len(key) == 1 else key)


class HotkeyAction(Enum):
    """Each action's value is its socket command and its HotkeySettings field is named below."""

    TAG = "tag"
    CALL = "call"


ACTION_SETTING = {HotkeyAction.TAG: "tag_rough_call", HotkeyAction.CALL: "on_a_call"}
ACTION_LABEL = {HotkeyAction.TAG: N_("Tag a rough call"), HotkeyAction.CALL: N_("I'm on a call")}  # shown with _()
ACTION_ARGUMENTS = {HotkeyAction.TAG: ["tag"], HotkeyAction.CALL: ["call"]}


def wanted_hotkeys(settings: HotkeySettings) -> dict[HotkeyAction, Hotkey]:
    wanted = {}
    for action, field_name in ACTION_SETTING.items():
        hotkey = parse_hotkey(getattr(settings, field_name))
        if hotkey is not None:
            wanted[action] = hotkey
    return wanted


def bind_command(action: HotkeyAction, program: list[str]) -> str:
    """The exact command a rep binds to the key in the desktop's own keyboard settings."""
    return shlex.join([*program, *ACTION_ARGUMENTS[action]])


class HotkeyBackend(Protocol):
    """Binds keys that work while any application has the focus; companion/platform/hotkey_*.py."""

    name: str

    def bind(self, hotkey: Hotkey, callback: Callable[[], None], description: str = "") -> bool | None:
        """True when the key is really bound now; False when the desktop refused it (another program holds it);
        None when the desktop answers later (the portal): the backend then calls its `on_change` and `is_bound`
        says what was granted."""
        ...

    def unbind_all(self) -> None: ...

    def close(self) -> None: ...


@runtime_checkable
class AnswersLater(Protocol):
    """A backend whose desktop grants keys after `bind` returned None (the portal, once the rep confirms)."""

    on_change: Callable[[], None]  # set by the hotkeys feature; called when the desktop has answered

    def is_bound(self, hotkey: Hotkey) -> bool: ...


@dataclass(frozen=True)
class HotkeyState:
    """One action's hotkey as Settings shows it."""

    action: HotkeyAction
    keys: str  # as set in Settings; "" when turned off
    bound: bool  # True only when the key really works outside Companion's windows now
    problem: str  # why it is not bound, as a sentence; "" when bound or turned off
    command: str  # the command to bind by hand in the desktop's keyboard settings
