"""Exporting the journal, only when the rep asks: Markdown to read, JSON to keep or move. Neither is encrypted.

The Markdown is for the rep, in their language (dates and times too); the JSON's keys and warning stay English,
for the scripts and tools that read it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from companion import __version__
from companion.core.i18n import N_, _
from companion.core.journal import CheckIn, Closing, EntryKind, JournalEntry, content_to_dict
from companion.core.text import date_text, time_text

FORMATS = {"markdown": ".md", "json": ".json"}
NOT_ENCRYPTED_WARNING = N_(
    "The exported file is not encrypted: anyone who can open it can read every entry. Keep it somewhere private "
    "and delete it when you no longer need it."
)
_HEADINGS = {
    EntryKind.CHECKIN: N_("Check-in"),
    EntryKind.CLOSING: N_("Closing the day"),
    EntryKind.WIN: N_("Win"),
    EntryKind.GRATITUDE: N_("Gratitude"),
    EntryKind.REFLECTION: N_("Reflection"),
    EntryKind.NOTE: N_("Note"),
}


def _oldest_first(entries: Iterable[JournalEntry]) -> list[JournalEntry]:
    return sorted(entries, key=lambda entry: entry.created_utc)


def to_markdown(entries: Iterable[JournalEntry]) -> str:
    lines = ["# " + _("My Companion journal"), "", f"> {_(NOT_ENCRYPTED_WARNING)}", ""]
    day: date | None = None
    for entry in _oldest_first(entries):
        if entry.day != day:
            day = entry.day
            lines += [f"## {date_text(day, weekday=True)}", ""]
        lines += [f"### {time_text(entry.local_time)} · {_(_HEADINGS[entry.kind])}", ""]
        lines += _markdown_body(entry)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _markdown_body(entry: JournalEntry) -> list[str]:
    content = entry.content
    if isinstance(content, CheckIn):
        items = [_("Mood: {mood}/5").format(mood=content.mood), _("Energy: {energy}/5").format(energy=content.energy)]
        if content.intention:
            items.append(_("Intention: {intention}").format(intention=content.intention))
        return [f"- {item}" for item in items]
    if isinstance(content, Closing):
        items = [_("The day: {rating}/5").format(rating=content.day_rating)]
        for thing in content.good_things:
            if thing.why:
                items.append(_("Good: {what} (why: {why})").format(what=thing.what, why=thing.why))
            else:
                items.append(_("Good: {what}").format(what=thing.what))
        if content.pick_up:
            items.append(_("For tomorrow: {pick_up}").format(pick_up=content.pick_up))
        return [f"- {item}" for item in items]
    body = [content.text]
    return body + (["", " ".join(f"#{tag}" for tag in content.tags)] if content.tags else [])


def to_json(entries: Iterable[JournalEntry]) -> str:
    document = {
        "format": "companion-journal",
        "version": 1,
        "app_version": __version__,
        "warning": NOT_ENCRYPTED_WARNING,
        "entries": [
            {
                "id": entry.uid,
                "kind": entry.kind.value,
                "created": entry.local_time.isoformat(timespec="seconds"),
                "updated_utc": entry.updated_utc,
                "rough_call_id": entry.rough_call_id,
                "cooldown_id": entry.cooldown_id,
                "content": content_to_dict(entry.content),
            }
            for entry in _oldest_first(entries)
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render(entries: Iterable[JournalEntry], fmt: str) -> str:
    if fmt == "markdown":
        return to_markdown(entries)
    if fmt == "json":
        return to_json(entries)
    raise ValueError(f"unknown export format {fmt!r}")  # i18n: not for reps (a caller's mistake)
