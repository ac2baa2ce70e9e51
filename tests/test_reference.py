"""The reference data: well-formed, trilingual, conforming, and a gazetteer that finds names in text."""

from __future__ import annotations

from collections import Counter

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from coopkg.extract.gazetteer import Gazetteer
from coopkg.extract.text import name_tokens, tokenize
from coopkg.iris import IriMinter
from coopkg.rdfconv import to_rdflib_graph
from coopkg.reference import ontology_triples, reference_triples
from coopkg.resources import reference_files
from coopkg.terms import COOPKG, ORG, RDF, RDFS, SKOS
from coopkg.validate import validate_graph

BASE = "http://coopkg.test/"


@pytest.fixture(scope="module")
def triples() -> list:
    return reference_triples(IriMinter(BASE))


@pytest.fixture(scope="module")
def gazetteer(triples: list) -> Gazetteer:
    return Gazetteer.from_triples(triples)


def _file_triples(name: str) -> list:
    (path,) = [p for p in reference_files() if p.name == name]
    return [q.triple for q in parse(path=str(path), format=RdfFormat.TURTLE, base_iri=BASE)]


def _subjects(triples: list) -> set[str]:
    return {t.subject.value for t in triples}


def test_relative_iris_resolve_against_the_base(triples: list) -> None:
    assert all(t.subject.value.startswith(BASE) for t in triples)


def test_one_preferred_label_per_language(triples: list) -> None:
    counts = Counter((t.subject.value, t.object.language) for t in triples if t.predicate == SKOS.prefLabel)
    assert [k for k, n in counts.items() if n > 1] == []
    untagged = [t for t in triples if t.predicate in (SKOS.prefLabel, SKOS.altLabel) and not t.object.language]
    assert untagged == []


def test_organisations_are_trilingual_and_typed(gazetteer: Gazetteer) -> None:
    curated = _subjects(_file_triples("organisations.ttl"))
    organisations = list(gazetteer.organisations())
    assert len(organisations) >= 200
    for org in organisations:
        assert org.type != "Organisation", org.iri
        if org.iri in curated:
            assert {"fr", "en", "ar"} <= set(org.labels), org.iri


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


# --- funders.ttl: the curated funders and actors of the field --------------------------------


@pytest.fixture(scope="module")
def funders() -> list:
    return _file_triples("funders.ttl")


def _organisation_classes() -> set[str]:
    """The ontology's subclasses of coopkg:Organisation, at any depth."""
    parents: dict[str, set[str]] = {}
    for t in ontology_triples():
        if t.predicate == RDFS.subClassOf:
            parents.setdefault(t.subject.value, set()).add(t.object.value)
    found: set[str] = set()
    frontier = {COOPKG.Organisation.value}
    while frontier:
        frontier = {c for c, ps in parents.items() if ps & frontier} - found
        found |= frontier
    return found


def test_funders_are_loaded_with_the_reference_data(triples: list, funders: list) -> None:
    assert len(_subjects(funders)) >= 150
    assert _subjects(funders) <= _subjects(triples)


def test_every_funder_has_an_ontology_class_and_an_english_name(funders: list) -> None:
    classes = _organisation_classes()
    assert {"DevelopmentBank", "DevelopmentAgency", "CivilSocietyOrganisation"} <= {c.split("#")[-1] for c in classes}
    for subject in _subjects(funders):
        types = {t.object.value for t in funders if t.subject.value == subject and t.predicate == RDF.type}
        english = [t for t in funders if t.subject.value == subject and t.predicate == SKOS.prefLabel
                   if t.object.language == "en"]  # fmt: skip
        assert len(types & classes) == 1, subject
        assert english, subject


def test_most_funders_are_named_in_three_languages(funders: list) -> None:
    languages: dict[str, set[str]] = {}
    for t in funders:
        if t.predicate == SKOS.prefLabel:
            languages.setdefault(t.subject.value, set()).add(t.object.language)
    trilingual = [s for s, langs in languages.items() if {"fr", "en", "ar"} <= langs]
    bilingual = [s for s, langs in languages.items() if len(langs) >= 2]
    assert len(trilingual) >= 0.6 * len(languages)
    assert len(bilingual) >= 0.9 * len(languages)


def test_no_name_of_an_organisation_belongs_to_another_entry(triples: list) -> None:
    """After the gazetteer's normalisation, a name links to one entry: no organisation shares a name with
    another organisation or a place, within a file or across files."""
    owners: dict[tuple[str, ...], set[str]] = {}
    for t in triples:
        if t.predicate in (SKOS.prefLabel, SKOS.altLabel):
            owners.setdefault(name_tokens(t.object.value), set()).add(t.subject.value)
    shared = {key: iris for key, iris in owners.items() if len(iris) > 1 and any("/organisation/" in i for i in iris)}
    assert shared == {}


