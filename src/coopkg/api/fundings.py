"""GET /api/fundings: who funded what, filtered and sorted, from the funding view."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from coopkg import jsonld
from coopkg.api.common import Lang, Limit, Offset, page, respond
from coopkg.api.deps import ServicesDep
from coopkg.funding_index import FundingQuery, IndexedFunding
from coopkg.service import Services

router = APIRouter(prefix="/api", tags=["Who funded what"])

EXAMPLE = {
    "items": [{
        "id": "http://127.0.0.1:8000/id/funding/3f2a…", "funder": {"id": "http://127.0.0.1:8000/id/organisation/eu",
        "label": "Union européenne"}, "funded": {"id": "http://127.0.0.1:8000/id/project/kafaat-liljamia",
        "label": "Kafaat Liljamia"}, "amount": 880490.79, "currency": "EUR", "kind": "grant", "year": 2012,
        "label": "Union européenne → Kafaat Liljamia", "labels": {"en": "European Union → Kafaat Liljamia",
        "fr": "Union européenne → Kafaat Liljamia"}, "sources": [{"document": "…", "evidence": [
        {"quote": "financé par l'Union européenne", "start": 10, "end": 40}]}],
    }], "total": 1, "limit": 20, "offset": 0,
}  # fmt: skip


def funding_item(
    services: Services, f: IndexedFunding, lang: str, sources: dict[str, list[dict[str, Any]]] | None = None
) -> dict[str, Any]:
    index = services.fundings
    funder, funded = index.label(f.funder, lang), index.label(f.funded, lang)
    languages = sorted({key for iri in (f.funder, f.funded) for key in index.labels.get(iri, {}) if key})
    item: dict[str, Any] = {
        "id": f.id,
        "label": f"{funder} → {funded}",
        "labels": {key: f"{index.label(f.funder, key)} → {index.label(f.funded, key)}" for key in languages},
        "funder": {"id": f.funder, "label": funder},
        "funded": {"id": f.funded, "label": funded},
        "amount": float(f.amount) if f.amount is not None else None,
        "currency": f.currency,
        "amountId": f.amount_id,
        "kind": f.kind,
        "year": f.year,
        "date": f.date,
    }
    if sources is not None:
        item["sources"] = sources.get(f.id, [])
    return item


@router.get(
    "/fundings",
    summary="Fundings: who funded what",
    responses={200: {"content": {"application/json": {"example": EXAMPLE}}}},
)
async def list_fundings(
    request: Request,
    services: ServicesDep,
    funder: Annotated[str | None, Query(description="IRI of the funding organisation")] = None,
    funded: Annotated[str | None, Query(description="IRI of the funded project or organisation")] = None,
    region: Annotated[str | None, Query(description="IRI of a place: fundings of projects in it or inside it")] = None,
    year_from: Annotated[int | None, Query(alias="from", ge=1900, le=2100, description="First year")] = None,
    year_to: Annotated[int | None, Query(alias="to", ge=1900, le=2100, description="Last year")] = None,
    currency: Annotated[str | None, Query(pattern="^[A-Za-z]{3}$", description="ISO 4217 code")] = None,
    sort: Annotated[
        Literal["amount", "-amount", "date", "-date"], Query(description="Sort key; '-' = descending")
    ] = "-amount",
    limit: Limit = 20,
    offset: Offset = 0,
    lang: Lang = "fr",
) -> JSONResponse:
    query = FundingQuery(funder, funded, region, year_from, year_to, currency, sort, limit, offset)

    def answer() -> dict[str, Any]:
        total, items = services.fundings.search(query)
        sources = services.catalogue.sources_of([f.id for f in items])
        return page([funding_item(services, f, lang, sources) for f in items], total, limit, offset)

    return respond(request, await services.read(answer), jsonld.page(jsonld.funding))


@router.get("/fundings/totals", summary="Total funding per funder and currency, over the whole graph")
async def totals(request: Request, services: ServicesDep, lang: Lang = "fr") -> JSONResponse:
    def answer() -> dict[str, Any]:
        rows = services.fundings.totals_by_funder()
        items = [
            {"funder": {"id": r["funder"], "label": services.fundings.label(str(r["funder"]), lang)},
             "currency": r["currency"], "total": float(r["total"]), "fundings": r["fundings"]}  # type: ignore[arg-type]
            for r in rows
        ]  # fmt: skip
        return page(items, len(items), len(items), 0)

    return respond(request, await services.read(answer))
