"""The serving model: several services share one embedded store through its snapshots."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from coopkg import lookups
from coopkg.errors import NotFoundError
from coopkg.funding_index import FundingQuery
from coopkg.queryexec import QueryRequest
from coopkg.service import Services
from coopkg.settings import Settings, get_settings
from coopkg.store import EmbeddedRepository
from coopkg.store.snapshots import Change, Generations

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
JSON = "application/sparql-results+json"
COUNT_DOCUMENTS = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a <https://w3id.org/coopkg/ontology#Document> }"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return get_settings(store=tmp_path / "store", base_iri="http://coopkg.test/")


@pytest.fixture
def pair(settings: Settings) -> Iterator[tuple[Services, Services]]:
    """Two services over one store, as two worker processes would have."""
    first = Services.open(settings)
    first.ensure_ready()
    second = Services.open(settings)
    yield first, second
    first.close()
    second.close()


def _write(services: Services, path: Path) -> str:
    extraction = services.ingestor.extract_bytes(path.read_bytes(), source=path.name)
    services.write_document(extraction)
    return extraction.document.id


def _documents(services: Services) -> int:
    answer = services.query(QueryRequest(COUNT_DOCUMENTS, JSON, "text/turtle"))
    return int(answer.body.split(b'"value":"')[1].split(b'"')[0])


def test_a_write_in_one_service_is_seen_by_the_other(pair: tuple[Services, Services]) -> None:
    first, second = pair
    assert second.fundings.search(FundingQuery(limit=100))[0] == 0  # built before the write
    doc_id = _write(first, CORPUS[0])
    assert _documents(second) == 1  # the query follows the new snapshot
    total, items = second.fundings.search(FundingQuery(limit=100))
    assert total > 0 and all(item.id.startswith("http://coopkg.test/") for item in items)
    assert second.document_json(doc_id)["document"]["id"].endswith("/" + doc_id)

    second.delete_document(doc_id)
    assert _documents(first) == 0
    assert first.fundings.search(FundingQuery(limit=100))[0] == 0
    with pytest.raises(NotFoundError):
        first.document_json(doc_id)


def test_concurrent_writers_lose_nothing(pair: tuple[Services, Services]) -> None:
    first, second = pair
    before = first.snapshots.latest() if first.snapshots else 0
    errors: list[BaseException] = []

    def write(services: Services, paths: list[Path]) -> None:
        try:
            for path in paths:
                _write(services, path)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(first, CORPUS[0::2])),
               threading.Thread(target=write, args=(second, CORPUS[1::2]))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _documents(first) == _documents(second) == len(CORPUS)
    assert first.snapshots is not None and first.snapshots.latest() == before + len(CORPUS)
    # Both funding views replayed the journal to the same state.
    assert first.fundings.search(FundingQuery(limit=500))[0] == second.fundings.search(FundingQuery(limit=500))[0]


def _leased(generations: Generations) -> set[int]:
    return {int(n) for lease in (generations.root / "leases").iterdir() if not lease.suffix
            for n in lease.read_text().split()}  # fmt: skip


def test_old_generations_are_collected_unless_leased(pair: tuple[Services, Services], settings: Settings) -> None:
    first, second = pair
    generations = Generations(settings.store)
    start = generations.latest()
    for path in CORPUS[:3]:
        _write(first, path)
        second.sync()
    _write(first, CORPUS[3])
    latest = generations.latest()
    folders = {int(p.name[4:]) for p in generations.root.glob("gen-*")}
    # Each service keeps the generation it reads and the one it read before (queries may still run on it).
    assert folders == _leased(generations) | {latest}
    assert start not in folders and latest - 1 in folders
    lease = generations.root / "leases" / "999999999"  # a worker that no longer exists
    lease.write_text("1")
    _write(first, CORPUS[4])
    assert not lease.exists()


def test_snapshots_are_read_while_writers_publish_and_collect(settings: Settings) -> None:
    """Two services of one process (two workers' views in the tests) read while a writer publishes.

    Each reads CURRENT, opens that generation and reads all of it; the writer collects every
    generation no lease names. A reader must never find its generation gone.
    """
    writer = Generations(settings.store)
    writer.publish_if_stale()  # generation 1, empty; each write below adds one triple
    stop = threading.Event()
    errors: list[BaseException] = []
    opened: list[int] = []

    def publish() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            with writer.writing(Change(everything=True)) as repo:
                repo.store.add(Quad(NamedNode("http://x/s"), NamedNode("http://x/p"), Literal(number),
                                    NamedNode("http://x/g")))  # fmt: skip

    def read() -> None:
        reader = Generations(settings.store)
        try:
            while not stop.is_set():
                generation = reader.open_latest()
                opened.append(generation.number)
                time.sleep(0.002)
                assert len(list(generation.store)) == generation.number - 1
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            reader.release()

    threads = [threading.Thread(target=publish), threading.Thread(target=read), threading.Thread(target=read)]
    for thread in threads:
        thread.start()
    time.sleep(5)
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(opened)) > 5  # the writer really published meanwhile


def test_dead_leases_and_stale_generations_are_collected_at_start_up(settings: Settings) -> None:
    generations = Generations(settings.store)
    assert generations.publish_if_stale() is True
    current = generations.latest()
    stale = generations.root / "gen-00000000"  # left by a writer killed before it published
    stale.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lease = generations.root / "leases" / dead.stdout.strip()  # a worker that died holding a lease on it
    lease.write_text("0")
    assert generations.publish_if_stale() is False  # nothing to publish: the store did not change
    assert not lease.exists() and not stale.exists()
    assert (generations.root / f"gen-{current:08d}").exists()


def test_rocksdb_info_logs_stay_bounded(pair: tuple[Services, Services], settings: Settings) -> None:
    """Every write opens the store read-write, which starts a RocksDB info log (LOG.old.* pile up)."""
    first, _ = pair
    for number in range(12):
        first.update(f"INSERT DATA {{ GRAPH <http://x/g> {{ <http://x/s> <http://x/p> {number} }} }}")
    assert len(list(settings.store.glob("LOG.old.*"))) <= 2
    assert (settings.store / "LOG").exists()


def test_publish_if_stale_notices_writes_by_other_tools(settings: Settings) -> None:
    generations = Generations(settings.store)
    assert generations.publish_if_stale() is True  # no generation yet
    assert generations.publish_if_stale() is False  # nothing changed since
    repo = EmbeddedRepository(settings.store)  # another tool (the CLI) writes directly
    repo.store.add(Quad(NamedNode("http://x/s"), NamedNode("http://x/p"), Literal("o"), NamedNode("http://x/g")))
    repo.close()
    del repo
    assert generations.publish_if_stale() is True
    snapshot = generations.open_latest()
    assert len(snapshot.store) == 1
    generations.release()


def test_a_writer_that_fails_publishes_nothing(pair: tuple[Services, Services], settings: Settings) -> None:
    first, second = pair
    number = Generations(settings.store).latest()
    with pytest.raises(NotFoundError):
        first.delete_document("never-written")
    assert Generations(settings.store).latest() == number
    assert _documents(second) == 0


def test_leases_name_live_processes(pair: tuple[Services, Services], settings: Settings) -> None:
    leases = {p.name for p in (Generations(settings.store).root / "leases").iterdir()}
    # One lease per service, named by its process.
    assert len([name for name in leases if name.startswith(f"{os.getpid()}-")]) == 2


@pytest.mark.parametrize(
    ("query", "lookup"),
    [
        ("SELECT ?p ?o WHERE { <http://x/a> ?p ?o }", True),
        ("PREFIX c: <http://c#> SELECT ?l WHERE { c:x <http://l> ?l FILTER(lang(?l) = 'fr') } LIMIT 3", True),
        ("SELECT ?o WHERE { <http://x/a> <p> ?o ; <q> ?r , ?s . OPTIONAL { <http://x/b> <p> ?z } }", True),
        ("DESCRIBE <http://x/a>", False),
        ("ASK { <a> <b> <c> }", True),
        ("SELECT ?o WHERE { <a> ?p ?o } ORDER BY ?o", True),
        ("DESCRIBE ?x WHERE { ?x ?p ?o }", False),
        ("SELECT ?s WHERE { ?s ?p ?o }", False),
        ("SELECT (COUNT(*) AS ?n) WHERE { <a> ?p ?o }", False),
        ("SELECT ?o WHERE { <a> <p>* ?o }", False),
        ("SELECT ?o WHERE { <a> ?p ?o . <a> ?q ?r . <a> ?s ?t }", True),  # shaped like one: counted per request
        ("SELECT ?o WHERE { <a> ?p ?o . ?o ?q ?r }", False),
        ("SELECT ?o WHERE { { SELECT ?o WHERE { ?a ?b ?o } } }", False),
        ("SELECT ?o WHERE { <a> <p> ?o . FILTER EXISTS { ?o ?q ?r } }", False),
        ("CONSTRUCT { <a> <p> ?o } WHERE { ?s <p> ?o }", False),
        ("SELECT * WHERE { <a> <p> ?o } # } ?s ?p ?o", True),
        ("SELECT * WHERE { <a> <p> ?o } #\r ?s ?p ?o }", False),  # a comment ends at a carriage return
        ("SELECT * WHERE { <a> <p> ?o . GRAPH ?g { <a> ?p ?x } }", False),
        ("SELECT * WHERE { <a> <p> ?o . BIND(1 AS ?x) }", False),
        ("SELECT * FROM <http://g> WHERE { <a> <p> ?o }", False),
    ],
)
def test_lookups_are_recognised_conservatively(query: str, lookup: bool) -> None:
    assert (lookups.plan(query) is not None) is lookup


def test_a_lookup_is_bounded_by_its_answer_not_its_shape() -> None:
    """The same shape is a lookup over a small neighbourhood and not over a large one."""
    store = Store()
    ex = "http://x/"
    for i in range(12):
        store.add(Quad(NamedNode(ex + "big"), NamedNode(ex + "p"), Literal(str(i)), NamedNode(ex + "g1")))
        store.add(Quad(NamedNode(ex + "big"), NamedNode(ex + "p"), Literal(str(i)), NamedNode(ex + "g2")))
    store.add(Quad(NamedNode(ex + "small"), NamedNode(ex + "p"), Literal("1"), NamedNode(ex + "g1")))
    for subject, small in [("small", True), ("big", False)]:
        query = " . ".join(f"<{ex}{subject}> <{ex}p> ?o{i}" for i in range(4))
        query = f"SELECT * WHERE {{ {query} }} OFFSET 100000000000"
        patterns = lookups.plan(query)
        assert patterns is not None and len(patterns) == 4
        bound = lookups.solutions_bound(store, query, patterns)
        assert (bound <= lookups.MAX_SOLUTIONS) is small  # 24^4 = 331,776 solutions over "big"


def test_the_cli_writing_while_a_service_runs_is_seen_at_once(tmp_path: Path) -> None:
    store = tmp_path / "store"
    services = Services.open(get_settings(store=store, base_iri="http://coopkg.test/"))
    try:
        services.ensure_ready()
        assert _documents(services) == 0
        env = {k: v for k, v in os.environ.items() if not k.startswith("COOPKG_")}
        env.update(COOPKG_STORE=str(store), COOPKG_BASE_IRI="http://coopkg.test/")
        done = subprocess.run([sys.executable, "-m", "coopkg.cli", "ingest", str(CORPUS[0])],
                              env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert _documents(services) == 1  # no restart: the CLI published a generation
        assert services.fundings.search(FundingQuery(limit=100))[0] > 0
    finally:
        services.close()


def test_the_loop_guard_stops_a_worker_whose_lookup_overran() -> None:
    script = (
        "import time\n"
        "from coopkg.queryexec import LoopGuard\n"
        "LoopGuard(grace=0.2).arm(0.3)\n"
        "time.sleep(60)  # stands for a lookup that blocks the event loop\n"
    )
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=90)
    assert done.returncode == 70
    # Far sooner than the blocked minute, even with the interpreter's start on a loaded machine (5 s were not).
    assert time.monotonic() - started < 30
    assert "blocked the event loop" in done.stderr


def test_lookups_stay_in_the_thread_pool_without_a_supervisor(settings: Settings) -> None:
    services = Services.open(settings)
    try:
        assert services.engine._inline_lookups is False  # type: ignore[attr-defined]
    finally:
        services.close()
    supervised = Services.open(settings.model_copy(update={"supervised": True}))
    try:
        assert supervised.engine._inline_lookups is True  # type: ignore[attr-defined]
    finally:
        supervised.close()


def test_a_response_head_goes_out_with_its_body() -> None:
    from coopkg.api.transport import HeadJoiningTransport

    async def exchange() -> list[bytes]:
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair()
        theirs.setblocking(False)
        transport, _ = await loop.create_connection(asyncio.Protocol, sock=ours)
        joining = HeadJoiningTransport(transport)  # type: ignore[arg-type]
        received = []

        async def read() -> bytes:
            await asyncio.sleep(0.05)
            try:
                return theirs.recv(1000)
            except BlockingIOError:
                return b""

        joining.write(b"HTTP/1.1 200 OK\r\n\r\n")
        received.append(await read())  # held
        joining.write(memoryview(b"body"))
        received.append(await read())  # one segment: head and body
        joining.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        received.append(await read())  # not held
        joining.write(b"HTTP/1.1 204 No Content\r\n\r\n")
        joining.flush()  # the response completed without a body write
        received.append(await read())
        joining.write(b"HTTP/1.1 500 Error\r\n\r\n")
        joining.close()
        received.append(await read())
        theirs.close()
        return received

    assert asyncio.run(exchange()) == [
        b"",
        b"HTTP/1.1 200 OK\r\n\r\nbody",
        b"HTTP/1.1 100 Continue\r\n\r\n",
        b"HTTP/1.1 204 No Content\r\n\r\n",
        b"HTTP/1.1 500 Error\r\n\r\n",
    ]


# -- point lookups answered by the HTTP protocol itself --------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "query=SELECT%20%2A%20%7B%20%3Chttp%3A%2F%2Fx%2F%C3%A9%3E%20%3Fp%20%22a%5Cb%25%22%20%7D",
        "a=%zz&b=%4&c=+x+&&d&e=",
        "x=%C3%A9%2&x=%5C%5Cx41&y=%E9",
        "a=1;b=2&format=json&format=xml",
    ],
)
def test_query_string_parsing_agrees_with_urllib(raw: str) -> None:
    from urllib.parse import parse_qs

    from coopkg.api.sparql import query_params

    assert query_params(raw.encode()) == parse_qs(raw, keep_blank_values=True)


@pytest.fixture
def supervised(settings: Settings) -> Iterator[Services]:
    services = Services.open(settings.model_copy(update={"supervised": True}))
    services.ensure_ready()
    _write(services, CORPUS[0])
    yield services
    services.close()


def _lookup_target(services: Services, **extra: str) -> bytes:
    from urllib.parse import urlencode

    funding = services.fundings.search(FundingQuery(limit=1))[1][0].id
    return b"/sparql?" + urlencode({"query": f"SELECT ?p ?o WHERE {{ <{funding}> ?p ?o }}", **extra}).encode()


def test_direct_lookups_answer_as_the_core_does(supervised: Services) -> None:
    from coopkg.api.sparql import DirectLookups

    direct = DirectLookups(lambda: supervised, cors=False)
    target = _lookup_target(supervised)
    reply = direct(target, [(b"host", b"x"), (b"accept", b"text/csv")])
    assert reply is not None
    status, headers, body = reply
    query = target.decode().split("query=")[1]
    from urllib.parse import unquote_plus

    expected = supervised.query(QueryRequest(unquote_plus(query), "text/csv", "text/turtle"))
    assert status == 200 and body == expected.body and body.count(b"\n") > 3
    assert (b"content-type", b"text/csv; charset=utf-8") in headers and (b"vary", b"Accept") in headers


def test_direct_lookups_answer_posted_forms_and_queries(supervised: Services) -> None:
    """A POST form (as YASGUI sends) and an application/sparql-query body get the same reply as a GET."""
    from urllib.parse import parse_qs

    from coopkg.api.sparql import DirectLookups

    direct = DirectLookups(lambda: supervised, cors=False)
    target = _lookup_target(supervised)
    accept = (b"accept", b"text/csv")
    expected = direct(target, [accept])
    assert expected is not None
    form = target.split(b"?", 1)[1]
    query = parse_qs(form.decode())["query"][0].encode()
    length = lambda body: (b"content-length", str(len(body)).encode())  # noqa: E731
    form_type = (b"content-type", b"application/x-www-form-urlencoded")
    query_type = (b"content-type", b"application/sparql-query; charset=utf-8")
    assert direct(b"/sparql", [accept, form_type, length(form)], form) == expected
    assert direct(b"/sparql?format=csv", [form_type, length(form)], form) == expected  # URL and body together
    assert direct(b"/sparql", [accept, query_type, length(query)], query) == expected
    for other_target, headers, body in [
        (b"/sparql", [accept, (b"content-type", b"text/plain"), length(query)], query),  # not a SPARQL body
        (b"/sparql", [accept, query_type, length(b"\xff")], b"\xff"),  # not UTF-8: the app explains it
        (target, [accept, query_type, length(query)], query),  # a query in the URL and in the body
        (b"/sparql", [accept, form_type, length(form + b"&update=x")], form + b"&update=x"),
        (b"/sparql", [accept, form_type, length(form + b"&" + form)], form + b"&" + form),  # query given twice
        (b"/sparql", [(b"accept", b"text/html"), form_type, length(form)], form),  # a browser: the results page
    ]:
        assert direct(other_target, headers, body) is None, (other_target, headers)
    small = supervised.settings.model_copy(update={"max_body_bytes": 10})
    limited = DirectLookups(lambda: type(supervised)(small, supervised.minter, supervised.repo, supervised.engine),
                            cors=False)  # fmt: skip
    assert limited(b"/sparql", [accept, form_type, length(form)], form) is None  # the app answers 413


def test_direct_lookups_leave_everything_else_to_the_app(supervised: Services) -> None:
    from urllib.parse import quote

    from coopkg.api.sparql import DirectLookups

    direct = DirectLookups(lambda: supervised, cors=True)
    target = _lookup_target(supervised)
    json_accept = [(b"accept", JSON.encode())]
    assert direct(target, json_accept) is not None
    for other, headers in [
        (b"/sparql?query=" + quote(COUNT_DOCUMENTS).encode(), json_accept),  # not a lookup: the thread pool
        (b"/sparql?query=SELECT%20%3Fs%20WHERE%20%7B%20%3Cx%3E%20", json_accept),  # malformed: explained by the app
        (target.replace(b"/sparql", b"/other"), json_accept),
        (target + b"&format=html", json_accept),
        (target + b"&format=json&format=xml", json_accept),
        (target + b"&update=x", json_accept),
        (target + b"&timeout=abc", json_accept),
        (target, [(b"accept", b"text/html,application/xhtml+xml")]),  # a browser: the results page
        (target, [*json_accept, (b"content-length", b"3")]),  # a body: the body limit applies
        (target, [*json_accept, (b"origin", b"https://example.org")]),  # CORS headers to add
        (b"/sparql", json_accept),  # the service description
    ]:
        assert direct(other, headers) is None, other
    assert DirectLookups(lambda: None, cors=False)(target, json_accept) is None  # before the lifespan


def test_direct_lookups_wait_for_a_newer_snapshot(supervised: Services, settings: Settings) -> None:
    from coopkg.api.sparql import DirectLookups

    direct = DirectLookups(lambda: supervised, cors=False)
    target = _lookup_target(supervised)
    other = Services.open(settings)
    try:
        _write(other, CORPUS[1])
    finally:
        other.close()
    # Opening the new snapshot blocks: that request takes the usual way, which opens it.
    assert direct(target, []) is None
    supervised.sync()
    assert direct(target, []) is not None
