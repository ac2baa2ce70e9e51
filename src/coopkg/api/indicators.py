"""GET /api/indicators: counted results and capacities."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from coopkg.api.common import Lang, Limit, Offset, page, respond
from coopkg.api.deps import ServicesDep

router = APIRouter(prefix="/api", tags=["Who funded what"])


@router.get("/indicators", summary="Indicators: value, unit, qualifier and what they are about")
async def list_indicators(
    request: Request,
    services: ServicesDep,
    about: Annotated[str | None, Query(description="IRI of a project, organisation or place")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    lang: Lang = "fr",
) -> JSONResponse:
    def answer() -> dict[str, Any]:
        found = [i for i in services.catalogue.indicators() if about is None or i["about"] == about]
        chosen = found[offset : offset + limit]
        sources = services.catalogue.sources_of([i["id"] for i in chosen])
        items = [
            {**i, "label": f"{i['value']} {i['unit']}", "labels": {}, "sources": sources.get(i["id"], [])}
            for i in chosen
        ]
        return page(items, len(found), limit, offset)

    return respond(request, await run_in_threadpool(answer))
