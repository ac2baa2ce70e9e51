"""The supervisor of `coopkg serve`: uvicorn's, but it never waits on one worker to look after another.

uvicorn's :class:`~uvicorn.supervisors.Multiprocess` checks its workers one after the other, and
each check sends a ping and waits up to the health-check time for the answer. A worker that exits
after the ping was sent never answers (and the parent's copy of the pipe keeps it from reading as
closed), so one check could hold the loop for that whole time while the other worker, dead too, was
not replaced: no worker for up to a minute after two retired at once. Here:

* each round of the loop (every :data:`TICK` seconds; uvicorn's 0.5 s) only looks: a worker whose
  process has ended, or whose pipe reads as closed, is replaced at once;
* a ping is sent and its answer read without waiting: a worker whose answer is outstanding past the
  health-check time is hung and killed (a worker starved of CPU for less is left alone), and no
  worker's silence delays what is done for another;
* a worker answers a ping with :data:`EXITING` once it has been told to stop (a worker whose query
  overran retires with SIGTERM): its replacement starts then, while it finishes its requests; it is
  killed if it has not exited within :data:`DRAIN_MARGIN` seconds past the graceful-shutdown time.

Workers are forked from a :mod:`multiprocessing` forkserver whose preload imported the app, uvicorn
and this module: a worker starts in milliseconds instead of importing them (a second or more on a
loaded machine), and so does a replacement. The forkserver is a fresh process, exec'd from this one
when the first worker starts, with this one's environment then (so what ``coopkg serve`` sets before,
the writer's socket, ``LD_PRELOAD``, takes effect in it and in every worker) and its seccomp filter
if one is installed by then; it imports modules and never opens the store nor starts a thread. A
worker dies with its forkserver (:mod:`coopkg.forkserver_preload`), so that none serves unsupervised
if the forkserver is killed: a new one is started and the workers replaced. Where there is no
forkserver (not POSIX), workers are spawned as uvicorn does. Either way the parent's ``__main__``
(for ``coopkg serve``, the command line and its libraries) is not imported again in the workers:
nothing they are sent comes from it. SIGHUP (restart all) and SIGTTIN (one more worker) are
uvicorn's, with these workers.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import sys
import time
import types
from collections.abc import Sequence
from multiprocessing.context import BaseContext
from socket import socket

from uvicorn._subprocess import subprocess_started
from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process

logger = logging.getLogger("uvicorn.error")
EXITING = "exiting"  # a worker's answer to a ping once it shuts down (uvicorn's answer is a bool)
TICK = 0.2  # seconds between the rounds of the loop: a ping costs a worker a pipe read
DRAIN_MARGIN = 10.0  # seconds an exiting worker may take past the graceful-shutdown time


def forkserver(preload: Sequence[str]) -> BaseContext | None:
    """The forkserver context, its preload set to ``preload`` (None where there is none)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    return context


def preload_for(config: Config) -> list[str]:
    """What the forkserver imports: :mod:`coopkg.forkserver_preload` (its workers die with it), then what a
    worker of ``config`` imports before it serves: its app's module, its HTTP protocol's, this module (to read
    what it is sent), uvicorn's event loop and lifespan, anyio's threads (the forkserver passes over any that
    is not installed)."""
    modules = ["coopkg.forkserver_preload", __name__, "uvicorn.lifespan.on", "uvicorn.loops.uvloop",
               "uvicorn.protocols.websockets.auto", "anyio._backends._asyncio"]  # fmt: skip
    if isinstance(config.app, str):
        modules.append(config.app.partition(":")[0])
    if isinstance(config.http, type):
        modules.append(config.http.__module__)
    return list(dict.fromkeys(modules))


class Worker(Process):
    """A uvicorn worker that says so when it shuts down, and whose pipe reads as closed once it exits;
    started from ``context`` (a forkserver), or spawned as uvicorn's are."""

    def __init__(self, config: Config, sockets: list[socket], context: BaseContext | None = None) -> None:
        super().__init__(config, sockets)
        if context is not None:
            # uvicorn's spawn process, from a forkserver instead (not started: nothing to undo). No stdin to
            # reopen: the forkserver has none.
            kwargs = {"config": config, "target": self.target, "sockets": sockets, "stdin_fileno": None}
            self.process = context.Process(target=subprocess_started, kwargs=kwargs)  # type: ignore[attr-defined]

    def start(self) -> None:
        # multiprocessing has a child import the parent's __main__ first, in case what it is sent was
        # defined there: here nothing is, and for `coopkg serve` that is the command line (typer, rich…).
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")  # neither a name nor a path to import
        try:
            super().start()
        finally:
            sys.modules["__main__"] = main
        # The child has its own copy of this end now; without the parent's, the pipe reads as closed
        # (EOF) as soon as the child is gone, rather than leaving a ping unanswered.
        self.child_conn.close()

    def pong(self) -> None:  # runs in the worker, on uvicorn's health-check thread
        self.child_conn.recv()
        self.child_conn.send(EXITING if self.server.should_exit else self.server.started)


