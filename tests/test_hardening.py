"""No request can make the service reach out, stall, crash or answer 500 (a real `coopkg serve`)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from coopkg.errors import ForbiddenQueryError
from coopkg.query_guard import nesting_depth, refuse_outbound
from tests.conftest import WRITE_TOKEN, CoopkgServer, Listener
from tests.ssrf_corpus import corpus

AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
COOPKG = "https://w3id.org/coopkg/ontology#"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoopkgServer]:
    running = CoopkgServer(tmp_path_factory.mktemp("hardening"))
    yield running
    running.stop()


@pytest.fixture
def client(server: CoopkgServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def _send(client: httpx.Client, kind: str, text: str, how: int) -> httpx.Response:
    if kind == "update":
        if how % 2:
            return client.post(
                "/update", content=text.encode(), headers={**AUTH, "Content-Type": "application/sparql-update"}
            )
        return client.post("/update", data={"update": text}, headers=AUTH)
    if how % 3 == 0:
        return client.get("/sparql", params={"query": text})
    if how % 3 == 1:
        return client.post("/sparql", data={"query": text})
    return client.post("/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query"})


# -- request forgery ------------------------------------------------------------------------------


def test_the_corpus_reaches_out_from_a_bare_engine(listener: Listener) -> None:
    """Without the guard, Oxigraph connects for every variant marked so: the corpus holds real attacks."""
    variants = corpus(listener.port)
    assert len(variants) >= 50
    for variant in variants:
        store = Store()
        store.add(Quad(NamedNode("http://a"), NamedNode("http://b"), Literal("c")))
        before = listener.connections
        # The listener answers nothing: the engine reports a broken connection.
        with contextlib.suppress(OSError, SyntaxError, RuntimeError):
            store.update(variant.text) if variant.kind == "update" else list(store.query(variant.text))
        time.sleep(0.02)
        assert (listener.connections > before) is variant.reaches, variant.name
    assert sum(v.reaches for v in variants) >= 50


def test_the_guard_refuses_every_variant_that_reaches_out() -> None:
    for variant in corpus(9):
        if variant.reaches:
            with pytest.raises(ForbiddenQueryError):
                refuse_outbound(variant.text, variant.kind)  # type: ignore[arg-type]


def test_the_guard_lets_look_alikes_through() -> None:
    for text in [
        "SELECT * WHERE { <http://x/service> <http://x/load> 'SERVICE <http://y> { }' }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://y> { }",
        "SELECT ?service WHERE { ?service a <http://x/Service> }",
    ]:
        refuse_outbound(text, "query")
    refuse_outbound("INSERT DATA { <http://x/a> <http://x/b> 'download, then LOAD <http://y>' }", "update")


def test_no_request_reaches_out(client: httpx.Client, listener: Listener) -> None:
    """Every variant, by GET, form POST and direct POST (with the write token for updates): 400, no connection."""
    for how, variant in enumerate(corpus(listener.port)):
        response = _send(client, variant.kind, variant.text, how)
        assert response.status_code == 400, (variant.name, response.text)
        assert response.json()["code"] in {"forbidden_query", "query_syntax", "bad_input"}, variant.name
    time.sleep(0.2)
    assert listener.connections == 0


def test_workers_cannot_open_sockets(tmp_path: Path, listener: Listener) -> None:
    """With the guard switched off (COOPKG_ALLOW_SERVICE=true), the workers' seccomp filter still stops every variant."""
    server = CoopkgServer(tmp_path, COOPKG_ALLOW_SERVICE="true")
    try:
        deadline = time.monotonic() + 30  # the first worker to start answers; the other may still load
        while time.monotonic() < deadline and not (
            len(server.workers()) == 2 and all(map(_filtered, server.workers()))
        ):
            time.sleep(0.2)
        assert len(server.workers()) == 2 and all(map(_filtered, server.workers()))
        with httpx.Client(base_url=server.url, timeout=30) as http:
            for how, variant in enumerate(corpus(listener.port)):
                response = _send(http, variant.kind, variant.text, how)
                assert response.status_code < 500 or response.status_code == 503, (variant.name, response.text)
        time.sleep(0.2)
        assert listener.connections == 0
    finally:
        server.stop()


def _filtered(pid: int) -> bool:
    """Whether a seccomp filter is installed in the process."""
    try:
        return "\nSeccomp:\t2\n" in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


# -- sizes, nesting, limits ---------------------------------------------------------------------------


