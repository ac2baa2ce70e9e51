"""No network for the processes that evaluate queries: defence in depth against request forgery.

:mod:`coopkg.query_guard` refuses every query or update that would make the engine fetch a
URL. Beneath it, a ``coopkg serve`` worker over the embedded store installs a seccomp filter
(Linux, x86-64 and arm64) before it serves anything: ``socket()`` for IPv4 and IPv6 fails with
``EACCES`` in every thread of the process, and so does ``io_uring_setup`` (which could open
sockets around the filter). A worker never needs one: it accepts connections on the listening
socket its supervisor bound. So even a query the guard let through could not connect anywhere,
not even to resolve a name. ``no_new_privs`` is set first, as the kernel requires of an
unprivileged filter; a filter cannot be removed, and it passes to any child process.

The supervisor of ``coopkg serve`` runs the service's writer (:mod:`coopkg.store.writer`), which
evaluates updates: it installs the same filter once its listening socket is bound, and the
workers it spawns inherit it.

Where the filter cannot be installed (another OS or architecture, a kernel without seccomp, a
container that forbids it) the worker logs why and goes on, protected by the guard alone. The
remote backend talks to its endpoint over the network, so its workers are not filtered.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import platform
import struct
import sys

log = logging.getLogger("coopkg.sandbox")

# linux/audit.h, asm/unistd.h: (audit arch, socket, io_uring_setup, seccomp) per machine
_ARCHES = {"x86_64": (0xC000003E, 41, 425, 317), "aarch64": (0xC00000B7, 198, 425, 277)}
_X32 = 0x40000000  # x86-64's x32 ABI: the same calls with this bit set
_AF_INET, _AF_INET6 = 2, 10
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC = 1, 1
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_LD_W_ABS, _JEQ_K, _RET_K = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K


def _program(arch: int, socket_nr: int, uring_nr: int) -> list[tuple[int, int, int, int]]:
    """The filter, as (code, jump if true, jump if false, k) instructions over ``struct seccomp_data``."""
    deny = _RET_ERRNO | errno.EACCES
    return [
        (_LD_W_ABS, 0, 0, 4),  # arch
        (_JEQ_K, 1, 0, arch),
        (_RET_K, 0, 0, _RET_ALLOW),  # another ABI: not this filter's business
        (_LD_W_ABS, 0, 0, 0),  # syscall number
        (_JEQ_K, 4, 0, socket_nr),
        (_JEQ_K, 3, 0, socket_nr | _X32),
        (_JEQ_K, 1, 0, uring_nr),
        (_RET_K, 0, 0, _RET_ALLOW),
        (_RET_K, 0, 0, deny),  # io_uring_setup
        (_LD_W_ABS, 0, 0, 16),  # socket(): args[0], the address family (low 32 bits)
        (_JEQ_K, 2, 0, _AF_INET),
        (_JEQ_K, 1, 0, _AF_INET6),
        (_RET_K, 0, 0, _RET_ALLOW),
        (_RET_K, 0, 0, deny),
    ]


def deny_network() -> str | None:
    """Install the filter in this process (every thread); None when done, else why it could not be."""
    machine = platform.machine()
    if not sys.platform.startswith("linux") or machine not in _ARCHES:
        return f"no seccomp filter for {sys.platform}/{machine}"
    arch, socket_nr, uring_nr, seccomp_nr = _ARCHES[machine]
    code = b"".join(struct.pack("=HBBI", *instruction) for instruction in _program(arch, socket_nr, uring_nr))
    buffer = ctypes.create_string_buffer(code, len(code))

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    program = Program(len(code) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return f"prctl(PR_SET_NO_NEW_PRIVS) failed: {errno.errorcode.get(ctypes.get_errno(), '?')}"
    done = libc.syscall(seccomp_nr, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC, ctypes.byref(program))
    if done != 0:
        return f"seccomp(SECCOMP_SET_MODE_FILTER) failed: {errno.errorcode.get(ctypes.get_errno(), '?')}"
    return None
