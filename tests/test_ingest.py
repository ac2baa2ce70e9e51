"""Documents into the store: validation before writing, one graph per document, bad input refused cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from coopkg.errors import DocumentError, ValidationFailed
from coopkg.extract.pipeline import Extractor
from coopkg.facts import Evidence, Funding, ntriples
from coopkg.ingest import Ingestor
from coopkg.iris import IriMinter
from coopkg.store import Repository
from coopkg.terms import RDF

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_reference(IriMinter("http://coopkg.test/"))


@pytest.fixture
def ingestor(repo: Repository, minter: IriMinter, extractor: Extractor) -> Ingestor:
    ingestor = Ingestor(repo, minter, extractor, max_bytes=200_000)
    ingestor.ensure_ready()
    return ingestor


def _graph_size(repo: Repository, ingestor: Ingestor, doc_id: str) -> int:
    return len(repo.graph_triples(ingestor.document_graph(doc_id)))


def test_corpus_goes_in_one_graph_per_document(ingestor: Ingestor, repo: Repository) -> None:
    outcomes = list(ingestor.ingest([CORPUS]))
    assert [o.status for o in outcomes] == ["written"] * 5
    documents = [g for g in repo.named_graphs() if "/graph/document/" in g.value]
    assert len(documents) == 5
    assert all(o.report is not None and o.report.conforms for o in outcomes)


def test_reingesting_gives_the_same_triples(ingestor: Ingestor, repo: Repository) -> None:
    path = CORPUS / "001_7264298748a22f18.txt"
    ingestor.ingest_file(path)
    first = sorted(map(str, repo.graph_triples(ingestor.document_graph("001_7264298748a22f18"))))
    ingestor.ingest_file(path)
    second = sorted(map(str, repo.graph_triples(ingestor.document_graph("001_7264298748a22f18"))))
    assert first == second


def test_extraction_is_deterministic(extractor: Extractor, minter: IriMinter) -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        one = serialize(extractor.extract_path(path).to_triples(minter), format=RdfFormat.N_TRIPLES)
        two = serialize(extractor.extract_path(path).to_triples(minter), format=RdfFormat.N_TRIPLES)
        assert one == two


def test_a_document_that_breaks_the_shapes_is_not_written(
    ingestor: Ingestor, repo: Repository, extractor: Extractor
) -> None:
    path = CORPUS / "004_9f4ee20d9dffe68f.txt"
    assert ingestor.ingest_file(path).status == "written"
    before = sorted(map(str, repo.graph_triples(ingestor.document_graph("004_9f4ee20d9dffe68f"))))
    broken = extractor.extract_path(path)
    # A funding whose evidence quote does not match the text at its offsets, and a negative amount.
    broken.fundings.append(
        Funding(
            id="http://coopkg.test/id/funding/broken",
            funder=broken.organisations[0].id,
            funded=broken.organisations[0].id,
            amount=-5,  # type: ignore[arg-type]
            currency="EUR",
            evidence=[Evidence(0, 5, "wrong", "test", 0.9)],
        )
    )
    with pytest.raises(ValidationFailed) as caught:
        ingestor.write(broken)
    report = caught.value.details
    focus = {r["focus"] for r in report["results"] if r["severity"] == "Violation"}
    assert "http://coopkg.test/id/funding/broken#amount" in focus
    assert "http://coopkg.test/id/document/004_9f4ee20d9dffe68f" in focus  # the quote does not match the text
    after = sorted(map(str, repo.graph_triples(ingestor.document_graph("004_9f4ee20d9dffe68f"))))
    assert after == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\n  ", "empty"),
        ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
        ("latin.txt", bytes(range(160, 256)) * 3, "not valid UTF-8"),
        (
            "german.txt",
            "Das Projekt wird von der Europäischen Union finanziert und ist für die Region wichtig.".encode(),
            "coopkg reads French, Arabic and English",
        ),
    ],
)
def test_bad_documents_fail_cleanly(
    ingestor: Ingestor, repo: Repository, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    before = len(repo)
    path = tmp_path / name
    path.write_bytes(content)
    outcome = ingestor.ingest_file(path)
    assert outcome.status == "failed"
    assert message in outcome.message
    assert len(repo) == before


def test_a_too_large_file_is_refused_before_reading(ingestor: Ingestor, repo: Repository, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.write(b"Le projet est financ\xc3\xa9 par l'Union europ\xc3\xa9enne. " * 1_000_000)  # ~50 MB
    before = len(repo)
    outcome = ingestor.ingest_file(path)
    assert outcome.status == "failed"
    assert "limit" in outcome.message
    assert len(repo) == before


def test_an_article_without_cooperation_facts_is_an_empty_result(extractor: Extractor) -> None:
    text = (
        "Le Raja de Casablanca s'est imposé dimanche soir face au Wydad sur le score de deux buts à un, "
        "devant un public nombreux. L'entraîneur a salué l'engagement de ses joueurs."
    )
    found = extractor.extract_text(text, source="sport.txt", doc_id="sport")
    assert found.fundings == [] and found.projects == [] and found.indicators == []


def test_invalid_document_id_is_refused(ingestor: Ingestor) -> None:
    with pytest.raises(DocumentError, match="invalid document id"):
        ingestor.extract_bytes(b"Bonjour", source="x.txt", doc_id="../../etc")


def test_drop_document(ingestor: Ingestor, repo: Repository) -> None:
    ingestor.ingest_file(CORPUS / "002_6faf3696ab357505.txt")
    assert _graph_size(repo, ingestor, "002_6faf3696ab357505") > 0
    ingestor.drop("002_6faf3696ab357505")
    assert _graph_size(repo, ingestor, "002_6faf3696ab357505") == 0


def test_the_graph_as_n_triples_is_what_the_engine_writes(extractor: Extractor, minter: IriMinter) -> None:
    # coopkg.facts.ntriples writes each term's own text: byte for byte the engine's serialisation,
    # on every kind of literal a document holds and on ones that need escaping.
    docs = sorted(CORPUS.glob("*.txt")) + sorted((ROOT / "tests" / "docs").glob("*.txt"))
    for path in docs:
        terms = extractor.extract_path(path).to_terms(minter)
        assert ntriples(terms) == serialize([Triple(*t) for t in terms], format=RdfFormat.N_TRIPLES), path.name
    s, p = NamedNode("http://coopkg.test/s"), NamedNode("http://coopkg.test/p")
    odd = [
        (s, p, Literal('a "quoted" \\ back\nslash\r\ttab \u0000 \u2028 é ﷺ')),
        (s, p, Literal("texte", language="fr")),
        (s, p, Literal("12.50", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))),
        (s, RDF.type, NamedNode("http://coopkg.test/é?x=1#y")),
    ]
    assert ntriples(odd) == serialize([Triple(*t) for t in odd], format=RdfFormat.N_TRIPLES)
    assert ntriples([]) == b""
