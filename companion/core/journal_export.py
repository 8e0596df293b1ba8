"""Exporting the journal, only when the rep asks: Markdown to read, JSON to keep or move. Neither is encrypted."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from companion import __version__
from companion.core.journal import CheckIn, Closing, EntryKind, JournalEntry, content_to_dict
from companion.core.text import date_text

FORMATS = {"markdown": ".md", "json": ".json"}
NOT_ENCRYPTED_WARNING = (
    "The exported file is not encrypted: anyone who can open it can read every entry. Keep it somewhere private "
    "and delete it when you no longer need it."
)
_HEADINGS = {
    EntryKind.CHECKIN: "Check-in",
    EntryKind.CLOSING: "Closing the day",
    EntryKind.WIN: "Win",
    EntryKind.GRATITUDE: "Gratitude",
    EntryKind.REFLECTION: "Reflection",
    EntryKind.NOTE: "Note",
}


def _oldest_first(entries: Iterable[JournalEntry]) -> list[JournalEntry]:
    return sorted(entries, key=lambda entry: entry.created_utc)


def to_markdown(entries: Iterable[JournalEntry]) -> str:
    lines = ["# My Companion journal", "", f"> {NOT_ENCRYPTED_WARNING}", ""]
    day: date | None = None
    for entry in _oldest_first(entries):
        if entry.day != day:
            day = entry.day
            lines += [f"## {date_text(day, weekday=True)}", ""]
        lines += [f"### {entry.local_time:%H:%M} · {_HEADINGS[entry.kind]}", ""]
        lines += _markdown_body(entry)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _markdown_body(entry: JournalEntry) -> list[str]:
    content = entry.content
    if isinstance(content, CheckIn):
        body = [f"- Mood: {content.mood}/5", f"- Energy: {content.energy}/5"]
        return body + ([f"- Intention: {content.intention}"] if content.intention else [])
    if isinstance(content, Closing):
        body = [f"- The day: {content.day_rating}/5"]
        for thing in content.good_things:
            body.append(f"- Good: {thing.what}" + (f" (why: {thing.why})" if thing.why else ""))
        return body + ([f"- For tomorrow: {content.pick_up}"] if content.pick_up else [])
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
    raise ValueError(f"unknown export format {fmt!r}")
