"""The front page: what the service holds, and links to everything."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from coopkg.api.common import CONTEXT_PATH
from coopkg.api.deps import ServicesDep
from coopkg.api.negotiate import prefers_html
from coopkg.api.pages import render
from coopkg.jsonld import CONTEXT as JSONLD_CONTEXT
from coopkg.stats import store_stats

router = APIRouter(tags=["Linked data"])

LINKS = {
    "sparql": "/sparql",
    "update": "/update",
    "graphStore": "/graph",
    "fundings": "/api/fundings",
    "fundingTotals": "/api/fundings/totals",
    "organisations": "/api/organisations",
    "projects": "/api/projects",
    "regions": "/api/regions",
    "indicators": "/api/indicators",
    "documents": "/api/documents",
    "savedQueries": "/api/queries",
    "ontology": "/ontology",
    "void": "/.well-known/void",
    "dump": "/dump",
    "openapi": "/docs",
    "jsonldContext": CONTEXT_PATH,
}


@router.get("/", summary="What the service holds, and where everything is")
async def home(request: Request, services: ServicesDep) -> Response:
    rows = await services.read(lambda: store_stats(services.repo))
    total = rows[-1]
    counts: dict[str, Any] = {
        k: total[k] for k in ("triples", "documents", "organisations", "projects", "fundings", "regions", "indicators")
    }
    if prefers_html(request.headers.get("accept")):
        return HTMLResponse(render("home.html", request, counts=counts, links=LINKS))
    return JSONResponse({"name": "coopkg", "counts": counts, "links": LINKS})


@router.get(CONTEXT_PATH, summary="The JSON-LD @context of the JSON API")
async def context() -> JSONResponse:
    return JSONResponse(JSONLD_CONTEXT, media_type="application/ld+json")
