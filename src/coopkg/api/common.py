"""Shapes shared by the JSON API routers: pages, items, JSON-LD."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Query, Request
from fastapi.responses import JSONResponse

from coopkg.api.negotiate import choose
from coopkg.catalogue import Catalogue
from coopkg.views import named_item

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]
Lang = Annotated[str, Query(pattern="^[a-z]{2,3}$", description="Preferred language of labels (fr, en, ar).")]

CONTEXT_PATH = "/api/context.jsonld"
__all__ = ["named_item"]


def page(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def sourced_page(
    catalogue: Catalogue,
    found: Sequence[T],
    limit: int,
    offset: int,
    id_of: Callable[[T], str],
    item: Callable[[T, list[dict[str, Any]]], dict[str, Any]],
) -> dict[str, Any]:
    """One page of ``found``, each item with its sources (read in one query for the whole page)."""
    chosen = found[offset : offset + limit]
    sources = catalogue.sources_of([id_of(x) for x in chosen])
    return page([item(x, sources.get(id_of(x), [])) for x in chosen], len(found), limit, offset)


def respond(request: Request, body: dict[str, Any]) -> JSONResponse:
    """JSON, or JSON-LD (the same document with the published @context) when asked for."""
    accept = request.headers.get("accept")
    if (
        accept
        and "application/ld+json" in accept
        and choose(accept, ["application/json", "application/ld+json"]) == "application/ld+json"
    ):
        document = {"@context": str(request.base_url).rstrip("/") + CONTEXT_PATH, **body}
        return JSONResponse(document, media_type="application/ld+json", headers={"Vary": "Accept"})
    return JSONResponse(body, headers={"Vary": "Accept"})


JSONLD_CONTEXT = {
    "@context": {
        "coopkg": "https://w3id.org/coopkg/ontology#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "oa": "http://www.w3.org/ns/oa#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "id": "@id",
        "items": "@graph",
        "label": "skos:prefLabel",
        "labels": {"@id": "skos:prefLabel", "@container": "@language"},
        "altLabels": "skos:altLabel",
        "type": {"@id": "@type", "@type": "@vocab"},
        "@vocab": "https://w3id.org/coopkg/ontology#",
        "funder": {"@id": "coopkg:funder", "@type": "@id"},
        "funded": {"@id": "coopkg:fundedItem", "@type": "@id"},
        "amount": {"@id": "coopkg:value", "@type": "xsd:decimal"},
        "currency": "coopkg:currency",
        "kind": "coopkg:fundingKind",
        "start": "coopkg:startDate",
        "end": "coopkg:endDate",
        "durationMonths": {"@id": "coopkg:durationMonths", "@type": "xsd:integer"},
        "regions": {"@id": "coopkg:region", "@type": "@id"},
        "participants": "coopkg:hasParticipation",
        "organisation": {"@id": "coopkg:participant", "@type": "@id"},
        "role": "coopkg:role",
        "about": {"@id": "coopkg:about", "@type": "@id"},
        "value": {"@id": "coopkg:value", "@type": "xsd:decimal"},
        "unit": "coopkg:unit",
        "qualifier": "coopkg:qualifier",
        "sources": "coopkg:evidence",
        "document": {"@id": "oa:hasSource", "@type": "@id"},
        "quote": "oa:exact",
        "total": None,
        "limit": None,
        "offset": None,
    }
}
