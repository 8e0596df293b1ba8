"""`make i18n`: extract every marked sentence into resources/locale/companion.pot, bring each language's .po up to
date with it (new sentences empty, changed ones fuzzy, gone ones dropped), and compile the .mo files the app reads.

One tool, Babel's Python API, for both halves of the code: the core's `_()`, `N_()`, `ngettext()`, `pgettext()` and
the widgets' `tr()`, `QCoreApplication.translate(context, ...)`, `QT_TRANSLATE_NOOP(context, ...)`. A Qt call whose
text holds `%n` is a count (Qt passes the number): it becomes a plural entry, so each language gets its own forms.

    python scripts/i18n.py            extract, update every .po, compile every .mo
    python scripts/i18n.py --check    exit 1 if any of those files would change (CI: "run make i18n")
    python scripts/i18n.py --add xx   start a catalogue for a new language (then add it to core/i18n.LANGUAGES)
    python scripts/i18n.py --unmarked list sentences in the code that no translation call wraps yet

Catalogues are written without line numbers, so moving code does not churn them; .mo files are committed so the
source tree, the wheel and the bundle all run without a build step, and --check proves they match their .po.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "companion"
LOCALE = ROOT / "resources" / "locale"
TEMPLATE = LOCALE / "companion.pot"
SOURCE_LANGUAGE = "en"
DOMAIN = "companion"
PROJECT = "Companion"

KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    # Qt: self.tr(text, disambiguation, n), local helpers named tr/_tr/_t, translate(context, text, ...)
    "tr": None,
    "_tr": None,
    "_t": None,
    "translate": (2,),
    "QT_TRANSLATE_NOOP": (2,),
}
TOOL_MODULE = "companion_i18n_tool"
QT_FUNCTIONS = frozenset({"tr", "_tr", "_t", "translate", "QT_TRANSLATE_NOOP"})
COUNTED_PREFIX = "counted:"
KEYWORDS |= {COUNTED_PREFIX + name: (index, index) for name in QT_FUNCTIONS for index in [(KEYWORDS[name] or (1,))[0]]}


def extract_python_and_qt(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[Any]:
    """Babel's Python extractor, with Qt's counted messages ("%n entries") turned into plural entries."""
    for lineno, funcname, messages, comments in extract_python(fileobj, keywords, comment_tags, options):
        arguments = messages if isinstance(messages, tuple) else (messages,)
        text_index = (KEYWORDS[funcname] or (1,))[0] - 1 if funcname in QT_FUNCTIONS else -1
        text = arguments[text_index] if 0 <= text_index < len(arguments) else None
        if isinstance(text, str) and "%n" in text:
            funcname = COUNTED_PREFIX + funcname  # its spec names the text twice: singular and plural
        yield lineno, funcname, messages, comments


def extract(source: Path = SOURCE) -> Catalog:
    """Every marked sentence in the code, as a template catalogue (file names kept, line numbers not)."""
    template = Catalog(project=PROJECT, domain=DOMAIN, fuzzy=False)
    sys.modules.setdefault(TOOL_MODULE, sys.modules[__name__])  # Babel imports "module:function" extractors
    method_map = [("**.py", f"{TOOL_MODULE}:extract_python_and_qt")]
    for filename, _lineno, message, comments, context in extract_from_dir(
        str(source),
        method_map=method_map,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        if not (message[0] if isinstance(message, tuple) else message):
            continue
        template.add(message, None, [(f"companion/{filename}", None)], auto_comments=comments, context=context)
    return template


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=120, include_lineno=False, sort_output=True, omit_header=False)
    return out.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _stable(text: bytes) -> bytes:
    """The file without the lines that change on every run (dates), to decide whether it really changed."""
    return b"\n".join(line for line in text.splitlines() if b"-Date:" not in line)


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    return sorted(path.parent.parent.name for path in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read_catalogue(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def new_catalogue(language: str, template: Catalog) -> Catalog:
    catalog = Catalog(locale=Locale.parse(language), project=PROJECT, domain=DOMAIN, fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True)
    return catalog


def _english_plural_forms(catalog: Catalog) -> None:
    """English says a counted sentence the way the code wrote it: ngettext's two texts are its two forms. Only Qt's
    "%n entries", written once, needs its "1 entry" from a person: those stay empty until someone writes them."""
    for message in catalog:
        if not message.id:
            continue
        if not message.pluralizable:
            message.string = ""  # the English is the msgid itself; a fuzzy guess here would only mislead
        elif not all(message.string) and message.id[0] != message.id[1]:
            message.string = tuple(message.id)
        message.flags.discard("fuzzy")


def planned_files() -> dict[Path, bytes]:
    """What `make i18n` would write: the template, each .po and each .mo."""
    template = extract()
    files = {TEMPLATE: _po_bytes(template)}
    for language in languages():
        catalog = read_catalogue(po_path(language), language)
        catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
        catalog.obsolete.clear()  # a sentence the code no longer has is not kept to confuse translators
        if language == SOURCE_LANGUAGE:
            _english_plural_forms(catalog)
        files[po_path(language)] = _po_bytes(catalog)
        files[po_path(language).with_suffix(".mo")] = _mo_bytes(catalog)
    return files


def changed_files(files: dict[Path, bytes]) -> list[Path]:
    return [
        path for path, content in files.items()
        if not path.exists() or _stable(path.read_bytes()) != _stable(content)
    ]  # fmt: skip


# Calls whose text never reaches a rep: logging, programming errors, SQL, and the translation calls themselves.
NOT_FOR_REPS_CALLS = frozenset({
    "debug", "info", "warning", "error", "exception", "critical", "log",  # logging
    "TypeError", "AssertionError", "NotImplementedError", "RuntimeError", "KeyError", "AttributeError",
    "execute", "executemany", "executescript",
    *KEYWORDS,
})  # fmt: skip
NOT_FOR_REPS_MARK = "i18n: not for reps"  # a trailing comment that exempts a line, reviewable in the diff
AS_WRITTEN_MARK = "i18n: as written"  # for reps, and the same in every language (each language's own name)
SKIPPED_FILES = ("core/migrations/",)
_WORD = re.compile(r"[A-Za-z]{2,}")
# A style sheet: a block "selector { property: value; }" or nothing but "property: value;" declarations. A sentence
# with a colon and a later semicolon ("Companion will not use it: ...; ...") is neither.
_STYLE_SHEET = re.compile(r"\{[^{}]*[\w-]+\s*:[^{}]*\}|^\s*(?:[a-z-]+\s*:\s*[^;:\s][^;:]*;\s*)+$")


def looks_like_a_sentence(text: str) -> bool:
    """Two or more words with lower-case letters, not a path, URL, SQL, markup-only or an identifier."""
    stripped = re.sub(r"<[^>]+>|\{[^}]*\}|%[0-9n]|&\w+;", " ", text).strip()
    if len(_WORD.findall(stripped)) < 2 or not re.search(r"[a-z]", stripped):
        return False
    if re.match(r"^(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|ALTER|DROP|WITH)\b", stripped, re.IGNORECASE):
        return False
    if re.search(r"\w+=\"", text) or _STYLE_SHEET.search(text):  # markup attributes, style sheets
        return False
    return not re.match(r"^[\w./:-]+$", stripped) and "://" not in stripped and not stripped.startswith(("-", "."))


def unmarked_sentences(source: Path = SOURCE) -> list[str]:
    """Sentences in the code that no translation call wraps: 'file:line: text', for `--unmarked` and the test."""
    found = []
    for path in sorted(source.rglob("*.py")):
        relative = path.relative_to(source).as_posix()
        if relative.startswith(SKIPPED_FILES):
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        tree = ast.parse(text)
        exempt: set[int] = set()
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(
                    body[0].value, ast.Constant) and isinstance(body[0].value.value, str):  # fmt: skip
                exempt.add(id(body[0].value))  # a docstring
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in NOT_FOR_REPS_CALLS:
                    exempt.update(id(inner) for argument in node.args for inner in ast.walk(argument))
        for node in ast.walk(tree):
            if id(node) in exempt or not isinstance(node, ast.Constant | ast.JoinedStr):
                continue
            if isinstance(node, ast.JoinedStr):
                pieces = [part.value for part in node.values if isinstance(part, ast.Constant)]
                exempt.update(id(part) for part in node.values)
                value = "{}".join(str(piece) for piece in pieces)
            elif isinstance(node.value, str):
                value = node.value
            else:
                continue
            line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
            if looks_like_a_sentence(value) and NOT_FOR_REPS_MARK not in line and AS_WRITTEN_MARK not in line:
                found.append(f"companion/{relative}:{node.lineno}: {value[:90]!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the catalogues are not up to date")
    parser.add_argument("--add", metavar="LANGUAGE", help="start a catalogue for a new language, like it or pt_BR")
    parser.add_argument("--unmarked", action="store_true", help="list sentences no translation call wraps")
    args = parser.parse_args(argv)
    if args.unmarked:
        sentences = unmarked_sentences()
        print("\n".join(sentences) + f"\n{len(sentences)} unmarked sentences")
        return 1 if sentences else 0
    if args.add:
        path = po_path(args.add)
        if path.exists():
            print(f"{path} already exists")
            return 1
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_po_bytes(new_catalogue(args.add, extract())))
        print(f"Started {path.relative_to(ROOT)}; add {args.add!r} to LANGUAGES in companion/core/i18n.py")
    files = planned_files()
    stale = changed_files(files)
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)} (run `make i18n`)")
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[path])
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
