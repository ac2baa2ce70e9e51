"""Validating one document's graph into a small and a large store (target: time ratio ≤ 1.5).

The document's graph is validated with the reference data it points to, fetched from the
store; the rest of the store is not read, so the cost should not grow with the store.
Both stores stay open and the runs alternate, so drift in the machine affects both alike.
Usage: python bench/validation_scaling.py [--small 1000] [--large 1000000] [--repeat 9]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from pyoxigraph import RdfFormat

from _common import BASE, synthetic_file
from coopkg.extract.pipeline import Extractor
from coopkg.iris import IriMinter
from coopkg.reference import install
from coopkg.store import EmbeddedRepository
from coopkg.validate import document_context, validate_document

ROOT = Path(__file__).resolve().parents[1]


def open_store(folder: Path, size: int, minter: IriMinter) -> EmbeddedRepository:
    repo = EmbeddedRepository(folder)
    install(repo, minter)
    repo.load_file(synthetic_file(size), None, fmt=RdfFormat.N_QUADS)
    return repo


def validate_once(repo: EmbeddedRepository, minter: IriMinter, triples: list) -> float:
    started = time.perf_counter()
    report = validate_document(triples, document_context(repo, minter, triples))
    elapsed = time.perf_counter() - started
    assert report.conforms, report.text()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    minter = IriMinter(BASE)
    document = ROOT / "data" / "corpus" / "003_a05c1a58a0ce2546.txt"
    triples = Extractor.from_reference(minter).extract_path(document).to_triples(minter)
    print(f"document graph: {len(triples)} triples ({document.name})")
    with tempfile.TemporaryDirectory() as folder:
        small = open_store(Path(folder) / "small", args.small, minter)
        large = open_store(Path(folder) / "large", args.large, minter)
        validate_once(small, minter, triples)  # warm-up: shapes and ontology are parsed once per process
        times: dict[str, list[float]] = {"small": [], "large": []}
        for _ in range(args.repeat):
            times["small"].append(validate_once(small, minter, triples))
            times["large"].append(validate_once(large, minter, triples))
        for name, repo in (("small", small), ("large", large)):
            print(
                f"store of {len(repo):>10,} triples: {statistics.median(times[name]) * 1000:8.1f} ms per validation (median)"
            )
        print(f"ratio large/small: {statistics.median(times['large']) / statistics.median(times['small']):.2f}")
        small.close()
        large.close()


if __name__ == "__main__":
    main()
