"""GET /api/indicators: counted results and capacities."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from coopkg import jsonld
from coopkg.api.common import Lang, Limit, Offset, respond, sourced_page
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
        return sourced_page(
            services.catalogue, found, limit, offset, lambda i: i["id"],
            lambda i, sources: {**i, "label": f"{i['value']} {i['unit']}", "labels": {}, "sources": sources},
        )  # fmt: skip

    return respond(request, await services.read(answer), jsonld.page(jsonld.indicator))
