"""The tray's socket while a client asks for a reply larger than the socket's buffer and never reads it: the
largest gap between the ticks of a 10 ms timer on the GUI thread, and when the stuck connection was dropped.

python benchmarks/socket_stuck_client.py [--seconds 6]
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from _table import Figure, print_table  # noqa: E402

REPLY_BYTES = 4_000_000  # a summary or status far past any socket buffer (about 200 KB on Linux)


def run(seconds: float = 6.0) -> list[Figure]:
    from PySide6.QtCore import QCoreApplication, QTimer

    from companion.core.ipc import Reply
    from companion.instance import REPLY_DEADLINE_SECONDS, InstanceServer

    qapp = QCoreApplication.instance() or QCoreApplication([])
    logging.getLogger("companion.instance").setLevel(logging.ERROR)  # its "dropped" line would break the table
    with tempfile.TemporaryDirectory() as folder:
        name = str(Path(folder) / "companion.sock")
        server = InstanceServer(name, {"summary": lambda request: Reply(True, "x" * REPLY_BYTES)})
        assert server.listen(), server.problem
        gaps: list[float] = []
        last = [time.monotonic()]
        connected, dropped_after = [False], []

        def tick() -> None:
            now = time.monotonic()
            gaps.append(now - last[0])
            last[0] = now
            connected[0] = connected[0] or bool(server._connections)
            if connected[0] and not server._connections and not dropped_after:
                dropped_after.append(now - began)

        ticker = QTimer()
        ticker.timeout.connect(tick)
        ticker.start(10)
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(name)
        began = time.monotonic()
        client.sendall(b'{"command": "summary"}\n')
        QTimer.singleShot(round(seconds * 1000), qapp.quit)
        qapp.exec()
        ticker.stop()
        client.close()
        server.close()
        server.deleteLater()
    return [
        Figure("socket: largest GUI-thread gap, a client not reading", max(gaps) * 1000, "ms", target=50),
        Figure(
            f"socket: stuck connection dropped after (deadline {REPLY_DEADLINE_SECONDS:g} s)",
            dropped_after[0] if dropped_after else float("nan"),
            "s",
        ),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=6.0)
    print_table(run(parser.parse_args().seconds))
