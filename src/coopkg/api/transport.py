"""uvicorn's HTTP protocol with a response's head sent together with its body.

uvicorn (httptools) writes a response's head and its body with separate ``transport.write``
calls; each is a ``send`` system call and a TCP segment on the loopback, and on a short SPARQL
answer the second one is a good part of the cost (docs/benchmarks.md). Here the head is held
and joined to the first body write; the rest of a streamed body is written as it comes, and a
response with no body write (HEAD, an empty reply) sends its head when it completes.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class HeadJoiningTransport:
    """Forwards to the real transport, holding a response head until the next write."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._head: bytes | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        chunk = bytes(data)
        if self._head is not None:
            chunk, self._head = self._head + chunk, None
        elif chunk.startswith(b"HTTP/1.1 ") and not chunk.startswith(b"HTTP/1.1 100 "):
            self._head = chunk  # a "100 Continue" must go out at once: the client waits for it
            return
        self._transport.write(chunk)

    def flush(self) -> None:
        if self._head is not None:
            head, self._head = self._head, None
            if not self._transport.is_closing():
                self._transport.write(head)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + len(self._head or b"")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class HeadJoiningHttpToolsProtocol(HttpToolsProtocol):
    """Pass as ``uvicorn.Config(http=HeadJoiningHttpToolsProtocol)``."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        # uvloop's transports are not asyncio.Transport subclasses, but have the same methods.
        super().connection_made(HeadJoiningTransport(transport))  # type: ignore[arg-type]

    def on_response_complete(self) -> None:
        self.transport.flush()  # type: ignore[attr-defined]
        super().on_response_complete()
