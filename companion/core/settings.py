"""Settings: typed dataclasses with defaults in code, saved as versioned JSON, saved values merged over defaults.

A bad value (wrong type, out of range, unknown choice) falls back to the default for that key only, and the
problem is reported so it reaches the log; the rest of the file is kept.
"""

from __future__ import annotations

import json
import logging
import math
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from companion.core.i18n import LANGUAGES, _, ngettext
from companion.core.paths import write_private_atomically
from companion.core.settings_file import MAX_SETTINGS_BYTES, parse_bounded_json, saved_language

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1
_HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _range(low: float, high: float) -> dict[str, Any]:
    return {"min": low, "max": high}


def _choices(*values: str) -> dict[str, Any]:
    return {"choices": values}


@dataclass(frozen=True)
class WorkSettings:
    work_start: str = field(default="09:00", metadata={"pattern": _HH_MM})
    work_end: str = field(default="17:30", metadata={"pattern": _HH_MM})
    work_days: tuple[int, ...] = field(default=(0, 1, 2, 3, 4), metadata={"item_range": (0, 6)})
    break_interval_minutes: int = field(default=50, metadata=_range(10, 240))
    break_length_minutes: int = field(default=5, metadata=_range(1, 60))
    natural_break_minutes: int = field(default=5, metadata=_range(1, 60))
    idle_after_seconds: int = field(default=120, metadata=_range(30, 1800))
    postpone_minutes: int = field(default=5, metadata=_range(1, 60))
    postpone_limit_per_day: int = field(default=3, metadata=_range(0, 20))
    daily_notice_hours: float = field(default=7.5, metadata=_range(0, 16))


@dataclass(frozen=True)
class RoughCallSettings:
    cooldown_seconds_by_severity: tuple[int, ...] = field(
        default=(60, 90, 120, 180, 300), metadata={"length": 5, "item_range": (30, 1800)}
    )
    escalation_count: int = field(default=3, metadata=_range(2, 20))
    escalation_window_minutes: int = field(default=60, metadata=_range(10, 480))
    breathing_pattern: str = field(
        default="cyclic_sighing", metadata=_choices("cyclic_sighing", "paced", "box", "four_seven_eight")
    )
    reduced_motion: bool = False
    soft_tone: bool = False
    reframing_prompts: bool = True
    tray_click_action: str = field(default="menu", metadata=_choices("menu", "tag", "status"))
    # Who the rep can turn to after a very hard call (a supervisor, an employee assistance line). Shown to the
    # rep after a severity 5 call or several in a row; never sent anywhere.
    support_contact: str = ""


@dataclass(frozen=True)
class CheckinSettings:
    morning_checkin: bool = True
    end_of_day_ritual: bool = True
    weekly_summary_nudge: bool = True


@dataclass(frozen=True)
class NotificationSettings:
    enabled: bool = True
    sound: bool = False


@dataclass(frozen=True)
class QuietSettings:
    """Which desktop signals hold prompts and sounds back (core/quiet.py); each field is a QuietReason value."""

    do_not_disturb: bool = True
    full_screen: bool = True
    presenting: bool = True


# A global key combination as Qt writes it ("Ctrl+Alt+R"): modifiers, then one key; empty turns it off.
HOTKEY = re.compile(
    r"^((Ctrl|Alt|Shift|Meta)\+)*[A-Za-z0-9]$|^((Ctrl|Alt|Shift|Meta)\+)*F([1-9]|1[0-2])$|^$"  # i18n: not for reps
)


@dataclass(frozen=True)
class HotkeySettings:
    """Keys that work anywhere on the desktop, not only in Companion's windows (features/hotkeys.py)."""

    tag_rough_call: str = field(default="Ctrl+Alt+R", metadata={"hotkey": HOTKEY})  # i18n: not for reps
    on_a_call: str = field(default="Ctrl+Alt+K", metadata={"hotkey": HOTKEY})  # i18n: not for reps


@dataclass(frozen=True)
class PrivacySettings:
    key_storage: str = field(default="keyring", metadata=_choices("keyring", "passphrase"))
    auto_lock_minutes: int = field(default=15, metadata=_range(0, 480))
    retention_months: int = field(default=0, metadata=_range(0, 120))


@dataclass(frozen=True)
class StartupSettings:
    start_at_login: bool = False


@dataclass(frozen=True)
class ExportSettings:
    last_folder: str = ""
    include_highlights: bool = False


