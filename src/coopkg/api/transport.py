"""uvicorn's HTTP protocol, with two savings on short answers (docs/benchmarks.md).

* **A response's head goes out with its body.** uvicorn (httptools) writes them with separate
  ``transport.write`` calls; each is a ``send`` system call and a TCP segment on the loopback,
  and on a short SPARQL answer the second one is a good part of the cost. The head is held and
  joined to the first body write; the rest of a streamed body is written as it comes, and a
  response with no body write (HEAD, an empty reply) sends its head when it completes.
* **Direct replies.** The app may offer ``app.state.direct_replies``: a callable given a GET's
  target and headers that returns a whole reply ``(status, headers, body)``, or None. It is
  asked as soon as a request's headers are parsed, and its reply is written at once, with no
  ASGI scope, task or middleware; None lets the request take the usual ASGI way. coopkg answers
  SPARQL point lookups this way (:class:`coopkg.api.sparql.DirectLookups`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

Reply = tuple[int, list[tuple[bytes, bytes]], bytes]  # status, headers (no content-length), body
DirectReplies = Callable[[bytes, list[tuple[bytes, bytes]]], Reply | None]  # (target, headers) -> reply


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

    def write_whole(self, response: bytes) -> None:
        """A complete response, head and body, written as it is."""
        self._transport.write(response)

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


def find_direct_replies(app: Any) -> DirectReplies | None:
    """``state.direct_replies`` of the first app with a ``state``, under uvicorn's wrappers."""
    while app is not None:
        state = getattr(app, "state", None)
        if state is not None:
            return getattr(state, "direct_replies", None)
        app = getattr(app, "app", None)
    return None


class CoopkgHttpProtocol(HttpToolsProtocol):
    """Pass as ``uvicorn.Config(http=CoopkgHttpProtocol)``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Direct replies skip the access log and the concurrency limit: only where neither is on.
        direct = self.access_log is False and self.limit_concurrency is None
        self._direct = find_direct_replies(self.app) if direct else None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        # uvloop's transports are not asyncio.Transport subclasses, but have the same methods.
        super().connection_made(HeadJoiningTransport(transport))  # type: ignore[arg-type]

    def on_message_begin(self) -> None:
        # A direct reply arms the keep-alive timer; a request that follows in the same packet
        # (pipelining) must not be cut by it.
        self._unset_keepalive_if_required()
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        if (
            self._direct is not None
            and (self.cycle is None or self.cycle.response_complete)
            and not self.pipeline
            and not self.flow.write_paused  # a client not reading its answers: the usual way waits for it
            and self.parser.get_method() == b"GET"
            and not self.parser.should_upgrade()
        ):
            reply = self._direct(self.url, self.headers)
            if reply is not None:
                self._write_direct(*reply)
                return
        super().on_headers_complete()

    def _write_direct(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        keep_alive = self.parser.get_http_version() != "1.0" and self.parser.should_keep_alive()
        parts = [STATUS_LINE[status]]
        for name, value in [*self.server_state.default_headers, *headers]:
            parts += [name, b": ", value, b"\r\n"]
        parts.append(b"content-length: %d\r\n" % len(body))
        if not keep_alive:
            parts.append(b"connection: close\r\n")
        parts += [b"\r\n", body]
        self.transport.write_whole(b"".join(parts))  # type: ignore[attr-defined]
        self.cycle = None  # type: ignore[assignment]  # no cycle: the next request starts afresh
        if not keep_alive:
            self.transport.close()
        self.on_response_complete()

    def on_body(self, body: bytes) -> None:
        if self.cycle is not None:  # None after a direct reply (its request has no body)
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self.cycle is not None:
            super().on_message_complete()

    def on_response_complete(self) -> None:
        self.transport.flush()  # type: ignore[attr-defined]
        super().on_response_complete()
