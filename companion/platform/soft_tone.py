"""The cooldown's soft tone: a short sine with gentle fades, written once as a WAV and played by the OS's own
player (PulseAudio/PipeWire `paplay` or ALSA `aplay` on Linux, `afplay` on macOS, winsound on Windows).

No Qt Multimedia (it is not in PySide6-Essentials). A missing player means silence, never an error.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import struct
import subprocess
import sys
import wave
from pathlib import Path

log = logging.getLogger(__name__)

SAMPLE_RATE = 22050
TONES = {"in": 528.0, "out": 396.0}  # a little higher as the breath comes in, lower as it goes out
TONE_SECONDS = 0.45
VOLUME = 0.18  # soft: well below full scale
LINUX_PLAYERS = ("paplay", "pw-play", "aplay")


def write_tone(path: Path, frequency: float, seconds: float = TONE_SECONDS, volume: float = VOLUME) -> Path:
    """A mono 16-bit sine with a raised-cosine fade in and out, so it starts and ends without a click."""
    count = int(SAMPLE_RATE * seconds)
    fade = int(SAMPLE_RATE * 0.08)
    frames = bytearray()
    for index in range(count):
        envelope = min(1.0, index / fade, (count - 1 - index) / fade)
        envelope = (1 - math.cos(math.pi * max(0.0, envelope))) / 2
        sample = volume * envelope * math.sin(2 * math.pi * frequency * index / SAMPLE_RATE)
        frames += struct.pack("<h", int(sample * 32767))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(bytes(frames))
    return path


class CommandTonePlayer:
    """Plays the tone files with a command-line player; each play is its own short process."""

    def __init__(self, command: str, folder: Path) -> None:
        self.name = Path(command).name
        self._command = command
        self._files = {tone: folder / f"tone-{tone}.wav" for tone in TONES}  # i18n: not for reps
        self.last_process: subprocess.Popen | None = None
        folder.mkdir(parents=True, exist_ok=True)
        for tone, frequency in TONES.items():
            if not self._files[tone].exists():
                write_tone(self._files[tone], frequency)

    def play(self, tone: str) -> None:
        args = [self._command, str(self._files[tone])]
        if self.name == "aplay":
            args.insert(1, "-q")
        try:
            self.last_process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError as error:
            log.warning("could not play the soft tone with %s: %s", self.name, error)


class WindowsTonePlayer:  # pragma: no cover - Windows only
    name = "winsound"

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._files = {tone: folder / f"tone-{tone}.wav" for tone in TONES}  # i18n: not for reps
        for tone, frequency in TONES.items():
            write_tone(self._files[tone], frequency)

    def play(self, tone: str) -> None:
        import winsound

        winsound.PlaySound(str(self._files[tone]), winsound.SND_FILENAME | winsound.SND_ASYNC)


class SilentTonePlayer:
    name = "none"

    def play(self, tone: str) -> None:
        return None


def choose_tone_player(folder: Path) -> CommandTonePlayer | WindowsTonePlayer | SilentTonePlayer:
    """The first player this machine has; `folder` holds the two small tone files."""
    if os.name == "nt":  # pragma: no cover - Windows only
        return WindowsTonePlayer(folder)
    candidates = ("afplay",) if sys.platform == "darwin" else LINUX_PLAYERS
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return CommandTonePlayer(found, folder)
    log.info("no sound player found; the soft tone stays silent")
    return SilentTonePlayer()
