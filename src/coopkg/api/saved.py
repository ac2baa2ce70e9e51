"""Saved queries (`queries/*.rq`) as endpoints, their parameters in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from coopkg.api.deps import ServicesDep
from coopkg.api.negotiate import RESULTS_TYPES, by_format_name, choose
from coopkg.api.sparql import _CANONICAL, RESULT_OFFER
from coopkg.queries import SavedQuery, saved_queries
from coopkg.queryexec import QueryRequest
from coopkg.service import parse_timeout

router = APIRouter(prefix="/api/queries", tags=["Saved queries"])

_SCHEMA = {"iri": {"type": "string", "format": "uri"}, "integer": {"type": "integer"}, "decimal": {"type": "number"},
           "date": {"type": "string", "format": "date"}, "boolean": {"type": "boolean"}, "language": {"type": "string"},
           "string": {"type": "string"}}  # fmt: skip


def describe_query(query: SavedQuery, request: Request) -> dict[str, Any]:
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "url": str(request.url_for(f"saved:{query.name}")),
        "parameters": [
            {"name": p.name, "type": p.type, "required": p.required, "default": p.default, "description": p.description}
            for p in query.params
        ],
    }


@router.get("", summary="List the saved queries")
def list_queries(request: Request) -> dict[str, Any]:
    items = [describe_query(q, request) for q in saved_queries().values()]
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


def _endpoint(query: SavedQuery):
    async def run(request: Request, services: ServicesDep) -> Response:
        values = {k: v for k, v in request.query_params.items() if k not in {"format", "timeout"}}
        bindings = query.bindings(values)
        name = request.query_params.get("format")
        media_type = (
            by_format_name(name, RESULTS_TYPES) if name else choose(request.headers.get("accept"), RESULT_OFFER)
        )
        media_type = _CANONICAL.get(media_type, media_type)
        limit = parse_timeout(request.query_params.get("timeout"))
        job = QueryRequest(
            query.text, media_type, "text/turtle", bindings=bindings, max_bytes=services.settings.max_result_bytes
        )
        answer = await services.query_async(job, limit)
        return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})

    return run


def _openapi_parameters(query: SavedQuery) -> list[dict[str, Any]]:
    params = []
    for p in query.params:
        schema = dict(_SCHEMA[p.type])
        if p.default is not None:
            schema["default"] = p.default
        entry: dict[str, Any] = {"name": p.name, "in": "query", "required": p.required, "description": p.description,
                                 "schema": schema}  # fmt: skip
        if p.example is not None:
            entry["example"] = p.example
        params.append(entry)
    params.append({"name": "format", "in": "query", "required": False, "description": "json, xml, csv or tsv (else Accept)",
                   "schema": {"type": "string", "enum": ["json", "xml", "csv", "tsv"]}})  # fmt: skip
    params.append({"name": "timeout", "in": "query", "required": False, "description": "seconds (≤ the server's limit)",
                   "schema": {"type": "number"}})  # fmt: skip
    return params


for _query in saved_queries().values():
    router.add_api_route(
        f"/{_query.name}",
        _endpoint(_query),
        methods=["GET"],
        name=f"saved:{_query.name}",
        summary=_query.summary,
        description=_query.description or _query.summary,
        openapi_extra={"parameters": _openapi_parameters(_query)},
        response_class=Response,
        responses={200: {"content": {t: {} for t in RESULTS_TYPES.values()}}},
    )
