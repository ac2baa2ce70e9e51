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


def require_writer(request: Request, services: ServicesDep) -> None:
    """Writes need ``Authorization: Bearer <COOPKG_WRITE_TOKEN>``; with no token configured they are off."""
    token = services.settings.write_token
    if not token:
        raise UnauthorizedError("writes are disabled: the server has no COOPKG_WRITE_TOKEN")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise UnauthorizedError("a valid bearer token is required to write")


WriterDep = Depends(require_writer)
