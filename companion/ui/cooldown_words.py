"""The cooldown's words: the breathing patterns and presets by name, each breath's phase, lengths as people say
them. Translated when asked for (the rep may have changed language since the module was imported)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from companion.core.cooldown import PhaseKind, Preset

CONTEXT = "CooldownWindow"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def pattern_names() -> dict[str, str]:
    return {
        "cyclic_sighing": _tr("Cyclic sighing"),
        "paced": _tr("Paced, 4 in and 6 out"),
        "box": _tr("Box, 4-4-4-4"),
        "four_seven_eight": _tr("4-7-8, four rounds"),
    }


def pattern_descriptions() -> dict[str, str]:
    return {
        "cyclic_sighing": _tr(
            "Breathe in through your nose, top up with a second short breath in, then let it all out slowly."
        ),
        "paced": _tr("In for four, out for six: about six breaths a minute."),
        "box": _tr("In, hold, out, hold: four seconds each."),
        "four_seven_eight": _tr("In for four, hold for seven, out for eight. Stop if you feel light-headed."),
    }


def phase_words(kind: PhaseKind, pattern: str) -> str:
    long_out = pattern in ("cyclic_sighing", "four_seven_eight")
    return {
        PhaseKind.INHALE: _tr("Breathe in"),
        PhaseKind.TOP_UP: _tr("Top up"),
        PhaseKind.HOLD_FULL: _tr("Hold"),
        PhaseKind.EXHALE: _tr("Long breath out") if long_out else _tr("Breathe out"),
        PhaseKind.HOLD_EMPTY: _tr("Rest"),
    }[kind]


def preset_names() -> dict[Preset, str]:
    return {Preset.RESET_60: _tr("1 min reset"), Preset.DEFAULT_180: _tr("3 min"), Preset.FULL_300: _tr("5 min")}


def spoken_seconds(seconds: float) -> str:
    """90 -> '1½ min', 120 -> '2 min', 45 -> '45 s': how long, as the rep would say it."""
    if seconds < 60:
        return _tr("{seconds} s").format(seconds=round(seconds))
    minutes, rest = divmod(round(seconds), 60)
    if rest == 0:
        return _tr("{minutes} min").format(minutes=minutes)
    if rest == 30:
        return _tr("{minutes}½ min").format(minutes=minutes)
    return _tr("{minutes} min {seconds} s").format(minutes=minutes, seconds=rest)


def clock_text(seconds: float) -> str:
    """'1:05': the time left in the exercise, as a clock shows it."""
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"
