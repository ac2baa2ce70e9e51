"""SPARQL 1.1 Protocol: /sparql (query, service description) and /update (with the write token)."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pyoxigraph import Literal, NamedNode, QueryBoolean, QueryResultsFormat, RdfFormat, parse_query_results, serialize

from coopkg.api import searches
from coopkg.api.deps import ServicesDep, WriterDep
from coopkg.api.headers import security_headers
from coopkg.api.negotiate import GRAPH_TYPES, RESULTS_TYPES, by_format_name, choose, prefers_html
from coopkg.api.transport import Reply
from coopkg.describe import service_description as describe_service
from coopkg.errors import BadInputError, CoopkgError
from coopkg.queryexec import QueryRequest
from coopkg.service import Services, parse_timeout
from coopkg.store.sparql_text import query_form
from coopkg.terms import PREFIXES
from coopkg.web.render import page as render_page
from coopkg.web.routes import sparql_editor

router = APIRouter(tags=["SPARQL"])

RESULT_OFFER = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values", "application/json", "application/xml", "text/xml"]  # fmt: skip
GRAPH_OFFER = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
               "application/trig", "application/n-quads", "text/plain"]  # fmt: skip
_CANONICAL = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
              "text/xml": "application/sparql-results+xml", "text/plain": "application/n-triples"}  # fmt: skip


def _unquote(raw: bytes) -> str:
    raw = raw.replace(b"+", b" ")
    if b"%" in raw:
        try:
            # %XX as \xXX, decoded in C: a SPARQL query is mostly escapes, and urllib's
            # unquote_to_bytes (a Python loop) is a good part of a point lookup's cost.
            raw = codecs.escape_decode(raw.replace(b"\\", b"\\\\").replace(b"%", b"\\x"))[0]  # type: ignore[attr-defined]
        except ValueError:  # a malformed escape: kept as it is, as urllib does
            raw = unquote_to_bytes(raw)
    return raw.decode("utf-8", "replace")


def query_params(raw: bytes) -> dict[str, list[str]]:
    """``a=1&b=2&a=3`` as ``{"a": ["1", "3"], "b": ["2"]}``, percent-escapes decoded as UTF-8."""
    params: dict[str, list[str]] = {}
    for field in raw.split(b"&"):
        if field:
            name, _, value = field.partition(b"=")
            params.setdefault(_unquote(name), []).append(_unquote(value))
    return params


async def _params(request: Request, operation: str) -> tuple[dict[str, list[str]], str | None]:
    """Protocol parameters from the URL and a form body, and a direct ``operation`` (query or update) body if any."""
    params = query_params(request.scope["query_string"])
    if request.method != "POST":
        if request.headers.get("content-length", "0") != "0" or "transfer-encoding" in request.headers:
            raise BadInputError(f"a {request.method} request has no body (SPARQL 1.1 Protocol §2.2.1): "
                                f"send the {operation} in the URL, or POST it")  # fmt: skip
        return params, None
    if operation in params:
        raise BadInputError(f"a POST sends the {operation} in its body, not in the URL (SPARQL 1.1 Protocol §2.2)")
    media_type, _, media_params = request.headers.get("content-type", "").partition(";")
    content_type = media_type.strip().lower()
    body = await request.body()
    if content_type == "application/x-www-form-urlencoded":
        for key, values in query_params(body).items():
            params.setdefault(key, []).extend(values)
        return params, None
    if content_type not in {"application/sparql-query", "application/sparql-update"}:
        raise BadInputError(
            f"unsupported Content-Type {content_type or '(none)'}: use application/sparql-query, "
            "application/sparql-update or application/x-www-form-urlencoded"
        )
    charset = _charset(media_params)
    if charset is not None:  # UTF-8 is the only charset of both media types
        raise BadInputError(f"{content_type} is UTF-8, not {charset}")
    try:
        return params, body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadInputError(f"the {content_type} body is not UTF-8: {error}") from None


def _charset(media_params: str) -> str | None:
    """The charset a Content-Type's parameters declare when it is not UTF-8 (None: UTF-8 or none declared)."""
    charset = _media_parameters(media_params).get("charset", "utf-8")
    return None if charset.lower() in {"utf-8", "utf8"} else charset


