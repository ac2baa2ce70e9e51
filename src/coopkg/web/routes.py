"""The pages' own routes: lists, the network, the saved queries, the API documentation."""

from __future__ import annotations

import json
import secrets
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from coopkg import views
from coopkg.api.common import MAX_OFFSET
from coopkg.api.deps import ServicesDep
from coopkg.api.fundings import FilterDep
from coopkg.api.headers import policy_with_style_nonce
from coopkg.explore import term_label
from coopkg.queries import saved_queries
from coopkg.terms import PREFIXES
from coopkg.web import i18n
from coopkg.web.render import page

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
NETWORK_SIZE = 200  # fundings drawn by default: more is not readable as a picture
Q = Annotated[str | None, Query(max_length=200)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


def _pager(request: Request, offset: int, total: int) -> dict[str, str | None]:
    params = {k: v for k, v in request.query_params.items() if k != "offset"}

    def at(where: int) -> str:
        return request.url.path + "?" + urlencode({**params, "offset": where})

    return {"prev": at(max(0, offset - PER_PAGE)) if offset else None,
            "next": at(offset + PER_PAGE) if offset + PER_PAGE < total else None}  # fmt: skip


def _list(request: Request, title: str, columns: list[str], rows: list[dict[str, Any]], offset: int,
          q: str | None = None, searchable: bool = False, lang: str = "en") -> HTMLResponse:  # fmt: skip
    shown = rows[offset : offset + PER_PAGE]
    return page("list.html", request, lang=lang, title=title, columns=columns, rows=shown, total=len(rows),
                offset=offset, q=q, searchable=searchable, **_pager(request, offset, len(rows)))  # fmt: skip


@router.get("/organisations")
async def organisations(request: Request, services: ServicesDep, q: Q = None, offset: Offset = 0) -> HTMLResponse:
    lang = i18n.choose_language(request)
    t = i18n.words(lang)

    def rows() -> list[dict[str, Any]]:
        found = services.catalogue.search_organisations(q, None)
        if not q:  # without a search, what the documents mention; a search finds every known name
            mentioned = services.catalogue.mentioned_organisations()
            found = [o for o in found if o.id in mentioned]
        return [{"cells": [{"href": o.id, "text": o.label(lang)}, {"text": term_label(o.type, lang) if o.type else ""},
                           {"text": ", ".join(o.alt[:4])}]} for o in found]  # fmt: skip

    return _list(request, t["organisations"], [t["name"], t["type"], t["also_known"]], await services.read(rows),
                 offset, q, True, lang)  # fmt: skip


@router.get("/projects")
async def projects(request: Request, services: ServicesDep, q: Q = None, offset: Offset = 0) -> HTMLResponse:
    lang = i18n.choose_language(request)
    t = i18n.words(lang)

    def rows() -> list[dict[str, Any]]:
        return [{"cells": [{"href": p.id, "text": p.label(lang)}, {"text": term_label(p.type, lang) if p.type else ""},
                           {"text": p.extra.get("start", "")}, {"text": ", ".join(p.alt[:3])}]}
                for p in services.catalogue.search_projects(q)]  # fmt: skip

    return _list(request, t["projects"], [t["name"], t["type"], t["period"], t["also_known"]],
                 await services.read(rows), offset, q, True, lang)  # fmt: skip


@router.get("/regions")
async def regions(request: Request, services: ServicesDep, offset: Offset = 0) -> HTMLResponse:
    lang = i18n.choose_language(request)
    t = i18n.words(lang)

    def rows() -> list[dict[str, Any]]:
        places = services.catalogue.places_index()
        out = []
        for r in services.catalogue.regions():
            within = [places[b] for b in r.extra.get("broader", []) if b in places]
            out.append({"cells": [{"href": r.id, "text": r.label(lang)}, {"text": term_label(r.type, lang)},
                                  {"text": r.extra.get("isoCode") or ""},
                                  {"text": ", ".join(b.label(lang) for b in within)}]})  # fmt: skip
        return out

    return _list(request, t["regions"], [t["name"], t["type"], "ISO 3166", t["within"]], await services.read(rows),
                 offset, lang=lang)  # fmt: skip


@router.get("/documents")
async def documents(request: Request, services: ServicesDep, offset: Offset = 0) -> HTMLResponse:
    lang = i18n.choose_language(request)
    t = i18n.words(lang)

    def rows() -> list[dict[str, Any]]:
        return [{"cells": [{"href": d["id"], "text": d["label"], "lang": d["language"]},
                           {"text": i18n.NATIVE.get(d["language"], d["language"])}, {"text": d["source"] or ""},
                           {"text": str(d["facts"]), "num": True}]} for d in views.documents(services)]  # fmt: skip

    return _list(request, t["documents"], [t["title"], t["language"], t["source"], t["facts"]],
                 await services.read(rows), offset, lang=lang)  # fmt: skip


@router.get("/indicators")
async def indicators(request: Request, services: ServicesDep, offset: Offset = 0) -> HTMLResponse:
    lang = i18n.choose_language(request)
    t = i18n.words(lang)

    def rows() -> list[dict[str, Any]]:
        out = []
        for i in services.catalogue.indicators():
            about = services.catalogue.labels_of(i["about"]).label(lang) if i["about"] else ""
            out.append({"cells": [{"href": i["id"], "text": f"{i18n.amount(i['value'], lang)} {views.unit_label(i, lang)}"},
                                  {"href": i["about"], "text": about} if i["about"] else {"text": ""},
                                  {"text": i["period"] or ""}]})  # fmt: skip
        return out

    return _list(request, t["indicators"], [t["value"], t["about"], t["period"]], await services.read(rows),
                 offset, lang=lang)  # fmt: skip


@router.get("/network")
async def network(request: Request, flt: FilterDep) -> HTMLResponse:
    lang = i18n.choose_language(request)
    params = {k: v for k, v in request.query_params.items() if k not in {"lang", "offset", "limit"}}
    shown = {"limit": str(flt.limit if "limit" in request.query_params else NETWORK_SIZE), "offset": str(flt.offset)}
    return page("network.html", request, lang=lang, explorer="/?" + urlencode(params),
                source="/api/fundings/network?" + urlencode({**params, **shown, "lang": lang}))  # fmt: skip


@router.get("/queries")
async def queries(request: Request) -> HTMLResponse:
    items = [{"name": q.name, "summary": q.summary, "description": q.description, "text": q.text,
              "params": q.params} for q in saved_queries().values()]  # fmt: skip
    return page("queries.html", request, items=items)


def sparql_editor(request: Request, endpoint: str, base: str) -> HTMLResponse:
    """The SPARQL editor (YASGUI), with the project's prefixes and the saved queries as examples."""
    examples = [{"name": q.name, "summary": q.summary, "query": q.example(base)} for q in saved_queries().values()]
    return page("sparql.html", request, endpoint=endpoint, prefixes=json.dumps(PREFIXES),
                examples=examples, examples_json=json.dumps(examples))  # fmt: skip


@router.get("/docs")
async def swagger(request: Request) -> HTMLResponse:
    return page("docs.html", request, spec=request.app.openapi_url)


# ReDoc styles itself with styled-components, which inserts <style> elements: under a policy
# without 'unsafe-inline' they need the page's nonce (ReDoc's `nonce` option), so this page sends
# the site's policy with that one nonce added (the security headers keep a route's own policy).
@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    nonce = secrets.token_urlsafe(18)
    response = page("redoc.html", request, spec=request.app.openapi_url, nonce=nonce)
    response.headers["Content-Security-Policy"] = policy_with_style_nonce(nonce)
    return response
