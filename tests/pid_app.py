"""A one-line ASGI app for the supervisor's tests: 200, the worker's process id, that of the process
that imported this module (the forkserver, when the workers are forked from one that preloaded it) and
how many objects the garbage collector leaves alone (frozen before the fork)."""

from __future__ import annotations

import gc
import os
from typing import Any

IMPORTED_IN = os.getpid()


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": f"{os.getpid()} {IMPORTED_IN} {gc.get_freeze_count()}".encode()})
