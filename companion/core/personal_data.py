"""A gentle check for a customer's details in the rep's own note: the log is about the rep, not the customer.

It only says what it noticed; the rep decides. False alarms are fine, the wording never scolds.
"""

from __future__ import annotations

import re
from enum import Enum


class PersonalHint(Enum):
    EMAIL = "email"
    PHONE = "phone"
    NAME = "name"


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Seven or more digits, allowing the spaces, dots, dashes and brackets people write numbers with.
_PHONE = re.compile(r"(?<!\w)\+?\(?\d[\d\s().-]{5,}\d(?!\w)")
# A capitalised word, accents included (Élodie, Ángela, Ørsted).
_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][\w'-]+"
# Titles in the languages Companion speaks. "M." (monsieur) only with its dot: a bare M is too common.
_TITLE_NAME = re.compile(
    r"\b(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Madam|Herr|Frau|Hr|Fr|Mme|Mlle|Monsieur|Madame"  # i18n: not for reps
    r"|Sr|Sra|Srta|Señor|Señora|Señorita|Don|Doña|Dona|Senhor|Senhora|Srª)\.?|M\.)\s+" + _CAPITALISED
)
# The lead words in any case, the name itself capitalised ("named Dana", "her name was Dana", "sie heißt Dana",
# "elle s'appelle Dana", "se llama Dana", "se chama Dana").
_NAMED = re.compile(
    r"\b(?i:(?:her|his|their|customer'?s?|caller'?s?)\s+name\s+(?:is|was)"  # i18n: not for reps
    r"|named|called|heißt|hieß|s'appelle|s'appelait|se\s+llama(?:ba)?|se\s+chama(?:va)?)\s+" + _CAPITALISED
)


def personal_hints(text: str) -> list[PersonalHint]:
    """What in `text` looks like a customer's email address, phone number or name, in that order."""
    found = []
    if _EMAIL.search(text):
        found.append(PersonalHint.EMAIL)
    if any(sum(ch.isdigit() for ch in match.group()) >= 7 for match in _PHONE.finditer(text)):
        found.append(PersonalHint.PHONE)
    if _TITLE_NAME.search(text) or _NAMED.search(text):
        found.append(PersonalHint.NAME)
    return found