class Supervisor(Multiprocess):
    """:class:`~uvicorn.supervisors.Multiprocess` whose health checks never block (see the module).

    ``fork``: workers from a forkserver (see the module); False: spawned, as uvicorn's.
    """

    def __init__(self, config: Config, sockets: list[socket], *, fork: bool = True) -> None:
        super().__init__(config, sockets)
        self._context = forkserver(preload_for(config)) if fork else None
        self._pinged: dict[Process, float] = {}  # worker -> when its unanswered ping was sent
        self._draining: dict[Process, float] = {}  # exiting worker -> when it is killed if still there

    def run(self) -> None:
        logger.info(f"Started parent process [{os.getpid()}]")
        self.init_processes()
        while not self.should_exit.wait(TICK):
            self.handle_signals()
            self.keep_subprocess_alive()
        self.terminate_all()
        self.join_all()
        logger.info(f"Stopping parent process [{os.getpid()}]")

    def init_processes(self) -> None:
        for _ in range(self.processes_num):
            self.processes.append(self._spawn())

    def _spawn(self) -> Worker:
        worker = Worker(self.config, self.sockets, self._context)
        worker.start()
        return worker

    def restart_all(self) -> None:
        """SIGHUP: uvicorn's (each worker replaced once its replacement is ready), with these workers."""
        for idx, old_process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new_process = self._spawn()
            if not new_process.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new_process.kill()
                new_process.join()
                if not self.should_exit.is_set():
                    logger.error(f"New child process [{new_process.pid}] was not ready in time; "
                                 f"keeping worker [{old_process.pid}] and aborting the restart.")  # fmt: skip
                return
            self._pinged.pop(old_process, None)
            old_process.terminate()
            old_process.join()
            self.processes[idx] = new_process

    def handle_ttin(self) -> None:
        """SIGTTIN: one more worker (uvicorn's, with these workers)."""
        logger.info("Received SIGTTIN, increasing the number of processes.")
        self.processes_num += 1
        self.processes.append(self._spawn())

    def keep_subprocess_alive(self) -> None:
        if self.should_exit.is_set():
            return
        now = time.monotonic()
        self._reap(now)
        for idx, process in enumerate(self.processes):
            state = self._check(process, now)
            if state == "serving":
                continue
            self._pinged.pop(process, None)
            if state == "exiting":
                logger.info(f"Child process [{process.pid}] is exiting: starting its replacement")
                self._draining[process] = now + (self.config.timeout_graceful_shutdown or 0) + DRAIN_MARGIN
            else:
                if state == "hung":
                    logger.warning(f"Child process [{process.pid}] answered no health check in time: killing it")
                process.kill()
                process.join()
                if process.exitcode == STARTUP_FAILURE:
                    # Broken app, TLS or socket: every replacement would fail the same way.
                    logger.error(f"Child process [{process.pid}] failed to start, stopping the parent process.")
                    self.should_exit.set()
                    return
                logger.info(f"Child process [{process.pid}] died")
            if self.should_exit.is_set():
                return
            self.processes[idx] = self._spawn()

    def _check(self, process: Process, now: float) -> str:
        """``serving``, ``exiting``, ``dead`` or ``hung``, without waiting on the worker."""
        if process.exitcode is not None:
            return "dead"
        connection = process.parent_conn
        try:
            if process in self._pinged and connection.poll():
                answer = connection.recv()
                del self._pinged[process]
                if answer == EXITING:
                    return "exiting"
            if process not in self._pinged:
                connection.send(b"ping")
                self._pinged[process] = now
        except (OSError, EOFError, pickle.UnpicklingError):
            return "dead"  # the pipe is closed: the worker is gone, or going
        if now - self._pinged[process] > self.config.timeout_worker_healthcheck:
            return "hung"
        return "serving"

    def _reap(self, now: float) -> None:
        for process, deadline in list(self._draining.items()):
            if process.exitcode is None and now < deadline:
                continue
            if process.exitcode is None:
                logger.warning(f"Child process [{process.pid}] did not exit in time: killing it")
                process.kill()
            process.join()
            del self._draining[process]

    def terminate_all(self) -> None:
        super().terminate_all()
        for process in self._draining:
            process.terminate()

    def join_all(self) -> None:
        super().join_all()
        for process in self._draining:
            process.join()
