"""The reference data: well-formed, trilingual, conforming, and a gazetteer that finds names in text."""

from __future__ import annotations

from collections import Counter

import pytest
from pyoxigraph import Literal, NamedNode

from coopkg.extract.gazetteer import Gazetteer
from coopkg.extract.text import tokenize
from coopkg.iris import IriMinter
from coopkg.rdfconv import to_rdflib_graph
from coopkg.reference import ontology_triples, reference_triples
from coopkg.terms import SKOS
from coopkg.validate import validate_graph

BASE = "http://coopkg.test/"


@pytest.fixture(scope="module")
def triples() -> list:
    return reference_triples(IriMinter(BASE))


@pytest.fixture(scope="module")
def gazetteer(triples: list) -> Gazetteer:
    return Gazetteer.from_triples(triples)


def test_relative_iris_resolve_against_the_base(triples: list) -> None:
    assert all(t.subject.value.startswith(BASE) for t in triples)


def test_one_preferred_label_per_language(triples: list) -> None:
    counts = Counter((t.subject.value, t.object.language) for t in triples if t.predicate == SKOS.prefLabel)
    assert [k for k, n in counts.items() if n > 1] == []
    untagged = [t for t in triples if t.predicate in (SKOS.prefLabel, SKOS.altLabel) and not t.object.language]
    assert untagged == []


def test_organisations_are_trilingual_and_typed(gazetteer: Gazetteer) -> None:
    organisations = list(gazetteer.organisations())
    assert len(organisations) >= 50
    for org in organisations:
        assert {"fr", "en", "ar"} <= set(org.labels), org.iri
        assert org.type != "Organisation", org.iri


@pytest.mark.parametrize("key", ["eu", "world-bank", "afdb", "isdb", "afd", "giz", "enabel", "aecid", "jica", "koica",
                                 "usaid", "mcc", "global-affairs-canada", "ilo", "unesco", "unicef", "british-council",
                                 "ofppt", "eu-delegation-morocco"])  # fmt: skip
def test_the_main_actors_are_there(gazetteer: Gazetteer, key: str) -> None:
    assert gazetteer.get(f"{BASE}id/organisation/{key}") is not None


def test_amci_is_left_for_the_extractor_to_discover(gazetteer: Gazetteer) -> None:
    text = "l'Agence Marocaine de Coopération Internationale"
    assert all(m.entry.kind != "organisation" for m in gazetteer.find(tokenize(text)))


def test_morocco_regions_have_arabic_names(triples: list) -> None:
    for n in range(1, 13):
        node = NamedNode(f"{BASE}id/region/MA-{n:02d}")
        languages = {t.object.language for t in triples if t.subject == node and t.predicate == SKOS.prefLabel}
        assert {"fr", "en", "ar"} <= languages


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("financé par l'Union européenne", "id/organisation/eu"),
        ("بتمويل من الاتحاد الأوروبي", "id/organisation/eu"),
        ("والاتحاد الأوروبي", "id/organisation/eu"),
        ("لمكتب التكوين المهني وإنعاش الشغل", "id/organisation/ofppt"),
        ("la BID", "id/organisation/isdb"),
        ("l'OIT", "id/organisation/ilo"),
        ("the ILO", "id/organisation/ilo"),
        ("وكالة التنمية الكندية الدولية", "id/organisation/global-affairs-canada"),
        ("la région de Tanger-Tétouan- Al Hoceima", "id/region/MA-01"),
        ("la région de l'Oriental", "id/region/MA-02"),
        ("Souss Massa", "id/region/MA-09"),
        ("بتامسنا", "id/region/MA/tamesna"),
        ("à Benguérir", "id/region/MA/benguerir"),
        ("شمال إفريقيا", "id/region/north-africa"),
    ],
)
def test_gazetteer_finds_names_through_variants_and_clitics(gazetteer: Gazetteer, text: str, iri: str) -> None:
    assert [m.entry.iri for m in gazetteer.find(tokenize(text))] == [BASE + iri]


@pytest.mark.parametrize("text", ["le sud oriental", "خارطة الطريق الجديدة", "بدعم مالي من", "une bid", "le secteur de l'eau",
                                  "عيون المياه", "المستوى المتوسط"])  # fmt: skip
def test_common_words_are_not_places_or_organisations(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.find(tokenize(text)) == []


def test_an_ambiguous_arabic_place_needs_a_cue(gazetteer: Gazetteer) -> None:
    assert [m.entry.iri for m in gazetteer.find(tokenize("في مالي"))] == [BASE + "id/region/ML"]
    assert [m.entry.iri for m in gazetteer.find(tokenize("بالعيون"))] == [BASE + "id/region/MA/laayoune"]


def test_reference_data_conforms_to_the_shapes(triples: list) -> None:
    report = validate_graph(to_rdflib_graph(triples + ontology_triples()))
    assert report.conforms, report.text()


def test_literal_types_are_strings_or_language_tagged(triples: list) -> None:
    assert all(not isinstance(t.object, Literal) or t.object.language or t.object.datatype for t in triples)
