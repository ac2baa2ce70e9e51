"""No request can make the service reach out, stall, crash or answer 500 (a real `coopkg serve`)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from coopkg.cli import HEALTHCHECK_SECONDS
from coopkg.errors import ForbiddenQueryError
from coopkg.query_guard import nesting_depth, refuse_outbound
from coopkg.supervisor import TICK
from tests.conftest import WRITE_TOKEN, CoopkgServer, Listener, forkservers
from tests.ssrf_corpus import corpus

AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
COOPKG = "https://w3id.org/coopkg/ontology#"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoopkgServer]:
    running = CoopkgServer(tmp_path_factory.mktemp("hardening"), COOPKG_QUERY_TIMEOUT="3")
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
    """With the guard switched off (COOPKG_ALLOW_SERVICE=true), the workers' seccomp filter still stops every
    variant, and so does the supervisor's, where the service's writer evaluates the updates; the forkserver
    the workers are forked from has it too."""
    server = CoopkgServer(tmp_path, COOPKG_ALLOW_SERVICE="true", COOPKG_QUERY_TIMEOUT="3")
    try:
        deadline = time.monotonic() + 30  # the first worker to start answers; the other may still load
        while time.monotonic() < deadline and not (
            len(server.workers()) == 2 and all(map(_filtered, server.workers()))
        ):
            time.sleep(0.2)
        assert len(server.workers()) == 2 and all(map(_filtered, server.workers()))
        assert _filtered(server.process.pid)  # the supervisor, with the writer thread
        assert len(forkservers(server.process.pid)) == 1 and all(map(_filtered, forkservers(server.process.pid)))
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


def _settle(server: CoopkgServer, *, retiring: bool = True) -> None:
    """Wait until two workers serve and (``retiring``: after queries past the limit) none is about to
    retire (past the 3 s limit and 5 s lifetime)."""
    if retiring:
        time.sleep(4)
    # The supervisor replaces a worker at once (coopkg/supervisor.py); a worker's start on a loaded
    # machine can take seconds more (imports, the views), which the answer waits for.
    assert _within(10, lambda: len(server.workers()) == 2), server.workers()
    assert _within(45, lambda: _answers(server))


def _within(seconds: float, condition: Callable[[], object]) -> float | None:
    """Seconds until the condition held, looked at every 20 ms; None if it did not within ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(0.02)
    return None


def _answers(server: CoopkgServer) -> bool:
    """Whether the service answers a query now (a new connection: any worker that takes it)."""
    try:
        return httpx.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=1).status_code == 200
    except httpx.TransportError:
        return False


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


def test_a_worker_starved_of_cpu_is_not_replaced(client: httpx.Client, server: CoopkgServer) -> None:
    """A loaded machine can leave a worker unscheduled for seconds: uvicorn's 5 s health check killed
    it then (and the requests it held), three times in a 40 s fuzz run at a load of 13 on 2 cores."""
    workers = server.workers()
    starved = min(workers)
    os.kill(starved, signal.SIGSTOP)
    try:
        time.sleep(8)
    finally:
        os.kill(starved, signal.SIGCONT)
    time.sleep(1.5)  # two of the supervisor's rounds
    assert server.workers() == workers
    # On a loaded machine the woken worker's first answers may pass the suite's 3 s limit (503): what
    # counts is that it is still the same worker, answering.
    statuses: list[int] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and statuses[-6:] != [200] * 6:
        statuses.append(client.get("/api/organisations", params={"limit": 1}).status_code)
    assert statuses[-6:] == [200] * 6, statuses
    assert set(statuses) <= {200, 503}, statuses
    _settle(server)


def test_a_dead_worker_is_replaced_while_another_answers_no_ping(server: CoopkgServer) -> None:
    """uvicorn's supervisor waited up to the health-check time for each ping's answer before it looked
    at the next worker: with one worker silent (starved, or exiting), a dead one was not replaced
    for a minute. Here one is stopped, the other killed: a replacement starts at once and answers."""
    _settle(server)
    silent, dead = sorted(server.workers())
    os.kill(silent, signal.SIGSTOP)
    try:
        time.sleep(10 * TICK)  # the supervisor has sent it a ping it cannot answer
        os.kill(dead, signal.SIGKILL)
        assert _within(3, lambda: server.workers() - {silent, dead}), server.workers()
        assert _within(HEALTHCHECK_SECONDS / 2, lambda: _answers(server))  # the replacement, alone
        assert silent in server.workers()
    finally:
        os.kill(silent, signal.SIGCONT)
    time.sleep(10 * TICK)
    assert silent in server.workers()  # silent for less than the health check: not killed
    _settle(server, retiring=False)