@pytest.mark.parametrize(
    ("window", "parent"),
    [("ida", "world-bank"), ("ibrd", "world-bank"), ("miga", "world-bank"), ("adf", "afdb"),
     ("transition-support-facility", "adf"), ("icd", "isdb"), ("proparco", "afd"), ("deg", "kfw"),
     ("boad", "uemoa"), ("aga-khan-foundation-canada", "aga-khan-foundation")],
)  # fmt: skip
def test_windows_and_branches_point_to_their_parent(triples: list, window: str, parent: str) -> None:
    child = NamedNode(f"{BASE}id/organisation/{window}")
    parents = [t.object.value for t in triples if t.subject == child and t.predicate == ORG.subOrganizationOf]
    assert parents == [f"{BASE}id/organisation/{parent}"]


# Sentences quoted in issue 10 from real articles, then sentences of the genre naming new entries.
@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Ce projet bénéficie d'un financement de 26 millions de dollars de la Facilité d'appui à la transition (FAT) "
         "de la BAD", ["transition-support-facility", "transition-support-facility", "afdb"]),
        ("Le reste, soit 13,2 millions de dollars, provient du Fonds africain de développement", ["adf"]),
        ("Deux accords de prêt de 46 milliards FCFA ont été conclus entre la Côte d'Ivoire et la Banque Ouest "
         "Africaine de Développement (BOAD)", ["region/CI", "boad", "boad"]),
        ("قرض من البنك الدولي للإنشاء والتعمير بقيمة 393 مليون دولار", ["ibrd"]),
        ("AKFC is contributing $1.8 million", ["aga-khan-foundation-canada"]),
        ("will be financed by the World Bank as an IDA loan of $210 million", ["world-bank", "ida"]),
        ("avec l'appui de l'Agence universitaire de la Francophonie, de l'UEMOA et de la Fondation Aga Khan Canada",
         ["auf", "uemoa", "aga-khan-foundation-canada"]),
        ("La Fondation des États-Unis pour le développement de l’Afrique (USADF) et Proparco", ["usadf", "usadf", "proparco"]),
        ("un prêt de la Banque d'investissement et de développement de la CEDEAO (BIDC) et un don du Fonds mondial "
         "de lutte contre le sida, la tuberculose et le paludisme", ["ebid", "ebid", "global-fund"]),
        ("a grant from the Bill & Melinda Gates Foundation and the Global Partnership for Education (GPE)",
         ["gates-foundation", "gpe", "gpe"]),
        ("China Exim Bank, the Norwegian Refugee Council and UN-Habitat signed", ["china-eximbank", "nrc", "un-habitat"]),
        ("بتمويل من الصندوق الكويتي ومركز الملك سلمان للإغاثة والأعمال الإنسانية والأونروا",
         ["kuwait-fund", "ksrelief", "unrwa"]),
        ("وقعت الوكالة الدولية لضمان الاستثمار وصندوق التنمية الأفريقي ومؤسسة قطر الخيرية",
         ["miga", "adf", "qatar-charity"]),
        ("منحة من المؤسسة الدولية للتنمية وبنك التنمية الأفريقي لفائدة اتحاد المغرب العربي",
         ["ida", "afdb", "arab-maghreb-union"]),
        ("أعلن صندوق “التعليم لا يمكن أن ينتظر” والجماعة الإنمائية للجنوب الأفريقي (سادك)",
         ["education-cannot-wait", "sadc", "sadc"]),
    ],
)  # fmt: skip
def test_gazetteer_finds_funders_in_each_language(gazetteer: Gazetteer, text: str, keys: list[str]) -> None:
    expected = [BASE + "id/" + (k if k.startswith("region/") else "organisation/" + k) for k in keys]
    assert [m.entry.iri for m in gazetteer.find(tokenize(text))] == expected


@pytest.mark.parametrize("text", ["Health care workers near the camp heard an echo", "the aid was a fad",
                                  "le cerf et la biche", "un produit bio", "les PME de la région",
                                  "la Banque islamique du Sénégal", "le premier fonds mondial consacré à l'éducation",
                                  "direct aid to farmers", "technical education for employment"])  # fmt: skip
def test_common_words_and_phrases_are_not_funders(gazetteer: Gazetteer, text: str) -> None:
    assert [m for m in gazetteer.find(tokenize(text)) if m.entry.kind == "organisation"] == []
