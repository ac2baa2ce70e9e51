"""uvicorn's HTTP protocol, with two savings on short answers (docs/benchmarks.md).

* **A response's head goes out with its body.** uvicorn (httptools) writes them with separate
  ``transport.write`` calls; each is a ``send`` system call and a TCP segment on the loopback,
  and on a short SPARQL answer the second one is a good part of the cost. The head is held and
  joined to the first body write; the rest of a streamed body is written as it comes, and a
  response with no body write (HEAD, an empty reply) sends its head when it completes.
* **Direct replies.** The app may offer ``app.state.direct_replies``: a callable given a request's
  target, headers and body (None for a GET) that returns a whole reply ``(status, headers,
  body)``, or None. A GET is asked as soon as its headers are parsed; a POST with a small body
  of declared length (a SPARQL form or query) is held until its body is complete, then asked.
  A reply is written at once, with no ASGI scope, task or middleware; None lets the request take
  the usual ASGI way (a held POST is then handed on with its body, as if it had just arrived).
  coopkg answers SPARQL point lookups this way (:class:`coopkg.api.sparql.DirectLookups`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

Reply = tuple[int, list[tuple[bytes, bytes]], bytes]  # status, headers (no content-length), body
DirectReplies = Callable[[bytes, list[tuple[bytes, bytes]], bytes | None], Reply | None]  # target, headers, body
DIRECT_BODY_LIMIT = 64 * 1024  # a POST whose body may be held for a direct reply (a query is far smaller)


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
        self._held: bytearray | None = None  # the body of a POST held for a direct reply

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
            and not self.parser.should_upgrade()
        ):
            method = self.parser.get_method()
            if method == b"GET":
                reply = self._direct(self.url, self.headers, None)
                if reply is not None:
                    self._write_direct(*reply)
                    return
            elif method == b"POST" and self._small_body():
                self._held = bytearray()  # answered when the body is complete (on_message_complete)
                return
        super().on_headers_complete()

    def _small_body(self) -> bool:
        """A body of declared length within the limit, and no 100-continue to send first."""
        length = None
        for name, value in self.headers:
            if name == b"content-length":
                length = value
            elif name in {b"transfer-encoding", b"expect"}:
                return False
        return length is not None and length.isdigit() and int(length) <= DIRECT_BODY_LIMIT

    def _hand_on(self) -> bytes:
        """A held POST takes the usual way after all: its cycle starts now, with the body so far."""
        body, self._held = bytes(self._held or b""), None
        super().on_headers_complete()
        if body:
            super().on_body(body)
        return body

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
        if self._held is not None:
            self._held += body
            if len(self._held) > DIRECT_BODY_LIMIT:  # longer than it said: the usual way
                self._hand_on()
            return
        if self.cycle is not None:  # None after a direct reply to a GET (its request has no body)
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self._held is not None:
            reply = self._direct(self.url, self.headers, bytes(self._held)) if self._direct is not None else None
            if reply is not None:
                self._held = None
                self._write_direct(*reply)
                return
            self._hand_on()
        if self.cycle is not None:
            super().on_message_complete()

    def on_response_complete(self) -> None:
        self.transport.flush()  # type: ignore[attr-defined]
        super().on_response_complete()
