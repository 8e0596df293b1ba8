"""The Settings window's words: group titles and, per field, its label, help, unit and choice names.

One table, FIELD_TEXTS, marked with QT_TRANSLATE_NOOP and translated when shown; a field added to core/settings.py
without an entry still gets words made from its name (field_text).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from companion.core.i18n import LANGUAGE_NAMES

CONTEXT = "SettingsWindow"


def _t(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


@dataclass(frozen=True)
class FieldText:
    """The words for one setting. Strings are marked with QT_TRANSLATE_NOOP and translated when shown."""

    label: str
    help: str = ""
    suffix: str = ""  # after a number, with its leading space: " min"
    zero_text: str = ""  # shown instead of 0 where 0 means "off" or "forever"
    item_label: str = ""  # for a list of numbers: each one's name, with %1 for its 1-based position
    choices: dict[str, str] = field(default_factory=dict)
    managed: bool = False  # changed only through its own action (KeyControls), never by "Restore defaults"
    folder: bool = False  # a folder path: typed, or picked with a "Choose…" button


GROUP_TITLES: dict[str, str] = {
    "work": QT_TRANSLATE_NOOP("SettingsWindow", "Work"),
    "rough_calls": QT_TRANSLATE_NOOP("SettingsWindow", "Rough calls"),
    "checkins": QT_TRANSLATE_NOOP("SettingsWindow", "Check-ins"),
    "notifications": QT_TRANSLATE_NOOP("SettingsWindow", "Notifications"),
    "quiet": QT_TRANSLATE_NOOP("SettingsWindow", "Quiet times"),
    "hotkeys": QT_TRANSLATE_NOOP("SettingsWindow", "Hotkeys"),
    "privacy": QT_TRANSLATE_NOOP("SettingsWindow", "Privacy"),
    "startup": QT_TRANSLATE_NOOP("SettingsWindow", "Startup"),
    "export": QT_TRANSLATE_NOOP("SettingsWindow", "Exports"),
    "language": QT_TRANSLATE_NOOP("SettingsWindow", "Language"),
}

FIELD_TEXTS: dict[tuple[str, str], FieldText] = {
    ("quiet", "do_not_disturb"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Wait while do not disturb is on"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow",
            "Break reminders, cooldown offers and chimes wait until your desktop's do not "
            "disturb is off, as they wait for a call to end.",
        ),
    ),
    ("quiet", "full_screen"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Wait while a window is full screen"),
    ),
    ("quiet", "presenting"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Wait while the screen is shared or presented"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow",
            "On GNOME: while an application keeps the screen awake (a presentation, a screen share, a video call).",
        ),
    ),
    ("hotkeys", "tag_rough_call"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Tag a rough call"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "Works whichever window is in front. Like Ctrl+Alt+R; leave it empty for none."
        ),
    ),
    ("hotkeys", "on_a_call"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "I'm on a call (on and off)"),
        QT_TRANSLATE_NOOP("SettingsWindow", "Like Ctrl+Alt+K; leave it empty for none."),
    ),
    ("language", "language"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Language"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "Menus and windows opened after a change use the new language; open ones keep theirs."
        ),
        # Each language named in itself (not translated): a rep who cannot read the current one still finds theirs.
        choices={"": QT_TRANSLATE_NOOP("SettingsWindow", "The system's language"), **LANGUAGE_NAMES},
    ),
    ("work", "work_start"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Workday starts at"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "Breaks are suggested only within your working hours. Use 24-hour time, like 08:30."
        ),
    ),
    ("work", "work_end"): FieldText(QT_TRANSLATE_NOOP("SettingsWindow", "Workday ends at")),
    ("work", "work_days"): FieldText(QT_TRANSLATE_NOOP("SettingsWindow", "Working days")),
    ("work", "break_interval_minutes"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Suggest a break after"),
        QT_TRANSLATE_NOOP("SettingsWindow", "Minutes of steady work before Companion suggests stepping away."),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " min of work"),
    ),
    ("work", "break_length_minutes"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Break length"), suffix=QT_TRANSLATE_NOOP("SettingsWindow", " min")
    ),
    ("work", "natural_break_minutes"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Time away that counts as a break"),
        QT_TRANSLATE_NOOP("SettingsWindow", "Step away this long on your own and the break clock starts over."),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " min"),
    ),
    ("work", "idle_after_seconds"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Count me idle after"),
        QT_TRANSLATE_NOOP("SettingsWindow", "No keyboard or mouse for this long counts as idle, not as work."),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " s"),
    ),
    ("work", "postpone_minutes"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "\u201cLater\u201d postpones a break by"),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " min"),
    ),
    ("work", "postpone_limit_per_day"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Postpones allowed per day"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "Once they are used up, a break prompt no longer offers \u201cLater\u201d."
        ),
    ),
    ("work", "daily_notice_hours"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Tell me when today\u2019s work passes"),
        QT_TRANSLATE_NOOP("SettingsWindow", "A gentle note that the day has been long."),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " h"),
        zero_text=QT_TRANSLATE_NOOP("SettingsWindow", "Never"),
    ),
    ("rough_calls", "cooldown_seconds_by_severity"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Cooldown length by severity"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow",
            "How long the cooldown lasts after a rough call, from 1 (rough) to 5 (threatening or worse), in the "
            "tag panel's words.",
        ),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " s"),
        item_label=QT_TRANSLATE_NOOP("SettingsWindow", "Severity %1"),
    ),
    ("rough_calls", "escalation_count"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Rough calls before a longer pause"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "When this many rough calls come close together, Companion suggests a real break instead."
        ),
    ),
    ("rough_calls", "escalation_window_minutes"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "\u2026when they come within"),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " min"),
    ),
    ("rough_calls", "breathing_pattern"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Breathing exercise"),
        choices={
            "cyclic_sighing": QT_TRANSLATE_NOOP("SettingsWindow", "Cyclic sighing (double inhale, long exhale)"),
            "paced": QT_TRANSLATE_NOOP("SettingsWindow", "Paced breathing (in 4, out 6)"),
            "box": QT_TRANSLATE_NOOP("SettingsWindow", "Box breathing (4 in, 4 hold, 4 out, 4 hold)"),
            "four_seven_eight": QT_TRANSLATE_NOOP("SettingsWindow", "4-7-8 breathing"),
        },
    ),
    ("rough_calls", "reduced_motion"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Reduce motion"),
        QT_TRANSLATE_NOOP("SettingsWindow", "The breathing guide counts in words instead of moving."),
    ),
    ("rough_calls", "soft_tone"): FieldText(QT_TRANSLATE_NOOP("SettingsWindow", "Play a soft tone with each breath")),
    ("rough_calls", "reframing_prompts"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Offer a reframing thought after the exercise")
    ),
    ("rough_calls", "tray_click_action"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Clicking the tray icon"),
        choices={
            "menu": QT_TRANSLATE_NOOP("SettingsWindow", "Opens the menu"),
            "tag": QT_TRANSLATE_NOOP("SettingsWindow", "Tags a rough call"),
            "status": QT_TRANSLATE_NOOP("SettingsWindow", "Shows today\u2019s status"),
        },
    ),
    ("rough_calls", "support_contact"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Someone you can turn to"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow",
            "A supervisor, a colleague or an employee assistance line, with a number if you like. Companion shows "
            "it to you after a threatening call or several rough ones in a row. It stays on this computer.",
        ),
    ),
    ("checkins", "morning_checkin"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Morning check-in"),
        QT_TRANSLATE_NOOP("SettingsWindow", "Mood, energy and one intention, at the first activity of the day."),
    ),
    ("checkins", "end_of_day_ritual"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "End-of-day wrap-up"),
        QT_TRANSLATE_NOOP("SettingsWindow", "A win, something you are grateful for, and what to pick up tomorrow."),
    ),
    ("checkins", "weekly_summary_nudge"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Tell me when my weekly summary is ready")
    ),
    ("notifications", "enabled"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Show notifications"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow",
            "Notes Companion sends on its own, such as a long day or your weekly summary being ready. "
            "Prompts that need a choice, and answers to what you asked for, still appear.",
        ),
    ),
    ("notifications", "sound"): FieldText(QT_TRANSLATE_NOOP("SettingsWindow", "Play a soft chime with notifications")),
    ("privacy", "key_storage"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Keep the journal key in"),
        QT_TRANSLATE_NOOP("SettingsWindow", "Your journal is always encrypted. This chooses what opens it."),
        choices={
            "keyring": QT_TRANSLATE_NOOP("SettingsWindow", "The system keyring (opens by itself)"),
            "passphrase": QT_TRANSLATE_NOOP("SettingsWindow", "A passphrase I type"),
        },
        managed=True,
    ),
    ("privacy", "auto_lock_minutes"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Lock the journal when I\u2019m away for"),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " min"),
        zero_text=QT_TRANSLATE_NOOP("SettingsWindow", "Never"),
    ),
    ("privacy", "retention_months"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Keep activity history for"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "Older activity times are removed when Companion starts. Your journal is never removed."
        ),
        suffix=QT_TRANSLATE_NOOP("SettingsWindow", " months"),
        zero_text=QT_TRANSLATE_NOOP("SettingsWindow", "Forever"),
    ),
    ("startup", "start_at_login"): FieldText(QT_TRANSLATE_NOOP("SettingsWindow", "Start Companion when I log in")),
    ("export", "last_folder"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Save exports in"),
        QT_TRANSLATE_NOOP(
            "SettingsWindow", "Where the save dialog opens; the weekly summary remembers the last folder you used."
        ),
        folder=True,
    ),
    ("export", "include_highlights"): FieldText(
        QT_TRANSLATE_NOOP("SettingsWindow", "Include journal highlights in weekly exports"),
        QT_TRANSLATE_NOOP("SettingsWindow", "Off keeps exports to times and counts, nothing you wrote."),
    ),
}


def field_text(group: str, key: str) -> FieldText:
    """The table's words, or words made from the field's name for a field added without an entry yet."""
    return FIELD_TEXTS.get((group, key)) or FieldText(key.replace("_", " ").capitalize())


def problem_sentence(error: ValueError) -> str:
    """The core says "must be between 10 and 240"; beside a field that reads best as a sentence."""
    text = str(error).strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
