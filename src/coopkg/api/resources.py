"""Dereferenceable IRIs and the ontology (the dataset description and the dump: api/dataset.py).

Content negotiation is direct (200 with ``Vary: Accept``), not 303 redirects: the IRIs name
the things, and every representation of them is served at the same address; ``Link``
headers name the alternates. Browsers get HTML, RDF clients Turtle, JSON-LD, N-Triples or
RDF/XML; ``?format=`` overrides the Accept header.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from coopkg.api.deps import ServicesDep
from coopkg.api.negotiate import GRAPH_TYPES, by_format_name, choose
from coopkg.describe import describe
from coopkg.errors import NotFoundError
from coopkg.iris import iri_to_uri
from coopkg.reference import ontology_triples, shapes_triples
from coopkg.terms import ONTOLOGY_IRI, OWL, PREFIXES, RDF, RDFS, SKOS, local_name
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
    # The path of an IRI with non-ASCII letters, as a URI: headers are ASCII (RFC 3987 §3.1 mapping).
    href = iri_to_uri(path)
    return [{"type": t, "name": _NAMES[t], "href": f"{href}?format={short[t]}"} for t in _NAMES]


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
    triples = await services.read(lambda: describe(services.repo, iri))
    raw = request.scope.get("raw_path", b"").decode("ascii", "replace").partition("/id/")[2].partition("?")[0]
    if not triples and raw and raw != path:
        # An IRI stored in its URI form (percent-escapes kept) is named by the path as it was sent.
        iri = services.settings.base_iri + "id/" + raw
        triples = await services.read(lambda: describe(services.repo, iri))
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


@router.get(
    "/ontology/{version}", summary="The ontology at its version IRI (https://w3id.org/coopkg/ontology/{version})"
)
async def ontology_version(version: str, request: Request) -> Response:
    triples = ontology_triples()
    current = next((t.object.value for t in triples if t.predicate == OWL.versionInfo), None)
    if version != current:
        raise NotFoundError(f"this service serves version {current} of the ontology, not {version!r}")
    return await ontology(request)


@router.get("/shapes", summary="The SHACL shapes every document's facts are checked against")
async def shapes(request: Request) -> Response:
    media_type = _media_type(request)
    if media_type == "text/html":
        media_type = "text/turtle"
    return rdf_response(request, shapes_triples(), media_type)


def render_ontology(request: Request, triples: list[Triple]) -> HTMLResponse:
    terms: dict[str, dict[str, object]] = {}
    for t in triples:
        if not t.subject.value.startswith(ONTOLOGY_IRI + "#"):
            continue
        term = terms.setdefault(t.subject.value, {"iri": t.subject.value, "name": local_name(t.subject.value),
                                                    "labels": {}, "definitions": {}, "kinds": [], "relations": []})  # fmt: skip
        if t.predicate == RDFS.label and isinstance(t.object, Literal):
            term["labels"][t.object.language or ""] = t.object.value  # type: ignore[index]
        elif t.predicate == SKOS.prefLabel and isinstance(t.object, Literal):
            # Concepts are named by skos:prefLabel, classes and properties by rdfs:label.
            term["labels"].setdefault(t.object.language or "", t.object.value)  # type: ignore[union-attr]
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


def description_page(request: Request, iri: str, triples: list[Triple]) -> HTMLResponse:
    """The linked-data view of a description that is not under ``/id/`` (the dataset's)."""
    return data_page(request, iri, triples, _alternates(request.url.path), choose_language(request))
