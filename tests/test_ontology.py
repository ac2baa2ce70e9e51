"""The ontology parses everywhere and declares every term the code, the shapes and the queries use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import NamedNode, RdfFormat, parse
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from coopkg.extract.pipeline import Extractor
from coopkg.iris import IriMinter
from coopkg.store.changelog import CHANGES
from coopkg.synth import write_synthetic
from coopkg.terms import COOPKG

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "coopkg.ttl"
BUILT_IN = (str(RDF), str(RDFS), str(OWL), str(XSD), str(SH))
# The remote backend's change log is coopkg's bookkeeping, not data the ontology describes (README,
# "Several processes over one endpoint"); its queries use that vocabulary.
BOOKKEEPING = (CHANGES,)


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def declared(ontology: rdflib.Graph) -> set[str]:
    return {str(s) for s in ontology.subjects(RDF.type, None) if isinstance(s, rdflib.URIRef)}


def test_ontology_parses_in_pyoxigraph_and_rdflib(ontology: rdflib.Graph) -> None:
    oxigraph = list(parse(path=str(ONTOLOGY), format=RdfFormat.TURTLE))
    assert len(oxigraph) == len(ontology) > 500


def test_ontology_header(ontology: rdflib.Graph) -> None:
    header = rdflib.URIRef("https://w3id.org/coopkg/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionIRI) is not None


@pytest.mark.parametrize("name", ["Organisation", "Project", "Funding", "Region", "Indicator", "Document",
                                  "Participation", "MonetaryAmount", "Evidence"])  # fmt: skip
def test_core_classes_have_three_languages(ontology: rdflib.Graph, name: str) -> None:
    cls = rdflib.URIRef(COOPKG.ns + name)
    labels = {lit.language for lit in ontology.objects(cls, RDFS.label)}
    definitions = {
        lit.language for lit in ontology.objects(cls, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#definition"))
    }
    assert {"en", "fr", "ar"} <= labels
    assert {"en", "fr"} <= definitions


SKOS_DEFINITION = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#definition")
SKOS_PREF = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")


def _coopkg_terms(ontology: rdflib.Graph) -> set[rdflib.URIRef]:
    return {
        s for s in ontology.subjects(RDF.type, None) if isinstance(s, rdflib.URIRef) and str(s).startswith(COOPKG.ns)
    }


def test_every_term_is_labelled_and_defined_in_english_french_and_arabic(ontology: rdflib.Graph) -> None:
    terms = _coopkg_terms(ontology)
    assert len(terms) >= 70
    missing = []
    for term in sorted(terms):
        labels = {lit.language for p in (RDFS.label, SKOS_PREF) for lit in ontology.objects(term, p)}
        definitions = {lit.language for lit in ontology.objects(term, SKOS_DEFINITION)}
        if not {"en", "fr", "ar"} <= labels or not {"en", "fr", "ar"} <= definitions:
            missing.append((str(term), sorted(labels), sorted(definitions)))
    assert not missing, missing


def test_every_term_says_where_it_is_defined(ontology: rdflib.Graph) -> None:
    header = rdflib.URIRef("https://w3id.org/coopkg/ontology")
    without = [str(t) for t in _coopkg_terms(ontology) if (t, RDFS.isDefinedBy, header) not in ontology]
    assert not without, without
    external = (
        {s for s in ontology.subjects(RDF.type, None) if isinstance(s, rdflib.URIRef)}
        - _coopkg_terms(ontology)
        - {header}
    )
    assert all(ontology.value(t, RDFS.isDefinedBy) is not None for t in external)


def test_vocabulary_metadata(ontology: rdflib.Graph) -> None:
    header = rdflib.URIRef("https://w3id.org/coopkg/ontology")
    dcterms = rdflib.Namespace("http://purl.org/dc/terms/")
    vann = rdflib.Namespace("http://purl.org/vocab/vann/")
    for prop in (dcterms.title, dcterms.description):
        assert {lit.language for lit in ontology.objects(header, prop)} == {"en", "fr", "ar"}
    for prop in (dcterms.license, dcterms.publisher, dcterms.issued, dcterms.modified, OWL.versionInfo):
        assert ontology.value(header, prop) is not None, prop
    assert str(ontology.value(header, vann.preferredNamespaceUri)) == COOPKG.ns
    assert str(ontology.value(header, vann.preferredNamespacePrefix)) == "coopkg"
    version = str(ontology.value(header, OWL.versionIRI))
    assert version == f"https://w3id.org/coopkg/ontology/{ontology.value(header, OWL.versionInfo)}"


def _used_in_graph(triples) -> set[str]:
    used = set()
    for t in triples:
        used.add(t.predicate.value)
        if t.predicate.value == str(RDF.type) and isinstance(t.object, NamedNode):
            used.add(t.object.value)
        if isinstance(t.object, NamedNode) and t.object.value.startswith(COOPKG.ns):
            used.add(t.object.value)
    return used


def _used_in_shapes() -> set[str]:
    graph = rdflib.Graph()
    for path in (ROOT / "shapes").glob("*.ttl"):
        graph.parse(path, format="turtle")
    used = set()
    for prop in (SH.path, SH["class"], SH.targetClass, SH.targetSubjectsOf, SH.inversePath):
        used |= {str(o) for o in graph.objects(None, prop) if isinstance(o, rdflib.URIRef)}
    for lst in graph.objects(None, SH["in"]):
        used |= {str(o) for o in rdflib.collection.Collection(graph, lst) if isinstance(o, rdflib.URIRef)}
    return used


def _used_in_queries() -> set[str]:
    used = set()
    for path in (ROOT / "queries").rglob("*.rq"):
        text = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("#"))
        prefixes = dict(re.findall(r"PREFIX\s+(\w*):\s*<([^>]+)>", text))
        body = re.sub(r"PREFIX\s+\w*:\s*<[^>]+>", "", text)
        body = re.sub(r'"[^"]*"', "", body)
        for prefix, local in re.findall(r"(?<![\w?$<])(\w+):([A-Za-z][\w-]*)", body):
            if prefix in prefixes:
                used.add(prefixes[prefix] + local)
        used |= set(re.findall(r"<(https?://[^>]+)>", body))
    return used


def test_every_term_used_is_declared(declared: set[str], tmp_path: Path) -> None:
    minter = IriMinter("http://coopkg.test/")
    extractor = Extractor.from_reference(minter)
    used: set[str] = set()
    for doc in sorted((ROOT / "data" / "corpus").glob("*.txt")):
        used |= _used_in_graph(extractor.extract_path(doc).to_triples(minter))
    synthetic = tmp_path / "s.nq"
    write_synthetic(synthetic, minter, projects=20, per_document=5)
    used |= _used_in_graph(q.triple for q in parse(path=str(synthetic), format=RdfFormat.N_QUADS))
    used |= _used_in_shapes()
    used |= _used_in_queries()
    used = {u for u in used if not u.startswith((*BUILT_IN, *BOOKKEEPING, "http://coopkg.test/"))}
    missing = sorted(used - declared)
    assert not missing, f"used but not declared in ontology/coopkg.ttl: {missing}"
    assert len(used) > 40


def test_a_typo_would_be_caught(declared: set[str]) -> None:
    assert COOPKG.ns + "fundedItem" in declared
    assert COOPKG.ns + "fundedItems" not in declared