def _media_parameters(text: str) -> dict[str, str]:
    """``charset=UTF-8; version=1.2`` as a dict (names lower-cased, quotes dropped); ``version`` is free."""
    found = {}
    for item in text.split(";"):
        name, _, value = item.partition("=")
        if name.strip():
            found[name.strip().lower()] = value.strip().strip('"')
    return found


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise BadInputError(f"parameter {name!r} given {len(values)} times")
    return values[0]


def _timeout(params: dict[str, list[str]]) -> float | None:
    return parse_timeout(_one(params, "timeout"))


def _formats(accept: str | None, params: dict[str, list[str]], form: str) -> tuple[str, str]:
    """Media types for solutions/booleans and for graphs: ?format= wins over Accept."""
    name = _one(params, "format")
    graph_query = form in {"CONSTRUCT", "DESCRIBE"}
    if name:
        table = GRAPH_TYPES if graph_query else RESULTS_TYPES
        chosen = by_format_name(name, table)
    else:
        chosen = choose(accept, GRAPH_OFFER if graph_query else RESULT_OFFER)
    chosen = _CANONICAL.get(chosen, chosen)
    return (RESULT_OFFER[0], chosen) if graph_query else (chosen, GRAPH_OFFER[0])


def run_query(services: Services, accept: str | None, text: str, params: dict[str, list[str]]) -> QueryRequest:
    form = query_form(text)
    if form is None:
        raise BadInputError("not a SPARQL query (expected SELECT, ASK, CONSTRUCT or DESCRIBE)")
    result_format, graph_format = _formats(accept, params, form)
    return QueryRequest(
        text,
        result_format,
        graph_format,
        default_graphs=tuple(params.get("default-graph-uri", [])) or None,
        named_graphs=tuple(params.get("named-graph-uri", [])) or None,
        max_bytes=services.settings.max_result_bytes,
        base_iri=services.endpoint_iri("sparql"),
    )


@router.api_route(
    "/sparql",
    methods=["GET", "POST"],
    summary="SPARQL 1.1 query endpoint",
    description="The SPARQL 1.1 Protocol: GET ?query=, POST form-encoded or application/sparql-query; results "
    "negotiated by Accept or ?format=; `timeout` (seconds) can shorten the server's limit. Without a query: the "
    "service description.",
)
async def sparql(request: Request, services: ServicesDep) -> Response:
    params, direct = await _params(request, "query")
    text = direct if direct is not None else _one(params, "query")
    _one(params, "version")  # SPARQL 1.2 Protocol: at most one version
    if "update" in params:
        raise BadInputError("updates go to /update")
    if not text:
        return await description(request, services)
    if _wants_page(request.headers.get("accept"), params):
        return await _results_page(request, services, text, params)
    query = run_query(services, request.headers.get("accept"), text, params)
    answer = await services.query_async(query, _timeout(params))
    return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})


def _wants_page(accept: str | None, params: dict[str, list[str]]) -> bool:
    """``format=html``, or a browser that did not ask for a format: results as a page."""
    name = _one(params, "format")
    return name == "html" if name else prefers_html(accept)


def _cell(term: object) -> dict[str, str | None]:
    if term is None:
        return {"text": ""}
    if isinstance(term, NamedNode):
        return {"text": term.value, "iri": term.value}
    if isinstance(term, Literal):
        return {"text": term.value, "lang": term.language}
    return {"text": str(term)}


async def _results_page(request: Request, services: Services, text: str, params: dict[str, list[str]]) -> Response:
    params = {k: v for k, v in params.items() if k != "format"}
    query = run_query(services, None, text, params)  # SPARQL JSON or Turtle, rendered below
    answer = await services.query_async(query, _timeout(params))
    page: dict[str, object] = {"query": text, "kind": answer.kind}
    if answer.kind == "graph":
        page["turtle"] = answer.body.decode("utf-8")
    else:
        results = parse_query_results(answer.body, format=QueryResultsFormat.JSON)
        if isinstance(results, QueryBoolean):
            page["boolean"] = bool(results)
        else:
            names = [v.value for v in results.variables]
            page["variables"] = names
            page["rows"] = [[_cell(row[name]) for name in names] for row in results]
    return render_page("results.html", request, **page)


_SINGLE = ("format", "timeout", "version")  # given twice: the usual way answers 400
_HEADERS = security_headers()


