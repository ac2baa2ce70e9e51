"""The same facts stated in k documents: the funding view and the core's reads must stay linear.

`python bench/k_copies.py --copies 50` ingests the corpus, writes k copies of every document
graph (coopkg.synth.copies_of_documents: same facts, new documents and evidence), then times,
each on the store as the service reads it: building the funding view, the organisation and
project indexes, and the reads behind every JSON endpoint.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from coopkg.catalogue import Catalogue
from coopkg.extract.pipeline import Extractor
from coopkg.funding_index import FundingIndex, FundingQuery
from coopkg.ingest import Ingestor, document_files
from coopkg.iris import IriMinter
from coopkg.store import EmbeddedRepository
from coopkg.synth import copies_of_documents

BASE = "http://127.0.0.1:8000/"
CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def build(path: Path, copies: int) -> EmbeddedRepository:
    repo = EmbeddedRepository(path)
    minter = IriMinter(BASE)
    ingestor = Ingestor(repo, minter, Extractor.from_reference(minter))
    ingestor.ensure_ready()
    for outcome in ingestor.ingest(document_files([CORPUS])):
        assert outcome.status == "written", outcome
    copies_of_documents(repo, minter, copies, path.parent / "copies.nq")
    return repo


def clock(name: str, work) -> object:
    started = time.perf_counter()
    result = work()
    print(f"{name:40} {time.perf_counter() - started:8.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = clock(
            f"store with {args.copies} copies of each article", lambda: build(Path(tmp) / "store", args.copies)
        )
        print(f"{'':40} {len(repo.named_graphs())} graphs, {len(repo):,} quads")
        fundings = clock("funding view (FundingIndex)", lambda: FundingIndex(repo))
        catalogue = Catalogue(repo, fundings)
        orgs = clock("organisation index", catalogue.organisations_index)
        projects = clock("project index", catalogue.projects_index)
        total, page = fundings.search(FundingQuery(limit=20))
        print(f"{'':40} {total} fundings, {len(orgs)} organisations, {len(projects)} projects")
        clock("sources of a page of fundings", lambda: catalogue.sources_of([f.id for f in page]))
        org = next(iter(orgs))
        clock("roles of an organisation", lambda: catalogue.roles_of(org))
        clock("partners of an organisation", lambda: catalogue.partners_of(org, "fr"))
        clock("labels of an entity", lambda: catalogue.labels_of(org))
        project = next(iter(projects))
        clock("details of a project", lambda: catalogue.project_details(project))
        clock("regions", catalogue.regions)
        clock("indicators", catalogue.indicators)
        clock("totals by funder", fundings.totals_by_funder)
        repo.close()


if __name__ == "__main__":
    main()
