"""Bulk load through the repository interface vs raw pyoxigraph ``Store.bulk_load`` (target ≥ 0.8×).

Usage: python bench/bulk_load.py [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from _common import synthetic_file, timed
from coopkg.store import EmbeddedRepository


def raw(path: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(folder)
        store.bulk_load(path=str(path), format=RdfFormat.N_QUADS)
        store.flush()
        del store


def through_interface(path: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = EmbeddedRepository(Path(folder))
        repo.load_file(path, None, fmt=RdfFormat.N_QUADS)
        repo.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'triples':>10} {'raw s':>8} {'interface s':>12} {'raw t/s':>10} {'iface t/s':>10} {'ratio':>6}")
    for size in args.sizes:
        path = synthetic_file(size)
        count = sum(1 for _ in path.open("rb"))
        # Interleaved runs, so that caches and CPU frequency treat both alike.
        raw_times, iface_times = [], []
        for _ in range(args.repeat):
            raw_times.append(timed(lambda path=path: raw(path), 1)[0])
            iface_times.append(timed(lambda path=path: through_interface(path), 1)[0])
        raw_time, iface_time = statistics.median(raw_times), statistics.median(iface_times)
        print(
            f"{count:>10,} {raw_time:>8.2f} {iface_time:>12.2f} {count / raw_time:>10,.0f} "
            f"{count / iface_time:>10,.0f} {raw_time / iface_time:>6.2f}"
        )


if __name__ == "__main__":
    main()
