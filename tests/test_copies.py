"""The same facts stated in many documents (k = 50 copies of each corpus article): one row each, many sources."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from coopkg.catalogue import Catalogue
from coopkg.extract.pipeline import Extractor
from coopkg.funding_index import FundingIndex, FundingQuery
from coopkg.ingest import Ingestor, document_files
from coopkg.iris import IriMinter
from coopkg.queries import EXAMPLE_BASE, SavedQuery, saved_queries, saved_query
from coopkg.store import EmbeddedRepository
from coopkg.synth import copies_of_documents
from tests.conftest import BASE, ROOT

COPIES = 50


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedRepository, EmbeddedRepository]]:
    """The corpus once, and the corpus with 50 more copies of every article."""
    minter = IriMinter(BASE)
    extractor = Extractor.from_reference(minter)
    repos = []
    for copies in (0, COPIES):
        path = tmp_path_factory.mktemp(f"copies-{copies}")
        repo = EmbeddedRepository(path / "store")
        ingestor = Ingestor(repo, minter, extractor)
        ingestor.ensure_ready()
        assert all(o.status == "written" for o in ingestor.ingest(document_files([ROOT / "data" / "corpus"])))
        if copies:
            assert copies_of_documents(repo, minter, copies, path / "copies.nq") == 5 * copies
        repos.append(repo)
    yield repos[0], repos[1]
    for repo in repos:
        repo.close()


def test_one_funding_stated_in_many_documents_is_one_row(stores: tuple[EmbeddedRepository, EmbeddedRepository]) -> None:
    once, many = stores
    alone, copied = FundingIndex(once), FundingIndex(many)
    assert set(copied.fundings) == set(alone.fundings) and len(alone.fundings) >= 3
    for fid, funding in copied.fundings.items():
        assert len(funding.graphs) == (COPIES + 1) * len(alone.fundings[fid].graphs)
        original = alone.fundings[fid]
        assert (funding.amount, funding.currency, funding.kind, funding.date) == (
            original.amount, original.currency, original.kind, original.date)  # fmt: skip
    assert copied.totals_by_funder() == alone.totals_by_funder()
    total, page = copied.search(FundingQuery(limit=100))
    assert total == len(alone.fundings)
    sources = Catalogue(many, copied).sources_of([f.id for f in page])
    for funding in page:
        documents = {s["document"] for s in sources[funding.id]}
        assert len(documents) == (COPIES + 1) * len(alone.fundings[funding.id].graphs)


def test_the_core_reads_give_the_same_answers_at_any_number_of_copies(
    stores: tuple[EmbeddedRepository, EmbeddedRepository],
) -> None:
    once, many = stores
    alone, copied = Catalogue(once, FundingIndex(once)), Catalogue(many, FundingIndex(many))
    orgs = alone.organisations_index()
    assert {k: (v.labels, sorted(v.alt), v.type) for k, v in copied.organisations_index().items()} == {
        k: (v.labels, sorted(v.alt), v.type) for k, v in orgs.items()
    }
    assert copied.projects_index().keys() == alone.projects_index().keys()
    for project in alone.projects_index():
        assert copied.project_details(project) == alone.project_details(project)
    assert [(r.id, r.labels, r.extra) for r in copied.regions()] == [(r.id, r.labels, r.extra) for r in alone.regions()]
    assert copied.indicators() == alone.indicators()
    for org in list(orgs)[:10]:
        assert sorted(map(str, copied.roles_of(org))) == sorted(map(str, alone.roles_of(org)))
        assert sorted(map(str, copied.partners_of(org, "fr"))) == sorted(map(str, alone.partners_of(org, "fr")))


def _pattern_of(query: SavedQuery, variables: str) -> str:
    """The saved query's WHERE clause as a query of its own: every solution, before any grouping."""
    text = query.text
    prologue = "\n".join(line for line in text.splitlines() if line.startswith("PREFIX"))
    where = text[text.index("\nWHERE {") : text.index("\n}\nGROUP BY") + 2]
    return f"{prologue}\nSELECT {variables}{where}"


def test_the_partners_query_never_repeats_a_row(stores: tuple[EmbeddedRepository, EmbeddedRepository]) -> None:
    """Under its grouping, partners-of-organisation finds each relation once however many documents state
    it: its co-participant branch, joined over the union of the graphs, once found it (k + 1)² times."""
    once, many = stores
    query = saved_query("partners-of-organisation")
    pattern = _pattern_of(query, "?organisation ?partner ?how ?via ?project ?other ?role ?name ?lang")
    organisations = Catalogue(once, FundingIndex(once)).organisations_index()
    with_partners = 0
    for org in organisations:
        bindings = query.bindings({"organisation": org, "lang": "fr"})
        alone = Counter(tuple(map(str, row)) for row in once.query(pattern, bindings=bindings).solutions)
        copied = Counter(tuple(map(str, row)) for row in many.query(pattern, bindings=bindings).solutions)
        assert copied == alone, org
        assert all(n == 1 for n in copied.values()), org
        with_partners += bool(copied)
    assert with_partners >= 5


def _answer(repo: EmbeddedRepository, query: SavedQuery, values: dict[str, str]) -> list[tuple[str, ...]]:
    """The rows, each value as text; a concatenation's parts sorted (GROUP_CONCAT has no order)."""
    result = query.run(repo, values)
    return sorted(
        tuple(", ".join(sorted(str(getattr(v, "value", v)).split(", "))) for v in row) for row in result.solutions
    )


@pytest.mark.parametrize("name", sorted(set(saved_queries()) - {"documents", "evidence-of-fact"}))
def test_each_saved_query_answers_the_same_at_any_number_of_copies(
    stores: tuple[EmbeddedRepository, EmbeddedRepository], name: str
) -> None:
    """The same facts in 51 documents give the same answer (sums included) as in one. (documents and
    evidence-of-fact list each document and each quote: their answers grow with the copies.)"""
    once, many = stores
    query = saved_query(name)
    values = {p.name: str(p.example).replace(EXAMPLE_BASE, BASE) for p in query.params if p.example is not None}
    alone = _answer(once, query, values)
    assert alone, f"{name} finds nothing on the corpus with its examples {values}"
    assert _answer(many, query, values) == alone
