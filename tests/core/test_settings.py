"""Settings: defaults in code, saved JSON merged over them, bad keys fall back one by one and are logged."""

import json
import logging
import os
import stat

import pytest

from companion.core.settings import (
    SETTINGS_VERSION,
    Settings,
    SettingsHolder,
    load_settings,
    save_settings,
    settings_from_dict,
    settings_to_dict,
)


def test_missing_file_means_defaults(tmp_path):
    assert load_settings(tmp_path / "settings.json") == Settings()


def test_round_trip_keeps_every_value(tmp_path):
    path = tmp_path / "settings.json"
    changed = Settings().with_value("work", "break_interval_minutes", 45).with_value("work", "work_days", [0, 2, 4])
    save_settings(changed, path)
    assert load_settings(path) == changed
    saved = json.loads(path.read_text())
    assert saved["version"] == SETTINGS_VERSION
    assert saved["work"]["work_days"] == [0, 2, 4]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_saved_file_is_private(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(Settings(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_saved_values_merge_over_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, "work": {"break_interval_minutes": 40}}))
    settings = load_settings(path)
    assert settings.work.break_interval_minutes == 40
    assert settings.work.break_length_minutes == Settings().work.break_length_minutes
    assert settings.rough_calls == Settings().rough_calls


def test_bad_values_fall_back_key_by_key_and_say_so(tmp_path, caplog):
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "work": {
                    "break_interval_minutes": "soon",
                    "break_length_minutes": 7,
                    "postpone_limit_per_day": 999,
                    "work_start": "25:00",
                    "spaceship": True,
                },
                "rough_calls": {"breathing_pattern": "hold forever", "reduced_motion": True},
                "privacy": "not an object",
                "mystery": {},
            }
        )
    )
    with caplog.at_level(logging.WARNING):
        settings = load_settings(path)
    defaults = Settings()
    assert settings.work.break_interval_minutes == defaults.work.break_interval_minutes
    assert settings.work.break_length_minutes == 7  # the good key next to bad ones is kept
    assert settings.work.postpone_limit_per_day == defaults.work.postpone_limit_per_day
    assert settings.work.work_start == defaults.work.work_start
    assert settings.rough_calls.breathing_pattern == defaults.rough_calls.breathing_pattern
    assert settings.rough_calls.reduced_motion is True
    assert settings.privacy == defaults.privacy
    logged = caplog.text
    for fragment in ("work.break_interval_minutes", "work.postpone_limit_per_day", "work.spaceship",
                     "rough_calls.breathing_pattern", "'privacy'", "'mystery'", "work.work_start"):  # fmt: skip
        assert fragment in logged


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00", b"[1, 2, 3]", b"null"])
def test_corrupt_file_gives_defaults_and_a_log_line(tmp_path, caplog, content):
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING):
        assert load_settings(path) == Settings()
    assert "settings" in caplog.text


def test_with_value_refuses_with_a_sentence():
    with pytest.raises(ValueError, match="between 10 and 240"):
        Settings().with_value("work", "break_interval_minutes", 5)
    with pytest.raises(ValueError, match="one of"):
        Settings().with_value("rough_calls", "breathing_pattern", "gasping")


def test_every_default_survives_its_own_validation():
    settings, problems = settings_from_dict(settings_to_dict(Settings()))
    assert problems == []
    assert settings == Settings()


def test_holder_saves_and_tells_listeners(tmp_path):
    holder = SettingsHolder(tmp_path / "settings.json")
    heard = []
    holder.subscribe(heard.append)
    changed = holder.current.with_value("notifications", "enabled", False)
    holder.update(changed)
    assert heard == [changed]
    assert load_settings(tmp_path / "settings.json") == changed