class DirectLookups:
    """Point lookups (``GET /sparql?query=…``, a POST form or an ``application/sparql-query`` body)
    answered by the HTTP protocol itself (api/transport.py).

    A lookup costs the engine tens of microseconds; a request's way through ASGI, the
    middleware and the router costs more. This answers it with the same parsing, checks, core
    call and negotiation as :func:`sparql`, before any ASGI machinery is built. Anything it is
    not sure of (not a lookup, an error to explain, a browser, another kind of body, CORS, a newer
    snapshot to open) returns None and takes the usual way, which gives the same answer. Searches
    (``/api/organisations``, ``/api/projects``) are :mod:`coopkg.api.searches`'s.
    """

    def __init__(self, services_of: Callable[[], Services | None], cors: bool) -> None:
        self.services_of = services_of  # None until the app's lifespan has opened them
        self.cors = cors  # with CORS on, requests from other origins take the usual way

    def __call__(self, target: bytes, headers: list[tuple[bytes, bytes]], body: bytes | None = None) -> Reply | None:
        path, _, query_string = target.partition(b"?")
        services = self.services_of()
        if services is None:
            return None
        if searches.is_search(path):
            return searches.answer(services, target, headers, self.cors)
        if path != b"/sparql":
            return None
        accept = content_type = None
        for name, value in headers:
            if name == b"accept":
                accept = value.decode("latin-1")
            elif name == b"content-type":
                media_type, _, media_params = value.partition(b";")
                content_type = media_type.strip().lower()
                if _charset(media_params.decode("latin-1")) is not None:
                    return None  # the usual way refuses it
            elif (body is None and name in {b"content-length", b"transfer-encoding"}) or (
                self.cors and name == b"origin"
            ):
                return None
        params = query_params(query_string)
        if body is not None and len(body) > services.settings.max_body_bytes:
            return None  # the usual way answers 413
        if body is None:
            text = params.get("query", [""])
        elif "query" in params:
            return None  # a POST's query belongs in its body: the usual way says so
        elif content_type == b"application/x-www-form-urlencoded":  # a POST form, as YASGUI sends
            for key, values in query_params(body).items():
                params.setdefault(key, []).extend(values)
            text = params.get("query", [""])
        elif content_type == b"application/sparql-query":
            try:
                text = [body.decode("utf-8")]
            except UnicodeDecodeError:
                return None  # the usual way explains it
        else:
            return None
        if len(text) != 1 or not text[0] or "update" in params or any(len(params.get(n, ())) > 1 for n in _SINGLE):
            return None
        try:
            if _wants_page(accept, params):
                return None
            answer = services.lookup_now(run_query(services, accept, text[0], params), _timeout(params))
        except CoopkgError:
            return None  # the usual way explains it
        if answer is None:
            return None
        media_type = answer.media_type.encode()
        if media_type.startswith(b"text/") and b"charset=" not in media_type:  # as a starlette Response does
            media_type += b"; charset=utf-8"
        return 200, [(b"content-type", media_type), (b"vary", b"Accept"), *_HEADERS], answer.body


async def description(request: Request, services: ServicesDep) -> Response:
    accept = request.headers.get("accept")
    if prefers_html(accept):
        return sparql_editor(request, str(request.url_for("sparql")), services.settings.base_iri)
    chosen = choose(accept, [*GRAPH_OFFER, "application/json"])
    chosen = "application/ld+json" if chosen == "application/json" else _CANONICAL.get(chosen, chosen)
    fmt = RdfFormat.from_media_type(chosen)
    body = serialize(describe_service(str(request.url_for("sparql")), services.minter), format=fmt, prefixes=PREFIXES)
    return Response(body, media_type=chosen, headers={"Vary": "Accept"})


@router.post(
    "/update",
    summary="SPARQL 1.1 update endpoint",
    description="POST form-encoded `update=` or application/sparql-update; needs `Authorization: Bearer <token>`. "
    "`using-graph-uri` and `using-named-graph-uri` give the dataset of its WHERE clauses; relative IRIs resolve "
    "against this endpoint's IRI.",
    dependencies=[WriterDep],
    status_code=204,
)
async def update(request: Request, services: ServicesDep) -> Response:
    params, direct = await _params(request, "update")
    text = direct if direct is not None else _one(params, "update")
    _one(params, "version")  # SPARQL 1.2 Protocol: at most one version
    if not text:
        raise BadInputError("no update given (form field 'update' or an application/sparql-update body)")
    await run_in_threadpool(
        lambda: services.update(
            text,
            using_graphs=params.get("using-graph-uri", []),
            using_named_graphs=params.get("using-named-graph-uri", []),
        )
    )
    return Response(status_code=204)