def test_both_workers_killed_at_once_are_replaced_at_once(server: CoopkgServer) -> None:
    _settle(server, retiring=False)
    old = server.workers()
    for pid in old:
        os.kill(pid, signal.SIGKILL)
    started = time.monotonic()
    assert _within(3, lambda: len(server.workers() - old) == 2), server.workers()
    # How soon it answers is how long a worker takes to start: seconds, more on a loaded machine,
    # but never the health check's minute.
    assert _within(HEALTHCHECK_SECONDS / 2 - (time.monotonic() - started), lambda: _answers(server))
    _settle(server, retiring=False)


def test_an_exiting_worker_is_replaced_before_it_has_exited(server: CoopkgServer) -> None:
    """A worker told to stop answers the ping that it is exiting: its replacement starts while it
    finishes its requests (here a slow query, which holds it for the graceful-shutdown time). SIGTERM
    is what a worker whose query overran sends itself to retire: here both do at once."""
    _settle(server, retiring=False)
    old = server.workers()
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

    def send() -> None:
        with contextlib.suppress(httpx.TransportError), httpx.Client(base_url=server.url, timeout=30) as http:
            http.get("/sparql", params={"query": slow})

    thread = threading.Thread(target=send)
    thread.start()
    time.sleep(1)  # the query runs (the server's limit is 3 s)
    for pid in old:
        os.kill(pid, signal.SIGTERM)
    seen: list[set[int]] = []

    def both_replaced_one_still_exiting() -> bool:
        seen.append(server.workers())
        return len(seen[-1] - old) == 2 and bool(seen[-1] & old)

    started = time.monotonic()
    assert _within(3, both_replaced_one_still_exiting), seen[-1]
    assert _within(HEALTHCHECK_SECONDS / 2 - (time.monotonic() - started), lambda: _answers(server))
    thread.join()
    _settle(server, retiring=False)


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


# -- every input a 4xx ---------------------------------------------------------------------------------


