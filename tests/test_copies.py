"""The same facts stated in many documents (k = 50 copies of each corpus article): one row each, many sources."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from coopkg.catalogue import Catalogue
from coopkg.extract.pipeline import Extractor
from coopkg.funding_index import FundingIndex, FundingQuery
from coopkg.ingest import Ingestor, document_files
from coopkg.iris import IriMinter
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
