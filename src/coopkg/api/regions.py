"""GET /api/regions: the places documents mention."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from coopkg.api.common import Lang, Limit, Offset, named_item, page, respond
from coopkg.api.deps import ServicesDep

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
        items = []
        chosen = found[offset : offset + limit]
        sources = services.catalogue.sources_of([r.id for r in chosen])
        for region in chosen:
            item = named_item(region, lang, sources.get(region.id, []))
            item["isoCode"] = region.extra.get("isoCode")
            item["broader"] = region.extra.get("broader", [])
            items.append(item)
        return page(items, len(found), limit, offset)

    return respond(request, await run_in_threadpool(answer))
