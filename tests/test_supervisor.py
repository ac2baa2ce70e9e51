"""coopkg's supervisor on its own: real uvicorn workers of a one-line app, a health check of 2 s.

`coopkg serve`'s check is 60 s (tests/test_hardening.py tests what that means for the service);
here a short one shows the hung path: a worker that answers no ping for that long is killed and
replaced, and the other worker is left alone meanwhile.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
HEALTHCHECK = 2.0
SUPERVISE = """
import sys
import uvicorn
from coopkg.supervisor import Supervisor
config = uvicorn.Config("tests.pid_app:app", port=int(sys.argv[1]), workers=2,
                        timeout_worker_healthcheck=float(sys.argv[2]), log_level="warning")
Supervisor(config, sockets=[config.bind_socket()]).run()
"""


class Supervised:
    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen([sys.executable, "-c", SUPERVISE, str(self.port), str(HEALTHCHECK)], cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (len(self.workers()) == 2 and self.answers()):
            time.sleep(0.1)
        assert len(self.workers()) == 2

    def workers(self) -> set[int]:
        pid = self.process.pid
        children = {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
        return {c for c in children if b"spawn_main" in _cmdline(c)}

    def answers(self) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/", timeout=1).status_code == 200
        except httpx.TransportError:
            return False


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return b""


@pytest.fixture
def supervised() -> Iterator[Supervised]:
    running = Supervised()
    yield running
    running.process.send_signal(signal.SIGTERM)
    try:
        running.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        running.process.kill()


def test_a_worker_silent_past_the_health_check_is_killed_and_replaced(supervised: Supervised) -> None:
    silent, other = sorted(supervised.workers())
    signal_sent = time.monotonic()
    os.kill(silent, signal.SIGSTOP)
    time.sleep(HEALTHCHECK / 2)
    assert supervised.workers() == {silent, other}  # silent for less than the check: left alone
    deadline = signal_sent + HEALTHCHECK + 5
    while time.monotonic() < deadline and (silent in supervised.workers() or len(supervised.workers()) < 2):
        time.sleep(0.05)
    replaced = time.monotonic() - signal_sent
    workers = supervised.workers()
    assert silent not in workers and other in workers and len(workers) == 2, workers
    assert HEALTHCHECK <= replaced <= HEALTHCHECK + 5
    assert not Path(f"/proc/{silent}").exists()  # killed and reaped
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not supervised.answers():
        time.sleep(0.1)
    assert supervised.answers()
