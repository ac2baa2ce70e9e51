"""The fast validator against pyshacl (the reference): the same verdicts on every case.

Cases: every shape's conforming and non-conforming example (tests/shapes), every document of
the corpus, of tests/docs and of the real articles in eval/real/*/docs, and mutated documents
(each breaks the shapes in one way).
Verdicts are equal when the reports conform alike and hold the same results: focus node, path,
severity, constraint component and value of each, counted with their repetitions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse

from coopkg.extract.pipeline import Extractor
from coopkg.iris import IriMinter
from coopkg.reference import install
from coopkg.shacl import Fallback
from coopkg.store import EmbeddedRepository
from coopkg.terms import COOPKG, DCTERMS, OA, PROV, RDF, RDFS, SKOS, XSD
from coopkg.validate import (
    ValidationReport,
    document_context,
    fast_validate,
    reference_validate_document,
    validate_graph,
)
from tests.test_shapes import CASES, _split

ROOT = Path(__file__).resolve().parents[1]
BASE = "http://coopkg.test/"


def _folders() -> list[Path]:
    folders = [
        ROOT / "data" / "corpus",
        ROOT / "tests" / "docs",
        ROOT.parent / "shared" / "extraction" / "dev" / "docs",
    ]
    folders += sorted((ROOT / "eval" / "real").glob("*/docs"))
    return [f for f in folders if f.is_dir()]


DOCUMENTS = [p for folder in _folders() for p in sorted(folder.glob("*.txt"))]


def verdict(report: ValidationReport) -> tuple[bool, Counter[tuple[str, str | None, str, str | None, str | None]]]:
    def node(text: str | None) -> str | None:
        # Blank node labels are not kept alike by the two parsers.
        return "_:b" if text is not None and "/" not in text and ":" not in text and len(text) >= 16 else text

    return report.conforms, Counter(
        (node(r.focus) or "", r.path, r.severity, r.component, node(r.value)) for r in report.results
    )


@pytest.fixture(scope="module")
def minter() -> IriMinter:
    return IriMinter(BASE)


@pytest.fixture(scope="module")
def extractor(minter: IriMinter) -> Extractor:
    return Extractor.from_reference(minter)


@pytest.fixture(scope="module")
def reference(minter: IriMinter) -> EmbeddedRepository:
    repo = EmbeddedRepository(None)
    install(repo, minter)
    return repo


def both(
    repo: EmbeddedRepository, minter: IriMinter, triples: list[Triple]
) -> tuple[ValidationReport, ValidationReport]:
    context = document_context(repo, minter, triples)
    return fast_validate(triples, context), reference_validate_document(triples, context)


# -- shape examples ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_shape_examples(case: Path) -> None:
    data, _, _ = _split(case)
    triples = [q.triple for q in parse(data.serialize(format="nt").encode(), format=RdfFormat.N_TRIPLES)]
    fast = fast_validate(triples, own_only=False)
    assert verdict(fast) == verdict(validate_graph(data)), fast.text()


# -- documents --------------------------------------------------------------------------------


def test_there_are_documents_to_compare() -> None:
    assert len([d for d in DOCUMENTS if ROOT in d.parents]) >= 16


@pytest.mark.parametrize("path", DOCUMENTS, ids=[f"{p.parent.parent.name}/{p.stem}" for p in DOCUMENTS])
def test_documents(path: Path, extractor: Extractor, reference: EmbeddedRepository, minter: IriMinter) -> None:
    triples = extractor.extract_path(path).to_triples(minter)
    fast, slow = both(reference, minter, triples)
    assert verdict(fast) == verdict(slow), fast.text()


# -- mutated documents -------------------------------------------------------------------------

Mutation = Callable[[list[Triple]], list[Triple]]
MUTATED = ["en_01_worldbank_morocco.txt", "fr_04_fondation_amal_tadla.txt", "003_a05c1a58a0ce2546.txt"]


def _subjects(triples: list[Triple], cls: NamedNode) -> list[NamedNode]:
    return [t.subject for t in triples if t.predicate == RDF.type and t.object == cls]  # type: ignore[misc]


def _value(triples: list[Triple], subject: object, predicate: NamedNode) -> object:
    return next(t.object for t in triples if t.subject == subject and t.predicate == predicate)


def _replace(triples: list[Triple], subject: object, predicate: NamedNode, *objects: object) -> list[Triple]:
    kept = [t for t in triples if not (t.subject == subject and t.predicate == predicate)]
    return kept + [Triple(subject, predicate, o) for o in objects]  # type: ignore[arg-type]


def _first(cls: NamedNode) -> Callable[[list[Triple]], NamedNode]:
    return lambda triples: _subjects(triples, cls)[0]


funding, amount, project = _first(COOPKG.Funding), _first(COOPKG.MonetaryAmount), _first(COOPKG.Project)
evidence, participation, indicator = _first(COOPKG.Evidence), _first(COOPKG.Participation), _first(COOPKG.Indicator)
quote, position, document = _first(OA.TextQuoteSelector), _first(OA.TextPositionSelector), _first(COOPKG.Document)
target = _first(OA.SpecificResource)


def _set(node: Callable[[list[Triple]], object], predicate: NamedNode, *objects: object) -> Mutation:
    return lambda triples: _replace(triples, node(triples), predicate, *objects)


def _drop(node: Callable[[list[Triple]], object], predicate: NamedNode) -> Mutation:
    return lambda triples: _replace(triples, node(triples), predicate)


def _add(node: Callable[[list[Triple]], object], predicate: NamedNode, obj: object) -> Mutation:
    return lambda triples: [*triples, Triple(node(triples), predicate, obj)]  # type: ignore[arg-type]


def _shift(triples: list[Triple], by: int) -> list[Triple]:
    node = position(triples)
    start, end = (int(_value(triples, node, p).value) for p in (OA.start, OA.end))  # type: ignore[attr-defined]
    triples = _replace(triples, node, OA.start, Literal(str(start + by), datatype=XSD.integer))
    return _replace(triples, node, OA.end, Literal(str(end + by), datatype=XSD.integer))


def _swap_offsets(triples: list[Triple]) -> list[Triple]:
    node = position(triples)
    start, end = _value(triples, node, OA.start), _value(triples, node, OA.end)
    return _replace(_replace(triples, node, OA.start, end), node, OA.end, start)


def _second_position(triples: list[Triple]) -> list[Triple]:
    extra = NamedNode(position(triples).value + "-2")
    return [
        *triples,
        Triple(target(triples), OA.hasSelector, extra),
        Triple(extra, RDF.type, OA.TextPositionSelector),
        Triple(extra, OA.start, Literal("0", datatype=XSD.integer)),
        Triple(extra, OA.end, Literal("3", datatype=XSD.integer)),
    ]


def _local_subclass(triples: list[Triple]) -> list[Triple]:
    # The document declares its own subclass of Organisation and types the funder with it.
    funder = _value(triples, funding(triples), COOPKG.funder)
    local = NamedNode(BASE + "id/class/Foundation")
    return [*triples, Triple(local, RDFS.subClassOf, COOPKG.Organisation), Triple(funder, RDF.type, local)]  # type: ignore[arg-type]


def _funder_is_project(triples: list[Triple]) -> list[Triple]:
    return _replace(triples, funding(triples), COOPKG.funder, project(triples))


def _funded_is_region(triples: list[Triple]) -> list[Triple]:
    return _replace(triples, funding(triples), COOPKG.fundedItem, NamedNode(BASE + "id/region/MA"))


def _lit(text: str, datatype: NamedNode | None = None, lang: str | None = None) -> Literal:
    return Literal(text, language=lang) if lang else Literal(text, datatype=datatype)


MUTATIONS: dict[str, Mutation] = {
    "funding without a funder": _drop(funding, COOPKG.funder),
    "funding with two funders": lambda t: _add(funding, COOPKG.funder, _value(t, funding(t), COOPKG.fundedItem))(t),
    "funder is a project": _funder_is_project,
    "funds a place": _funded_is_region,
    "funding kind unknown": _set(funding, COOPKG.fundingKind, COOPKG.Donation),
    "funding without a kind": _drop(funding, COOPKG.fundingKind),
    "amount as a string": _set(amount, COOPKG.value, _lit("2 millions")),
    "amount as an integer": _set(amount, COOPKG.value, _lit("2000000", XSD.integer)),
    "negative amount": _set(amount, COOPKG.value, _lit("-5", XSD.decimal)),
    "amount ill-typed": _set(amount, COOPKG.value, _lit("lots", XSD.decimal)),
    "amount in exponent form": _set(amount, COOPKG.value, _lit("2e6", XSD.decimal)),
    "currency not ISO 4217": _set(amount, COOPKG.currency, _lit("XYZ")),
    "currency in lower case": _set(amount, COOPKG.currency, _lit("eur")),
    "currency with a language tag": _set(amount, COOPKG.currency, _lit("EUR", lang="fr")),
    "two currencies": lambda t: _add(amount, COOPKG.currency, _lit("MAD"))(t),
    "quote off its offsets by one": lambda t: _shift(t, 1),
    "quote past the end of the text": lambda t: _shift(t, 100_000),
    "quote text changed": _set(quote, OA.exact, _lit("not what the text says")),
    "quote empty": _set(quote, OA.exact, _lit("")),
    "start after end": _swap_offsets,
    "negative start": _set(position, OA.start, _lit("-3", XSD.integer)),
    "offset as a string": _set(position, OA.start, _lit("12")),
    "offset with a leading zero": lambda t: _set(
        position, OA.start, _lit("0" + _value(t, position(t), OA.start).value, XSD.integer)
    )(t),  # type: ignore[attr-defined]
    "two positions on one target": _second_position,
    "target without a quote selector": lambda t: _replace(t, target(t), OA.hasSelector, position(t)),
    "target source not a document": _set(target, OA.hasSource, NamedNode("https://example.org/page")),
    "evidence without a target": _drop(evidence, OA.hasTarget),
    "evidence without a method": _drop(evidence, COOPKG.method),
    "confidence above one": _set(evidence, COOPKG.confidence, _lit("1.5", XSD.decimal)),
    "low confidence (warning)": _set(evidence, COOPKG.confidence, _lit("0.3", XSD.decimal)),
    "confidence as a string": _set(evidence, COOPKG.confidence, _lit("high")),
    "fact without evidence": _drop(project, COOPKG.evidence),
    "fact derived from a non-document": _set(project, PROV.wasDerivedFrom, NamedNode("https://example.org/page")),
    "project without a label": _drop(project, SKOS.prefLabel),
    "label without a language": _set(project, SKOS.prefLabel, _lit("Projet")),
    "two labels in one language": _set(project, SKOS.prefLabel, _lit("Un", lang="fr"), _lit("Deux", lang="fr")),
    "alternative label typed": _add(project, SKOS.altLabel, _lit("2020", XSD.gYear)),
    "start date as a string": _set(project, COOPKG.startDate, _lit("2017")),
    "impossible date": _set(project, COOPKG.startDate, _lit("2020-02-30", XSD.date)),
    "month 13": _set(project, COOPKG.startDate, _lit("2017-13", XSD.gYearMonth)),
    "two start dates": _set(project, COOPKG.startDate, _lit("2017", XSD.gYear), _lit("2018", XSD.gYear)),
    "duration of zero months": _set(project, COOPKG.durationMonths, _lit("0", XSD.integer)),
    "project region not a region": _add(project, COOPKG.region, NamedNode(BASE + "id/organisation/eu")),
    "participation without a project": lambda t: [
        x for x in t if not (x.predicate == COOPKG.hasParticipation and x.object == participation(t))
    ],
    "participation role unknown": _set(participation, COOPKG.role, COOPKG.SponsorRole),
    "participant not an organisation": _set(participation, COOPKG.participant, NamedNode(BASE + "id/region/MA")),
    "indicator without a unit": _drop(indicator, COOPKG.unit),
    "indicator value negative": _set(indicator, COOPKG.value, _lit("-1", XSD.decimal)),
    "indicator qualifier unknown": _set(indicator, COOPKG.qualifier, COOPKG.Roughly),
    "indicator about a funding": lambda t: _set(indicator, COOPKG.about, funding(t))(t),
    "indicator period two digits": _set(indicator, COOPKG.period, _lit("17", XSD.gYear)),
    "document language in capitals": _set(document, DCTERMS.language, _lit("FR")),
    "document hash too short": _set(document, COOPKG.contentHash, _lit("abc")),
    "document without its text (warning)": _drop(document, COOPKG.text),
    "document with two titles": _add(document, DCTERMS.title, _lit("Autre titre")),
    "a subclass declared by the document": _local_subclass,
    "blank node evidence": lambda t: [*t, Triple(project(t), COOPKG.evidence, BlankNode("e1"))],
    "quote with a language tag": _set(quote, OA.exact, _lit("Projet", lang="fr")),
    "text with a language tag": lambda t: _set(
        document, COOPKG.text, _lit(_value(t, document(t), COOPKG.text).value, lang="fr")
    )(t),  # type: ignore[attr-defined]
}
# Mutations that keep the verdict: they probe rdflib's reading of literals and of the class hierarchy.
SAME_VERDICT = {"amount in exponent form", "offset with a leading zero", "a subclass declared by the document"}
# Cases only pyshacl decides exactly: the fast validator must say so rather than guess.
NEEDS_PYSHACL = {
    "quote as a decimal offset": _set(position, OA.start, _lit("3.0", XSD.decimal)),
    "offsets on a blank node": _set(position, OA.end, BlankNode("end")),
}


@pytest.fixture(scope="module")
def originals(extractor: Extractor, minter: IriMinter) -> dict[str, list[Triple]]:
    folder = {p.name: p for p in DOCUMENTS}
    return {name: extractor.extract_path(folder[name]).to_triples(minter) for name in MUTATED}


@pytest.mark.parametrize("name", MUTATIONS)
def test_mutated_documents(
    name: str, originals: dict[str, list[Triple]], reference: EmbeddedRepository, minter: IriMinter
) -> None:
    for original in originals.values():  # the first document that has something to break that way
        try:
            triples = MUTATIONS[name](list(original))
        except (IndexError, StopIteration):
            continue
        fast, slow = both(reference, minter, triples)
        assert verdict(fast) == verdict(slow), f"{name}:\n{fast.text()}\n---\n{slow.text()}"
        return
    pytest.fail(f"{name}: no document to apply it to")


def test_mutations_break_the_shapes(
    originals: dict[str, list[Triple]], reference: EmbeddedRepository, minter: IriMinter
) -> None:
    """A mutation that changed no verdict would test nothing (but those meant to keep it)."""
    original = originals[MUTATED[0]]
    base = verdict(both(reference, minter, original)[0])
    unchanged = []
    for name, mutate in MUTATIONS.items():
        try:
            triples = mutate(list(original))
        except (IndexError, StopIteration):
            continue
        if verdict(fast_validate(triples, document_context(reference, minter, triples))) == base:
            unchanged.append(name)
    assert set(unchanged) == SAME_VERDICT


@pytest.mark.parametrize("name", NEEDS_PYSHACL)
def test_what_only_pyshacl_decides_is_handed_to_it(
    name: str, originals: dict[str, list[Triple]], reference: EmbeddedRepository, minter: IriMinter
) -> None:
    triples = NEEDS_PYSHACL[name](list(originals[MUTATED[0]]))
    with pytest.raises(Fallback):
        fast_validate(triples, document_context(reference, minter, triples))
