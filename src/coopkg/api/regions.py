"""GET /api/regions: the places documents mention."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from coopkg import jsonld, views
from coopkg.api.common import Lang, Limit, Offset, entity_iri, named_item, respond, sourced_page
from coopkg.api.deps import ServicesDep
from coopkg.catalogue import Named

router = APIRouter(prefix="/api", tags=["Who funded what"])


@router.get("/regions", summary="Places mentioned by documents: countries, regions, provinces, cities")
async def list_regions(
    request: Request,
    services: ServicesDep,
    type: Annotated[str | None, Query(description="Country, AdministrativeRegion, Province, City…")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    lang: Lang = "fr",
) -> JSONResponse:
    def answer() -> dict[str, Any]:
        found = [r for r in services.catalogue.regions() if not type or r.type.lower() == type.lower()]

        def item(region: Named, sources: list[dict[str, Any]]) -> dict[str, Any]:
            extra = {"isoCode": region.extra.get("isoCode"), "broader": region.extra.get("broader", [])}
            return named_item(region, lang, sources) | extra

        return sourced_page(services.catalogue, found, limit, offset, lambda r: r.id, item)

    return respond(request, await services.read(answer), jsonld.page(jsonld.entity))


@router.get("/regions/{key:path}", summary="One place: what lies in it, the fundings and projects there")
async def get_region(key: str, request: Request, services: ServicesDep, lang: Lang = "fr") -> JSONResponse:
    iri = entity_iri(services.minter, "region", key)
    return respond(request, await services.read(lambda: views.region(services, iri, lang)), jsonld.entity)
