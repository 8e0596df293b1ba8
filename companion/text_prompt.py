"""The rep's words for `tag --note` and `journal --win` (and the other kinds) from standard input or a prompt, so
they stay off the command line, where other users can read them in the process list (issue 13)."""

from __future__ import annotations

import sys

from companion.core.frozen import FrozenRecord
from companion.core.i18n import N_, _
from companion.core.text_input import quick_text_problem

STDIN = "-"
MAX_STDIN_BYTES = 16 * 1024  # the socket message limit: more could never reach Companion whole


TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: `companion tag` loads this module
if TYPE_CHECKING:
    from typing import TextIO


class TextSentences(FrozenRecord):  # not a dataclass: `companion tag` loads this module (core/frozen.py says why)
    """What the command line says about one kind of the rep's text: whole sentences, marked here and translated
    when shown, so each language words "your win" and "your private note" its own way."""

    __slots__ = ("empty", "prompt", "too_long")
    prompt: str
    empty: str
    too_long: str  # {size}: the limit in KB

    def __init__(self, prompt: str, empty: str, too_long: str) -> None:
        self.set_once("prompt", prompt)
        self.set_once("empty", empty)
        self.set_once("too_long", too_long)


# By the kind of text the command asks for: the journal's kinds, and the private note of `companion tag`.
TEXT_SENTENCES = {
    "win": TextSentences(
        N_("Your win (Enter to send, Ctrl+C to cancel):"),
        N_("Your win was empty, so nothing was sent."),
        N_("Your win is longer than {size} KB, so nothing was sent."),
    ),
    "gratitude": TextSentences(
        N_("Your gratitude (Enter to send, Ctrl+C to cancel):"),
        N_("Your gratitude was empty, so nothing was sent."),
        N_("Your gratitude is longer than {size} KB, so nothing was sent."),
    ),
    "reflection": TextSentences(
        N_("Your reflection (Enter to send, Ctrl+C to cancel):"),
        N_("Your reflection was empty, so nothing was sent."),
        N_("Your reflection is longer than {size} KB, so nothing was sent."),
    ),
    "note": TextSentences(
        N_("Your note (Enter to send, Ctrl+C to cancel):"),
        N_("Your note was empty, so nothing was sent."),
        N_("Your note is longer than {size} KB, so nothing was sent."),
    ),
    "private_note": TextSentences(
        N_("Your private note (Enter to send, Ctrl+C to cancel):"),
        N_("Your private note was empty, so nothing was sent."),
        N_("Your private note is longer than {size} KB, so nothing was sent."),
    ),
}


class TextRefused(ValueError):
    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


def rep_text(given: str, kind: str, stdin: TextIO | None = None) -> str:
    """`given` itself, or for '-' the text from stdin: typed at a prompt in a terminal, else read to the end.

    `kind` is a key of TEXT_SENTENCES. Refuses (TextRefused with a sentence) text that is not UTF-8 or is too long,
    so nothing half-right is sent.
    """
    sentences = TEXT_SENTENCES[kind]
    text = checked_text(given if given != STDIN else _from_stdin(sentences, stdin or sys.stdin))
    if not text.strip():
        raise TextRefused(_(sentences.empty))
    return text.strip()


def checked_text(text: str) -> str:
    problem = quick_text_problem(text)
    if problem is not None:
        raise TextRefused(problem)
    return text


def _from_stdin(sentences: TextSentences, stdin: TextIO) -> str:
    if stdin.isatty():
        print(_(sentences.prompt), end=" ", file=sys.stderr, flush=True)
        try:
            return stdin.readline().rstrip("\n")
        except KeyboardInterrupt:
            raise TextRefused(_("Cancelled; nothing was sent.")) from None
    raw = stdin.buffer.read(MAX_STDIN_BYTES + 1) if hasattr(stdin, "buffer") else stdin.read().encode("utf-8")
    if len(raw) > MAX_STDIN_BYTES:
        raise TextRefused(_(sentences.too_long).format(size=MAX_STDIN_BYTES // 1024))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from companion.core.text_input import NOT_TEXT

        raise TextRefused(_(NOT_TEXT)) from None
