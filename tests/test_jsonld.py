"""The JSON-LD face of the API means what the graph says: expanded by pyld, every answer gives only
triples that /sparql holds about the same resources, with the same IRIs, datatypes and languages.

A real `coopkg serve` over the corpus; pyld fetches the published @context from it.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib
from pyld import jsonld
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse

from coopkg.jsonld import CONTEXT
from tests.conftest import CoopkgServer as Server

ROOT = Path(__file__).resolve().parents[1]
COOPKG = "https://w3id.org/coopkg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("jsonld"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        yield http


@pytest.fixture(scope="module")
def processor(server: Server, client: httpx.Client) -> None:
    """pyld loads documents from the service under test only (its @context)."""

    def loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        if not url.startswith(server.url + "/"):
            raise ValueError(f"the test loads nothing from {url}")
        response = client.get(url.replace(server.url, ""), headers={"Accept": "application/ld+json"})
        response.raise_for_status()
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": response.json()}  # fmt: skip

    jsonld.set_document_loader(loader)


def every_jsonld_answer(client: httpx.Client) -> list[str]:
    """Every route that has a JSON-LD face, lists whole, and the detail of every item they list."""
    lists = [
        "/api/fundings",
        "/api/organisations",
        "/api/projects",
        "/api/regions",
        "/api/indicators",
        "/api/documents",
    ]
    answers = [f"{path}?limit=1000" for path in lists]
    answers.append("/api/fundings?limit=1000&facets=true")  # with the explorer's facets and totals
    organisations = client.get("/api/organisations", params={"limit": 1000}).json()["items"]
    answers += [f"/api/organisations/{urllib.parse.quote(o['id'], safe='')}" for o in organisations if o["sources"]]
    projects = client.get("/api/projects", params={"limit": 1000}).json()["items"]
    answers += [f"/api/projects/{urllib.parse.quote(p['id'], safe='')}" for p in projects]
    regions = client.get("/api/regions", params={"limit": 1000}).json()["items"]
    answers += [f"/api/regions/{urllib.parse.quote(r['id'], safe='')}" for r in regions]
    documents = client.get("/api/documents", params={"limit": 1000}).json()["items"]
    answers += [f"/api/documents/{d['identifier']}" for d in documents]
    return answers


def expanded_triples(client: httpx.Client, server: Server, path: str) -> set[Triple]:
    response = client.get(path, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200, (path, response.text[:300])
    assert response.headers["content-type"].startswith("application/ld+json")
    nquads = jsonld.to_rdf(response.json(), {"format": "application/n-quads", "base": server.url + path})
    return {q.triple for q in parse(nquads.encode(), format=RdfFormat.N_QUADS)}


def graph_triples(client: httpx.Client, subjects: set[NamedNode]) -> set[Triple]:
    """What /sparql says about ``subjects``: every triple of theirs, over the union of the graphs."""
    found: set[Triple] = set()
    ordered = sorted(subjects, key=lambda n: n.value)
    for start in range(0, len(ordered), 200):
        values = " ".join(str(s) for s in ordered[start : start + 200])
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"
        response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, response.text[:300]
        found |= {q.triple for q in parse(response.content, format=RdfFormat.N_TRIPLES)}
    return found


@pytest.fixture(scope="module")
def answers(client: httpx.Client, server: Server, processor: None) -> dict[str, set[Triple]]:
    return {path: expanded_triples(client, server, path) for path in every_jsonld_answer(client)}


def test_every_jsonld_answer_is_a_subset_of_the_graph(client: httpx.Client, answers: dict[str, set[Triple]]) -> None:
    everything = set().union(*answers.values())
    assert not [t for t in everything if isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode)], (
        "every node of an answer has its IRI: no blank node"
    )
    subjects = {t.subject for t in everything}
    graph = graph_triples(client, subjects)  # type: ignore[arg-type]
    for path, triples in answers.items():
        extra = sorted(str(t) for t in triples - graph)
        assert not extra, f"{path} says what the graph does not: {extra[:10]}"
        assert triples, path


def test_the_answers_carry_types_languages_decimals_dates_and_nested_nodes(answers: dict[str, set[Triple]]) -> None:
    """The subset is not a trivial one: every kind of statement the context maps shows up."""
    everything = set().union(*answers.values())
    predicates = {t.predicate.value for t in everything}
    expected = {f"{COOPKG}{name}" for name in (
        "funder", "fundedItem", "amount", "value", "currency", "fundingKind", "evidence", "method", "confidence",
        "hasParticipation", "participant", "role", "unit", "about", "region", "isFundedBy", "isoCode",
        "startDate", "endDate", "durationMonths", "qualifier",
    )} | {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2004/02/skos/core#prefLabel",
          "http://www.w3.org/2004/02/skos/core#altLabel", "http://www.w3.org/2004/02/skos/core#broader",
          "http://purl.org/dc/terms/identifier", "http://purl.org/dc/terms/title"}  # fmt: skip
    assert expected <= predicates, sorted(expected - predicates)
    literals = [t.object for t in everything if isinstance(t.object, Literal)]
    assert {lit.language for lit in literals if lit.language} >= {"fr", "en", "ar"}
    datatypes = {lit.datatype.value for lit in literals if not lit.language}
    assert {f"{XSD}decimal", f"{XSD}integer", f"{XSD}gYear"} <= datatypes
    assert any(t.predicate.value == f"{COOPKG}value" and t.object.value == "880490.79" for t in everything)


def test_the_organisation_answer_states_its_side_of_fundings_and_participations(
    answers: dict[str, set[Triple]], server: Server
) -> None:
    ofppt = NamedNode(f"{server.url}/id/organisation/ofppt")
    triples = next(t for path, t in answers.items() if path.endswith(urllib.parse.quote(ofppt.value, safe="")))
    # @reverse: the participations naming OFPPT, and the projects that have them
    participations = {t.subject for t in triples if t.predicate.value == f"{COOPKG}participant" and t.object == ofppt}
    assert participations
    assert all(any(t.predicate.value == f"{COOPKG}hasParticipation" and t.object == p for t in triples)
               for p in participations)  # fmt: skip


def test_the_context_invents_no_term() -> None:
    context = CONTEXT["@context"]
    assert "@vocab" not in context
    ontology = rdflib.Graph().parse(ROOT / "ontology" / "coopkg.ttl")
    declared = {str(s) for s in ontology.subjects(rdflib.RDF.type, None)}

    def iris(definition: Any) -> Iterator[str]:
        if isinstance(definition, str) and definition.startswith("coopkg:"):
            yield COOPKG + definition.removeprefix("coopkg:")
        elif isinstance(definition, dict):
            for value in definition.values():
                yield from iris(value)

    used = set(iris(context))
    assert len(used) > 40
    assert used <= declared, sorted(used - declared)


def test_aggregates_have_no_jsonld_face(client: httpx.Client) -> None:
    only = client.get("/api/fundings/totals", headers={"Accept": "application/ld+json"})
    assert only.status_code == 406 and only.json()["code"] == "not_acceptable"
    either = client.get("/api/fundings/totals", headers={"Accept": "application/ld+json, application/json;q=0.5"})
    assert either.status_code == 200 and either.headers["content-type"].startswith("application/json")
