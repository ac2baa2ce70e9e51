"""The front page: the fundings explorer (table, facets, totals, charts, map), from the core's explorer."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from coopkg.explore import FundingFilter, kind_label
from coopkg.service import Services
from coopkg.views import explore
from coopkg.web import i18n
from coopkg.web.render import page

# facet name -> the query parameter that filters by it
FACET_PARAMS = {"funder": "funder", "funderType": "funderType", "country": "region", "region": "region",
                "year": "year", "currency": "currency", "kind": "kind", "language": "language"}  # fmt: skip
FILTER_PARAMS = ("q", "funder", "funded", "funderType", "region", "year", "from", "to", "currency", "kind", "language")
COLUMNS = (("funder", "funder", False), ("funded", "funded", False), ("country", None, False),
           ("amount", "amount", True), ("kind", None, False), ("year", "date", False), ("source", None, False))  # fmt: skip


async def explorer_page(request: Request, services: Services, flt: FundingFilter) -> HTMLResponse:
    lang = i18n.choose_language(request)
    body = await services.read(lambda: explore(services, flt, lang, facets=True))
    mentioned = await services.read(services.catalogue.mentioned)
    documents = await services.read(services.catalogue.documents_index)
    words = i18n.words(lang)
    current = {k: v for k, v in request.query_params.items() if k in (*FILTER_PARAMS, "sort")}

    def href(**changes: Any) -> str:
        merged = {**current, **changes}
        merged.pop("offset", None)
        return "/?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})

    facets, chosen = [], []
    for name, values in body["facets"].items():
        param = FACET_PARAMS[name]
        title = words["language_facet"] if name == "language" else words[name]
        shown = []
        for v in values:
            selected = str(current.get(param, "")) == str(v["value"])
            shown.append({**v, "selected": selected, "href": href(**{param: None if selected else v["value"]})})
            if selected and not any(c["param"] == param for c in chosen):
                chosen.append({"param": param, "facet": title, "label": v["label"], "remove": href(**{param: None})})
        facets.append({"name": name, "title": title, "values": shown})
    if flt.q:
        chosen.insert(0, {"param": "q", "facet": words["search"], "label": flt.q, "remove": href(q=None)})
    for param in ("funded", "from", "to"):
        if param in current and not any(c["param"] == param for c in chosen):
            label = services.fundings.label(current[param], lang) if param == "funded" else current[param]
            chosen.append({"param": param, "facet": words["funded"] if param == "funded" else param, "label": label,
                           "remove": href(**{param: None})})  # fmt: skip

    for item in body["items"]:
        item["kindLabel"] = kind_label(item["kind"], lang)
    columns = []
    for key, sort, numeric in COLUMNS:
        column: dict[str, Any] = {"title": words[key], "num": numeric, "sort": None, "mark": ""}
        if sort:
            descending = flt.sort == "-" + sort
            column["sort"] = href(sort=sort if descending else "-" + sort)
            column["mark"] = "▼" if descending else "▲" if flt.sort == sort else ""
        columns.append(column)
    api_query = urlencode({**current, "lang": lang})
    shown_to = flt.offset + len(body["items"])
    return page(
        "explorer.html", request, lang=lang, items=body["items"], total=body["total"], offset=flt.offset,
        totals=body["totals"], facets=facets, chosen=chosen, columns=columns, q=flt.q,
        hidden=[(k, v) for k, v in current.items() if k != "q"],
        prev=href(offset=None) + (f"&offset={max(0, flt.offset - flt.limit)}" if flt.offset > flt.limit else "")
        if flt.offset else None,
        next=href() + f"&offset={shown_to}" if shown_to < body["total"] else None,
        csv=f"/api/fundings?{api_query}&format=csv&limit=1000", json=f"/api/fundings?{api_query}&limit=1000",
        facets_url=f"/api/fundings?{api_query}&facets=true&limit=1",
        network_href="/network?" + urlencode(current),
        counts=[{"n": n, "label": words[key], "href": h} for key, n, h in
                (("explorer", mentioned.get("Funding", 0), "/"),
                 ("organisations", mentioned.get("Organisation", 0), "/organisations"),
                 ("projects", mentioned.get("Project", 0), "/projects"),
                 ("regions", mentioned.get("Region", 0), "/regions"),
                 ("indicators", mentioned.get("Indicator", 0), "/indicators"),
                 ("documents", len(documents), "/documents"))],
    )  # fmt: skip
