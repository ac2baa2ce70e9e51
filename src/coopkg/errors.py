"""The error hierarchy: each error has a stable code, an HTTP status and a CLI exit code.

The CLI and the web layer map errors in one place each, from these attributes.
"""

from __future__ import annotations

from typing import Any


class CoopkgError(Exception):
    """Base of every error coopkg reports to a user."""

    code = "internal"
    http_status = 500
    exit_code = 1

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return body


class BadInputError(CoopkgError):
    """The input (file, query, parameter) is malformed or unsupported."""

    code = "bad_input"
    http_status = 400
    exit_code = 2


class QuerySyntaxError(BadInputError):
    """A SPARQL query or update does not parse."""

    code = "query_syntax"


class ForbiddenQueryError(BadInputError):
    """A query uses a feature the service refuses (e.g. SERVICE)."""

    code = "forbidden_query"


class DocumentError(BadInputError):
    """A document cannot be read (empty, binary, undecodable, too large, unsupported language)."""

    code = "bad_document"


class TooLargeError(BadInputError):
    """A request body or result exceeds its size limit."""

    code = "too_large"
    http_status = 413


class ValidationFailed(CoopkgError):
    """Data does not conform to the SHACL shapes; nothing was written."""

    code = "validation_failed"
    http_status = 422
    exit_code = 3


class NotFoundError(CoopkgError):
    """The resource, graph, document or saved query does not exist."""

    code = "not_found"
    http_status = 404
    exit_code = 4


class StoreError(CoopkgError):
    """The store could not be opened, read or written."""

    code = "store_error"
    http_status = 503
    exit_code = 5


class QueryTimeoutError(StoreError):
    """A query ran past its time limit and was stopped."""

    code = "query_timeout"


class UnauthorizedError(CoopkgError):
    """A write without a valid bearer token."""

    code = "unauthorized"
    http_status = 401
    exit_code = 6


class NotAcceptableError(CoopkgError):
    """No representation matches the Accept header."""

    code = "not_acceptable"
    http_status = 406
    exit_code = 2


def error_from_code(code: str, message: str) -> CoopkgError:
    """The error of a stable ``code`` (errors that crossed a process boundary, e.g. from the service's writer)."""
    kinds: list[type[CoopkgError]] = [CoopkgError]
    found: type[CoopkgError] = CoopkgError
    while kinds:
        kind = kinds.pop()
        if kind.code == code:
            found = kind
            break
        kinds.extend(kind.__subclasses__())
    return found(message)


EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "internal error (a bug: please report it)",
    2: "bad input: unreadable file, malformed query, unknown format or option",
    3: "validation failed: the data does not conform to the SHACL shapes; nothing was written",
    4: "not found: no such document, graph or saved query",
    5: "store error: the store could not be opened, read or written, or a query timed out",
    6: "unauthorized",
}
