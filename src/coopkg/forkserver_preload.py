"""Imported by the forkserver of :mod:`coopkg.supervisor` (first of its preload), never elsewhere.

Every process that forkserver forks (a worker) is killed when the forkserver dies: a worker's exit is
told to the supervisor by the forkserver, so without it a worker still serving would look dead and be
left alone, unsupervised, holding the listening socket. With this, the supervisor finds the workers
gone, starts a new forkserver and forks new workers. Linux only (``PR_SET_PDEATHSIG``).

Before each fork, what the forkserver imported is moved out of the garbage collector's reach
(:func:`gc.freeze`): a worker's collections neither scan those objects nor write to their pages,
which stay shared with the forkserver and the other workers.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1
_FORKSERVER = os.getpid()


def _die_with_the_forkserver() -> None:
    """In the child, just after the fork: SIGKILL when the parent dies, and exit if it already has."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != _FORKSERVER:  # it died between the fork and the call
        os._exit(1)


os.register_at_fork(before=gc.freeze)
if sys.platform.startswith("linux"):
    os.register_at_fork(after_in_child=_die_with_the_forkserver)
