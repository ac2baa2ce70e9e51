"""The app factory: ``create_app(settings)``; the store and its services open in the lifespan."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coopkg import __version__
from coopkg.api import (
    dataset,
    documents,
    fundings,
    graph_store,
    home,
    indicators,
    organisations,
    projects,
    regions,
    resources,
    saved,
    sparql,
)
from coopkg.api.errors import install_error_handlers
from coopkg.api.headers import SecurityHeaders
from coopkg.api.methods import HeadAsGet, MethodTable
from coopkg.sandbox import deny_network
from coopkg.service import Services
from coopkg.settings import Settings, get_settings
from coopkg.web import STATIC
from coopkg.web import routes as pages

log = logging.getLogger("coopkg.api")

DESCRIPTION = """
coopkg serves a knowledge graph of development-cooperation facts (who funds what), each
with its evidence: the document, the exact quote and its character span.

* **Analysts**: SPARQL 1.1 at `/sparql` (and `/update`, `/graph` with a bearer token).
* **Linked-data consumers**: every IRI under `/id/…` dereferences (Turtle, JSON-LD,
  N-Triples, RDF/XML, HTML); the ontology at `/ontology` (and its version IRI); VoID at
  `/.well-known/void` and `/dataset`; the dump at `/dump`.
* **API clients**: the JSON API below. Lists answer `{items, total, limit, offset}`; field
  names follow the `coopkg extract` JSON.
"""


class BodyLimit:
    """413 for request bodies over the limit, whether or not they announce their length."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(send, self.limit)
            return
        seen = 0

        async def counting() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, counting, send)
        except _BodyTooLarge:
            await _too_large(send, self.limit)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = b'{"code":"too_large","message":"request body over the %d-byte limit"}' % limit
    await send({"type": "http.response.start", "status": 413, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = await run_in_threadpool(Services.open, settings)
        app.state.services = services
        try:
            await run_in_threadpool(services.ensure_ready)
            yield
        finally:
            await run_in_threadpool(services.close)

    app = FastAPI(
        title="coopkg",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by coopkg.web from local assets (no CDN)
        redoc_url=None,
        telemetry=None if settings.telemetry else {"tracing": False, "metrics": False, "logs": False},
        openapi_tags=[
            {"name": "Who funded what", "description": "Fundings, organisations, projects, places, indicators."},
            {"name": "Documents", "description": "Extraction into the graph, and the facts of each document."},
            {"name": "Saved queries", "description": "The `queries/*.rq` files, with typed parameters."},
            {"name": "SPARQL", "description": "SPARQL 1.1 Protocol and Graph Store Protocol."},
            {"name": "Linked data", "description": "Dereferenceable IRIs, ontology, dataset description."},
        ],
    )
    install_error_handlers(app)
    routers = (home.router, sparql.router, graph_store.router, saved.router, fundings.router, organisations.router,
               projects.router, regions.router, indicators.router, documents.router, pages.router, resources.router,
               dataset.router)  # fmt: skip
    for router in routers:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.state.methods = MethodTable([*app.router.routes, *(r for router in routers for r in router.routes)])
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    # Point lookups answered by the HTTP protocol itself under `coopkg serve` (api/transport.py).
    app.state.direct_replies = sparql.DirectLookups(lambda: getattr(app.state, "services", None), cors=bool(origins))
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
        )
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)  # outermost: on every response, errors and 413s included
    return app


def app_from_env() -> FastAPI:
    """Factory for uvicorn (`coopkg serve`'s workers): settings read from the environment at start-up.

    Over the embedded store a worker needs no network socket: it shuts itself out of the network
    before it serves anything (:mod:`coopkg.sandbox`).
    """
    settings = get_settings()
    if settings.backend == "embedded" and settings.network_sandbox:
        why = deny_network()
        if why is None:
            log.info("worker %d: no network sockets (seccomp filter installed)", os.getpid())
        else:
            log.warning("worker %d: the network sandbox is not available (%s); the query guard alone applies",
                        os.getpid(), why)  # fmt: skip
    return create_app(settings)
