"""Ingest at scale: worker processes prepare, one writer writes batches; each document wholly in or out."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse, serialize
from rich.console import Console

from coopkg.corpus import CorpusIngest, Settings, preparer, reference_settings
from coopkg.ingest import Prepared
from coopkg.iris import IriMinter
from coopkg.progress import ProgressDisplay
from coopkg.reference import install
from coopkg.store import EmbeddedRepository
from coopkg.store.snapshots import Change, Generations, WriteSession
from coopkg.terms import RDF
from tests.conftest import Endpoint

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "data" / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "docs").glob("*.txt"))
EU = "id/organisation/eu"


def corpus(folder: Path, copies: int = 2) -> list[Path]:
    """The seed articles under several names, and three files no one can read."""
    folder.mkdir(parents=True, exist_ok=True)
    for copy in range(copies):
        for seed in SEEDS:
            shutil.copy(seed, folder / f"c{copy}-{seed.name}")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01PK\x03\x04" * 50)
    (folder / "german.txt").write_text("Das Projekt wird von der Europäischen Union finanziert und ist wichtig.")
    return sorted(folder.glob("*.txt"))


def without_eu_type(settings: Settings, minter: IriMinter) -> Settings:
    """The reference data with the EU untyped: documents funded by the EU no longer conform."""
    eu = NamedNode(minter.base + EU)
    kept = [q.triple for q in parse(settings.reference, format=RdfFormat.N_TRIPLES)]
    kept = [t for t in kept if not (t.subject == eu and t.predicate == RDF.type)]
    return Settings(settings.base_iri, settings.max_bytes, serialize(kept, format=RdfFormat.N_TRIPLES))


@pytest.fixture
def store(tmp_path: Path, minter: IriMinter) -> EmbeddedRepository:
    repo = EmbeddedRepository(tmp_path / "store")
    install(repo, minter)
    return repo


def expected_graphs(files: list[Path], settings: Settings) -> dict[str, Prepared]:
    prepare = preparer(settings)
    return {p.name: prepare(p) for p in files}


def test_workers_prepare_and_batches_are_written(tmp_path: Path, store: EmbeddedRepository, minter: IriMinter) -> None:
    workers = 2  # the in-process path (one worker) is the one the other tests take
    files = corpus(tmp_path / "docs")
    settings = without_eu_type(reference_settings(store, minter, 200_000), minter)
    expected = expected_graphs(files, settings)
    seen: list[tuple[str, str]] = []
    runner = CorpusIngest(
        WriteSession(store), minter, settings, workers=workers, batch_size=5, batch_seconds=600,
        on_done=lambda prepared, status: seen.append((prepared.source, status)),
    )  # fmt: skip
    summary = runner.run(files)

    statuses = {name: p.status for name, p in expected.items()}
    ready = [name for name, status in statuses.items() if status == "ready"]
    assert sorted(seen) == sorted((name, "written" if s == "ready" else s) for name, s in statuses.items())
    assert summary.written == len(ready) and summary.written + summary.rejected + summary.failed == len(files)
    assert summary.rejected > 0 and summary.failed == 3
    assert summary.batches == -(-len(ready) // 5)
    # Every written graph is exactly the one prepared in process; the others are not there.
    for name, prepared in expected.items():
        graph = minter.document_graph(Path(name).stem)
        stored = sorted(map(str, store.graph_triples(graph)))
        if prepared.status == "ready":
            assert stored == sorted(map(str, (q.triple for q in parse(prepared.ntriples, format=RdfFormat.N_TRIPLES))))
        else:
            assert stored == []
    reasons = {reason: count for (status, reason), count in summary.reason_counts.items() if status == "rejected"}
    assert reasons == Counter(p.reason for p in expected.values() if p.status == "rejected")
    assert reasons["a funding has exactly one funder, a coopkg:Organisation"] >= 2  # the EU's fundings
    assert {r for (status, r) in summary.reason_counts if status == "failed"} == {
        "the document is empty",
        "binary content (NUL bytes); expected UTF-8 text or HTML",
        next(p.reason for p in expected.values() if p.source == "german.txt"),
    }


def test_a_later_file_with_the_same_id_wins(tmp_path: Path, store: EmbeddedRepository, minter: IriMinter) -> None:
    one, two = tmp_path / "a", tmp_path / "b"
    for folder, seed in ((one, SEEDS[0]), (two, SEEDS[1])):
        folder.mkdir()
        shutil.copy(seed, folder / "same.txt")
    settings = reference_settings(store, minter, 200_000)
    summary = CorpusIngest(WriteSession(store), minter, settings, workers=1).run([one / "same.txt", two / "same.txt"])
    assert summary.written == 2
    text = next(str(t.object) for t in store.graph_triples(minter.document_graph("same")) if "text" in str(t.predicate))
    assert SEEDS[1].read_text()[:40] in text.replace("\\n", "\n")


def test_each_batch_is_a_published_generation(tmp_path: Path, minter: IriMinter) -> None:
    path = tmp_path / "store"
    with EmbeddedRepository(path) as repo:
        install(repo, minter)
    generations = Generations(path)
    generations.publish_if_stale()
    before = generations.latest()
    files = [p for p in corpus(tmp_path / "docs", copies=1) if p.name.startswith("c0-")][:9]
    with generations.session() as session:
        settings = reference_settings(session.repo, minter, 200_000)
        summary = CorpusIngest(session, minter, settings, workers=1, batch_size=4, batch_seconds=600).run(files)
    assert summary.written == 9 and summary.batches == 3
    assert generations.latest() == before + 3
    change = generations.changes(before, before + 3)
    assert sorted(change.written) == sorted(minter.document_graph(p.stem).value for p in files)
    snapshot = generations.open_latest()
    assert len([g for g in snapshot.store.named_graphs() if "/graph/document/" in g.value]) == summary.written
    generations.release()


def coopkg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coopkg.cli", *args], env=env, capture_output=True, text=True, timeout=600
    )


def test_the_cli_shows_progress_and_a_summary_with_reasons(cli_env: dict[str, str], tmp_path: Path) -> None:
    files = corpus(tmp_path / "docs")
    report = tmp_path / "report.jsonl"
    done = coopkg(cli_env, "ingest", str(tmp_path / "docs"), "--workers", "2", "--progress-every", "0",
                  "--report", str(report))  # fmt: skip
    assert done.returncode == 0, done.stderr
    # Not a terminal: progress lines with the rate and the time left.
    progress = [line for line in done.stderr.splitlines() if line.startswith("ingesting: ")]
    assert progress and all("documents/s" in line for line in progress)
    assert any("left" in line for line in progress)
    # Many documents: one line per reason, not one row per document.
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    assert sorted(line["source"] for line in lines) == sorted(p.name for p in files)
    status = Counter(line["status"] for line in lines)
    assert "the document is empty" in done.stdout and "empty.txt" in done.stdout
    assert not any(line["source"] in done.stdout for line in lines if line["status"] == "written")
    summary = f"{status['written']} of {len(files)} documents written ({status['rejected']} rejected, 3 failed)"
    assert summary in done.stdout


KILLER = """
import sys
from pathlib import Path
from coopkg.corpus import CorpusIngest, reference_settings
from coopkg.iris import IriMinter
from coopkg.progress import ProgressDisplay
from coopkg.store import EmbeddedRepository
from coopkg.store.snapshots import WriteSession

