"""Security headers on every response, in one place (the pages' policy is adjusted here only).

* ``Content-Security-Policy``: scripts, styles, fonts, images, workers and fetches from this
  server only (``'self'``; workers also from ``blob:``, images from ``data:``), no inline script,
  no plug-ins, no framing by other sites, forms and ``<base>`` to this server. Every page is
  served under it, the API documentation included (Swagger UI and ReDoc are local assets). One
  page adds to it: ``/redoc``, whose styled-components styles are inserted as ``<style>``
  elements and may load only with that response's nonce (:func:`policy_with_style_nonce`); a
  policy a route sets itself is kept.
* ``X-Content-Type-Options: nosniff``: a browser never runs an answer as another type.
* ``Referrer-Policy: no-referrer``: links out of the explorer tell nothing of the query.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
    "connect-src 'self'", "worker-src 'self' blob:", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
    "frame-ancestors 'self'",
])  # fmt: skip


def policy_with_style_nonce(nonce: str) -> str:
    """:data:`POLICY` that also lets ``<style>`` elements carrying ``nonce`` apply (no 'unsafe-inline')."""
    return POLICY.replace("style-src 'self'", f"style-src 'self' 'nonce-{nonce}'", 1)


def security_headers() -> list[tuple[bytes, bytes]]:
    """The headers every response carries."""
    return [
        (b"content-security-policy", POLICY.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]


class SecurityHeaders:
    """Adds :func:`security_headers` to every HTTP response (outermost middleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers()

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, sending)
