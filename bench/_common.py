"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import resource
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from coopkg.iris import IriMinter
from coopkg.synth import write_synthetic

BASE = "http://127.0.0.1:8000/"
OUT = Path(__file__).parent / "out"


def synthetic_file(triples: int) -> Path:
    """A cached synthetic N-Quads file of about ``triples`` triples (~105 per project)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"synthetic-{triples}.nq"
    if not path.exists():
        write_synthetic(path, IriMinter(BASE), projects=max(1, triples // 105), seed=11)
    return path


def timed(fn: Callable[[], object], repeat: int = 3) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank), in the values' unit."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Terminate the servers a benchmark started, last first; kill what does not stop in 30 s."""
    for process in reversed(processes):
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
