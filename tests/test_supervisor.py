"""coopkg's supervisor on its own: real uvicorn workers of a one-line app, a health check of 2 s.

`coopkg serve`'s check is 60 s (tests/test_hardening.py tests what that means for the service);
here a short one shows the hung path: a worker that answers no ping for that long is killed and
replaced, and the other worker is left alone meanwhile. The workers are forked from a forkserver
that imported the app (the default), or spawned (``fork=False``): both are tested.
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

from tests.conftest import forkservers, free_port, supervised_workers, within

ROOT = Path(__file__).resolve().parents[1]
HEALTHCHECK = 2.0
# Run as a file: its __main__ has a path, which multiprocessing would have each worker import again
# (and the first line counts every process that runs it).
SUPERVISE = """
import os, sys
from pathlib import Path
with Path(sys.argv[4]).open("a") as ran:
    ran.write(f"{os.getpid()}\\n")
if __name__ == "__main__":
    import uvicorn
    from coopkg.supervisor import Supervisor
    config = uvicorn.Config("tests.pid_app:app", port=int(sys.argv[1]), workers=2,
                            timeout_worker_healthcheck=float(sys.argv[2]), log_level="warning")
    Supervisor(config, sockets=[config.bind_socket()], fork=sys.argv[3] == "fork").run()
"""


class Supervised:
    def __init__(self, tmp: Path, fork: bool) -> None:
        self.port = free_port()
        self.ran = tmp / "ran"
        script = tmp / "supervise.py"
        script.write_text(SUPERVISE)
        self.process = subprocess.Popen(
            [sys.executable, str(script), str(self.port), str(HEALTHCHECK), "fork" if fork else "spawn", str(self.ran)],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert within(60, lambda: len(self.workers()) == 2 and self.answers())
        assert within(30, lambda: self.answering() == self.workers())

    def workers(self) -> set[int]:
        return supervised_workers(self.process.pid)

    def answers(self) -> bool:
        return self.answer() is not None

    def answer(self) -> tuple[int, int, int] | None:
        """The answering worker's process id, that of the process that imported the app, and its frozen objects."""
        try:
            response = httpx.get(f"http://127.0.0.1:{self.port}/", timeout=1)
        except httpx.TransportError:
            return None
        worker, imported_in, frozen = map(int, response.text.split())
        return worker, imported_in, frozen

    def answering(self, asks: int = 40) -> set[int]:
        """The workers that answered ``asks`` requests (each on a new connection)."""
        return {answer[0] for answer in (self.answer() for _ in range(asks)) if answer is not None}


def _threads(pid: int) -> int:
    return int(next(line.split()[1] for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                    if line.startswith("Threads:")))  # fmt: skip


@pytest.fixture(params=["fork", "spawn"])
def supervised(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Supervised]:
    running = Supervised(tmp_path, fork=request.param == "fork")
    yield running
    running.process.send_signal(signal.SIGTERM)
    try:
        running.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        running.process.kill()
    assert within(10, lambda: not any(Path(f"/proc/{pid}").exists() for pid in running.workers()))


@pytest.fixture
def forked(tmp_path: Path) -> Iterator[Supervised]:
    running = Supervised(tmp_path, fork=True)
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
    assert within(30, supervised.answers)


def test_the_workers_do_not_run_the_parents_main_module(supervised: Supervised) -> None:
    assert supervised.ran.read_text().split() == [str(supervised.process.pid)]


def test_forked_workers_come_from_a_forkserver_that_imported_the_app(forked: Supervised) -> None:
    (server,) = forkservers(forked.process.pid)
    assert _threads(server) == 1  # forked from a process with no other thread
    workers = forked.workers()
    assert all(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1] == str(server) for pid in workers)
    answers = {forked.answer() for _ in range(20)}
    assert {worker for worker, _, _ in answers} == workers
    assert {imported_in for _, imported_in, _ in answers} == {server}  # not imported by the workers themselves
    # What the forkserver imported is frozen: a worker's collections leave those pages shared.
    assert min(frozen for _, _, frozen in answers) > 10_000


def test_a_killed_worker_is_forked_again_at_once(forked: Supervised) -> None:
    victim, other = sorted(forked.workers())
    os.kill(victim, signal.SIGKILL)
    started = time.monotonic()
    assert within(5, lambda: len(forked.workers() - {victim, other}) == 1), forked.workers()
    assert within(10, lambda: forked.answering() == forked.workers())
    assert time.monotonic() - started < 10


def test_a_killed_forkserver_is_started_again_and_the_workers_replaced(forked: Supervised) -> None:
    """A worker's exit is told by its forkserver: without it the workers look dead, are killed and
    forked again from a new forkserver. Meanwhile the listening socket keeps the connections waiting."""
    (server,) = forkservers(forked.process.pid)
    old = forked.workers()
    os.kill(server, signal.SIGKILL)
    assert within(20, lambda: len(forkservers(forked.process.pid) - {server}) == 1 and len(forked.workers()) == 2)
    assert within(5, lambda: not any(Path(f"/proc/{pid}").exists() for pid in old))
    assert not forked.workers() & old
    assert within(20, lambda: forked.answering() == forked.workers())


def test_sighup_replaces_every_worker_and_sigttin_adds_one(supervised: Supervised) -> None:
    old = supervised.workers()
    supervised.process.send_signal(signal.SIGHUP)
    assert within(30, lambda: len(supervised.workers()) == 2 and not supervised.workers() & old), supervised.workers()
    assert within(20, lambda: supervised.answering() == supervised.workers())
    before = supervised.workers()
    supervised.process.send_signal(signal.SIGTTIN)
    assert within(20, lambda: len(supervised.workers()) == 3 and before < supervised.workers()), supervised.workers()
    assert within(20, lambda: supervised.answering(60) == supervised.workers())
    # The workers SIGHUP and SIGTTIN start are this supervisor's: a dead one is replaced at once too.
    (added,) = supervised.workers() - before
    os.kill(added, signal.SIGKILL)
    assert within(5, lambda: len(supervised.workers() - before - {added}) == 1), supervised.workers()
