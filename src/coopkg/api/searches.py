"""Searches answered by the HTTP protocol itself (api/transport.py), as :func:`list_organisations` and
:func:`list_projects` answer them.

* **Kept answers**: a search asked before on the current snapshot is sent again as it was.
* **Narrow searches**: one whose statement reads few names (a whole name, a rare word: fewer than
  :data:`DIRECT_CANDIDATES`) is computed at once, on the caller's thread. The way through ASGI,
  the middleware, the router and a thread hop costs more than such a search itself.

Anything else (a broad word, a listing, JSON-LD, CORS, a parameter the router would check or
refuse, a newer snapshot to open) returns None and takes the usual way, which gives the same answer.
"""

from __future__ import annotations

import re
import sqlite3

from fastapi.responses import JSONResponse
from starlette.datastructures import QueryParams

from coopkg import views
from coopkg.api.common import MAX_OFFSET, SEARCH_PATHS
from coopkg.api.headers import security_headers
from coopkg.api.transport import Reply
from coopkg.errors import CoopkgError
from coopkg.service import Services
from coopkg.viewdb import names

# A search answered on the caller's thread reads fewer names than this (a whole name of 10^5
# projects: 330-1,420, for 0.1-0.2 ms; a common word's tens of thousands take the usual way), for a
# page of at most DIRECT_LIMIT items (each item's first sources are a query of the store).
DIRECT_CANDIDATES = names.BROAD
DIRECT_LIMIT = 100
_KINDS = {path.encode(): path.rsplit("/", 1)[1] for path in SEARCH_PATHS}
_PARAMS = {"organisations": {"q", "type", "limit", "offset", "lang"}, "projects": {"q", "limit", "offset", "lang"}}
_DIGITS = re.compile(r"[0-9]{1,13}")
_LANG = re.compile(r"[a-z]{2,3}")  # the router's Lang
_HEADERS = [(b"content-type", b"application/json"), (b"vary", b"Accept"), *security_headers()]


def is_search(path: bytes) -> bool:
    return path in _KINDS


def answer(services: Services, target: bytes, headers: list[tuple[bytes, bytes]], cors: bool) -> Reply | None:
    """A search's reply, kept or computed now, or None for the usual way."""
    for name, value in headers:
        if name in {b"content-length", b"transfer-encoding"} or (cors and name == b"origin"):
            return None
        if name == b"accept" and b"ld+json" in value:
            return None
    body = services.kept_answer(target)
    if body is None:
        body = _narrow(services, target)
    return None if body is None else (200, _HEADERS, body)


def _narrow(services: Services, target: bytes) -> bytes | None:
    """The JSON answer of a narrow search, kept for the next time; None when not one, or not current."""
    path, _, query_string = target.partition(b"?")
    kind = _KINDS[path]
    given: dict[str, str] = {}
    # The router's parsing (starlette's), so that ``q`` is the text the router would be given.
    for key, value in QueryParams(query_string).multi_items():
        if key not in _PARAMS[kind] or key in given:
            return None  # a parameter the router ignores, or one given twice: its rules, not these
        given[key] = value
    q, lang = given.get("q"), given.get("lang", "fr")
    limit, offset = given.get("limit", "20"), given.get("offset", "0")
    if not q or not _LANG.fullmatch(lang) or not _DIGITS.fullmatch(limit) or not _DIGITS.fullmatch(offset):
        return None
    if not 1 <= int(limit) <= DIRECT_LIMIT or int(offset) > MAX_OFFSET:  # within the router's Limit and Offset
        return None
    if not services.holds_newest():
        return None  # over a remote store, or a snapshot to open first: the usual way follows it
    generation = services.generation
    try:
        found = views.search(services, kind, q, given.get("type"))
        if found.candidates >= DIRECT_CANDIDATES:
            return None
        page = views.search_page(services, found, int(limit), int(offset), lang)
    except (CoopkgError, sqlite3.Error):
        return None  # the usual way explains it
    body = bytes(JSONResponse(page).body)
    services.keep_answer(target, body, generation)
    return body