def test_nesting_is_counted_conservatively() -> None:
    assert nesting_depth("SELECT * WHERE { ?s a <http://x#T> . { ?a ?b ?c } }") == 2
    assert nesting_depth('SELECT * WHERE { FILTER(?o = "}}}}") { } }') == 2
    assert nesting_depth("SELECT * WHERE { #}}}}\r{ { } } }") == 3
    assert nesting_depth("{" * 5000 + "}" * 5000) == 5000


@pytest.mark.parametrize("depth", [5000, 12_000])  # 12,000: as deep as the test server's 200 KB bodies allow
def test_deep_nesting_is_400_and_no_worker_dies(client: httpx.Client, server: CoopkgServer, depth: int) -> None:
    workers = server.workers()
    cases = [
        ("query", "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth),
        ("query", "SELECT * WHERE { BIND(" + "(" * depth + "1" + ")" * depth + " AS ?x) }"),
        ("query", "SELECT * WHERE { ?s <http://p> " + "[ <http://p> " * depth + "?o" + " ]" * depth + " }"),
        ("update", "INSERT { ?s ?p ?o } WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth),
        ("update", "INSERT DATA { <http://a> <http://b> " + "(" * depth + "1" + ")" * depth + " }"),
    ]
    for kind, text in cases:
        response = _send(client, kind, text, 2 if kind == "query" else 1)  # bodies: too long for a URL
        assert response.status_code == 400, response.text
        assert "nested" in response.json()["message"]
    assert server.workers() == workers
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_long_chains_do_not_crash_a_worker(client: httpx.Client, server: CoopkgServer) -> None:
    """Flat but long: 15,000 terms overflow an 8 MB stack; here a deep-stack thread evaluates them.

    The engine takes about 17 s over them (quadratic), so the answer is the time limit's 503, and
    then the worker retires; a crash would drop the connection instead.
    """
    chain = "SELECT * WHERE { BIND(" + "+".join(["1"] * 15_000) + " AS ?x) }"
    response = client.post("/sparql", content=chain, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 503, response.text
    assert response.json()["code"] == "query_timeout"
    _settle(server)


def _settle(server: CoopkgServer) -> None:
    """Wait until two workers serve and none is about to retire (past the 3 s limit and 5 s lifetime)."""
    time.sleep(4)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(server.workers()) != 2:
        time.sleep(0.2)
    assert len(server.workers()) == 2


def test_query_length_is_limited(client: httpx.Client) -> None:
    text = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_100_000
    response = client.post("/sparql", content=text, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413  # the body limit of the test server (200 KB) comes first


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "-1", "0", "abc", "1e400"])
def test_timeouts_must_be_finite_and_positive(client: httpx.Client, value: str) -> None:
    for response in [
        client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "timeout": value}),
        client.get("/api/queries/totals-by-funder", params={"timeout": value}),
    ]:
        assert response.status_code == 400, response.text
        assert "timeout" in response.json()["message"]


def test_a_tiny_client_limit_does_not_retire_a_worker(client: httpx.Client, server: CoopkgServer) -> None:
    workers = server.workers()
    codes = [client.get("/api/queries/totals-by-funder", params={"timeout": "1e-9"}).status_code for _ in range(12)]
    assert set(codes) <= {200, 503} and 503 in codes
    time.sleep(6)  # past the server's limit (3 s) and the workers' minimum lifetime (5 s)
    assert server.workers() == workers


def test_the_offset_self_join_never_blocks_a_worker(client: httpx.Client, server: CoopkgServer) -> None:
    """Seven patterns with a fixed subject and an OFFSET of 10^11: counted large, sent to the pool, 503."""
    org = client.get("/api/organisations", params={"limit": 1, "q": "ofppt"}).json()["items"][0]["id"]
    patterns = " . ".join(f"<{org}> <{COOPKG}evidence> ?e{i}" for i in range(7))
    heavy = f"SELECT * WHERE {{ {patterns} }} OFFSET 100000000000"
    lookup = f"SELECT ?p ?o WHERE {{ <{org}> ?p ?o }}"
    answers: list[int] = []

    def send() -> None:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            answers.append(http.get("/sparql", params={"query": heavy}).status_code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    probes = []
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        started = time.monotonic()
        status = client.get("/sparql", params={"query": lookup}, timeout=5).status_code
        probes.append((status, time.monotonic() - started))
        time.sleep(0.4)
    for thread in threads:
        thread.join()
    assert answers == [503, 503]
    assert all(status == 200 for status, _ in probes)
    assert max(seconds for _, seconds in probes) < 1.0
    _settle(server)  # the OFFSET writes nothing until it is done: its workers retire
