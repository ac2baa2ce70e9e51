"""The ontology and the data under real OWL tools, with the vocabularies they align to loaded.

* OWL 2 DL profile: OWLAPI 5's checker (Debian's libowlapi-java), tests/owl/Profile.java.
* Consistency and entailments: HermiT as owlready2 ships it, tests/owl/Reason.java.
* SKOS: the integrity conditions that are not OWL axioms, and mapping properties only between
  terms of one kind, with SPARQL over the same data.

The data is the corpus ingested by the real `coopkg` command and exported whole; the
vocabularies are the published documents copied into tests/vocab/ (see its README).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, Store, Triple, parse, serialize

ROOT = Path(__file__).resolve().parents[1]
VOCAB = Path(__file__).parent / "vocab"
OWL_DIR = Path(__file__).parent / "owl"
ONTOLOGY = ROOT / "ontology" / "coopkg.ttl"
OWLAPI_JARS = Path("/usr/share/java")
COOPKG = "https://w3id.org/coopkg/ontology#"
IMPORTS = NamedNode("http://www.w3.org/2002/07/owl#imports")
ALIGNED = ("prov-o.ttl", "org.ttl", "frapo.ttl", "oa.ttl", "skos.ttl")
OUTSIDE_THE_DATATYPE_MAP = ("xsd:date", "xsd:gYear", "xsd:gYearMonth")
PREFIXES = f"""PREFIX coopkg: <{COOPKG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def java() -> str:
    found = shutil.which("java")
    if not found:
        pytest.fail("no `java`: `make test` installs Debian's openjdk-17-jdk-headless (see .ci/tools)")
    return found


def hermit_jar() -> Path:
    import owlready2

    jar = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
    assert jar.exists(), f"owlready2 ships no HermiT.jar at {jar}"
    return jar


def owlapi_classpath() -> str:
    if not list(OWLAPI_JARS.glob("owlapi-distribution*.jar")):
        pytest.fail("no OWLAPI 5: `make test` installs Debian's libowlapi-java (see .ci/tools)")
    return f"{OWLAPI_JARS}/*"


def merged(path: Path, sources: Iterable[Path | list[Triple]]) -> Path:
    """One Turtle document with every triple of ``sources`` (files or triples), owl:imports left out."""
    triples: dict[Triple, None] = {}
    for source in sources:
        if isinstance(source, Path):
            fmt = RdfFormat.N_QUADS if source.suffix == ".nq" else RdfFormat.TURTLE
            found = (Triple(q.subject, q.predicate, q.object) for q in parse(path=str(source), format=fmt))
        else:
            found = iter(source)
        triples.update((t, None) for t in found if t.predicate != IMPORTS)
    path.write_bytes(serialize(list(triples), format=RdfFormat.TURTLE))
    return path


def run_java(classpath: str, program: str, *args: Path) -> list[str]:
    done = subprocess.run(
        [java(), "-Xmx2g", "-cp", classpath, str(OWL_DIR / program), *map(str, args)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.splitlines()


def profile(*files: Path) -> dict[str, list[tuple[str, str]]]:
    """OWL 2 DL violations per file: (kind, text) pairs."""
    report: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for line in run_java(owlapi_classpath(), "Profile.java", *files):
        kind, _, rest = line.partition("\t")
        if kind == "file":
            current = rest
            report[current] = []
        elif kind == "violation":
            name, _, text = rest.partition("\t")
            # Blank nodes are named anew in each run: compare violations without their names.
            report[current].append((name, re.sub(r"_:genid\d+", "_:b", text.split(" in OntologyID(")[0])))
    return report


def reason(file: Path, axioms: Path | None = None) -> list[str]:
    return run_java(str(hermit_jar()), "Reason.java", file, *([axioms] if axioms else []))


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("owl")


@pytest.fixture(scope="module")
def corpus_dump(work: Path) -> Path:
    """The corpus ingested by the real command, exported whole (ontology, reference data, documents)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPKG_")}
    env.update(COOPKG_STORE=str(work / "store"), COOPKG_BASE_IRI="http://coopkg.test/")
    command = [sys.executable, "-m", "coopkg.cli"]
    ingest = subprocess.run(
        [*command, "ingest", str(ROOT / "data" / "corpus")], env=env, capture_output=True, text=True
    )
    assert ingest.returncode == 0, ingest.stderr
    dump = work / "corpus.nq"
    export = subprocess.run(
        [*command, "export", "--format", "nquads", "-o", str(dump)], env=env, capture_output=True, text=True
    )
    assert export.returncode == 0, export.stderr
    return dump


@pytest.fixture(scope="module")
def documents_only(corpus_dump: Path) -> list[Triple]:
    """The ontology and the documents' graphs, without the reference data: enough to show what a
    wrong axiom or triple would do, in a fraction of the reasoner's time."""
    quads = parse(path=str(corpus_dump), format=RdfFormat.N_QUADS)
    return [
        q.triple
        for q in quads
        if "/graph/document/" in q.graph_name.value or q.graph_name.value.endswith("/graph/ontology")
    ]


@pytest.fixture(scope="module")
def with_vocabularies(work: Path, corpus_dump: Path) -> Path:
    return merged(work / "all.ttl", [*(VOCAB / name for name in ALIGNED), corpus_dump])


# -- OWL 2 DL --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def profiles(work: Path, corpus_dump: Path, with_vocabularies: Path) -> dict[str, list[tuple[str, str]]]:
    """OWL 2 DL violations of each document checked, in one run of OWLAPI (a JVM start is seconds)."""
    files = {
        "ontology": merged(work / "ontology.ttl", [ONTOLOGY]),
        "data": merged(work / "data.ttl", [corpus_dump]),
        "with vocabularies": with_vocabularies,
        "undeclared": merged(work / "undeclared.ttl", [ONTOLOGY, _triples(
            f"<{COOPKG}Funding> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <https://example.org/Undeclared> ."
        )]),
    }  # fmt: skip
    report = profile(*files.values())
    return {name: report[str(path)] for name, path in files.items()}


def test_the_ontology_and_the_data_are_owl_2_dl(profiles: dict[str, list[tuple[str, str]]]) -> None:
    assert profiles["ontology"] == [], profiles["ontology"]
    # OWL 2 leaves xsd:date, xsd:gYear and xsd:gYearMonth out of its datatype map, so OWLAPI counts
    # each date literal of those types; nothing else may be outside OWL 2 DL (no undeclared term, no
    # illegal punning).
    others = [v for v in profiles["data"] if not _is_date_literal(v)]
    assert others == [], others[:20]
    assert profiles["data"], "the corpus has dates as precise as their sources: the check must see them"


def test_a_missing_declaration_would_be_caught(profiles: dict[str, list[tuple[str, str]]]) -> None:
    assert {kind for kind, _ in profiles["undeclared"]} == {"UseOfUndeclaredClass"}


def _entity(violation: tuple[str, str]) -> str:
    """The term a violation is about: the first IRI of its message, before the axiom it quotes."""
    found = re.search(r"<[^>]+>", violation[1].split(" [", 1)[0])
    return found.group() if found else ""


def _is_date_literal(violation: tuple[str, str]) -> bool:
    kind, text = violation
    return kind == "UseOfDefinedDatatypeInLiteral" and any(f"^^{t} " in text for t in OUTSIDE_THE_DATATYPE_MAP)


def test_coopkg_adds_no_violation_to_the_vocabularies(profiles: dict[str, list[tuple[str, str]]]) -> None:
    """With PROV-O, ORG, FRAPO, OA and SKOS loaded, no violation touches a coopkg term, a datum, or a
    term of theirs that coopkg declares (a kind other than theirs would be an illegal punning).

    The vocabularies have violations of their own (FRAPO and PROV-O pun a few annotation and data
    properties, OA leaves some terms undeclared): those are not coopkg's to fix."""
    ours = {f"<{t.subject.value}>" for t in parse(path=str(ONTOLOGY), format=RdfFormat.TURTLE)
            if t.predicate.value.endswith("#type") and isinstance(t.subject, NamedNode)}  # fmt: skip
    involved = [v for v in profiles["with vocabularies"] if not _is_date_literal(v)
                and (_entity(v) in ours or COOPKG in v[1] or "http://coopkg.test/" in v[1])]  # fmt: skip
    assert involved == [], involved[:20]
    assert len(ours) > 150 and profiles["with vocabularies"]


@pytest.fixture(scope="module")
def union(corpus_dump: Path) -> Store:
    store = Store()
    store.bulk_load(path=str(corpus_dump), format=RdfFormat.N_QUADS)
    return store


def _rows(store: Store, query: str) -> list[tuple[str, ...]]:
    solutions = store.query(PREFIXES + query, use_default_graph_as_union=True)
    return [tuple("" if t is None else t.value for t in row) for row in solutions]


# -- HermiT ---------------------------------------------------------------------------------------------

MEMBERSHIP_OR_POST = "[ a owl:Class ; owl:unionOf ( org:Membership org:Post ) ]"


def questions(union: Store) -> list[tuple[str, str, str, bool]]:
    """What the reasoner is asked: (subject, "a" or "rdfs:subClassOf", class, expected to be entailed).

    Alignments say no more than is meant: no participation is an org:Membership or org:Post (what
    coopkg:role ⊑ org:role would say through org:role's domain), no funding a monetary amount. What
    they do mean holds through the vocabularies: funders are FRAPO funding agencies, organisations
    FOAF agents, documents PROV entities. Individuals: one per role, per funding kind, per type of
    funder (each entailment is a satisfiability test of its own)."""
    sample = "SELECT (SAMPLE(?x) AS ?one) WHERE { %s } GROUP BY ?k"
    participations = _rows(union, sample % "?x a coopkg:Participation ; coopkg:role ?k")
    fundings = _rows(union, sample % "?x a coopkg:Funding ; coopkg:fundingKind ?k")
    funders = _rows(union, sample % "?f coopkg:funder ?x . ?x a ?k")
    asked = [(p, "a", MEMBERSHIP_OR_POST, False) for (p,) in participations]
    asked += [(f, "a", "coopkg:MonetaryAmount", False) for (f,) in fundings]
    asked += [(o, "a", "<http://purl.org/cerif/frapo/FundingAgency>", True) for (o,) in funders]
    asked += [(f"{COOPKG}Organisation", "rdfs:subClassOf", "foaf:Agent", True),
              (f"{COOPKG}DevelopmentAgency", "rdfs:subClassOf", "foaf:Organization", True),
              (f"{COOPKG}Document", "rdfs:subClassOf", "prov:Entity", True)]  # fmt: skip
    return asked


def ask(work: Path, ontology: Path, asked: list[tuple[str, str, str, bool]]) -> list[tuple[str, str, bool]]:
    """(subject, verdict, expected) for each question, in order; the ontology must be consistent."""
    turtle = PREFIXES.replace("PREFIX ", "@prefix ").replace(">\n", "> .\n")
    turtle += "".join(f"<{s}> {p} {c} .\n" for s, p, c, _ in asked)
    (work / "asked.ttl").write_text(turtle, encoding="utf-8")
    lines = reason(ontology, work / "asked.ttl")
    assert lines[0] == "consistent", lines[:5]
    assert [line for line in lines if line.startswith("unsatisfiable")] == []
    verdicts = [line.split("\t") for line in lines if line.startswith(("entailed", "not-entailed"))]
    assert len(verdicts) == len(asked), lines[:5]
    found = []
    for subject, _, _, expected in asked:
        verdict = next(v for v, axiom in verdicts if f"<{subject}>" in axiom)
        found.append((subject, verdict, expected))
    return found


def test_consistent_with_prov_org_frapo_skos_and_oa(work: Path, with_vocabularies: Path, union: Store) -> None:
    answers = ask(work, with_vocabularies, questions(union))  # consistent, no unsatisfiable class
    wrong = [(s, verdict) for s, verdict, expected in answers if (verdict == "entailed") != expected]
    assert wrong == []
    assert sum(not expected for *_, expected in answers) >= 4


def test_the_reasoner_would_catch_a_project_derived_from_its_document(
    work: Path, documents_only: list[Triple], union: Store
) -> None:
    project, document = _rows(union, "SELECT ?p ?d WHERE { ?p a coopkg:Project ; prov:wasInfluencedBy ?d } LIMIT 1")[0]
    wrong = [Triple(NamedNode(project), NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), NamedNode(document))]
    lines = reason(merged(work / "derived.ttl", [*(VOCAB / name for name in ALIGNED), documents_only, wrong]))
    assert lines == ["inconsistent"]


def test_the_reasoner_would_catch_coopkg_role_under_org_role(
    work: Path, documents_only: list[Triple], union: Store
) -> None:
    stronger = merged(work / "role.ttl", [*(VOCAB / name for name in ALIGNED), documents_only, _triples(
        f"<{COOPKG}role> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> <http://www.w3.org/ns/org#role> ."
    )])  # fmt: skip
    participations = [q for q in questions(union) if q[2] == MEMBERSHIP_OR_POST]
    answers = ask(work, stronger, participations)
    assert participations and all(verdict == "entailed" for _, verdict, _ in answers)


def _triples(ntriples: str) -> list[Triple]:
    return [q.triple for q in parse(ntriples.encode(), format=RdfFormat.N_TRIPLES)]


# -- SKOS ---------------------------------------------------------------------------------------------------


def test_skos_s13_and_s14_hold(union: Store) -> None:
    both = _rows(union, "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l ; skos:altLabel ?l }")
    assert both == [], both[:10]
    twice = _rows(
        union,
        """SELECT ?s (LANG(?a) AS ?lang) WHERE { ?s skos:prefLabel ?a , ?b
                             FILTER (?a != ?b && LANG(?a) = LANG(?b)) }""",
    )
    assert twice == [], twice[:10]


def test_skos_mappings_link_terms_of_one_kind(union: Store) -> None:
    """Class to class, property to property, concept (or other individual) to concept: never across.

    The kind of a term of another vocabulary is the one the ontology declares for it."""
    rows = _rows(
        union,
        """
        SELECT ?s ?o ?ks ?ko WHERE {
          VALUES ?p { skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch skos:relatedMatch }
          ?s ?p ?o .
          OPTIONAL { ?s a ?ks FILTER (?ks IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty, owl:AnnotationProperty)) }
          OPTIONAL { ?o a ?ko FILTER (?ko IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty, owl:AnnotationProperty)) }
        }""",
    )
    assert len(rows) > 40
    across = [row for row in rows if row[2] != row[3]]
    assert across == [], across


def test_every_language_tag_matches_the_script_of_its_text(union: Store) -> None:
    from coopkg.langtags import scripts

    tagged = [(q.object.value, q.object.language) for q in union.quads_for_pattern(None, None, None)
              if isinstance(q.object, Literal) and q.object.language]  # fmt: skip
    wrong = [(text, lang) for text, lang in tagged
             if (lang == "ar" and scripts(text) == {"Latn"}) or (lang in ("fr", "en") and scripts(text) == {"Arab"})]  # fmt: skip
    assert wrong == [], wrong[:20]
    assert len(tagged) > 3000
