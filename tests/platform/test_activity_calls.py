"""Call awareness: a real PulseAudio with a null source as the microphone; Windows and macOS through their OS
reads replaced (we cannot start those systems here)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from companion.platform import BackendUnavailable
from companion.platform.calls_other import (
    CONSENT_STORE,
    DEFAULT_INPUT_DEVICE,
    RUNNING_SOMEWHERE,
    SYSTEM_OBJECT,
    MacCallDetector,
    WindowsCallDetector,
)
from companion.platform.calls_pulse import PulseCallDetector, recording_from_microphone
from tests import desktop


def start_recording(env: dict[str, str], device: str) -> subprocess.Popen:
    parecord = desktop.need("parecord", "pulseaudio-utils")
    return subprocess.Popen(
        [parecord, f"--device={device}", os.devnull], env=env, stderr=subprocess.DEVNULL, start_new_session=True
    )


def recording_streams(env: dict[str, str]) -> int:
    listed = subprocess.run(["pactl", "-f", "json", "list", "source-outputs"], env=env, capture_output=True, check=True)
    return len(json.loads(listed.stdout))


@pytest.fixture
def detector(qapp: QApplication, pulseaudio: dict[str, str]) -> Iterator[PulseCallDetector]:
    made = PulseCallDetector(pulseaudio)
    yield made
    made.close()


def test_recording_from_the_microphone_is_a_call_and_stopping_ends_it(
    detector: PulseCallDetector, pulseaudio: dict[str, str], qtbot
) -> None:
    assert detector.in_call() is False
    recorder = start_recording(pulseaudio, "mic")
    try:
        qtbot.waitUntil(lambda: detector.in_call() is True, timeout=5000)
    finally:
        desktop.stop_process(recorder)
    qtbot.waitUntil(lambda: detector.in_call() is False, timeout=5000)


def test_recording_what_the_speakers_play_is_not_a_call(
    detector: PulseCallDetector, pulseaudio: dict[str, str], qtbot
) -> None:
    monitor = start_recording(pulseaudio, "speaker.monitor")
    try:
        qtbot.waitUntil(lambda: recording_streams(pulseaudio) == 1, timeout=5000)
        detector.refresh()
        assert detector.in_call() is False
        microphone = start_recording(pulseaudio, "mic")
        qtbot.waitUntil(lambda: detector.in_call() is True, timeout=5000)
        desktop.stop_process(microphone)
        # The monitor stream is still recording, and still not a call.
        qtbot.waitUntil(lambda: detector.in_call() is False, timeout=5000)
        assert recording_streams(pulseaudio) == 1
    finally:
        desktop.stop_process(monitor)


def test_no_sound_server_means_no_pulse_backend(qapp: QApplication, tmp_path) -> None:
    desktop.need("pactl", "pulseaudio-utils")
    with pytest.raises(BackendUnavailable):
        PulseCallDetector({**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/nobody-here"})


def test_corked_streams_and_level_meters_are_not_calls() -> None:
    sources = [{"index": 0, "monitor_source": "", "properties": {}}]
    assert not recording_from_microphone(sources, [{"source": 0, "corked": True, "properties": {}}])
    assert not recording_from_microphone(sources, [{"source": 0, "properties": {"media.name": "Peak detect"}}])
    assert recording_from_microphone(sources, [{"source": 0, "corked": False, "properties": {"media.name": "Zoom"}}])


class FakeRegistry:
    """HKEY_CURRENT_USER as the ConsentStore leaves it: one key per app with its last start and stop times."""

    def __init__(self, apps: dict[str, tuple[int, int]]) -> None:
        self.keys: dict[str, dict[str, int]] = {}
        for name, (start, stop) in apps.items():
            self.keys[f"{CONSENT_STORE}\\{name}"] = {"LastUsedTimeStart": start, "LastUsedTimeStop": stop}

    def subkeys(self, path: str) -> list[str]:
        prefix = path + "\\"
        return sorted({key[len(prefix) :].split("\\")[0] for key in self.keys if key.startswith(prefix)})

    def value(self, path: str, name: str) -> int | None:
        return self.keys.get(path, {}).get(name)


def test_windows_microphone_in_use_now_is_a_stop_time_of_zero() -> None:
    quiet = {
        "Microsoft.WindowsSoundRecorder_8wekyb3d8bbwe": (133_000, 134_000),
        "NonPackaged\\C:#Zoom#zoom.exe": (1, 2),
    }
    assert WindowsCallDetector(FakeRegistry(quiet)).in_call() is False
    talking = {**quiet, "NonPackaged\\C:#Program Files#Softphone#phone.exe": (135_000, 0)}
    assert WindowsCallDetector(FakeRegistry(talking)).in_call() is True
    never_used = {"NonPackaged\\C:#tool.exe": (0, 0)}
    assert WindowsCallDetector(FakeRegistry(never_used)).in_call() is False


def test_macos_asks_whether_the_default_input_device_runs_somewhere() -> None:
    properties = {(SYSTEM_OBJECT, DEFAULT_INPUT_DEVICE): 73, (73, RUNNING_SOMEWHERE): 1}
    assert MacCallDetector(lambda obj, selector: properties.get((obj, selector))).in_call() is True
    properties[(73, RUNNING_SOMEWHERE)] = 0
    assert MacCallDetector(lambda obj, selector: properties.get((obj, selector))).in_call() is False
    assert MacCallDetector(lambda obj, selector: None).in_call() is None  # no input device at all
