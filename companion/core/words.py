"""The words a rep reads for the core's stable keys: categories of a rough call and the five severities.

One home for them, so the tag panel, Settings, the week in review and its exports say the same thing. CSV and
JSON keep the stable key and add the label beside it; everywhere a person reads, only the label appears.
The tables hold the English, marked with N_; `category_label` and `severity_label` translate when they are shown.
"""

from __future__ import annotations

from companion.core.i18n import N_, _

# The built-in categories (companion.core.rough_calls.CATEGORIES), as the tag panel's chips say them.
CATEGORY_LABELS: dict[str, str] = {
    "yelling": N_("Yelling"),
    "insults": N_("Insults"),
    "threats": N_("Threats"),
    "heavy_story": N_("Heavy story"),
    "unreasonable_demand": N_("Unreasonable demand"),
    "blamed_me": N_("Blamed me personally"),
    "repeated_escalation": N_("Repeated escalation"),
}

SEVERITY_WORDS: dict[int, str] = {
    1: N_("rough"),
    2: N_("tough"),
    3: N_("hostile"),
    4: N_("abusive"),
    5: N_("threatening or worse"),
}


def category_label(key: str) -> str:
    """'blamed_me' -> 'Blamed me personally'; the rep's own words come back as they were typed."""
    label = CATEGORY_LABELS.get(key)
    return key if label is None else _(label)


def severity_label(level: int) -> str:
    """'5 threatening or worse': the number and the word, as the tag panel shows them."""
    return _("{level} {word}").format(level=level, word=_(SEVERITY_WORDS[level]))


def support_sentence(severity: int, escalated: bool, contact: str) -> str:
    """A short, kind line after a threatening call (severity 5) or several rough ones in a row; empty otherwise.

    It points to a person, never to Companion: the rep does not have to carry this alone."""
    if severity < 5 and not escalated:
        return ""
    contact = " ".join(contact.split())
    if contact:
        return _("You don't have to carry this one alone. You could talk to {contact}.").format(contact=contact)
    return _(
        "You don't have to carry this one alone. Talking it over with your supervisor or someone you trust can help."
    )
