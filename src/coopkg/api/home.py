"""The front page: what the service holds, and links to everything."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pyoxigraph import NamedNode

from coopkg import views
from coopkg.api.common import CONTEXT_PATH, Lang, page, respond
from coopkg.api.deps import ServicesDep
from coopkg.api.fundings import FilterDep
from coopkg.api.negotiate import prefers_html
from coopkg.errors import BadInputError
from coopkg.jsonld import CONTEXT as JSONLD_CONTEXT
from coopkg.stats import store_stats
from coopkg.web.explorer import explorer_page

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


@router.get(
    "/",
    summary="What the service holds, and where everything is",
    description="For browsers, the fundings explorer: the parameters of `/api/fundings` filter its table.",
)
async def home(request: Request, services: ServicesDep, flt: FilterDep) -> Response:
    if prefers_html(request.headers.get("accept")):
        return await explorer_page(request, services, flt)
    rows = await services.read(lambda: store_stats(services.repo))
    total = rows[-1]
    counts: dict[str, Any] = {
        k: total[k] for k in ("triples", "documents", "organisations", "projects", "fundings", "regions", "indicators")
    }
    return JSONResponse({"name": "coopkg", "counts": counts, "links": LINKS})


@router.get(CONTEXT_PATH, summary="The JSON-LD @context of the JSON API")
async def context() -> JSONResponse:
    return JSONResponse(JSONLD_CONTEXT, media_type="application/ld+json")


@router.get("/api/labels", summary="Labels of resources, in a preferred language (the SPARQL editor's result tables)")
async def labels(
    request: Request,
    services: ServicesDep,
    iri: Annotated[list[str], Query(max_length=2000, description="IRIs (up to 500)")],
    lang: Lang = "fr",
) -> JSONResponse:
    if len(iri) > 500:
        raise BadInputError(f"at most 500 IRIs at once, got {len(iri)}")
    if bad := [i for i in iri if not i.startswith(("http://", "https://", "urn:")) or not _is_iri(i)]:
        raise BadInputError(f"not an absolute IRI: {bad[0][:100]!r}")
    items = await services.read(lambda: views.labels(services, list(dict.fromkeys(iri)), lang))
    return respond(request, page(items, len(items), len(items), 0))


def _is_iri(text: str) -> bool:
    try:
        NamedNode(text)
    except ValueError:
        return False
    return True
