"""Call awareness on Linux: is any application recording from a real microphone right now?

PulseAudio and PipeWire (through pipewire-pulse) both answer `pactl`. One long-lived `pactl subscribe` reports
changes; only then are the recording streams listed again, so an idle Companion spawns nothing. A stream counts
when it records from a source that is not a monitor of an output, is not corked (paused), and is not a level meter.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import time
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer

from companion.core.i18n import N_
from companion.platform import BackendUnavailable

log = logging.getLogger(__name__)

LIST_TIMEOUT_SECONDS = 2.0
SETTLE_MS = 200  # a burst of events (a stream and its client appearing) becomes one re-read
RECHECK_SECONDS = 300.0
RESTART_MS = 30_000  # if the sound server goes away, try to listen again this much later
# The media names that volume mixers give their level meters (they record, but nobody is on a call).
_METERS = ("Peak detect", "peak detect")  # i18n: not for reps


def recording_from_microphone(sources: list[dict[str, Any]], outputs: list[dict[str, Any]]) -> bool:
    """From `pactl -f json list sources` and `... source-outputs`: is a real microphone being recorded?"""
    monitors = {
        source["index"]
        for source in sources
        if source.get("monitor_source") or source.get("properties", {}).get("device.class") == "monitor"
    }
    for output in outputs:
        properties = output.get("properties", {})
        if output.get("source") in monitors or output.get("corked"):
            continue
        if properties.get("media.name") in _METERS or "PEAK_DETECT" in str(output.get("flags", "")):
            continue
        return True
    return False


class PulseCallDetector(QObject):
    name = N_("PulseAudio/PipeWire recording streams")

    def __init__(self, env: Mapping[str, str] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        pactl = shutil.which("pactl")
        if pactl is None:
            raise BackendUnavailable("pactl is not installed (Debian: pulseaudio-utils)")  # i18n: not for reps
        self._pactl = pactl
        self._env = dict(env) if env is not None else None
        self._clock = time.monotonic
        self._read_at = self._clock()
        self._state = self._read()
        if self._state is None:
            raise BackendUnavailable("no PulseAudio or PipeWire server answers")  # i18n: not for reps
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self.refresh)
        self._restart = QTimer(self, singleShot=True, interval=RESTART_MS)
        self._restart.timeout.connect(self._listen)
        self._watcher: QProcess | None = None
        self._closing = False
        self._listen()

    def in_call(self) -> bool | None:
        if self._clock() - self._read_at > RECHECK_SECONDS:
            self.refresh()  # a slow safety net, should an event ever be missed
        return self._state

    def refresh(self) -> None:
        self._state = self._read()
        self._read_at = self._clock()

    def close(self) -> None:
        self._closing = True
        self._restart.stop()
        if self._watcher is not None:
            self._watcher.kill()
            self._watcher.waitForFinished(1000)

    def _listen(self) -> None:
        watcher = QProcess(self)
        if self._env is not None:
            environment = QProcessEnvironment()
            for key, value in self._env.items():
                environment.insert(key, value)
            watcher.setProcessEnvironment(environment)
        watcher.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        watcher.setStandardErrorFile(QProcess.nullDevice())
        watcher.readyReadStandardOutput.connect(self._on_events)
        watcher.finished.connect(self._on_watcher_finished)
        # Whatever changed before the subscription took hold would be missed: read again once it runs.
        watcher.started.connect(self._settle.start)
        watcher.start(self._pactl, ["subscribe"])
        self._watcher = watcher

    def _on_events(self) -> None:
        assert self._watcher is not None
        text = bytes(self._watcher.readAllStandardOutput().data()).decode("utf-8", "replace")
        if "source-output" in text or "on source #" in text or "on server" in text:  # i18n: not for reps
            self._settle.start()

    def _on_watcher_finished(self) -> None:
        if self._closing:
            return
        log.info("pactl subscribe ended; listening again in %d s", RESTART_MS // 1000)
        self._state = None
        self._restart.start()
        self._settle.start()

    def _read(self) -> bool | None:
        try:
            sources = self._list("sources")
            outputs = self._list("source-outputs")
        except (OSError, subprocess.SubprocessError, ValueError) as error:
            log.info("could not list recording streams: %s", error)
            return None
        return recording_from_microphone(sources, outputs)

    def _list(self, what: str) -> list[dict[str, Any]]:
        result = subprocess.run(
            [self._pactl, "-f", "json", "list", what],
            capture_output=True, timeout=LIST_TIMEOUT_SECONDS, env=self._env, check=True,
        )  # fmt: skip
        listed = json.loads(result.stdout or b"[]")
        if not isinstance(listed, list):
            raise ValueError(f"pactl listed {what} as {type(listed).__name__}")  # i18n: not for reps
        return listed
