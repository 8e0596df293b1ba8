"""The gentle check for a customer's details in a note."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.core.personal_data import PersonalHint, personal_hints


@pytest.mark.parametrize(
    ("note", "hints"),
    [
        ("wrote to jo.doe+bills@example.co.uk", [PersonalHint.EMAIL]),
        ("call back on +44 (0)20 7946 0958", [PersonalHint.PHONE]),
        ("555-867-5309 again", [PersonalHint.PHONE]),
        ("Mrs. Alvarez yelled", [PersonalHint.NAME]),
        ("her name was Priya and she was furious", [PersonalHint.NAME]),
        ("he was named Kofi", [PersonalHint.NAME]),
        ("Frau Özdemir war sehr laut", [PersonalHint.NAME]),
        ("la cliente s'appelle Élodie", [PersonalHint.NAME]),
        ("M. Dupont a crié", [PersonalHint.NAME]),
        ("la señora se llama Ángela", [PersonalHint.NAME]),
        ("Sra. Pereira gritou comigo", [PersonalHint.NAME]),
        ("o cliente se chama João", [PersonalHint.NAME]),
        ("I stayed calm, proud of that", []),
        ("Ich bin ruhig geblieben, darauf bin ich stolz", []),
        ("je suis resté calme, M comme merci", []),
        ("ticket 12345 took 20 min", []),
        ("third call about the same refund; I kept my voice low", []),
    ],
)
def test_notes_with_customer_details_are_noticed(note: str, hints: list[PersonalHint]) -> None:
    assert personal_hints(note) == hints


@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=200))
def test_text_without_digits_or_at_signs_never_looks_like_a_phone_or_email(text: str) -> None:
    found = personal_hints(text.replace("@", " "))
    assert PersonalHint.PHONE not in found and PersonalHint.EMAIL not in found