@dataclass(frozen=True)
class LanguageSettings:
    # "" follows the system's language (core/i18n.py); otherwise one of the shipped catalogues.
    language: str = field(default="", metadata=_choices("", *LANGUAGES))


@dataclass(frozen=True)
class Settings:
    work: WorkSettings = field(default_factory=WorkSettings)
    rough_calls: RoughCallSettings = field(default_factory=RoughCallSettings)
    checkins: CheckinSettings = field(default_factory=CheckinSettings)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    quiet: QuietSettings = field(default_factory=QuietSettings)
    hotkeys: HotkeySettings = field(default_factory=HotkeySettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    startup: StartupSettings = field(default_factory=StartupSettings)
    export: ExportSettings = field(default_factory=ExportSettings)
    language: LanguageSettings = field(default_factory=LanguageSettings)

    def with_value(self, group: str, key: str, value: Any) -> Settings:
        """A copy with one value changed, after validating it; raises ValueError with a sentence."""
        section = getattr(self, group)
        spec = {f.name: f for f in fields(section)}[key]
        checked = validate_value(spec, value, typing.get_type_hints(type(section))[key])
        return replace(self, **{group: replace(section, **{key: checked})})


def validate_value(spec: Any, value: Any, hint: Any) -> Any:
    """Coerce and check one value against its field's type and metadata; raise ValueError if it does not fit.

    The reason is in the rep's language: Settings shows it beside the field, as a sentence (ui/settings_texts.py
    capitalises it and adds the full stop); the log gets it after the setting's name.
    """
    meta = spec.metadata
    origin = typing.get_origin(hint)
    if hint is bool:
        if not isinstance(value, bool):
            # TRANSLATORS: said of a setting, beside it in Settings ("Must be true or false."): no subject, no stop.
            raise ValueError(_("must be true or false"))
        return value
    if hint is int or hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(_("must be a number"))
        try:
            if not math.isfinite(value) or (hint is int and float(value) != int(value)):
                raise ValueError(_("must be a whole number") if hint is int else _("must be a finite number"))
            number = hint(value)
        except OverflowError:
            raise ValueError(_("is far too large")) from None
        if "min" in meta and not meta["min"] <= number <= meta["max"]:
            raise ValueError(_("must be between {low} and {high}").format(low=meta["min"], high=meta["max"]))
        return number
    if hint is str:
        if not isinstance(value, str):
            raise ValueError(_("must be text"))
        if "choices" in meta and value not in meta["choices"]:
            raise ValueError(_("must be one of {choices}").format(choices=", ".join(meta["choices"])))
        if "hotkey" in meta and not meta["hotkey"].match(value):
            raise ValueError(_("must be modifiers and one letter, digit or F-key, like Ctrl+Alt+R, or empty for none"))
        if "pattern" in meta and not meta["pattern"].match(value):
            raise ValueError(_("must be a time like 09:00"))
        return value
    if origin is tuple:
        if not isinstance(value, list | tuple) or not all(
            isinstance(item, int) and not isinstance(item, bool) for item in value
        ):
            raise ValueError(_("must be a list of whole numbers"))
        if "length" in meta and len(value) != meta["length"]:
            count = meta["length"]
            raise ValueError(ngettext("must have {count} value", "must have {count} values", count).format(count=count))
        if "item_range" in meta:
            low, high = meta["item_range"]
            if not all(low <= item <= high for item in value):
                raise ValueError(_("values must be between {low} and {high}").format(low=low, high=high))
        return tuple(value)
    raise TypeError(f"unsupported settings type {hint!r}")  # a programming error, not bad input


def _section_from_dict(cls: type, raw: Any, group: str, problems: list[str]) -> Any:
    """One group of settings; what did not fit is added to `problems`, which only reach the log (read_settings)."""
    default = cls()
    if not isinstance(raw, dict):
        problems.append(f"settings group '{group}' is not an object; using defaults for it")  # i18n: not for reps
        return default
    hints = typing.get_type_hints(cls)
    values = {}
    known = {f.name: f for f in fields(cls)}
    for key, value in raw.items():
        if key not in known:
            problems.append(f"unknown setting '{group}.{key}' ignored")  # i18n: not for reps
            continue
        try:
            values[key] = validate_value(known[key], value, hints[key])
        except ValueError as error:
            fallback = getattr(default, key)
            problems.append(f"setting '{group}.{key}' {error}; using the default {fallback!r}")  # i18n: not for reps
    return replace(default, **values)


def settings_from_dict(raw: Any) -> tuple[Settings, list[str]]:
    problems: list[str] = []
    if not isinstance(raw, dict):
        return Settings(), ["settings file is not a JSON object; using defaults"]  # i18n: not for reps
    version = raw.get("version", SETTINGS_VERSION)
    if version != SETTINGS_VERSION:
        expected = SETTINGS_VERSION
        problems.append(f"settings file version {version!r} is not {expected}; reading what fits")  # i18n: not for reps
    groups = {}
    hints = typing.get_type_hints(Settings)
    for f in fields(Settings):
        if f.name in raw:
            groups[f.name] = _section_from_dict(hints[f.name], raw[f.name], f.name, problems)
    for key in raw:
        if key != "version" and key not in hints:
            problems.append(f"unknown settings group '{key}' ignored")  # i18n: not for reps
    return Settings(**groups), problems


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    out: dict[str, Any] = {"version": SETTINGS_VERSION}
    for f in fields(settings):
        section = getattr(settings, f.name)
        assert is_dataclass(section)
        out[f.name] = {
            s.name: list(v) if isinstance(v := getattr(section, s.name), tuple) else v for s in fields(section)
        }
    return out


def load_settings(path: Path) -> Settings:
    """Read settings; a missing file means defaults, a broken one means defaults for what is broken."""
    return read_settings(path)[0]


def read_settings(path: Path) -> tuple[Settings, str | None]:
    """The settings, and a sentence for the rep when the file as a whole could not be used (else None).

    Any file is survived: too large, nested too deep, numbers beyond a float (`1e400`), text that is not JSON.
    """
    settings, sentence, problems = _read_settings(path)
    if sentence is not None:
        log.warning("%s", sentence)
    for problem in problems:
        log.warning("%s (in %s)", problem, path)
    return settings, sentence


def _read_settings(path: Path) -> tuple[Settings, str | None, list[str]]:
    """read_settings without the logging: the settings, the rep's sentence if the whole file was unusable, and
    the problems with single values."""
    try:
        if not path.exists():
            return Settings(), None, []
        data = path.read_bytes()[: MAX_SETTINGS_BYTES + 1]
    except OSError as error:
        why = _("Companion could not use its settings file {path}: it could not be read ({error}).")
        return Settings(), _unusable(why.format(path=path, error=error.strerror or error)), []
    if len(data) > MAX_SETTINGS_BYTES:
        why = _("Companion could not use its settings file {path}: it is larger than {size} KB.")
        return Settings(), _unusable(why.format(path=path, size=MAX_SETTINGS_BYTES // 1024)), []
    try:
        raw = parse_bounded_json(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        why = _(
            "Companion could not use its settings file {path}: it is not a settings file Companion can read ({error})."
        )
        return Settings(), _unusable(why.format(path=path, error=str(error)[:120])), []
    settings, problems = settings_from_dict(raw)
    return settings, None, problems


def _unusable(why: str) -> str:
    """The whole sentence for a settings file that could not be used: why, then what Companion did about it."""
    return why + " " + _("It started with the default settings; changing a setting writes a fresh file.")


def save_settings(settings: Settings, path: Path) -> None:
    text = json.dumps(settings_to_dict(settings), indent=2, sort_keys=True) + "\n"
    write_private_atomically(path, text.encode("utf-8"))


__all__ = [
    "CheckinSettings",
    "ExportSettings",
    "HotkeySettings",
    "LanguageSettings",
    "NotificationSettings",
    "PrivacySettings",
    "QuietSettings",
    "RoughCallSettings",
    "Settings",
    "SettingsHolder",
    "StartupSettings",
    "WorkSettings",
    "load_settings",
    "save_settings",
    "saved_language",
    "settings_from_dict",
    "settings_to_dict",
]


class SettingsHolder:
    """The current settings, saved on every change, with listeners so a change applies without a restart."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.current, self.problem = read_settings(path)  # problem: a sentence for the rep, or None
        self._listeners: list[Callable[[Settings], None]] = []

    def subscribe(self, listener: Callable[[Settings], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Settings], None]) -> None:
        """For a listener that goes away before the app does (a window that is closed and deleted)."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def update(self, settings: Settings) -> None:
        save_settings(settings, self.path)
        self.current = settings
        for listener in list(self._listeners):
            listener(settings)
