"""The words a rep reads for the core's stable keys: categories of a rough call and the five severities.

One home for them, so the tag panel, Settings, the week in review and its exports say the same thing. CSV and
JSON keep the stable key and add the label beside it; everywhere a person reads, only the label appears.
"""

from __future__ import annotations

from companion.core.text import counted

# The built-in categories (companion.core.rough_calls.CATEGORIES), as the tag panel's chips say them.
CATEGORY_LABELS: dict[str, str] = {
    "yelling": "Yelling",
    "insults": "Insults",
    "threats": "Threats",
    "heavy_story": "Heavy story",
    "unreasonable_demand": "Unreasonable demand",
    "blamed_me": "Blamed me personally",
    "repeated_escalation": "Repeated escalation",
}

SEVERITY_WORDS: dict[int, str] = {1: "rough", 2: "tough", 3: "hostile", 4: "abusive", 5: "threatening or worse"}


def category_label(key: str) -> str:
    """'blamed_me' -> 'Blamed me personally'; the rep's own words come back as they were typed."""
    return CATEGORY_LABELS.get(key, key)


def severity_label(level: int) -> str:
    """'5 threatening or worse': the number and the word, as the tag panel shows them."""
    return f"{level} {SEVERITY_WORDS[level]}"


def count_noun(count: int, singular: str, plural: str | None = None) -> str:
    """'0 intentions', '1 intention', '2 intentions': a count with its noun, in English (core.text.counted)."""
    return counted(count, singular, plural or singular + "s")


def support_sentence(severity: int, escalated: bool, contact: str) -> str:
    """A short, kind line after a threatening call (severity 5) or several rough ones in a row; empty otherwise.

    It points to a person, never to Companion: the rep does not have to carry this alone."""
    if severity < 5 and not escalated:
        return ""
    sentence = "You don't have to carry this one alone."
    contact = " ".join(contact.split())
    if contact:
        return f"{sentence} You could talk to {contact}."
    return f"{sentence} Talking it over with your supervisor or someone you trust can help."
