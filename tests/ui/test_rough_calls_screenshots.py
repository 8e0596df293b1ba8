"""Screenshots of the tag panel, the offer and every cooldown step at 100 % and 200 %, kept in test-artifacts/.

Each scale renders in its own process, because Qt fixes the scale factor when it starts. The test checks that
every picture was made at the right scale and that no button's text is wider than the button showing it.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from tests.desktop import ARTIFACTS, REPO

SHOTS = [
    "tag-panel", "tag-panel-locked", "offer", "cooldown-1-tension-before", "cooldown-1-tension-before-escalated",
    "cooldown-2-breathing-in", "cooldown-2-breathing-smile", "cooldown-2-reduced-motion", "cooldown-3-reframe",
    "cooldown-4-tension-after",
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("scale", [1, 2])
def test_every_screen_renders_at_100_and_200_percent(scale: int) -> None:
    folder = ARTIFACTS / f"rough-calls-{scale * 100}"
    env = {**os.environ, "QT_SCALE_FACTOR": str(scale)}
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.rough_calls_shots", str(folder), "--check"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "clipped" not in result.stdout, result.stdout
    for name in SHOTS:
        image = QImage(str(folder / f"{name}.png"))
        assert not image.isNull(), name
        assert image.width() >= 300 * scale and image.height() >= 100 * scale, (name, image.size())
