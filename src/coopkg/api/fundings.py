"""GET /api/fundings: who funded what, filtered, searched and sorted, with facets and totals; the network."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from coopkg import jsonld
from coopkg.api.common import Lang, Limit, Offset, page, respond
from coopkg.api.deps import ServicesDep
from coopkg.explore import FundingFilter
from coopkg.views import explore, network

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

CSV_COLUMNS = ["id", "funder", "funderLabel", "funded", "fundedLabel", "amount", "currency", "kind", "year", "date",
               "documents"]  # fmt: skip
Sort = Literal["amount", "-amount", "date", "-date", "funder", "-funder", "funded", "-funded"]


def funding_filter(
    q: Annotated[str | None, Query(description="A name of the funder or of what is funded, any language")] = None,
    funder: Annotated[str | None, Query(description="IRI of the funding organisation")] = None,
    funded: Annotated[str | None, Query(description="IRI of the funded project or organisation")] = None,
    funder_type: Annotated[
        str | None, Query(alias="funderType", description="Type of the funder: DevelopmentAgency, GovernmentBody, …")
    ] = None,
    region: Annotated[str | None, Query(description="IRI of a place: fundings of projects in it or inside it")] = None,
    year: Annotated[
        int | None, Query(ge=1900, le=2100, description="Year (of the funding, else of its project)")
    ] = None,
    year_from: Annotated[int | None, Query(alias="from", ge=1900, le=2100, description="First year")] = None,
    year_to: Annotated[int | None, Query(alias="to", ge=1900, le=2100, description="Last year")] = None,
    currency: Annotated[
        str | None, Query(pattern="^([A-Za-z]{3}|none)$", description="ISO 4217 code; `none`: amount not stated")
    ] = None,
    kind: Annotated[Literal["grant", "loan", "unspecified"] | None, Query(description="Kind of funding")] = None,
    language: Annotated[
        str | None, Query(pattern="^[a-z]{2,3}$", description="Language of a document that states the funding")
    ] = None,
    sort: Annotated[Sort, Query(description="Sort key; '-' = descending")] = "-amount",
    limit: Limit = 20,
    offset: Offset = 0,
) -> FundingFilter:
    return FundingFilter(q, funder, funded, funder_type, region, year, year_from, year_to, currency, kind, language,
                         sort, limit, offset)  # fmt: skip


FilterDep = Annotated[FundingFilter, Depends(funding_filter)]


@router.get(
    "/fundings",
    summary="Fundings: who funded what, with facets and totals on request",
    description="Filters combine (and). `facets=true` adds, over the whole selection, the count of each value of "
    "each facet (funder, funderType, country, region, year, currency, kind, language; the 50 most frequent, "
    "`facetsLeftOut` counts the others) and the totals per currency, "
    "per funder and per year; amounts are never converted, and fundings whose amount is not stated are counted "
    "apart (`amountNotStated`), never as zero. `format=csv` gives the page as CSV.",
    responses={200: {"content": {"application/json": {"example": EXAMPLE}, "text/csv": {}}}},
)
async def list_fundings(
    request: Request,
    services: ServicesDep,
    flt: FilterDep,
    facets: Annotated[bool, Query(description="Add facets and totals of the whole selection")] = False,
    format: Annotated[Literal["json", "csv"] | None, Query(description="json (default) or csv")] = None,
    lang: Lang = "fr",
) -> Response:
    body = await services.read(lambda: explore(services, flt, lang, facets=facets and format != "csv"))
    if format == "csv":
        return Response(_csv(body["items"]), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="fundings.csv"'})  # fmt: skip
    return respond(request, body, jsonld.page(jsonld.funding))


@router.get("/fundings/network", summary="The funding network: funders → what they fund → its participants")
async def funding_network(request: Request, services: ServicesDep, flt: FilterDep, lang: Lang = "fr") -> JSONResponse:
    """Nodes (`group`: funder, project, beneficiary, participant) and links (`kind`: funds, or the
    participant's role) of the page of fundings that the same parameters of `/api/fundings` give."""
    return respond(request, await services.read(lambda: network(services, flt, lang)))


def _csv(items: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in items:
        documents = " ".join(s["document"] for s in item.get("sources", []))
        writer.writerow([item["id"], item["funder"]["id"], item["funder"]["label"], item["funded"]["id"],
                         item["funded"]["label"], "" if item["amount"] is None else item["amount"],
                         item["currency"] or "", item["kind"], item["year"] or "", item["date"] or "", documents])  # fmt: skip
    return out.getvalue()


@router.get("/fundings/totals", summary="Total funding per funder and currency, over the whole graph")
async def totals(request: Request, services: ServicesDep, lang: Lang = "fr") -> JSONResponse:
    """Sums of the stated amounts; a funder's fundings without a stated amount form a row with
    `currency` and `total` null (never a total of 0)."""

    def answer() -> dict[str, Any]:
        rows = services.fundings.totals_by_funder()
        labels = services.fundings.labels_for(str(r["funder"]) for r in rows)
        items = [
            {"funder": {"id": r["funder"], "label": services.fundings.label(str(r["funder"]), lang, labels)},
             "currency": r["currency"], "total": float(r["total"]) if r["total"] is not None else None,  # type: ignore[arg-type]
             "fundings": r["fundings"]}
            for r in rows
        ]  # fmt: skip
        return page(items, len(items), len(items), 0)

    return respond(request, await services.read(answer))
