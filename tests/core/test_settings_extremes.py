"""Settings loading survives any JSON (issue 13): bounded size and depth, only finite numbers; the rep is told in a
sentence when the whole file could not be used, and gets the defaults for what was wrong."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.core.settings import MAX_SETTINGS_BYTES, Settings, SettingsHolder, read_settings

EXTREME_NUMBERS = st.sampled_from(["1e400", "-1e400", "1e-400", "NaN", "Infinity", "-Infinity", "1" * 5000,
                                   "123456789012345678901234567890", "0.0", "-0", "9" * 400])  # fmt: skip
KEYS = st.sampled_from(["break_interval_minutes", "daily_notice_hours", "work_days", "auto_lock_minutes", "x"])
GROUPS = st.sampled_from(["work", "privacy", "rough_calls", "version", "nope"])


def nested(depth: int, inner: str) -> str:
    return "[" * depth + inner + "]" * depth


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(GROUPS, KEYS, EXTREME_NUMBERS, st.integers(min_value=0, max_value=3))
def test_extreme_numbers_anywhere_give_defaults_never_an_exception(tmp_path_factory, group, key, number, wrap):
    path = tmp_path_factory.mktemp("s") / "settings.json"
    path.write_text(f'{{"version": 1, "{group}": {{"{key}": {nested(wrap, number)}}}}}', encoding="utf-8")
    loaded, _problem = read_settings(path)
    assert isinstance(loaded, Settings)
    holder = SettingsHolder(path)
    assert holder.current == loaded


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=33, max_value=200_000), st.sampled_from(["[", '{"a":']))
def test_any_depth_is_refused_with_a_sentence(tmp_path_factory, depth, opener):
    path = tmp_path_factory.mktemp("s") / "settings.json"
    closer = "]" if opener == "[" else "}"
    path.write_text(opener * depth + "1" + closer * depth, encoding="utf-8")
    loaded, problem = read_settings(path)
    assert loaded == Settings()
    assert problem is not None and "Companion could not use its settings file" in problem


def test_brackets_inside_text_do_not_count_as_depth(tmp_path: Path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, "work": {"work_start": "[" * 100 + '\\"{'}}), encoding="utf-8")
    loaded, problem = read_settings(path)
    assert problem is None and loaded.work.work_start == "09:00"  # an invalid time: that key's default only


def test_a_huge_file_and_a_folder_are_said_and_give_defaults(tmp_path: Path):
    huge = tmp_path / "huge.json"
    huge.write_text('{"a": "' + "x" * MAX_SETTINGS_BYTES + '"}', encoding="utf-8")
    assert "larger than 256 KB" in (read_settings(huge)[1] or "")
    folder = tmp_path / "folder.json"
    folder.mkdir()
    loaded, problem = read_settings(folder)
    assert loaded == Settings() and problem is not None and "could not be read" in problem
