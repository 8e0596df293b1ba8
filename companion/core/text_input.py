"""Checks on the rep's words arriving from outside (the command line, stdin, the socket): each problem is a
sentence, and nothing is stored when there is one."""

from __future__ import annotations

NOT_TEXT = (
    "That text is not valid UTF-8 (it has bytes that are not letters in any encoding Companion reads), so nothing "
    "was saved. Type it again, or save the file as UTF-8 first."
)


def quick_text_problem(text: str, limit: int | None = None, what: str = "text") -> str | None:
    """None if `text` can be stored as it is; else why not, as a sentence (nothing is ever cut silently)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: how Python carries undecodable bytes from argv
        return NOT_TEXT
    if "\x00" in text:
        return f"The {what} contains a NUL character, so nothing was saved."
    if limit is not None and len(text.strip()) > limit:
        return (
            f"The {what} is {len(text.strip()):,} characters long, more than the {limit:,} Companion keeps, so "
            "nothing was saved. Shorten it and try again."
        )
    return None
