"""Validating one document's graph into a small and a large store (targets: p50 ≤ 10 ms, ratio ≤ 1.5).

The document's graph is validated with the reference data it points to, fetched from the
store (that fetch is timed too); the rest of the store is not read, so the cost should not
grow with the store. Both stores stay open and the runs alternate, so drift in the machine
affects both alike. The fast validator is what runs; pyshacl, the reference, is timed on the
same document for comparison.
Usage: python bench/validation_scaling.py [--small 1000] [--large 1000000] [--repeat 101]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from pyoxigraph import RdfFormat, Triple

from _common import BASE, synthetic_file
from coopkg.extract.pipeline import Extractor
from coopkg.iris import IriMinter
from coopkg.reference import install
from coopkg.store import EmbeddedRepository
from coopkg.validate import (
    Describes,
    FallbackCount,
    ReferenceIndex,
    document_context,
    reference_validate_document,
    validate_document,
)

ROOT = Path(__file__).resolve().parents[1]


def open_store(folder: Path, size: int, minter: IriMinter) -> EmbeddedRepository:
    repo = EmbeddedRepository(folder)
    install(repo, minter)
    repo.load_file(synthetic_file(size), None, fmt=RdfFormat.N_QUADS)
    return repo


CPU: dict[str, list[float]] = {"small": [], "large": [], "small, in memory": [], "large, in memory": []}


def validate_once(repo: Describes, minter: IriMinter, triples: list, name: str = "") -> float:
    started, cpu = time.perf_counter(), time.thread_time()
    report = validate_document(triples, document_context(repo, minter, triples))
    elapsed = time.perf_counter() - started
    if name:
        CPU[name].append(time.thread_time() - cpu)
    assert report.conforms, report.text()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=101)
    args = parser.parse_args()
    minter = IriMinter(BASE)
    document = ROOT / "data" / "corpus" / "003_a05c1a58a0ce2546.txt"
    # As ingest and POST validate it: (subject, predicate, object) tuples.
    triples = Extractor.from_reference(minter).extract_path(document).to_terms(minter)
    print(f"document graph: {len(triples)} triples ({document.name})")
    with tempfile.TemporaryDirectory() as folder:
        small = open_store(Path(folder) / "small", args.small, minter)
        large = open_store(Path(folder) / "large", args.large, minter)
        validate_once(small, minter, triples)  # warm-up: shapes and ontology are parsed once per process
        times: dict[str, list[float]] = {"small": [], "large": []}
        for _ in range(args.repeat):
            times["small"].append(validate_once(small, minter, triples, "small"))
            times["large"].append(validate_once(large, minter, triples, "large"))
        for name, repo in (("small", small), ("large", large)):
            ordered = sorted(times[name])
            p90 = ordered[int(0.9 * len(ordered))]
            print(
                f"store of {len(repo):>10,} triples: p50 {statistics.median(ordered) * 1000:6.1f} ms, "
                f"p90 {p90 * 1000:6.1f} ms per validation (context fetch included); "
                f"CPU p50 {statistics.median(CPU[name]) * 1000:.1f} ms"
            )
        print(f"ratio large/small (p50): {statistics.median(times['large']) / statistics.median(times['small']):.2f}")
        # As POST /api/documents and ingest validate: the store's reference data held in memory (read once).
        held = {
            name: ReferenceIndex(minter.reference_graph, repo.graph_triples(minter.reference_graph))
            for name, repo in (("small", small), ("large", large))
        }
        memory: dict[str, list[float]] = {"small": [], "large": []}
        for _ in range(args.repeat):
            for name in ("small", "large"):
                memory[name].append(validate_once(held[name], minter, triples, f"{name}, in memory"))
        for name in ("small", "large"):
            print(
                f"the same, the {name} store's reference data in memory (as POST and ingest): p50 "
                f"{statistics.median(memory[name]) * 1000:6.1f} ms; CPU p50 "
                f"{statistics.median(CPU[name + ', in memory']) * 1000:.1f} ms"
            )
        context = document_context(small, minter, triples)
        reference = []
        for _ in range(5):
            started = time.perf_counter()
            reference_validate_document([Triple(*t) for t in triples], context)
            reference.append(time.perf_counter() - started)
        print(f"pyshacl (the reference) on the same document: median {statistics.median(reference) * 1000:.0f} ms")
        print(f"validations handed to pyshacl by the fast validator: {FallbackCount.count}")
        small.close()
        large.close()


if __name__ == "__main__":
    main()