minter = IriMinter(sys.argv[2])
repo = EmbeddedRepository(Path(sys.argv[1]))
files = sorted(Path(sys.argv[3]).glob("*.txt")) * 20
settings = reference_settings(repo, minter, 200_000)
print("ready", flush=True)
done = lambda prepared, status: print(status, flush=True)
CorpusIngest(WriteSession(repo), minter, settings, workers=1, batch_size=3, batch_seconds=0, on_done=done).run(files)
"""


@pytest.mark.parametrize("delay", [0.0, 0.6])
def test_a_killed_ingest_leaves_each_document_whole_or_absent(delay: float, tmp_path: Path, minter: IriMinter) -> None:
    path = tmp_path / "store"
    with EmbeddedRepository(path) as repo:
        install(repo, minter)
        settings = reference_settings(repo, minter, 200_000)
    files = corpus(tmp_path / "docs", copies=1)
    prepared = expected_graphs(files, settings).values()
    expected = {minter.document_graph(p.doc_id).value: p.triples for p in prepared if p.status == "ready"}
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    writer = subprocess.Popen([sys.executable, "-c", KILLER, str(path), minter.base, str(tmp_path / "docs")],
                              stdout=subprocess.PIPE, text=True, env=env)  # fmt: skip
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    while writer.stdout.readline().strip() != "written":  # a first batch is in: kill during what follows
        pass
    time.sleep(delay)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    with EmbeddedRepository(path) as repo:
        counts = {s.graph: s.triples for s in repo.graph_stats() if "/graph/document/" in s.graph}
    assert counts
    assert {graph: expected[graph] for graph in counts} == counts


def test_the_progress_bar_shows_rate_and_time_left() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=140)
    with ProgressDisplay(console, 10, "ingesting", "documents") as progress:
        for _ in range(4):
            progress.advance()
            time.sleep(0.05)
        progress._bar.refresh()  # type: ignore[union-attr]  # what a terminal would show now
    shown = screen.getvalue()
    assert "ingesting" in shown and "4/10" in shown
    assert "documents/s" in shown and "eta" in shown
    assert progress.line().startswith("ingesting: 4/10 documents, ") and "left" in progress.line()


@pytest.mark.remote
def test_a_remote_store_gets_the_same_batches(endpoint: Endpoint, tmp_path: Path, minter: IriMinter) -> None:
    repo = endpoint.repository()
    install(repo, minter)
    files = [p for p in corpus(tmp_path / "docs", copies=1) if p.name.startswith("c0-0")]
    settings = reference_settings(repo, minter, 200_000)
    summary = CorpusIngest(WriteSession(repo), minter, settings, workers=1, batch_size=2, batch_seconds=600).run(files)
    assert summary.written == len(files) and summary.batches == -(-len(files) // 2)
    expected = expected_graphs(files, settings)
    for prepared in expected.values():
        stored = repo.graph_triples(minter.document_graph(prepared.doc_id or ""))
        assert len(stored) == prepared.triples
    repo.close()


class Recording(WriteSession):
    """A session that keeps the documents of each batch it commits."""

    def __init__(self, repo: EmbeddedRepository) -> None:
        super().__init__(repo)
        self.batches: list[list[str]] = []

    def commit(self, change: Change) -> None:
        self.batches.append(change.written)


def test_the_last_batches_shrink(tmp_path: Path, store: EmbeddedRepository, minter: IriMinter) -> None:
    # The last batch is written while the workers are idle: near the end each batch is written as
    # soon as it is as large as what is left, down to tail_batch documents.
    files = [p for p in corpus(tmp_path / "docs", copies=3) if p.name.startswith("c")]
    settings = reference_settings(store, minter, 200_000)
    session = Recording(store)
    summary = CorpusIngest(session, minter, settings, workers=1, batch_size=1000, batch_seconds=600,
                           tail_batch=4).run(files)  # fmt: skip
    sizes = [len(b) for b in session.batches]
    assert summary.written == sum(sizes) == len(files) and summary.batches == len(sizes)
    assert len(sizes) >= 3 and sizes == sorted(sizes, reverse=True)
    assert all(size >= 4 for size in sizes[:-1]) and sizes[0] >= len(files) // 2
    assert sorted(g for b in session.batches for g in b) == sorted(minter.document_graph(p.stem).value for p in files)
    for path in files:
        assert store.graph_triples(minter.document_graph(path.stem))
    # Below tail_batch documents left, one batch as before.
    session = Recording(store)
    CorpusIngest(session, minter, settings, workers=1, batch_size=1000, batch_seconds=600).run(files[:20])
    assert [len(b) for b in session.batches] == [20]
