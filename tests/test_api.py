"""The service end to end: a real uvicorn on 127.0.0.1, real HTTP, the clients analysts use."""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from pyoxigraph import QueryResultsFormat, parse_query_results
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

from coopkg.errors import StoreError
from coopkg.queryexec import RETIRE_GRACE
from coopkg.store import RemoteRepository
from coopkg.store.sparql_http import Credentials
from tests.conftest import WRITE_TOKEN as TOKEN
from tests.conftest import CoopkgServer as Server

COOPKG = "https://w3id.org/coopkg/ontology#"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("api"))
    yield running
    running.stop()


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


AUTH = {"Authorization": f"Bearer {TOKEN}"}
COUNT_FUNDINGS = f"SELECT (COUNT(?f) AS ?n) WHERE {{ ?f a <{COOPKG}Funding> }}"


# -- SPARQL protocol -----------------------------------------------------------------------------


def test_sparql_get_post_form_and_direct(client: httpx.Client) -> None:
    answers = [
        client.get("/sparql", params={"query": COUNT_FUNDINGS}, headers={"Accept": "application/sparql-results+json"}),
        client.post("/sparql", data={"query": COUNT_FUNDINGS}, headers={"Accept": "application/sparql-results+json"}),
        client.post(
            "/sparql",
            content=COUNT_FUNDINGS,
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        ),
    ]
    values = {r.json()["results"]["bindings"][0]["n"]["value"] for r in answers}
    assert all(r.status_code == 200 for r in answers)
    assert len(values) == 1 and int(values.pop()) >= 3


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [("application/sparql-results+xml", "application/sparql-results+xml"), ("text/csv", "text/csv"),
     ("text/tab-separated-values", "text/tab-separated-values"),
     ("text/csv;q=0.5, application/sparql-results+json;q=0.9", "application/sparql-results+json"),
     ("application/*;q=0.1, text/tab-separated-values", "text/tab-separated-values")],
)  # fmt: skip
def test_sparql_result_negotiation(client: httpx.Client, accept: str, media_type: str) -> None:
    response = client.get("/sparql", params={"query": COUNT_FUNDINGS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "Accept" in response.headers["vary"]


def test_construct_formats_and_406(client: httpx.Client) -> None:
    query = f"CONSTRUCT WHERE {{ ?f a <{COOPKG}Funding> }}"
    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
                        ("application/n-triples", "nt")]:  # fmt: skip
        response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        graph = rdflib.Graph().parse(data=response.content, format=fmt)
        assert len(graph) >= 3
    assert client.get("/sparql", params={"query": query}, headers={"Accept": "image/png"}).status_code == 406
    assert (
        client.get("/sparql", params={"query": query, "format": "trig"})
        .headers["content-type"]
        .startswith("application/trig")
    )


def test_default_and_named_graph_parameters(client: httpx.Client, server: Server) -> None:
    graph = f"{server.url}/graph/document/000_e86e91a3fc1bd0f6"
    in_one = client.get("/sparql", params={"query": COUNT_FUNDINGS, "default-graph-uri": graph},
                        headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    everywhere = client.get(
        "/sparql", params={"query": COUNT_FUNDINGS}, headers={"Accept": "application/sparql-results+json"}
    )
    one = int(in_one.json()["results"]["bindings"][0]["n"]["value"])
    total = int(everywhere.json()["results"]["bindings"][0]["n"]["value"])
    assert 1 <= one < total


def test_service_description(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.feature, sd.UnionDefaultGraph) in graph
    assert "text/html" in client.get("/sparql", headers={"Accept": "text/html"}).headers["content-type"]


def test_malformed_query_is_400_with_position(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "query_syntax"
    assert "1:" in body["message"]


def test_parameters_given_twice_are_400(client: httpx.Client) -> None:
    for params in ({"query": "ASK {}", "format": ["json", "xml"]}, {"query": ["ASK {}", "ASK {}"]}):
        response = client.get("/sparql", params=params)
        assert response.status_code == 400
        assert response.json()["code"] == "bad_input" and "given 2 times" in response.json()["message"]


def test_an_offset_past_any_store_is_a_clear_4xx(client: httpx.Client) -> None:
    # Found by the fuzz run: offset=3291146475985472323584 overflowed the views' SQLite (a 500).
    for path in ("/api/organisations", "/api/projects", "/api/fundings", "/organisations"):
        response = client.get(path, params={"offset": "3291146475985472323584"})
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert client.get(path, params={"offset": 10**12}).status_code == 200


def test_browsers_get_results_as_a_table(client: httpx.Client) -> None:
    query = f"SELECT ?f WHERE {{ ?f a <{COOPKG}Funding> }}"
    page = client.get("/sparql", params={"query": query}, headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    count = client.get("/sparql", params={"query": COUNT_FUNDINGS}).json()["results"]["bindings"][0]["n"]["value"]
    assert f"{count} results" in page.text
    assert (
        client.get("/sparql", params={"query": query, "format": "json"})
        .headers["content-type"]
        .startswith("application/sparql-results+json")
    )


def test_service_is_refused(client: httpx.Client) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert response.json()["code"] == "forbidden_query"


def _read_response(stream: socket.socket, pending: bytearray) -> tuple[bytes, dict[str, str], bytes]:
    """One HTTP/1.1 response (status line, headers, body by Content-Length) from a raw socket."""
    while b"\r\n\r\n" not in pending:
        chunk = stream.recv(65536)
        assert chunk, f"connection closed mid-response: {bytes(pending)!r}"
        pending += chunk
    head, _, rest = bytes(pending).partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    length = int(headers["content-length"])
    while len(rest) < length:
        chunk = stream.recv(65536)
        assert chunk
        rest += chunk
    pending[:] = rest[length:]
    return status.encode(), headers, rest[:length]


def test_lookups_pipelined_and_closed_on_one_connection(client: httpx.Client, server: Server) -> None:
    """Point lookups are answered by the HTTP protocol itself (api/transport.py); around them,
    other requests on the same connection, pipelining and Connection: close behave as usual."""
    funding = client.get("/api/fundings", params={"limit": 1}).json()["items"][0]["id"]
    lookup = f"SELECT ?p ?o WHERE {{ <{funding}> ?p ?o }}"
    accept = {"Accept": "application/sparql-results+json"}
    expected = client.get("/sparql", params={"query": lookup}, headers=accept)
    form = urllib.parse.urlencode({"query": lookup}).encode()
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    routed = client.post("/sparql", content=iter([form]), headers={**accept, **form_type})  # chunked: the ASGI way
    assert expected.content == routed.content and expected.content.count(b'"p":') > 3
    assert set(expected.headers) == set(routed.headers)
    assert expected.headers["content-type"] == routed.headers["content-type"]
    posted = client.post("/sparql", data={"query": lookup}, headers=accept)  # a form, answered directly
    sent = client.post("/sparql", content=lookup, headers={**accept, "Content-Type": "application/sparql-query"})
    for answer in (posted, sent):
        assert answer.content == expected.content and dict(answer.headers).keys() == expected.headers.keys()

    def get(query: str, extra: str = "", version: str = "1.1") -> bytes:
        target = "/sparql?" + urllib.parse.urlencode({"query": query})
        return (f"GET {target} HTTP/{version}\r\nHost: x\r\nAccept: application/sparql-results+json\r\n"
                f"{extra}\r\n").encode()  # fmt: skip

    def post(query: str, extra: str = "") -> bytes:
        body = urllib.parse.urlencode({"query": query}).encode()
        return (f"POST /sparql HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
                f"{extra}\r\n").encode() + body  # fmt: skip

    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as stream:
        stream.sendall(get(lookup) + get(COUNT_FUNDINGS) + get(lookup) + post(lookup) + post(COUNT_FUNDINGS)
                       + post(lookup) + get(lookup, "Connection: close\r\n"))  # fmt: skip
        pending = bytearray()
        answers = [_read_response(stream, pending) for _ in range(7)]
        assert stream.recv(100) == b""  # closed after the last, as it asked
    assert [status for status, _, _ in answers] == [b"HTTP/1.1 200 OK"] * 7
    assert {answers[i][2] for i in (0, 2, 3, 5, 6)} == {expected.content}
    assert b'"n"' in answers[1][2] and answers[4][2] == answers[1][2]
    assert answers[6][1]["connection"] == "close" and "connection" not in answers[0][1]
    with socket.create_connection((host, int(port)), timeout=10) as stream:  # a body sent in two pieces
        whole = post(lookup)
        stream.sendall(whole[:-10])
        time.sleep(0.2)
        stream.sendall(whole[-10:])
        assert _read_response(stream, bytearray())[2] == expected.content
    with socket.create_connection((host, int(port)), timeout=10) as stream:
        stream.sendall(get(lookup, version="1.0"))
        status, _, body = _read_response(stream, bytearray())
        assert status == b"HTTP/1.1 200 OK" and body == expected.content
        assert stream.recv(100) == b""  # HTTP/1.0 without keep-alive: closed
    # A client that sends many lookups before reading any answer: once the answers fill the kernel's
    # buffers (tcp_wmem, 4 MB here) and the transport's high-water mark, lookups take the usual way,
    # which waits for the client instead of buffering without bound; every answer comes, in order.
    with socket.socket() as stream:
        stream.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # small: the server's buffer fills
        stream.settimeout(10)
        stream.connect((host, int(port)))
        stream.sendall(get(lookup) * 8000 + get(COUNT_FUNDINGS) + get(lookup, "Connection: close\r\n"))
        time.sleep(0.5)
        pending = bytearray()
        answers = [_read_response(stream, pending) for _ in range(8002)]
        assert stream.recv(100) == b""
    assert all(status == b"HTTP/1.1 200 OK" for status, _, _ in answers)
    assert {body for _, _, body in answers[:8000]} == {expected.content} == {answers[8001][2]}
    assert b'"n"' in answers[8000][2]


def _workers(server: Server) -> set[int]:
    return server.workers()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_workers_preload_jemalloc_when_installed(server: Server) -> None:
    installed = any(Path(p).is_file() for p in ("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
                                                "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2"))  # fmt: skip
    maps = [Path(f"/proc/{pid}/maps").read_text() for pid in _workers(server)]
    assert maps and all(("libjemalloc" in m) is installed for m in maps)


def test_slow_query_is_stopped_and_others_keep_going(client: httpx.Client, server: Server) -> None:
    deadline = time.monotonic() + 30  # a worker replaced by an earlier test of the module may still be starting
    while time.monotonic() < deadline and len(_workers(server)) < 2:
        time.sleep(0.2)
    workers = _workers(server)
    assert len(workers) == 2
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    lookup = "SELECT ?p ?o WHERE { <https://w3id.org/coopkg/ontology#Funding> ?p ?o }"
    others: list[tuple[int, float]] = []

    def meanwhile() -> None:
        with httpx.Client(base_url=server.url, timeout=10) as other:
            for _ in range(10):
                started = time.monotonic()
                status = other.get("/sparql", params={"query": lookup}).status_code
                others.append((status, time.monotonic() - started))
                time.sleep(0.05)

    thread = threading.Thread(target=meanwhile)
    started = time.monotonic()
    thread.start()
    response = client.get("/sparql", params={"query": slow, "timeout": "1"})
    elapsed = time.monotonic() - started
    thread.join()
    assert response.status_code == 503
    assert response.json()["code"] == "query_timeout"
    assert elapsed < 3
    assert [status for status, _ in others] == [200] * 10
    assert max(seconds for _, seconds in others) < 1.0  # normal speed while the slow query ran

    # The worker that ran it retires once the query runs past the *server's* limit (the client's 1 s only
    # answered 503) plus the grace: its CPU is free; a fresh one replaces it.
    deadline = started + float(server.env["COOPKG_QUERY_TIMEOUT"]) + RETIRE_GRACE + 8  # margin for a loaded machine
    while time.monotonic() < deadline and _workers(server) >= workers:
        time.sleep(0.1)
    survivors = _workers(server) & workers
    assert len(survivors) == 1
    busy = {pid: _cpu_seconds(pid) for pid in survivors}
    # The supervisor starts the replacement at once (coopkg/supervisor.py), in its next 0.2 s round.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(_workers(server)) < 2:
        time.sleep(0.2)
    assert len(_workers(server)) == 2
    assert all(_cpu_seconds(pid) - seconds < 0.5 for pid, seconds in busy.items())  # the survivor idles
    assert client.get("/sparql", params={"query": COUNT_FUNDINGS}).status_code == 200


def test_update_needs_the_token(client: httpx.Client) -> None:
    update = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }"
    assert client.post("/update", data={"update": update}).status_code == 401
    assert client.post("/update", data={"update": update}, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/update", data={"update": update}, headers=AUTH).status_code == 204
    ask = client.get(
        "/sparql", params={"query": "ASK { <http://example.org/s> ?p ?o }"}, headers={"Accept": "application/json"}
    )
    assert ask.json()["boolean"] is True
    assert client.post("/update", data={"update": "DROP GRAPH <http://example.org/g>"}, headers=AUTH).status_code == 204


def test_the_remote_backend_sends_a_bearer_token_to_an_endpoint_that_asks_for_one(server: Server) -> None:
    """coopkg serve's own SPARQL endpoints take writes with a bearer token (COOPKG_REMOTE_TOKEN): one coopkg over another."""
    graph = "http://example.org/graph/bearer"
    remote = RemoteRepository(f"{server.url}/sparql", f"{server.url}/update",
                              credentials=Credentials(token=TOKEN), engine="generic")  # fmt: skip
    remote.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/s> <http://example.org/p> 1 }} }}")
    assert remote.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").answer()
    remote.update(f"DROP GRAPH <{graph}>")
    anonymous = RemoteRepository(f"{server.url}/sparql", f"{server.url}/update", engine="generic")
    with pytest.raises(StoreError, match="COOPKG_REMOTE_TOKEN"):
        anonymous.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/s> <http://example.org/p> 1 }} }}")
    assert not remote.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").answer()
    remote.close()
    anonymous.close()


def test_body_limit(client: httpx.Client) -> None:
    response = client.post("/sparql", content="#" * 300_000, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413


def test_sparqlwrapper_and_rdflib_clients(server: Server) -> None:
    wrapper = SPARQLWrapper(server.url + "/sparql")
    wrapper.setQuery(COUNT_FUNDINGS)
    wrapper.setReturnFormat(JSON)
    assert int(wrapper.queryAndConvert()["results"]["bindings"][0]["n"]["value"]) >= 3
    store = SPARQLStore(server.url + "/sparql")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(f"SELECT ?f WHERE {{ ?f a <{COOPKG}Funding> }}"))
    assert len(rows) >= 3


def test_curl(server: Server) -> None:
    done = subprocess.run(
        ["curl", "-s", "-H", "Accept: text/csv", "--data-urlencode", f"query={COUNT_FUNDINGS}", server.url + "/sparql"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.stdout.splitlines()[0].strip() == "n"


# -- linked data -----------------------------------------------------------------------------------


def test_iris_dereference(server: Server, client: httpx.Client) -> None:
    iri = client.get("/api/fundings").json()["items"][0]["id"]
    graph = rdflib.Graph().parse(iri)
    subject = rdflib.URIRef(iri)
    assert (subject, rdflib.RDF.type, rdflib.URIRef(COOPKG + "Funding")) in graph
    assert (subject, rdflib.URIRef(COOPKG + "evidence"), None) in graph
    html = client.get(iri.replace(server.url, ""), headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html") and 'class="sources"' in html.text
    jsonld = client.get(iri.replace(server.url, ""), headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert client.get("/id/organisation/no-such-thing").status_code == 404


def test_ontology_resolves(client: httpx.Client) -> None:
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/coopkg/ontology"), rdflib.RDF.type, rdflib.OWL.Ontology) in graph
    page = client.get("/ontology", headers={"Accept": "text/html"})
    assert "Funding" in page.text and "<table>" in page.text


def test_void_and_dump(client: httpx.Client) -> None:
    void = rdflib.Graph().parse(
        data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).text, format="turtle"
    )
    voidns = rdflib.Namespace("http://rdfs.org/ns/void#")
    assert int(next(void.objects(None, voidns.triples))) > 1000
    dump = client.get("/dump", headers={"Accept-Encoding": "identity"})
    text = gzip.decompress(dump.content).decode() if dump.content[:2] == b"\x1f\x8b" else dump.text
    assert len(text.splitlines()) > 1000


# -- JSON API --------------------------------------------------------------------------------------


def test_fundings_list_shape_and_sorting(client: httpx.Client) -> None:
    body = client.get("/api/fundings", params={"sort": "-amount"}).json()
    assert set(body) == {"items", "total", "limit", "offset"}
    first = body["items"][0]
    assert {"id", "label", "labels", "sources", "funder", "funded", "amount", "currency"} <= set(first)
    assert {"id", "label"} <= set(first["funder"])
    assert first["labels"]["fr"] == first["label"]  # French is the default language
    assert all(" → " in label for label in first["labels"].values())
    amounts = [i["amount"] for i in body["items"] if i["amount"] is not None]
    assert amounts == sorted(amounts, reverse=True)
    assert client.get("/api/fundings", params={"limit": 0}).status_code == 400


def test_funding_filters(client: httpx.Client) -> None:
    everything = client.get("/api/fundings").json()
    funder = everything["items"][0]["funder"]["id"]
    only = client.get("/api/fundings", params={"funder": funder}).json()
    assert only["total"] >= 1 and all(i["funder"]["id"] == funder for i in only["items"])
    assert client.get("/api/fundings", params={"currency": "XXX"}).json()["total"] == 0


def test_organisation_search_and_detail(client: httpx.Client) -> None:
    found = client.get("/api/organisations", params={"q": "ofppt"}).json()
    assert found["items"], found
    detail = client.get(f"/api/organisations/{found['items'][0]['id']}")
    assert detail.status_code == 200
    assert {"fundingsGiven", "fundingsReceived", "projects", "partners"} <= set(detail.json())


def test_project_detail(client: httpx.Client) -> None:
    projects = client.get("/api/projects").json()["items"]
    detail = client.get(f"/api/projects/{projects[0]['id']}").json()
    assert {"participants", "regions", "start", "end", "indicators", "fundings"} <= set(detail)


def test_documents_round_trip(client: httpx.Client) -> None:
    text = "Le programme Tamayuz est financé par la Banque Européenne d'Investissement (BEI) à hauteur de 3 millions d'euros."
    assert client.post("/api/documents", json={"text": text, "id": "api-test"}).status_code == 401
    created = client.post("/api/documents", json={"text": text, "id": "api-test"}, headers=AUTH)
    assert created.status_code == 201, created.text
    fundings = created.json()["fundings"]
    assert fundings and fundings[0]["amount"] == 3_000_000 and fundings[0]["currency"] == "EUR"
    stored = client.get("/api/documents/api-test").json()
    assert stored["fundings"][0]["id"] == fundings[0]["id"]
    listed = client.get("/api/fundings", params={"funded": fundings[0]["funded"]}).json()
    assert listed["total"] == 1
    assert client.delete("/api/documents/api-test", headers=AUTH).status_code == 204
    assert client.get("/api/documents/api-test").status_code == 404
    assert client.get("/api/fundings", params={"funded": fundings[0]["funded"]}).json()["total"] == 0


def test_saved_queries_endpoints(client: httpx.Client) -> None:
    listed = client.get("/api/queries").json()
    assert any(q["name"] == "who-funded-what" for q in listed["items"])
    csv = client.get("/api/queries/who-funded-what", params={"format": "csv"})
    assert csv.status_code == 200 and csv.text.startswith("funding,")
    missing = client.get("/api/queries/partners-of-organisation")
    assert missing.status_code == 400
    spec = client.get("/openapi.json").json()
    params = {p["name"] for p in spec["paths"]["/api/queries/fundings-by-year"]["get"]["parameters"]}
    assert {"from", "to"} <= params


def test_errors_are_json_for_clients_and_pages_for_browsers(client: httpx.Client) -> None:
    api = client.get("/api/projects/http://nowhere.example/x")
    assert api.status_code == 404 and api.json()["code"] == "not_found"
    page = client.get("/api/projects/http://nowhere.example/x", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


def test_cors(client: httpx.Client) -> None:
    response = client.get("/api/fundings", headers={"Origin": "https://example.org"})
    assert response.headers.get("access-control-allow-origin") == "https://example.org"


def test_jsonld_context(client: httpx.Client) -> None:
    response = client.get("/api/fundings", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.json()["@context"].endswith("/api/context.jsonld")
    assert "@context" in client.get("/api/context.jsonld").json()


def test_results_are_current_after_a_write(client: httpx.Client) -> None:
    before = parse_query_results(
        client.get(
            "/sparql", params={"query": COUNT_FUNDINGS}, headers={"Accept": "application/sparql-results+json"}
        ).content,
        QueryResultsFormat.JSON,
    )
    count = int(next(iter(before))["n"].value)
    text = "The Youth Skills Project is funded by the Swedish Agency for Growth (SAG) with a grant of USD 2 million."
    assert client.post("/api/documents", json={"text": text, "id": "fresh"}, headers=AUTH).status_code == 201
    after = parse_query_results(
        client.get(
            "/sparql", params={"query": COUNT_FUNDINGS}, headers={"Accept": "application/sparql-results+json"}
        ).content,
        QueryResultsFormat.JSON,
    )
    assert int(next(iter(after))["n"].value) == count + 1
    client.delete("/api/documents/fresh", headers=AUTH)


def test_graph_store_protocol(client: httpx.Client) -> None:
    graph = "http://example.org/graph/gsp"
    turtle = (
        "@prefix coopkg: <https://w3id.org/coopkg/ontology#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<http://example.org/unit/seedling> a coopkg:Unit ; skos:prefLabel "plant"@fr .'
    )
    headers = {**AUTH, "Content-Type": "text/turtle"}
    assert (
        client.put(
            "/graph", params={"graph": graph}, content=turtle, headers={"Content-Type": "text/turtle"}
        ).status_code
        == 401
    )
    assert client.put("/graph", params={"graph": graph}, content=turtle, headers=headers).status_code == 201
    read = client.get("/graph", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    assert read.status_code == 200 and "seedling" in read.text
    broken = "@prefix coopkg: <https://w3id.org/coopkg/ontology#> . <http://example.org/unit/x> a coopkg:Unit ."
    refused = client.put("/graph", params={"graph": graph}, content=broken, headers=headers)
    assert refused.status_code == 422 and refused.json()["code"] == "validation_failed"
    assert "seedling" in client.get("/graph", params={"graph": graph}, headers={"Accept": "text/turtle"}).text
    assert client.delete("/graph", params={"graph": graph}, headers=AUTH).status_code == 204
    assert client.get("/graph", params={"graph": graph}).status_code == 404
    assert client.put("/graph", params={"graph": graph}, content="not turtle {", headers=headers).status_code == 400


@pytest.mark.parametrize(
    "q",
    [
        "ofppt",
        "OFPPT",
        "office de la formation professionnelle",
        "مكتب التكوين المهني",
        "لمكتب التكوين المهني وإنعاش الشغل",
    ],
)
def test_organisation_search_is_insensitive(client: httpx.Client, server: Server, q: str) -> None:
    found = client.get("/api/organisations", params={"q": q}).json()["items"]
    assert found and found[0]["id"] == f"{server.url}/id/organisation/ofppt"


def test_search_by_acronym_accents_and_arabic_variants(client: httpx.Client, server: Server) -> None:
    eu = f"{server.url}/id/organisation/eu"
    for q in ("union europeenne", "UE", "والاتحاد الاوروبي"):
        items = client.get("/api/organisations", params={"q": q}).json()["items"]
        assert items and items[0]["id"] == eu, q


def test_document_upload_as_a_file(client: httpx.Client) -> None:
    files = {"file": ("note.txt", "Le programme Nour est financé par la JICA.".encode(), "text/plain")}
    created = client.post("/api/documents", files=files, data={"id": "upload-1"}, headers=AUTH)
    assert created.status_code == 201, created.text
    assert [f["funder"].rsplit("/", 1)[-1] for f in created.json()["fundings"]] == ["jica"]
    assert client.delete("/api/documents/upload-1", headers=AUTH).status_code == 204
    empty = client.post("/api/documents", files={"file": ("empty.txt", b"", "text/plain")}, headers=AUTH)
    assert empty.status_code == 400 and "empty" in empty.json()["message"]
