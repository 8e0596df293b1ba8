"""Reframing prompts: one per cooldown, from resources/text/reframes.json, rotating without repeating soon.

The ids of the last few prompts shown are kept in the store's meta table (ids reveal nothing personal), so the
rotation survives a restart.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from companion.core.store import Store

RECENT_KEY = "rough_calls.recent_reframes"


@dataclass(frozen=True)
class Reframe:
    id: str
    text: str


def load_reframes(path: Path) -> list[Reframe]:
    data = json.loads(path.read_text(encoding="utf-8"))
    prompts = [Reframe(str(item["id"]), str(item["text"])) for item in data["prompts"]]
    if len({prompt.id for prompt in prompts}) != len(prompts):
        raise ValueError(f"{path} has two prompts with the same id")  # i18n: not for reps
    return prompts


class ReframeRotation:
    """Picks a prompt not among the last `len(prompts) // 2` shown, at random among the rest."""

    def __init__(self, prompts: list[Reframe], store: Store, rng: random.Random | None = None) -> None:
        if not prompts:
            raise ValueError("no reframing prompts to rotate")  # i18n: not for reps
        self._prompts = prompts
        self._store = store
        self._rng = rng or random.Random()
        self.memory = max(1, len(prompts) // 2) if len(prompts) > 1 else 0

    def _recent(self) -> list[str]:
        raw = self._store.get_meta(RECENT_KEY)
        try:
            recent = json.loads(raw) if raw else []
        except json.JSONDecodeError:
            return []
        return [item for item in recent if isinstance(item, str)] if isinstance(recent, list) else []

    def next(self) -> Reframe:
        recent = self._recent()[-self.memory :] if self.memory else []
        fresh = [prompt for prompt in self._prompts if prompt.id not in recent]
        chosen = self._rng.choice(fresh or self._prompts)
        self._store.set_meta(RECENT_KEY, json.dumps([*recent, chosen.id][-self.memory :] if self.memory else []))
        return chosen
