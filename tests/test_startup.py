"""A worker's start: what importing the app costs, and that what it leaves out still works when used."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from coopkg.errors import ForbiddenQueryError, QuerySyntaxError
from coopkg.query_guard import refuse_outbound, update_operations
from tests.conftest import CoopkgServer, forkservers, within

ROOT = Path(__file__).resolve().parents[1]
# Only document writes, graph writes, SPARQL queries (their parse) and the remote backend need these.
LEFT_OUT = ["pyshacl", "rdflib", "pyparsing", "httpx", "coopkg.validate", "coopkg.ingest", "coopkg.extract.pipeline",
            "coopkg.store.remote", "typer", "rich"]  # fmt: skip


def _imported_by(code: str) -> set[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_app_and_the_worker_start_import_none_of_the_optional_libraries() -> None:
    modules = _imported_by("import coopkg.api.app, coopkg.supervisor, coopkg.api.transport")
    assert "fastapi" in modules and "coopkg.service" in modules  # the probe imported the app
    assert sorted(set(LEFT_OUT) & modules) == []


def test_what_is_left_out_comes_when_used() -> None:
    modules = _imported_by(
        "from coopkg.query_guard import refuse_outbound\n"
        "from coopkg import lookups\n"
        "refuse_outbound('SELECT * WHERE { ?s ?p ?o }', 'query')\n"
        "assert 'rdflib' not in sys.modules\n"  # no keyword that needs the parser
        "assert lookups.plan('SELECT ?o WHERE { <http://x/a> <http://x/b> ?o }') is not None\n"
    )
    assert "rdflib.plugins.sparql.parser" in modules


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "query"),
        ("LOAD <http://x/data>", "update"),
        ("SELECT * WHERE { ?s ?p ?o } # service\n SERVICE", "query"),
    ],
)
def test_the_guard_parses_and_refuses_when_the_keyword_is_there(text: str, kind: str) -> None:
    with pytest.raises(ForbiddenQueryError):
        refuse_outbound(text, kind)  # type: ignore[arg-type]


def test_an_unreadable_update_is_a_syntax_error_with_the_parsers_message() -> None:
    with pytest.raises(QuerySyntaxError, match=r"malformed SPARQL update: Expected"):
        update_operations("INSERT DATA { <http://x/a> <http://x/b> ")
    assert [op.name for op in update_operations("CLEAR GRAPH <http://x/g> ; DROP SILENT ALL")] == ["Clear", "Drop"]


# -- `coopkg serve`: workers forked from a forkserver ----------------------------------------------------

PRELOADED = Path("/usr/lib/x86_64-linux-gnu/libformw.so.6")  # any library no worker loads on its own


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoopkgServer]:
    extra = {"COOPKG_ALLOCATOR": str(PRELOADED)} if PRELOADED.is_file() else {}
    running = CoopkgServer(tmp_path_factory.mktemp("startup"), corpus=False, **extra)
    assert within(60, lambda: len(running.workers()) == 2)
    yield running
    running.stop()


def _status(pid: int, field: str) -> str:
    line = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith(field + ":"))
    return line.split()[1]


def test_the_workers_are_forked_from_one_sandboxed_single_threaded_forkserver(served: CoopkgServer) -> None:
    (server,) = forkservers(served.process.pid)
    assert _status(server, "Threads") == "1"
    workers = served.workers()
    assert len(workers) == 2 and all(_status(pid, "PPid") == str(server) for pid in workers)
    # The supervisor installed its filter before the forkserver started: it and its workers are shut out.
    assert {_status(pid, "Seccomp") for pid in [served.process.pid, server, *workers]} == {"2"}


@pytest.mark.skipif(not PRELOADED.is_file(), reason=f"no {PRELOADED} to preload")
def test_the_allocator_set_by_serve_is_preloaded_in_the_forkserver_and_the_workers(served: CoopkgServer) -> None:
    """`coopkg serve` sets LD_PRELOAD before the first worker starts: the forkserver is exec'd with it."""
    (server,) = forkservers(served.process.pid)
    for pid in [server, *served.workers()]:
        assert str(PRELOADED.name) in Path(f"/proc/{pid}/maps").read_text(), pid


def test_a_killed_worker_is_replaced_and_answers(served: CoopkgServer) -> None:
    victim = min(served.workers())
    os.kill(victim, signal.SIGKILL)
    assert within(5, lambda: victim not in served.workers() and len(served.workers()) == 2), served.workers()
    answered: set[int] = set()

    def both_answered() -> bool:
        with socket.create_connection(("127.0.0.1", int(served.url.rsplit(":", 1)[1])), timeout=10) as stream:
            stream.sendall(b"GET /api/fundings?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n")
            reply = stream.recv(100)  # the connection stays open: the worker that answered holds it
            pid = _holder(stream.getsockname()[1], served.workers())
        if reply.startswith(b"HTTP/1.1 200") and pid is not None:
            answered.add(pid)
        return answered == served.workers()

    assert within(30, both_answered), (answered, served.workers())


def _holder(client_port: int, pids: set[int]) -> int | None:
    """The worker whose socket is the server side of the connection from ``client_port`` (by inode)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[2].endswith(f":{client_port:04X}"):
            target = f"socket:[{fields[9]}]"
            for pid in pids:
                for fd in Path(f"/proc/{pid}/fd").iterdir():
                    with contextlib.suppress(OSError):
                        if str(fd.readlink()) == target:
                            return pid
    return None
