"""Validating one document's graph into a small and a large store (target: time ratio ≤ 1.5).

The document's graph is validated with the reference data it points to, fetched from the
store; the rest of the store is not read, so the cost should not grow with the store.
Usage: python bench/validation_scaling.py [--small 1000] [--large 1000000]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from pyoxigraph import RdfFormat

from _common import BASE, synthetic_file, timed
from coopkg.extract.pipeline import Extractor
from coopkg.iris import IriMinter
from coopkg.reference import install
from coopkg.store import EmbeddedRepository
from coopkg.validate import document_context, validate_document

ROOT = Path(__file__).resolve().parents[1]


def measure(size: int, triples: list, minter: IriMinter, repeat: int) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as folder:
        repo = EmbeddedRepository(Path(folder))
        install(repo, minter)
        repo.load_file(synthetic_file(size), None, fmt=RdfFormat.N_QUADS)
        total = len(repo)

        def validate_one() -> None:
            report = validate_document(triples, document_context(repo, minter, triples))
            assert report.conforms, report.text()

        validate_one()  # warm caches (shapes and ontology parsed once per process)
        median, _ = timed(validate_one, repeat)
        repo.close()
        return total, median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    minter = IriMinter(BASE)
    document = ROOT / "data" / "corpus" / "003_a05c1a58a0ce2546.txt"
    triples = Extractor.from_reference(minter).extract_path(document).to_triples(minter)
    print(f"document graph: {len(triples)} triples ({document.name})")
    small_total, small = measure(args.small, triples, minter, args.repeat)
    large_total, large = measure(args.large, triples, minter, args.repeat)
    print(f"store of {small_total:>10,} triples: {small * 1000:8.1f} ms per validation")
    print(f"store of {large_total:>10,} triples: {large * 1000:8.1f} ms per validation")
    print(f"ratio large/small: {large / small:.2f}")


if __name__ == "__main__":
    main()
