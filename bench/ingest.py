"""`coopkg ingest` of corpus-like articles into an empty embedded store (target ≥ 50 documents/s, flat memory).

For each count, writes that many articles of about 3 KB (bench/articles.py: paragraphs of the
seed articles, all different), runs the real `coopkg ingest` on them into a new store, with
validation on, and samples every 0.2 s the resident memory of the command and of each of its
worker processes. Prints documents per second (from the command's own summary and from the
wall clock, start-up included), and the peak memory of the writer and of the largest worker.
Usage: python bench/ingest.py [--counts 1000 10000] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import OUT
from articles import write_articles


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def run(count: int, workers: int | None) -> dict[str, float]:
    articles = write_articles(count, OUT / f"articles-{count}")
    coopkg = str(Path(sys.executable).parent / "coopkg")
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COOPKG_")}
        env.update(COOPKG_STORE=str(Path(folder) / "store"), COOPKG_BASE_IRI="http://127.0.0.1:8000/", COLUMNS="160")
        command = [coopkg, "ingest", str(articles[0].parent), "--progress-every", "60"]
        if workers is not None:
            command += ["--workers", str(workers)]
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        writer_peak = worker_peak = total_peak = 0
        while process.poll() is None:
            writer = _rss_kb(process.pid)
            workers_rss = [_rss_kb(c) for c in _children(process.pid)]
            writer_peak = max(writer_peak, writer)
            worker_peak = max([worker_peak, *workers_rss])
            total_peak = max(total_peak, writer + sum(workers_rss))
            time.sleep(0.2)
        stdout, stderr = process.communicate()
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command and its workers, once reaped
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if process.returncode != 0:
        raise RuntimeError(f"coopkg ingest failed ({process.returncode}): {stderr[-2000:]}")
    summary = re.search(r"([\d,]+) of ([\d,]+) documents written .* in ([\d.]+) s: ([\d.]+) documents/s", stdout)
    if summary is None:
        raise RuntimeError(f"no summary in the output:\n{stdout[-2000:]}")
    written, total, _inside, rate = summary.groups()
    return {
        "documents": int(total.replace(",", "")),
        "written": int(written.replace(",", "")),
        "rate": float(rate),
        "wall": elapsed,
        "wall_rate": count / elapsed,
        "writer_mb": writer_peak / 1024,
        "worker_mb": worker_peak / 1024,
        "total_mb": total_peak / 1024,
        "cpu_ms": cpu / count * 1000,
    }


def _extract(path: Path) -> int:
    global _extractor
    if _extractor is None:
        from coopkg.extract.pipeline import Extractor
        from coopkg.iris import IriMinter

        _extractor = Extractor.from_reference(IriMinter("http://127.0.0.1:8000/"))
    return len(_extractor.extract_path(path).organisations)


_extractor = None


def extraction_only(count: int, workers: int) -> float:
    """Documents per second of the extraction alone, in ``workers`` processes, on the same articles."""
    import multiprocessing

    articles = write_articles(count, OUT / f"articles-{count}")
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.map(_extract, articles[: 2 * workers])  # start-up and models loaded: not timed
        started = time.perf_counter()
        pool.map(_extract, articles, chunksize=8)
        return count / (time.perf_counter() - started)


def costs(count: int) -> None:
    """CPU time per document of each step, in one process (what sets the rate on idle cores)."""
    import gc

    from pyoxigraph import NamedNode, RdfFormat, Store, Triple, serialize

    from coopkg.extract.pipeline import Extractor
    from coopkg.extract.reader import read_path
    from coopkg.iris import IriMinter
    from coopkg.reference import install
    from coopkg.store import EmbeddedRepository
    from coopkg.validate import ReferenceIndex, document_context, validate_document

    minter = IriMinter("http://127.0.0.1:8000/")
    extractor = Extractor.from_reference(minter)
    repo = EmbeddedRepository(None)
    install(repo, minter)
    context_source = ReferenceIndex(minter.reference_graph, repo.graph_triples(minter.reference_graph))
    # Once per process, not per document: the language files, their patterns, the validator's shapes.
    for path in write_articles(6, OUT / "articles-warm-up", seed=12):
        warm = extractor.extract_text(read_path(path, 10_000_000).text, source=path.name, doc_id=path.stem)
        validate_document(warm.to_triples(minter), document_context(context_source, minter, warm.to_triples(minter)))
    gc.freeze()
    steps = {"extraction": 0.0, "graph (to_triples)": 0.0, "context": 0.0, "validation": 0.0, "N-Triples": 0.0}
    graphs = []
    paths = write_articles(count, OUT / f"articles-{count}")
    for path in paths:
        clock = time.process_time()
        extraction = extractor.extract_text(read_path(path, 10_000_000).text, source=path.name, doc_id=path.stem)
        steps["extraction"] -= clock - (clock := time.process_time())
        # As coopkg.ingest.prepare does: the graph's terms (to_triples before they existed) are validated,
        # then made triples for the engine to write.
        terms = extraction.to_terms(minter) if hasattr(extraction, "to_terms") else extraction.to_triples(minter)
        steps["graph (to_triples)"] -= clock - (clock := time.process_time())
        context = document_context(context_source, minter, terms)
        steps["context"] -= clock - (clock := time.process_time())
        validate_document(terms, context)
        steps["validation"] -= clock - (clock := time.process_time())
        triples = [t if isinstance(t, Triple) else Triple(*t) for t in terms]
        graphs.append((minter.document_graph(path.stem), serialize(triples, format=RdfFormat.N_TRIPLES)))
        steps["N-Triples"] -= clock - (clock := time.process_time())
    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedRepository(Path(folder) / "store")
        clock = time.process_time()
        for start in range(0, len(graphs), 256):
            store.replace_graphs(graphs[start : start + 256])
        steps["write (batches of 256)"] = time.process_time() - clock
        store.close()
    total = sum(steps.values())
    print(f"CPU per document, {count} articles, one process:")
    for name, seconds in steps.items():
        print(f"  {name:24s} {seconds / count * 1000:6.1f} ms")
    print(f"  {'all':24s} {total / count * 1000:6.1f} ms: {2 / (total / count):.0f} documents/s on 2 idle cores")
    del Store, NamedNode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--extraction-only", action="store_true", help="Also time the extraction alone.")
    parser.add_argument("--costs", type=int, default=0, help="Only: CPU per document of each step, on N articles.")
    args = parser.parse_args()
    if args.costs:
        costs(args.costs)
        return
    print(f"{'documents':>9} {'written':>8} {'docs/s':>7} {'wall s':>7} {'docs/s (wall)':>13} "
          f"{'writer MB':>9} {'worker MB':>9} {'total MB':>8} {'CPU ms/doc':>10}")  # fmt: skip
    for count in args.counts:
        r = run(count, args.workers)
        print(f"{r['documents']:>9,} {r['written']:>8,} {r['rate']:>7.1f} {r['wall']:>7.1f} {r['wall_rate']:>13.1f} "
              f"{r['writer_mb']:>9.0f} {r['worker_mb']:>9.0f} {r['total_mb']:>8.0f} {r['cpu_ms']:>10.1f}")  # fmt: skip
        if args.extraction_only:
            workers = args.workers or len(os.sched_getaffinity(0))
            rate = extraction_only(count, workers)
            print(f"{'':>9} extraction alone, same articles, {workers} processes: {rate:.1f} documents/s")


if __name__ == "__main__":
    main()
