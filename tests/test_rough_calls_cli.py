"""`companion tag` on the command line: it forwards to the running instance without importing Qt."""

from __future__ import annotations

import subprocess
import sys

import pytest

from companion.__main__ import build_parser, tag_arguments

BLOCK_QT_AND_TAG = (
    "import sys; sys.modules['PySide6'] = None; from companion.__main__ import main; "
    "sys.exit(main(['tag', '--severity', '3', '--tag', 'yelling']))"
)


def test_tag_runs_without_qt_and_says_when_companion_is_not_running(tmp_path) -> None:
    result = subprocess.run([sys.executable, "-c", BLOCK_QT_AND_TAG], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1, result.stderr
    assert "Companion is not running" in result.stderr
    assert "Traceback" not in result.stderr


def test_severity_tags_and_note_travel_to_the_running_instance() -> None:
    args = build_parser().parse_args(["tag", "--severity", "4", "--tag", "yelling", "--tag", "own word", "--note", "n"])
    sent = tag_arguments(args)
    request_id = sent.pop("request_id")
    assert sent == {"severity": 4, "tags": ["yelling", "own word"], "note": "n"}
    # Each command gets its own request id unless it names one (a retry names the same one).
    assert isinstance(request_id, str) and len(request_id) == 16
    assert tag_arguments(args)["request_id"] != request_id
    assert tag_arguments(build_parser().parse_args(["tag"])) == {}  # the panel opens instead


def test_a_named_request_id_travels_as_given() -> None:
    args = build_parser().parse_args(["tag", "--severity", "2", "--request-id", "retry-7"])
    assert tag_arguments(args)["request_id"] == "retry-7"


@pytest.mark.parametrize("severity", ["0", "6", "three"])
def test_a_severity_outside_one_to_five_is_refused_before_sending(severity: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["tag", "--severity", severity])
    assert exit_info.value.code == 2
    assert "--severity" in capsys.readouterr().err
