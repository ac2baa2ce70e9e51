"""Extraction speed on ~3 KB articles, one process (= one core), models loaded once; peak memory.

Usage: python bench/extraction_speed.py [--documents 500]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from _common import BASE, peak_rss_mb
from coopkg.extract.pipeline import Extractor
from coopkg.extract.reader import read_path
from coopkg.iris import IriMinter

ROOT = Path(__file__).resolve().parents[1]


def articles() -> list[tuple[str, str]]:
    """The corpus and the test documents, cut or joined to about 3 KB each."""
    texts = []
    for folder in (ROOT / "data" / "corpus", ROOT / "tests" / "docs"):
        for path in sorted(folder.glob("*.txt")):
            text = read_path(path, 10_000_000).text
            texts.append((path.name, text[:3000] if len(text) > 3000 else text))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=500)
    args = parser.parse_args()
    started = time.perf_counter()
    extractor = Extractor.from_reference(IriMinter(BASE))
    load = time.perf_counter() - started
    samples = articles()
    size = sum(len(t.encode()) for _, t in samples) / len(samples)
    for name, text in samples:  # warm-up
        extractor.extract_text(text, source=name, doc_id="warm")
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(args.documents):
        name, text = samples[i % len(samples)]
        extractor.extract_text(text, source=name, doc_id=f"d{i}")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"gazetteer load: {load:.2f} s; {len(samples)} distinct articles, mean {size / 1000:.1f} KB")
    print(f"{args.documents} documents in {elapsed:.2f} s: {args.documents / elapsed:.1f} documents/s on one core")
    # CPU time: what the machine's other jobs move least (the wall clock counts their time slices too).
    print(f"CPU per document: {cpu / args.documents * 1000:.1f} ms ({args.documents / cpu:.1f} documents/s of CPU)")
    print(f"peak memory: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
