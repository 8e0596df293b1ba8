"""The settings file as text: bounded JSON reading, and the one value the command line needs before anything else.

Kept apart from core/settings.py (the typed dataclasses, about 35 ms to import) so that `companion tag` from a
keyboard shortcut can speak the rep's language without building every settings class first.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from companion.core.i18n import LANGUAGES, _, ngettext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (4 ms): `companion tag` loads this module
if TYPE_CHECKING:
    from typing import Any

MAX_SETTINGS_BYTES = 256 * 1024  # a real settings file is about 2 KB
MAX_SETTINGS_DEPTH = 32  # a real one nests 2 deep
# A JSON string (skipped whole, escapes included) or one bracket: brackets inside strings do not nest.
_BRACKETS_OUTSIDE_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def saved_language(path: Path) -> str:
    """The language chosen in Settings ("" = the system's), read without a word to the log: the command line asks
    before anything else, to speak the rep's language; a broken file is the tray app's to report.

    The same answer as `read_settings(path)[0].language.language` (a test compares the two on broken files too):
    whatever the typed settings would not accept reads as "".
    """
    try:
        data = path.read_bytes()[: MAX_SETTINGS_BYTES + 1]
    except OSError:
        return ""
    if len(data) > MAX_SETTINGS_BYTES:
        return ""
    try:
        raw = parse_bounded_json(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return ""
    section = raw.get("language") if isinstance(raw, dict) else None
    chosen = section.get("language") if isinstance(section, dict) else None
    return chosen if isinstance(chosen, str) and chosen in LANGUAGES else ""


def parse_bounded_json(text: str, max_depth: int = MAX_SETTINGS_DEPTH) -> Any:
    """json.loads with nesting and numbers bounded: deeper than `max_depth`, NaN, Infinity or a number beyond a
    float raise ValueError instead of RecursionError or OverflowError later. The reason is in the rep's language
    (read_settings shows it in brackets)."""
    depth = deepest = 0
    for match in _BRACKETS_OUTSIDE_STRINGS.finditer(text):
        token = match.group(0)
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > max_depth:
                raise ValueError(
                    ngettext(
                        "nested deeper than {max_depth} level", "nested deeper than {max_depth} levels", max_depth
                    ).format(max_depth=max_depth)
                )
        elif token in "]}":
            depth -= 1
    return json.loads(text, parse_float=_finite_float, parse_constant=_no_constant)


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(_("the number {text} is too large").format(text=text[:20]))
    return number


def _no_constant(name: str) -> float:
    raise ValueError(_("{name} is not a number Companion accepts").format(name=name))
