"""Every call detector keeps the CallDetector contract: PulseAudio on a real private server (and with none), the
do-nothing fallback, and Windows and macOS through their OS reads replaced."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication

from companion.platform import BackendUnavailable
from companion.platform.calls_other import (
    DEFAULT_INPUT_DEVICE,
    RUNNING_SOMEWHERE,
    SYSTEM_OBJECT,
    MacCallDetector,
    NoCallDetector,
    WindowsCallDetector,
)
from companion.platform.calls_pulse import PulseCallDetector
from tests.platform.contracts import assert_call_detector
from tests.platform.test_activity_calls import FakeRegistry


def test_pulseaudio(qapp: QApplication, pulseaudio: dict[str, str]) -> None:
    assert_call_detector(PulseCallDetector(pulseaudio))


def test_pulseaudio_without_a_server_refuses_at_start_or_answers_unknown(qapp: QApplication, tmp_path: Path) -> None:
    try:
        detector = PulseCallDetector({**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/nobody-here"})
    except BackendUnavailable:
        return
    assert_call_detector(detector)


def test_no_call_detector() -> None:
    assert_call_detector(NoCallDetector())


def test_windows() -> None:
    assert_call_detector(WindowsCallDetector(FakeRegistry({"NonPackaged\\C:#phone.exe": (135_000, 0)})))


def test_macos() -> None:
    properties = {(SYSTEM_OBJECT, DEFAULT_INPUT_DEVICE): 73, (73, RUNNING_SOMEWHERE): 1}
    assert_call_detector(MacCallDetector(lambda obj, selector: properties.get((obj, selector))))
    assert_call_detector(MacCallDetector(lambda obj, selector: None))
