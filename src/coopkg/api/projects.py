"""GET /api/projects and one project: funders, participants and roles, places, period, indicators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from coopkg import jsonld, views
from coopkg.api.common import Lang, Limit, Offset, named_item, respond, sourced_page
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
        found = services.catalogue.search_projects(q)
        return sourced_page(
            services.catalogue, found, limit, offset, lambda p: p.id, lambda p, sources: named_item(p, lang, sources)
        )

    return respond(request, await run_in_threadpool(answer), jsonld.page(jsonld.entity))


@router.get("/projects/{key:path}", summary="One project with its funders, participants, places, period and indicators")
async def get_project(key: str, request: Request, services: ServicesDep, lang: Lang = "fr") -> JSONResponse:
    iri = key if key.startswith(("http://", "https://")) else services.minter.entity("project", key).value

    return respond(request, await run_in_threadpool(views.project, services, iri, lang), jsonld.entity)
