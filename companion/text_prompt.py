"""The rep's words for `tag --note` and `journal --win` (and the other kinds) from standard input or a prompt, so
they stay off the command line, where other users can read them in the process list (issue 13)."""

from __future__ import annotations

import sys
from typing import TextIO

from companion.core.text_input import quick_text_problem

STDIN = "-"
MAX_STDIN_BYTES = 16 * 1024  # the socket message limit: more could never reach Companion whole


class TextRefused(ValueError):
    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


def rep_text(given: str, label: str, stdin: TextIO | None = None) -> str:
    """`given` itself, or for '-' the text from stdin: typed at a prompt in a terminal, else read to the end.

    Refuses (TextRefused with a sentence) text that is not UTF-8 or is too long, so nothing half-right is sent.
    """
    text = checked_text(given if given != STDIN else _from_stdin(label, stdin or sys.stdin))
    if not text.strip():
        raise TextRefused(f"{label} was empty, so nothing was sent.")
    return text.strip()


def checked_text(text: str) -> str:
    problem = quick_text_problem(text)
    if problem is not None:
        raise TextRefused(problem)
    return text


def _from_stdin(label: str, stdin: TextIO) -> str:
    if stdin.isatty():
        print(f"{label} (Enter to send, Ctrl+C to cancel): ", end="", file=sys.stderr, flush=True)
        try:
            return stdin.readline().rstrip("\n")
        except KeyboardInterrupt:
            raise TextRefused("Cancelled; nothing was sent.") from None
    raw = stdin.buffer.read(MAX_STDIN_BYTES + 1) if hasattr(stdin, "buffer") else stdin.read().encode("utf-8")
    if len(raw) > MAX_STDIN_BYTES:
        raise TextRefused(f"{label} is longer than {MAX_STDIN_BYTES // 1024} KB, so nothing was sent.")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from companion.core.text_input import NOT_TEXT

        raise TextRefused(NOT_TEXT) from None
