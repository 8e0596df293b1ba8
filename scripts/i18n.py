"""`make i18n`: extract every marked sentence into resources/locale/companion.pot, bring each language's .po up to
date with it (new sentences empty, changed ones fuzzy, gone ones dropped), and compile the .mo files the app reads.

One tool, Babel's Python API, for both halves of the code: the core's `_()`, `N_()`, `ngettext()`, `pgettext()` and
the widgets' `tr()`, `QCoreApplication.translate(context, ...)`, `QT_TRANSLATE_NOOP(context, ...)`. A Qt call whose
text holds `%n` is a count (Qt passes the number): it becomes a plural entry, so each language gets its own forms.

    python scripts/i18n.py            extract, update every .po, compile every .mo
    python scripts/i18n.py --check    exit 1 if any of those files would change (CI: "run make i18n")
    python scripts/i18n.py --add xx   start a catalogue for a new language (then add it to core/i18n.LANGUAGES)

Catalogues are written without line numbers, so moving code does not churn them; .mo files are committed so the
source tree, the wheel and the bundle all run without a build step, and --check proves they match their .po.
"""

from __future__ import annotations

import argparse
import io
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
KEYWORDS |= {
    COUNTED_PREFIX + name: (index, index) for name in QT_FUNCTIONS for index in [(KEYWORDS[name] or (1,))[0]]
}


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


def planned_files() -> dict[Path, bytes]:
    """What `make i18n` would write: the template, each .po and each .mo."""
    template = extract()
    files = {TEMPLATE: _po_bytes(template)}
    for language in languages():
        catalog = read_catalogue(po_path(language), language)
        catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
        catalog.obsolete.clear()  # a sentence the code no longer has is not kept to confuse translators
        files[po_path(language)] = _po_bytes(catalog)
        files[po_path(language).with_suffix(".mo")] = _mo_bytes(catalog)
    return files


def changed_files(files: dict[Path, bytes]) -> list[Path]:
    return [
        path for path, content in files.items()
        if not path.exists() or _stable(path.read_bytes()) != _stable(content)
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the catalogues are not up to date")
    parser.add_argument("--add", metavar="LANGUAGE", help="start a catalogue for a new language, like it or pt_BR")
    args = parser.parse_args(argv)
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
