"""A crash in the middle of a replacement leaves the old graph or the new one, never a mix."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from coopkg.store import EmbeddedRepository

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from pyoxigraph import Literal, NamedNode, Triple
    from coopkg.store import EmbeddedRepository

    repo = EmbeddedRepository(Path(sys.argv[1]))
    graph = NamedNode("http://example.org/graph")
    versions = [
        [Triple(NamedNode(f"http://example.org/{tag}/{i}"), NamedNode("http://example.org/p"), Literal(str(i)))
         for i in range(20000)]
        for tag in ("a", "b")
    ]
    print("ready", flush=True)
    round_ = 0
    while True:
        repo.replace_graph(graph, versions[round_ % 2])
        round_ += 1
    """
)


@pytest.mark.parametrize("delay", [0.4, 0.9, 1.7])
def test_killed_writer_leaves_one_whole_version(tmp_path: Path, delay: float) -> None:
    store = tmp_path / "store"
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(store)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    time.sleep(delay)
    process.kill()  # SIGKILL: no cleanup, no flush
    process.wait()
    repo = EmbeddedRepository(store)
    triples = repo.graph_triples(NamedNode("http://example.org/graph"))
    repo.close()
    tags = {t.subject.value.split("/")[3] for t in triples}
    assert len(triples) in (0, 20000)  # 0 only if killed before the first commit
    assert len(tags) <= 1, f"a mix of versions: {tags}"
