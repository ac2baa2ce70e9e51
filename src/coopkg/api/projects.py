"""GET /api/projects and one project: funders, participants and roles, places, period, indicators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from coopkg import jsonld, views
from coopkg.api.common import Lang, Limit, Offset, entity_iri, respond, respond_cached
from coopkg.api.deps import ServicesDep

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
        return views.search_page(services, views.search(services, "projects", q), limit, offset, lang)

    generation = services.generation  # the snapshot the answer is computed on
    return respond_cached(request, services, await services.read(answer), generation, jsonld.page(jsonld.entity))


@router.get("/projects/{key:path}", summary="One project with its funders, participants, places, period and indicators")
async def get_project(key: str, request: Request, services: ServicesDep, lang: Lang = "fr") -> JSONResponse:
    iri = entity_iri(services.minter, "project", key)
    return respond(request, await services.read(lambda: views.project(services, iri, lang)), jsonld.entity)
