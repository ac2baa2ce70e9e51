"""GET /api/organisations (name search in every language) and one organisation's relations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from coopkg import jsonld, views
from coopkg.api.common import Lang, Limit, Offset, entity_iri, respond, respond_cached
from coopkg.api.deps import ServicesDep

router = APIRouter(prefix="/api", tags=["Who funded what"])


@router.get("/organisations", summary="Organisations, searchable by any name or acronym in any language")
async def list_organisations(
    request: Request,
    services: ServicesDep,
    q: Annotated[
        str | None,
        Query(
            description="Name or acronym: case, accents, Arabic variants and clitics ignored",
            examples=["ofppt", "union europeenne", "والاتحاد الأوروبي"],
        ),
    ] = None,
    type: Annotated[str | None, Query(description="DevelopmentAgency, GovernmentBody, …")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
    lang: Lang = "fr",
) -> JSONResponse:
    def answer() -> dict[str, Any]:
        return views.search_page(services, views.search(services, "organisations", q, type), limit, offset, lang)

    generation = services.generation  # the snapshot the answer is computed on
    return respond_cached(request, services, await services.read(answer), generation, jsonld.page(jsonld.entity))


@router.get(
    "/organisations/{key:path}", summary="One organisation: fundings given and received, projects and roles, partners"
)
async def get_organisation(key: str, request: Request, services: ServicesDep, lang: Lang = "fr") -> JSONResponse:
    iri = entity_iri(services.minter, "organisation", key)
    return respond(request, await services.read(lambda: views.organisation(services, iri, lang)), jsonld.entity)
