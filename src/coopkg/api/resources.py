"""Dereferenceable IRIs, the ontology, the dataset description and the dump.

Content negotiation is direct (200 with ``Vary: Accept``), not 303 redirects: the IRIs name
the things, and every representation of them is served at the same address; ``Link``
headers name the alternates. Browsers get HTML, RDF clients Turtle, JSON-LD, N-Triples or
RDF/XML; ``?format=`` overrides the Accept header.
"""

from __future__ import annotations

import gzip
import tempfile
from collections.abc import Iterator

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, StreamingResponse
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from coopkg.api.deps import ServicesDep
from coopkg.api.negotiate import GRAPH_TYPES, by_format_name, choose
from coopkg.describe import dataset_description, describe
from coopkg.errors import NotFoundError
from coopkg.reference import ontology_triples
from coopkg.terms import ONTOLOGY_IRI, PREFIXES, RDF, RDFS, SKOS, local_name
from coopkg.web.entities import data_page, entity_page
from coopkg.web.i18n import choose_language
from coopkg.web.render import page

router = APIRouter(tags=["Linked data"])

RDF_OFFER = ["text/turtle", "text/html", "application/ld+json", "application/n-triples", "application/rdf+xml",
             "application/json"]  # fmt: skip
_NAMES = {"text/turtle": "Turtle", "application/ld+json": "JSON-LD", "application/n-triples": "N-Triples",
          "application/rdf+xml": "RDF/XML"}  # fmt: skip


def _media_type(request: Request) -> str:
    name = request.query_params.get("format")
    if name:
        return "text/html" if name == "html" else by_format_name(name, GRAPH_TYPES)
    chosen = choose(request.headers.get("accept"), RDF_OFFER)
    return "application/ld+json" if chosen == "application/json" else chosen


def _alternates(path: str) -> list[dict[str, str]]:
    short = {"text/turtle": "turtle", "application/ld+json": "jsonld", "application/n-triples": "ntriples",
             "application/rdf+xml": "rdfxml"}  # fmt: skip
    return [{"type": t, "name": _NAMES[t], "href": f"{path}?format={short[t]}"} for t in _NAMES]


def rdf_response(
    request: Request, triples: list[Triple], media_type: str, *, html: str | HTMLResponse | None = None
) -> Response:
    headers = {
        "Vary": "Accept",
        "Link": ", ".join(f'<{a["href"]}>; rel="alternate"; type="{a["type"]}"' for a in _alternates(request.url.path)),
    }
    if isinstance(html, HTMLResponse):
        html.headers.update({"Link": headers["Link"], "Vary": html.headers.get("Vary", "Accept")})
        return html
    if media_type == "text/html":
        return HTMLResponse(html or "", headers=headers)
    fmt = RdfFormat.from_media_type(media_type)
    assert fmt is not None
    body = serialize(triples, format=fmt, prefixes=PREFIXES if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG) else None)
    return Response(body, media_type=media_type, headers=headers)


@router.get("/id/{path:path}", summary="Dereference an IRI minted by coopkg", response_class=Response)
async def resource(path: str, request: Request, services: ServicesDep) -> Response:
    iri = services.settings.base_iri + "id/" + path
    media_type = _media_type(request)
    triples = await run_in_threadpool(describe, services.repo, iri)
    if not triples:
        raise NotFoundError(f"nothing is known about <{iri}>")
    if media_type == "text/html":
        page = await entity_page(request, services, iri, triples, _alternates(request.url.path))
        return rdf_response(request, triples, media_type, html=page)
    return rdf_response(request, triples, media_type)


@router.get("/ontology", summary="The coopkg ontology: Turtle for machines, HTML documentation for people")
async def ontology(request: Request) -> Response:
    media_type = _media_type(request)
    triples = ontology_triples()
    html = render_ontology(request, triples) if media_type == "text/html" else None
    return rdf_response(request, triples, media_type, html=html)


def render_ontology(request: Request, triples: list[Triple]) -> HTMLResponse:
    terms: dict[str, dict[str, object]] = {}
    for t in triples:
        if not t.subject.value.startswith(ONTOLOGY_IRI + "#"):
            continue
        term = terms.setdefault(t.subject.value, {"iri": t.subject.value, "name": local_name(t.subject.value),
                                                    "labels": {}, "definitions": {}, "kinds": [], "relations": []})  # fmt: skip
        if t.predicate == RDFS.label and isinstance(t.object, Literal):
            term["labels"][t.object.language or ""] = t.object.value  # type: ignore[index]
        elif t.predicate == SKOS.definition and isinstance(t.object, Literal):
            term["definitions"][t.object.language or ""] = t.object.value  # type: ignore[index]
        elif t.predicate == RDF.type:
            term["kinds"].append(local_name(t.object.value))  # type: ignore[union-attr]
        elif isinstance(t.object, NamedNode):
            term["relations"].append((local_name(t.predicate.value), t.object.value))  # type: ignore[union-attr]
    groups = {"Classes": [], "Object properties": [], "Datatype properties": [], "Concepts": []}
    for term in sorted(terms.values(), key=lambda x: str(x["name"])):
        kinds = term["kinds"]
        key = ("Classes" if "Class" in kinds else "Object properties" if "ObjectProperty" in kinds
               else "Datatype properties" if "DatatypeProperty" in kinds else "Concepts")  # fmt: skip
        groups[key].append(term)
    return page("ontology.html", request, groups=groups)


@router.get("/.well-known/void", summary="Dataset description (VoID and DCAT) with counts and the dump")
async def void(request: Request, services: ServicesDep) -> Response:
    media_type = _media_type(request)
    site = str(request.base_url)
    triples = await run_in_threadpool(dataset_description, services.repo, services.minter, site)
    if media_type == "text/html":
        lang = choose_language(request)
        page = data_page(request, services.minter.base + "dataset", triples, _alternates(request.url.path), lang)
        return rdf_response(request, triples, media_type, html=page)
    return rdf_response(request, triples, media_type)


@router.get("/dump", summary="The whole dataset as gzipped N-Quads", response_class=StreamingResponse)
async def dump(services: ServicesDep) -> StreamingResponse:
    spool = await run_in_threadpool(_gzip_dump, services)
    return StreamingResponse(
        _chunks(spool),
        media_type="application/n-quads",
        headers={"Content-Encoding": "gzip", "Content-Disposition": 'attachment; filename="coopkg.nq.gz"'},
    )


def _gzip_dump(services: ServicesDep) -> tempfile.SpooledTemporaryFile:  # type: ignore[type-arg]
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - closed by _chunks
    with gzip.GzipFile(fileobj=spool, mode="wb", compresslevel=6) as stream:
        services.repo.export(stream, RdfFormat.N_QUADS)  # type: ignore[arg-type]
    spool.seek(0)
    return spool


def _chunks(spool: tempfile.SpooledTemporaryFile) -> Iterator[bytes]:  # type: ignore[type-arg]
    try:
        while chunk := spool.read(64 * 1024):
            yield chunk
    finally:
        spool.close()
