"""The command line speaks the rep's language from its first line: `companion --help`, `status` and the forwarded
commands run in a process of their own, so __main__ activates the language chosen in Settings (else the system's)
before it builds the parser or prints. The catalogues here are compiled into a temporary folder, so the tests hold
whatever the shipped translations say."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from companion.__main__ import main
from companion.core import i18n
from companion.core.paths import AppPaths
from companion.core.settings import save_settings, saved_language, settings_from_dict
from companion.text_prompt import MAX_STDIN_BYTES, TEXT_SENTENCES, TextRefused, rep_text

DESCRIPTION = "A private tray companion for customer-service reps. Run without a command to start it."
TRANSLATIONS = {
    "de": {
        DESCRIPTION: "Ein privater Begleiter im Infobereich.",
        "Companion is not running.": "Companion läuft nicht.",
    },
    "fr": {DESCRIPTION: "Un compagnon privé dans la zone de notification."},
}


@pytest.fixture
def catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """German and French catalogues with a few of the command line's sentences, where core/i18n looks for them."""
    folder = tmp_path / "locale"
    for language, entries in TRANSLATIONS.items():
        catalogue = Catalog(locale=language, domain=i18n.DOMAIN)
        for english, translated in entries.items():
            catalogue.add(english, translated)
        shipped = folder / language / "LC_MESSAGES"
        shipped.mkdir(parents=True)
        with (shipped / f"{i18n.DOMAIN}.mo").open("wb") as handle:
            write_mo(handle, catalogue)
    monkeypatch.setattr(i18n, "locale_dir", lambda: folder)
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    yield folder
    i18n.activate("en")


def help_text(data: Path, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        main(["--data-dir", str(data), "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_help_is_in_the_system_language(catalogues: Path, app_paths: AppPaths, capsys, monkeypatch) -> None:
    monkeypatch.setenv("LANGUAGE", "de")
    assert "Ein privater Begleiter im Infobereich." in help_text(app_paths.data, capsys)

    monkeypatch.setenv("LANGUAGE", "ja")  # no catalogue for it: the English in the code, never a key
    assert "A private tray companion" in help_text(app_paths.data, capsys)


def test_the_language_chosen_in_settings_wins_over_the_system_s(
    catalogues: Path, app_paths: AppPaths, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "de")
    settings = settings_from_dict({"language": {"language": "fr"}})[0]
    save_settings(settings, app_paths.settings_file)
    assert saved_language(app_paths.settings_file) == "fr"
    assert "Un compagnon privé dans la zone de notification." in help_text(app_paths.data, capsys)


def test_status_prints_in_the_rep_s_language(catalogues: Path, app_paths: AppPaths, capsys, monkeypatch) -> None:
    monkeypatch.setenv("LANGUAGE", "de")
    assert main(["--data-dir", str(app_paths.data), "status"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Companion läuft nicht."


def test_a_broken_settings_file_means_the_system_s_language_and_no_word_on_the_terminal(
    catalogues: Path, app_paths: AppPaths, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "de")
    app_paths.settings_file.write_text('{"language": {"language": "xx"}, "work": 7', encoding="utf-8")
    assert saved_language(app_paths.settings_file) == ""
    assert "Ein privater Begleiter im Infobereich." in help_text(app_paths.data, capsys)
    assert capsys.readouterr().err == ""


def test_a_mistake_in_the_arguments_is_the_parser_s_to_report(catalogues: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--data-dir"])  # the early look for --data-dir lets it pass; the real parser says what is wrong
    assert exited.value.code == 2
    assert "--data-dir" in capsys.readouterr().err


def test_settings_json_language_is_the_key_the_command_line_reads(app_paths: AppPaths) -> None:
    app_paths.settings_file.write_text(json.dumps({"version": 1, "language": {"language": "de"}}), encoding="utf-8")
    assert saved_language(app_paths.settings_file) == "de"
    assert saved_language(app_paths.config / "missing.json") == ""


@pytest.mark.parametrize("kind", sorted(TEXT_SENTENCES))
def test_each_kind_of_text_has_its_own_whole_sentences(kind: str) -> None:
    with pytest.raises(TextRefused) as empty:
        rep_text("-", kind, io.StringIO("   \n"))
    subject = "Your private note" if kind == "private_note" else f"Your {kind}"
    assert empty.value.sentence == f"{subject} was empty, so nothing was sent."
    with pytest.raises(TextRefused) as too_long:
        rep_text("-", kind, io.StringIO("x" * (MAX_STDIN_BYTES + 1)))
    assert too_long.value.sentence == f"{subject} is longer than 16 KB, so nothing was sent."
    assert rep_text("-", kind, io.StringIO(" a win \n")) == "a win"
