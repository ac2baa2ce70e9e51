"""GET /api/projects and one project: funders, participants and roles, places, period, indicators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from coopkg import jsonld
from coopkg.api.common import Lang, Limit, Offset, entity_iri, named_item, respond, respond_cached, sourced_page
from coopkg.api.deps import ServicesDep
from coopkg.api.fundings import funding_item
from coopkg.funding_index import FundingQuery

router = APIRouter(prefix="/api", tags=["Who funded what"])


@router.get("/projects", summary="Projects, programmes and partnership agreements")
async def list_projects(
    request: Request,
    services: ServicesDep,
    q: Annotated[str | None, Query(description="Name or acronym")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
    lang: Lang = "fr",
) -> JSONResponse:
    def answer() -> dict[str, Any]:
        found = services.catalogue.search_projects(q)
        return sourced_page(
            services.catalogue, found, limit, offset, lambda p: p.id, lambda p, sources: named_item(p, lang, sources)
        )

    generation = services.generation  # the snapshot the answer is computed on
    return respond_cached(request, services, await services.read(answer), generation, jsonld.page(jsonld.entity))


@router.get("/projects/{key:path}", summary="One project with its funders, participants, places, period and indicators")
async def get_project(key: str, request: Request, services: ServicesDep, lang: Lang = "fr") -> JSONResponse:
    iri = entity_iri(services.minter, "project", key)

    def answer() -> dict[str, Any]:
        catalogue = services.catalogue
        body = named_item(catalogue.project(iri), lang, catalogue.sources(iri))
        details = catalogue.project_details(iri)
        body.update(details)
        body["participants"] = [
            {
                "id": p["id"],
                "organisation": p["organisation"],
                "label": catalogue.labels_of(p["organisation"]).label(lang),
                "role": p["role"],
            }
            for p in details["participants"]
        ]
        _, funded = services.fundings.search(FundingQuery(funded=iri, limit=1000))
        body["fundings"] = [funding_item(services, f, lang) for f in funded]
        body["funders"] = sorted({f.funder for f in funded})
        body["indicators"] = [i for i in catalogue.indicators() if i["about"] == iri]
        return body

    return respond(request, await services.read(answer), jsonld.entity)