def test_bad_inputs_get_a_4xx_with_a_message(client: httpx.Client) -> None:
    lookup = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    cases = [
        client.post(
            "/sparql", content=b"SELECT * WHERE { ?s ?p \xff }", headers={"Content-Type": "application/sparql-query"}
        ),
        client.post(
            "/update",
            content=b"INSERT DATA { <a:b> <a:c> '\xfe' }",
            headers={**AUTH, "Content-Type": "application/sparql-update"},
        ),
        client.get("/sparql", params=[("query", lookup), ("version", "1.1"), ("version", "1.2")]),
        client.post(
            "/sparql", content=urlencode([("query", lookup), ("version", "1.1"), ("version", "1.2")]), headers=FORM
        ),
        client.post(
            "/update",
            content=urlencode(
                [("update", "CLEAR SILENT GRAPH <http://example.org/g>"), ("version", "1.1"), ("version", "1.2")]
            ),
            headers={**AUTH, **FORM},
        ),
        client.get("/api/documents/x%0A"),
        client.delete("/api/documents/x%0A", headers=AUTH),
        client.post(
            "/api/documents", params={"id": "x\n"}, content="Un texte.", headers={**AUTH, "Content-Type": "text/plain"}
        ),
        client.get("/api/organisations/a%20b"),
        client.get("/api/projects/%01"),
        client.get("/api/organisations/http%3A%2F%2Fx%2Fa%20b"),
        client.get("/api/regions/http%3A%2F%2Fx%2Fa%20b"),
        client.get("/api/labels", params={"iri": "http://a b"}),
        client.get("/api/labels", params={"iri": "urn:\x00"}),
        client.post(
            "/api/documents",
            content="[" * 100_000 + "]" * 100_000,
            headers={**AUTH, "Content-Type": "application/json"},
        ),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500, (response.request.url, response.status_code, response.text[:200])
        assert response.json()["message"], response.request.url


def test_symbol_only_queries_and_lines_are_ordinary_text(client: httpx.Client) -> None:
    for path in ("/api/organisations", "/api/projects"):
        for q in ("-", "***", "'", "«»"):
            response = client.get(path, params={"q": q})
            assert response.status_code == 200 and response.json()["total"] == 0, (path, q, response.text[:200])
    text = "Le projet Atlas est financé par la Banque mondiale.\n\n***\n--\n'\n-\n```\n| a | b |\n|---|---|\n```\n"
    response = client.post("/api/documents", params={"id": "symbols-only-lines"}, content=text,
                           headers={**AUTH, "Content-Type": "text/plain"})  # fmt: skip
    assert response.status_code == 201, response.text
    assert any("Banque" in o["label"] for o in response.json()["organisations"])


# -- pages safe by default ---------------------------------------------------------------------------


def test_only_http_and_relative_iris_become_links(client: httpx.Client, server: CoopkgServer) -> None:
    page = {"Accept": "text/html"}
    query = 'SELECT ?x ?y WHERE { BIND(IRI("javascript:alert(1)") AS ?x) BIND(<http://example.org/ok> AS ?y) }'
    html = client.get("/sparql", params={"query": query}, headers=page).text
    assert "javascript:alert(1)" in html  # shown as text
    assert 'href="javascript' not in html and 'href="http://example.org/ok"' in html
    subject = server.url + "/id/organisation/ofppt"
    data = f"<{subject}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <javascript:alert(2)> , <data:text/html,x> ."
    graph = "http://example.org/stored-links"
    stored = client.put(
        "/graph", params={"graph": graph}, content=data, headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert stored.status_code in {201, 204}, stored.text
    try:
        data_view = client.get("/id/organisation/ofppt", params={"view": "data"}, headers=page).text
        assert "javascript:alert(2)" in data_view  # every triple is shown, this one as text
        for html in (data_view, client.get("/id/organisation/ofppt", headers=page).text):
            assert 'href="javascript' not in html and 'href="data:' not in html
    finally:
        client.delete("/graph", params={"graph": graph}, headers=AUTH)


def test_every_response_has_the_security_headers(client: httpx.Client) -> None:
    lookup = "SELECT ?p ?o WHERE { <https://w3id.org/coopkg/ontology#Funding> ?p ?o }"
    responses = [
        client.get("/sparql", params={"query": lookup}),  # answered by the HTTP protocol itself
        client.post("/sparql", data={"query": lookup}),
        client.get("/", headers={"Accept": "text/html"}),
        client.get("/api/fundings"),
        client.get("/static/site.css"),
        client.get("/no/such/page"),
        client.get("/sparql", params={"query": "SELECT"}),
        client.post("/sparql", content="#" * 300_000, headers={"Content-Type": "application/sparql-query"}),  # 413
        client.get("/docs"),  # Swagger UI and ReDoc are local assets: the same policy
        client.get("/redoc"),
    ]
    for response in responses:
        policy = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "object-src 'none'" in policy, response.request.url
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy and "https:" not in policy
    # ReDoc's inserted <style> elements carry this response's nonce, and only they are let in.
    redoc = responses[-1]
    nonce = re.search(r"style-src 'self' 'nonce-([^']+)';", redoc.headers["content-security-policy"])
    assert nonce and f'nonce="{nonce.group(1)}"' in redoc.text
    assert "nonce-" not in responses[-2].headers["content-security-policy"]


def test_search_answers_kept_per_snapshot_are_never_stale(client: httpx.Client, server: CoopkgServer) -> None:
    """A repeated search is answered from the answers kept for the current snapshot; a write anywhere drops them."""
    params = {"q": "zorglub"}
    routed = {"Origin": "https://example.org"}  # with CORS on, an Origin takes the usual (routed) way
    for _ in range(4):  # both workers see it, once routed, then kept
        assert client.get("/api/organisations", params=params).json()["total"] == 0
    org = f"<{server.url}/id/organisation/zorglub>"
    insert = (f"INSERT DATA {{ GRAPH <http://example.org/zorglub> {{ {org} a <{COOPKG}Organisation> ; "
              f'<http://www.w3.org/2004/02/skos/core#prefLabel> "Zorglub"@fr }} }}')  # fmt: skip
    assert client.post("/update", data={"update": insert}, headers=AUTH).status_code == 204
    try:
        for _ in range(4):
            kept = client.get("/api/organisations", params=params)
            assert kept.json()["total"] == 1
        assert kept.content == client.get("/api/organisations", params=params, headers=routed).content
    finally:
        drop = "DROP GRAPH <http://example.org/zorglub>"
        assert client.post("/update", data={"update": drop}, headers=AUTH).status_code == 204
    for _ in range(4):
        assert client.get("/api/organisations", params=params).json()["total"] == 0
