"""Errors as HTTP: one mapping, JSON with a stable code for clients, a readable page for browsers."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from coopkg.api.negotiate import prefers_html
from coopkg.errors import CoopkgError, QueryTimeoutError

log = logging.getLogger("coopkg.api")

_HTTP_CODES = {400: "bad_input", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
               413: "too_large", 415: "unsupported_media_type", 422: "bad_input", 503: "unavailable"}  # fmt: skip


def error_response(request: Request, status: int, code: str, message: str, details: object = None) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status == 405:
        # RFC 9110 §15.5.6: a 405 lists the methods the resource answers, over every route of its path.
        table = getattr(request.app.state, "methods", None)
        headers = {"Allow": ", ".join(table.allowed(request.url.path))} if table is not None else None
    if prefers_html(request.headers.get("accept")):
        from coopkg.web.render import page  # the page with the site's navigation

        response = page("error.html", request, status_code=status, status=status, code=code, message=message)
        response.headers.update(headers or {})
        return response
    body: dict[str, object] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return JSONResponse(body, status_code=status, headers=headers)


def coopkg_error_response(request: Request, error: CoopkgError) -> Response:
    """The one mapping of the error hierarchy to HTTP."""
    status = 503 if isinstance(error, QueryTimeoutError) else error.http_status
    if status >= 500:
        log.warning("%s %s: %s", request.method, request.url.path, error.message)
    return error_response(request, status, error.code, error.message, error.details)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CoopkgError)
    async def coopkg_error(request: Request, error: CoopkgError) -> Response:
        return coopkg_error_response(request, error)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        problems = [f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in error.errors()]
        return error_response(request, 400, "bad_input", "; ".join(problems) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(error.status_code, "http_error")
        return error_response(request, error.status_code, code, str(error.detail))
