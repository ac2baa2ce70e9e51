"""SPARQL 1.1 Graph Store HTTP Protocol on /graph: GET open; PUT, POST, DELETE with the write token."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pyoxigraph import NamedNode, RdfFormat, parse

from coopkg.api.deps import ServicesDep, WriterDep
from coopkg.api.negotiate import choose
from coopkg.api.resources import RDF_OFFER, rdf_response
from coopkg.errors import BadInputError, NotFoundError

router = APIRouter(tags=["SPARQL"])


def _target(request: Request) -> NamedNode | None:
    params = request.query_params
    if "graph" in params and "default" in params:
        raise BadInputError("give either ?graph=IRI or ?default, not both")
    if "graph" in params:
        try:
            return NamedNode(params["graph"])
        except ValueError as error:
            raise BadInputError(f"invalid graph IRI: {error}") from error
    if "default" in params:
        return None
    raise BadInputError("name the graph: ?graph=IRI (or ?default for the union graph, read-only)")


async def _body_triples(request: Request, services: ServicesDep) -> list:
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    fmt = RdfFormat.from_media_type(content_type) if content_type else None
    if fmt is None or fmt.supports_datasets:
        raise BadInputError(
            f"unsupported Content-Type {content_type or '(none)'}: send Turtle, N-Triples, JSON-LD or RDF/XML"
        )
    body = await request.body()
    try:
        return [q.triple for q in parse(body, format=fmt, base_iri=services.settings.base_iri)]
    except SyntaxError as error:
        raise BadInputError(f"cannot parse the body as {fmt.name}: {error}") from error


@router.get("/graph", summary="Read a named graph (or the union with ?default)")
async def get_graph(request: Request, services: ServicesDep) -> Response:
    graph = _target(request)
    media_type = choose(request.headers.get("accept"), [t for t in RDF_OFFER if t != "text/html"])
    if graph is None:
        triples = await services.read(lambda: services.repo.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph())
    else:
        if not await services.read(lambda: services.repo.has_graph(graph)):
            raise NotFoundError(f"no graph {graph.value}")
        triples = await services.read(lambda: services.repo.graph_triples(graph))
    return rdf_response(request, triples, media_type)


@router.put(
    "/graph", summary="Replace a named graph (validated against the shapes)", dependencies=[WriterDep], status_code=204
)
async def put_graph(request: Request, services: ServicesDep) -> Response:
    graph = _writable(request)
    triples = await _body_triples(request, services)
    existed = await run_in_threadpool(services.repo.has_graph, graph)
    await run_in_threadpool(services.put_graph, graph, triples)
    return Response(status_code=204 if existed else 201)


@router.post(
    "/graph", summary="Add to a named graph (validated against the shapes)", dependencies=[WriterDep], status_code=204
)
async def post_graph(request: Request, services: ServicesDep) -> Response:
    graph = _writable(request)
    triples = await _body_triples(request, services)
    await run_in_threadpool(services.post_graph, graph, triples)
    return Response(status_code=204)


@router.delete("/graph", summary="Delete a named graph", dependencies=[WriterDep], status_code=204)
async def delete_graph(request: Request, services: ServicesDep) -> Response:
    graph = _writable(request)
    await run_in_threadpool(services.delete_graph, graph)
    return Response(status_code=204)


def _writable(request: Request) -> NamedNode:
    graph = _target(request)
    if graph is None:
        raise BadInputError("the default graph is the union of all graphs and cannot be written: name a graph")
    return graph
