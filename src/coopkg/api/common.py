"""Shapes shared by the JSON API routers: pages, items, JSON-LD."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import JSONResponse
from pyoxigraph import NamedNode

from coopkg.api.negotiate import choose
from coopkg.errors import BadInputError
from coopkg.iris import IriMinter
from coopkg.jsonld import Face
from coopkg.service import Services
from coopkg.views import SEARCHED, named_item, page, sourced_page

Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page.")]
# Past any store's size, and within what the views' SQLite can count (an offset of 10^21 overflowed it: a 500).
MAX_OFFSET = 10**12
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
Lang = Annotated[str, Query(pattern="^[a-z]{2,3}$", description="Preferred language of labels (fr, en, ar).")]

CONTEXT_PATH = "/api/context.jsonld"
__all__ = ["named_item", "page", "sourced_page"]


def entity_iri(minter: IriMinter, kind: str, key: str) -> str:
    """The IRI a path names: an IRI itself, or a key under ``{base}id/{kind}/``; 400 if it is not one."""
    try:
        return (NamedNode(key) if key.startswith(("http://", "https://")) else minter.entity(kind, key)).value
    except ValueError:
        raise BadInputError(f"{key!r} is not a valid {kind} id or IRI") from None


SEARCH_PATHS = tuple(f"/api/{kind}" for kind in SEARCHED)  # their answers are kept per snapshot


def respond_cached(
    request: Request, services: Services, body: dict[str, Any], generation: int, face: Face | None = None
) -> JSONResponse:
    """:func:`respond`, keeping a plain JSON answer for :class:`coopkg.api.sparql.DirectLookups` to repeat."""
    response = respond(request, body, face)
    if response.media_type == "application/json":
        query = request.scope["query_string"]
        target = request.scope["raw_path"] + (b"?" + query if query else b"")
        services.keep_answer(target, bytes(response.body), generation)
    return response


def respond(request: Request, body: dict[str, Any], face: Face | None = None) -> JSONResponse:
    """JSON, or its JSON-LD face (coopkg.jsonld) with the published @context when asked for.

    An answer with no face (an aggregate, not a resource of the graph) is JSON only."""
    accept = request.headers.get("accept")
    if not accept or "application/ld+json" not in accept:
        return JSONResponse(body, headers={"Vary": "Accept"})
    offered = ["application/json", "application/ld+json"] if face is not None else ["application/json"]
    if choose(accept, offered) == "application/ld+json" and face is not None:
        document = {"@context": str(request.base_url).rstrip("/") + CONTEXT_PATH, **face(body)}
        return JSONResponse(document, media_type="application/ld+json", headers={"Vary": "Accept"})
    return JSONResponse(body, headers={"Vary": "Accept"})
