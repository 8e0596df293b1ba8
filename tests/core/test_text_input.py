"""The sentences for words Companion refuses: one whole sentence per kind of text, and the count's own plural form."""

from __future__ import annotations

import pytest

from companion.core.text_input import NOT_TEXT, quick_text_problem


@pytest.mark.parametrize("what", ["text", "note", "tag"])
def test_too_long_says_how_long_with_the_count_s_plural_form(what: str) -> None:
    assert quick_text_problem("ab", limit=2, what=what) is None
    assert quick_text_problem("x", limit=0, what=what) == (
        f"The {what} is 1 character long, more than the 0 Companion keeps, so nothing was saved. "
        "Shorten it and try again."
    )
    assert quick_text_problem("xy", limit=1, what=what) == (
        f"The {what} is 2 characters long, more than the 1 Companion keeps, so nothing was saved. "
        "Shorten it and try again."
    )
    assert quick_text_problem("x" * 2001, limit=2000, what=what) == (
        f"The {what} is 2,001 characters long, more than the 2,000 Companion keeps, so nothing was saved. "
        "Shorten it and try again."
    )
    assert quick_text_problem("a\x00b", what=what) == f"The {what} contains a NUL character, so nothing was saved."


def test_text_python_could_not_decode_is_refused_with_its_sentence() -> None:
    assert quick_text_problem("caf\udce9") == NOT_TEXT
    assert quick_text_problem("café") is None
