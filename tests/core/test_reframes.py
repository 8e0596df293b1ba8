"""Reframing prompts: the shipped data file, and a rotation that does not repeat soon, across restarts."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from companion.core.reframes import Reframe, ReframeRotation, load_reframes
from companion.core.store import Store
from companion.resources import resource_path


def test_the_shipped_prompts_load_and_cover_the_themes_asked_for() -> None:
    prompts = load_reframes(resource_path("text", "reframes.json"))
    assert len(prompts) >= 6
    assert all(20 <= len(prompt.text) <= 200 for prompt in prompts)
    ids = {prompt.id for prompt in prompts}
    assert {"aimed_at_situation", "their_day", "not_always_right", "one_thing_well", "follow_up", "take_home"} <= ids


def test_no_prompt_repeats_within_half_the_list_even_after_a_restart(tmp_path: Path) -> None:
    prompts = [Reframe(f"p{i}", f"text {i}") for i in range(8)]
    shown = []
    for restart in range(6):
        store = Store.open(tmp_path / "companion.db")
        rotation = ReframeRotation(prompts, store, random.Random(restart))
        shown += [rotation.next().id for _ in range(5)]
        store.close()
    for index in range(len(shown)):
        window = shown[max(0, index - 3) : index + 1]
        assert len(set(window)) == len(window), shown
    assert len(set(shown)) == len(prompts)


def test_a_single_prompt_still_rotates(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "companion.db")
    rotation = ReframeRotation([Reframe("only", "the one")], store)
    assert [rotation.next().id for _ in range(3)] == ["only"] * 3
    store.close()


def test_duplicate_ids_in_the_data_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "reframes.json"
    path.write_text('{"prompts": [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]}')
    with pytest.raises(ValueError):
        load_reframes(path)
