"""Validation of one document with its context: nested checks (sh:or) still apply to its values."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from coopkg.extract.pipeline import Extractor
from coopkg.iris import IriMinter
from coopkg.reference import install
from coopkg.store import EmbeddedRepository
from coopkg.terms import COOPKG, XSD
from coopkg.validate import document_context, validate_document

ROOT = Path(__file__).resolve().parents[1]
BASE = "http://coopkg.test/"


@pytest.fixture(scope="module")
def setting() -> tuple[EmbeddedRepository, IriMinter, list[Triple]]:
    minter = IriMinter(BASE)
    repo = EmbeddedRepository(None)
    install(repo, minter)
    triples = (
        Extractor.from_reference(minter)
        .extract_path(ROOT / "data" / "corpus" / "001_7264298748a22f18.txt")
        .to_triples(minter)
    )
    return repo, minter, triples


def check(
    setting: tuple[EmbeddedRepository, IriMinter, list[Triple]], triples: list[Triple]
) -> list[tuple[str, str | None]]:
    repo, minter, _ = setting
    report = validate_document(triples, document_context(repo, minter, triples))
    return [(r.focus, r.path) for r in report.violations]


def test_the_document_conforms(setting: tuple[EmbeddedRepository, IriMinter, list[Triple]]) -> None:
    assert check(setting, setting[2]) == []


def test_a_start_date_typed_as_a_string_is_refused(setting: tuple[EmbeddedRepository, IriMinter, list[Triple]]) -> None:
    project = NamedNode(BASE + "id/project/kafaat-liljamia")
    triples = [t for t in setting[2] if not (t.subject == project and t.predicate == COOPKG.startDate)]
    triples.append(Triple(project, COOPKG.startDate, Literal("2017")))
    assert (project.value, COOPKG.startDate.value) in check(setting, triples)


def test_a_malformed_year_month_is_refused(setting: tuple[EmbeddedRepository, IriMinter, list[Triple]]) -> None:
    project = NamedNode(BASE + "id/project/kafaat-liljamia")
    triples = [t for t in setting[2] if not (t.subject == project and t.predicate == COOPKG.startDate)]
    triples.append(Triple(project, COOPKG.startDate, Literal("2017-13", datatype=XSD.gYearMonth)))
    assert (project.value, COOPKG.startDate.value) in check(setting, triples)


def test_funding_a_place_is_refused_even_when_the_place_is_reference_data(
    setting: tuple[EmbeddedRepository, IriMinter, list[Triple]],
) -> None:
    city = NamedNode(BASE + "id/region/MA/rabat")
    funding = next(t.subject for t in setting[2] if t.predicate == COOPKG.fundedItem)
    triples = [t for t in setting[2] if not (t.subject == funding and t.predicate == COOPKG.fundedItem)]
    triples.append(Triple(funding, COOPKG.fundedItem, city))
    assert (funding.value, COOPKG.fundedItem.value) in check(setting, triples)


def test_context_nodes_are_not_reported(setting: tuple[EmbeddedRepository, IriMinter, list[Triple]]) -> None:
    repo, minter, triples = setting
    context = document_context(repo, minter, triples)
    britain = BASE + "id/region/GB"  # the British Council is based there: a second-hop context node
    assert any(t.subject.value == britain for t in context)  # typed only: it would fail the region shape
    assert all(focus != britain for focus, _ in check(setting, triples))


class Recording:
    """The real store, noting which subjects the context asks it about."""

    def __init__(self, repo: EmbeddedRepository) -> None:
        self.repo = repo
        self.asked: list[NamedNode] = []

    def describe(self, subjects: list[NamedNode], graph: NamedNode) -> list[Triple]:
        self.asked.extend(subjects)
        return self.repo.describe(subjects, graph)


def test_the_context_never_looks_up_the_documents_own_nodes(
    setting: tuple[EmbeddedRepository, IriMinter, list[Triple]],
) -> None:
    repo, minter, triples = setting
    recording = Recording(repo)
    context = document_context(recording, minter, triples)
    evidence = {t.subject for t in triples if "/evidence/" in t.subject.value}
    assert evidence and not evidence & set(recording.asked)  # a document's evidence is never reference data
    assert not any(minter.is_document_part(iri.value) for iri in recording.asked)
    # What it does look up is still found: the organisations the document names, with their types.
    britain = BASE + "id/region/GB"
    assert any(t.subject.value == britain for t in context)
    assert set(context) == set(document_context(repo, minter, triples))  # and the same as from the store directly
