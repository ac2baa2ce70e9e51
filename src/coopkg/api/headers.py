"""Security headers on every response, in one place (the pages' policy is adjusted here only).

* ``Content-Security-Policy``: scripts, styles, fonts, images, workers and fetches from this
  server only (``'self'``; workers also from ``blob:``, images from ``data:``), no inline script,
  no plug-ins, no framing by other sites, forms and ``<base>`` to this server. The one exception
  is FastAPI's interactive documentation (``/docs``, ``/redoc``), which loads Swagger UI and
  ReDoc from their CDN with an inline start-up script: those two pages get :data:`DOCS_POLICY`.
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
DOCS_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com",
    "font-src 'self' https://fonts.gstatic.com", "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
    "worker-src 'self' blob:", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'self'",
])  # fmt: skip
DOCS_PATHS = ("/docs", "/redoc")


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    policy = DOCS_POLICY if path.startswith(DOCS_PATHS) else POLICY
    return [
        (b"content-security-policy", policy.encode()),
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
        extra = security_headers(scope.get("path", ""))

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, sending)
