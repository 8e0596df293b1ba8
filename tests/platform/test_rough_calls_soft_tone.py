"""The cooldown's soft tone: the WAV it writes, and a real play through a private PulseAudio server."""

from __future__ import annotations

import itertools
import math
import struct
import wave
from pathlib import Path

import pytest

from companion.platform.soft_tone import (
    SAMPLE_RATE,
    TONE_SECONDS,
    CommandTonePlayer,
    SilentTonePlayer,
    choose_tone_player,
    write_tone,
)
from tests import desktop


def test_the_tone_is_soft_and_starts_and_ends_without_a_click(tmp_path: Path) -> None:
    path = write_tone(tmp_path / "tone.wav", 440.0)
    with wave.open(str(path)) as tone:
        assert (tone.getnchannels(), tone.getsampwidth(), tone.getframerate()) == (1, 2, SAMPLE_RATE)
        samples = struct.unpack(f"<{tone.getnframes()}h", tone.readframes(tone.getnframes()))
    assert len(samples) == int(SAMPLE_RATE * TONE_SECONDS)
    assert max(abs(s) for s in samples) < 0.25 * 32767  # soft: well under full scale
    assert abs(samples[0]) < 50 and abs(samples[-1]) < 50  # faded in and out
    crossings = sum(1 for a, b in itertools.pairwise(samples) if a < 0 <= b)
    assert math.isclose(crossings / TONE_SECONDS, 440.0, rel_tol=0.05)


def test_no_player_on_the_path_means_silence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    player = choose_tone_player(tmp_path / "tones")
    assert isinstance(player, SilentTonePlayer)
    player.play("in")


@pytest.mark.desktop
def test_the_tone_plays_through_a_real_pulseaudio(pulseaudio, tmp_path: Path, monkeypatch) -> None:
    paplay = desktop.need("paplay", "pulseaudio-utils")
    monkeypatch.setenv("PULSE_SERVER", pulseaudio["PULSE_SERVER"])
    player = CommandTonePlayer(paplay, tmp_path / "tones")
    for tone in ("in", "out"):
        player.play(tone)
        assert player.last_process is not None
        assert player.last_process.wait(timeout=10) == 0
