"""Checks on the rep's words arriving from outside (the command line, stdin, the socket): each problem is a
sentence, and nothing is stored when there is one."""

from __future__ import annotations

from companion.core.i18n import N_, _, ngettext

NOT_TEXT = N_(
    "That text is not valid UTF-8 (it has bytes that are not letters in any encoding Companion reads), so nothing "
    "was saved. Type it again, or save the file as UTF-8 first."
)
# By what the text is ("text", "note", "tag"): whole sentences, so each language words the subject its own way.
NUL_CHARACTER = {
    "text": N_("The text contains a NUL character, so nothing was saved."),
    "note": N_("The note contains a NUL character, so nothing was saved."),
    "tag": N_("The tag contains a NUL character, so nothing was saved."),
}


def _too_long(what: str, length: int, limit: int) -> str:
    """One whole sentence per kind of text; the length picks the plural form."""
    formatted = {"length": _number(length), "limit": _number(limit)}
    if what == "note":
        return ngettext(
            "The note is {length} character long, more than the {limit} Companion keeps, so nothing was saved. "
            "Shorten it and try again.",
            "The note is {length} characters long, more than the {limit} Companion keeps, so nothing was saved. "
            "Shorten it and try again.",
            length,
        ).format(**formatted)
    if what == "tag":
        return ngettext(
            "The tag is {length} character long, more than the {limit} Companion keeps, so nothing was saved. "
            "Shorten it and try again.",
            "The tag is {length} characters long, more than the {limit} Companion keeps, so nothing was saved. "
            "Shorten it and try again.",
            length,
        ).format(**formatted)
    return ngettext(
        "The text is {length} character long, more than the {limit} Companion keeps, so nothing was saved. "
        "Shorten it and try again.",
        "The text is {length} characters long, more than the {limit} Companion keeps, so nothing was saved. "
        "Shorten it and try again.",
        length,
    ).format(**formatted)


def _number(number: int) -> str:
    """A count as the rep's language writes it (2,000 / 2.000 / 2 000); Babel loads only when a text is too long."""
    from companion.core.locale_format import format_number

    return format_number(number)


def quick_text_problem(text: str, limit: int | None = None, what: str = "text") -> str | None:
    """None if `text` can be stored as it is; else why not, as a sentence in the rep's language (nothing is ever
    cut silently). `what` says what the text is: "text", "note" or "tag"."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: how Python carries undecodable bytes from argv
        return _(NOT_TEXT)
    if "\x00" in text:
        return _(NUL_CHARACTER.get(what, NUL_CHARACTER["text"]))
    if limit is not None and len(text.strip()) > limit:
        return _too_long(what, len(text.strip()), limit)
    return None
