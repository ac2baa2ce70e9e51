"""HTTP methods the routes do not declare: HEAD on every GET route, and ``Allow`` on a 405.

FastAPI's routes answer exactly the methods they are declared with, so a HEAD would get 405
everywhere. HEAD is the same request as GET without the body (RFC 9110 §9.3.2): the router
sees a GET, the client gets its status and headers, Content-Length included, and no body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Routes a HEAD as a GET and drops the body of the answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {"type": "http.response.body", "body": b"", "more_body": message.get("more_body", False)}
            await send(message)

        # A copy: the server's own scope still says HEAD, so it sends no body either.
        await self.app({**scope, "method": "GET", "coopkg.head": True}, receive, headers_only)


class MethodTable:
    """Which methods each path answers, from the route table (for the ``Allow`` header of a 405)."""

    def __init__(self, routes: Iterable[BaseRoute]) -> None:
        self.routes: list[tuple[re.Pattern[str], set[str]]] = []
        for route in routes:
            if isinstance(route, Route | APIRoute) and route.methods:
                self.routes.append((route.path_regex, set(route.methods)))
            elif isinstance(route, Mount) and isinstance(route.app, StaticFiles):
                self.routes.append((route.path_regex, {"GET", "HEAD"}))  # static files answer nothing else

    def allowed(self, path: str) -> list[str]:
        """Every method some route answers at ``path`` (HEAD wherever GET is)."""
        methods: set[str] = set()
        for regex, route_methods in self.routes:
            if regex.match(path):
                methods |= route_methods
        if "GET" in methods:
            methods.add("HEAD")
        order = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
        return sorted(methods, key=lambda m: (order.index(m) if m in order else len(order), m))
