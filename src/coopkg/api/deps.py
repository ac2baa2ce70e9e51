"""Dependencies: the services built in the lifespan, the settings, and the write token check."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from coopkg.errors import UnauthorizedError
from coopkg.service import Services


def get_services(request: Request) -> Services:
    # A sync dependency runs in the thread pool, so following a new snapshot never blocks the loop.
    services: Services = request.app.state.services
    services.sync()
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_document_writer(request: Request) -> Services:
    # A document is validated with the reference data only: no need to wait for other documents' snapshots.
    services: Services = request.app.state.services
    services.sync(writing_documents=True)
    return services


DocumentWriterDep = Annotated[Services, Depends(get_document_writer)]


def require_writer(request: Request) -> None:
    """Writes need ``Authorization: Bearer <COOPKG_WRITE_TOKEN>``; with no token configured they are off."""
    services: Services = request.app.state.services  # the settings only: no snapshot to follow for that
    token = services.settings.write_token
    if not token:
        raise UnauthorizedError("writes are disabled: the server has no COOPKG_WRITE_TOKEN")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise UnauthorizedError("a valid bearer token is required to write")


WriterDep = Depends(require_writer)
