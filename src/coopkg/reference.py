"""Reference data: the ontology and gazetteer graphs every store starts with."""

from __future__ import annotations

from functools import cache

from pyoxigraph import Literal, RdfFormat, Triple, parse, serialize

from coopkg.iris import IriMinter
from coopkg.resources import ontology_file, reference_files, shapes_files
from coopkg.store.base import Repository


def ontology_triples() -> list[Triple]:
    """The ontology's triples (parsed once per process: HTML pages and /ontology ask for them often)."""
    return list(_ontology_triples())


@cache
def _ontology_triples() -> tuple[Triple, ...]:
    return tuple(q.triple for q in parse(path=str(ontology_file()), format=RdfFormat.TURTLE))


def shapes_triples() -> list[Triple]:
    """The shapes' triples, parsed once per process (so their blank nodes keep their names)."""
    return list(_shapes_triples())


@cache
def _shapes_triples() -> tuple[Triple, ...]:
    return tuple(q.triple for path in shapes_files() for q in parse(path=str(path), format=RdfFormat.TURTLE))


def reference_triples(minter: IriMinter) -> list[Triple]:
    """All curated reference files, their relative IRIs resolved against the deployment's base."""
    triples: list[Triple] = []
    for path in reference_files():
        triples.extend(q.triple for q in parse(path=str(path), format=RdfFormat.TURTLE, base_iri=minter.base))
    return triples


def install(repo: Repository, minter: IriMinter) -> tuple[int, int]:
    """(Re)load the ontology and reference graphs, both replaced in one transaction."""
    ontology = list(ontology_triples())
    reference = reference_triples(minter)
    # As N-Triples the engine writes: an empty store loads them directly, where a SPARQL update of
    # these 19,000 triples was half a second of parsing before every first ingest.
    repo.replace_graphs([
        (minter.ontology_graph, serialize(ontology, format=RdfFormat.N_TRIPLES)),
        (minter.reference_graph, serialize(reference, format=RdfFormat.N_TRIPLES)),
    ])  # fmt: skip
    return len(ontology), len(reference)


def is_installed(repo: Repository, minter: IriMinter) -> bool:
    return repo.has_graph(minter.ontology_graph) and repo.has_graph(minter.reference_graph)


def ontology_labels() -> dict[str, dict[str, str]]:
    """Labels of the ontology's classes, properties and concepts, by language (rdfs:label, skos:prefLabel)."""
    return _ontology_labels()


@cache
def _ontology_labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for t in _ontology_triples():
        if t.predicate.value in _LABELS and isinstance(t.object, Literal):
            labels.setdefault(t.subject.value, {})[t.object.language or ""] = t.object.value
    return labels


_LABELS = {"http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel"}
