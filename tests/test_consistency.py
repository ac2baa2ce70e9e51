"""Several processes over one endpoint: a real `coopkg serve --workers 2` and the CLI, on `oxigraph serve` and on Virtuoso.

After each write's answer (an HTTP write through either worker, or a CLI command that exited),
every read through *both* workers agrees with the store: the funding view's total and the name
index's total with the same counts asked of `/sparql`. Which worker answers a connection is read
from /proc (the worker process holding the accepted socket), so both are known to have answered.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, WRITE_TOKEN, CoopkgServer, Endpoint, OxigraphServer, VirtuosoServer

COOPKG = "https://w3id.org/coopkg/ontology#"
COUNT_FUNDINGS = (f"SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{ GRAPH ?g {{ ?f a <{COOPKG}Funding> ; "
                  f"<{COOPKG}funder> ?x ; <{COOPKG}fundedItem> ?y }} }}")  # fmt: skip
COUNT_ORGANISATIONS = (
    "SELECT (COUNT(DISTINCT ?org) AS ?n) WHERE { ?type <http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
    f"<{COOPKG}Organisation> . GRAPH ?g {{ ?org a ?type }} "
    "{ GRAPH ?h { ?org <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } } UNION "
    "{ GRAPH ?h { ?org <http://www.w3.org/2004/02/skos/core#altLabel> ?l } } }"
)
POSTED = "Le projet Atlas est financé par la Banque mondiale à hauteur de 2 millions de dollars."
INGESTED = "La Banque africaine de développement finance le programme Horizon Vert à hauteur de 5 millions d'euros."


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def deployment(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoopkgServer]:
    """`coopkg serve` (two workers) over each engine, the corpus ingested by the CLI first."""
    tmp = tmp_path_factory.mktemp(f"consistency-{request.param}")
    engine: OxigraphServer | None = None
    if request.param == "virtuoso":
        virtuoso: VirtuosoServer = request.getfixturevalue("virtuoso_server")  # the session's, emptied
        endpoint = virtuoso.endpoint()
        endpoint.empty()
    else:
        engine = OxigraphServer(tmp / "oxigraph")
        endpoint = Endpoint(f"{engine.url}/query", f"{engine.url}/update")
    service = None
    try:
        # Virtuoso builds the first views in seconds where Oxigraph takes a fraction: a longer query limit.
        limit = {"COOPKG_QUERY_TIMEOUT": "60"} if request.param == "virtuoso" else {}
        service = CoopkgServer(tmp, **endpoint.env(), **limit)
        yield service
    finally:
        if service is not None:
            service.stop()
        if engine is not None:
            engine.stop()


def _worker_of(connection: http.client.HTTPConnection, port: int, workers: set[int]) -> int:
    """The worker process holding the server side of ``connection`` (from /proc/net/tcp and its fds)."""
    client_port = connection.sock.getsockname()[1]
    wanted = f":{port:04X}", f":{client_port:04X}"
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(wanted[0]) and fields[2].endswith(wanted[1]):
            inode = fields[9]
    assert inode is not None, "the accepted connection is not in /proc/net/tcp"
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if fd.readlink() == Path(f"socket:[{inode}]"):
                    return pid
            except FileNotFoundError:
                continue
    raise AssertionError("no worker holds the connection")


def _get(connection: http.client.HTTPConnection, path: str, accept: str = "application/json") -> Any:
    connection.request("GET", path, headers={"Accept": accept})
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200, body
    return json.loads(body)


def _reads(connection: http.client.HTTPConnection) -> dict[str, int]:
    def count(query: str) -> int:
        answer = _get(connection, "/sparql?" + urllib.parse.urlencode({"query": query}),
                      "application/sparql-results+json")  # fmt: skip
        return int(answer["results"]["bindings"][0]["n"]["value"])

    return {
        "fundings": _get(connection, "/api/fundings?limit=1")["total"],
        "sparql fundings": count(COUNT_FUNDINGS),
        "organisations": _get(connection, "/api/organisations?limit=1")["total"],
        "sparql organisations": count(COUNT_ORGANISATIONS),
        "projects": _get(connection, "/api/projects?limit=1")["total"],
    }


def read_through_both_workers(service: CoopkgServer) -> dict[str, int]:
    """The reads through each worker (new connections until both have answered); they must all agree."""
    port = int(service.url.rsplit(":", 1)[1])
    workers = service.workers()
    assert len(workers) == 2
    answers: dict[int, list[dict[str, int]]] = {}
    for _ in range(200):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            reads = _reads(connection)
            answers.setdefault(_worker_of(connection, port, workers), []).append(reads)
        finally:
            connection.close()
        if len(answers) == 2 and sum(map(len, answers.values())) >= 4:
            break
    assert set(answers) == workers, "both workers answered"
    seen = [reads for per_worker in answers.values() for reads in per_worker]
    assert all(reads == seen[0] for reads in seen), answers
    first = seen[0]
    assert first["fundings"] == first["sparql fundings"]  # the funding view follows the store
    assert first["organisations"] == first["sparql organisations"]  # and so does the name index
    return first


def _http(service: CoopkgServer, method: str, path: str, body: bytes = b"", content_type: str = "") -> bytes:
    port = int(service.url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {WRITE_TOKEN}", "Accept": "application/n-triples"}
    if content_type:
        headers["Content-Type"] = content_type
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    answer = response.read()
    connection.close()
    assert response.status < 300, answer
    return answer


def _cli(service: CoopkgServer, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "coopkg.cli", *args], env=service.env, capture_output=True,
                          text=True, timeout=300, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_two_workers_and_the_cli_agree_after_every_write(deployment: CoopkgServer, tmp_path: Path) -> None:
    service = deployment
    start = read_through_both_workers(service)  # both workers build their views before any write below
    assert start["fundings"] > 0

    _http(service, "POST", "/api/documents", json.dumps({"id": "atlas", "text": POSTED}).encode(), "application/json")
    posted = read_through_both_workers(service)
    assert posted["fundings"] > start["fundings"]
    graph = f"{service.url}/graph/document/atlas"
    quoted = urllib.parse.quote(graph, safe="")
    saved = tmp_path / "atlas.nt"
    saved.write_bytes(_http(service, "GET", f"/graph?graph={quoted}"))

    document = tmp_path / "horizon.txt"
    document.write_text(INGESTED, encoding="utf-8")
    _cli(service, "ingest", str(document))  # another process, writing to the same endpoint
    ingested = read_through_both_workers(service)
    assert ingested["fundings"] > posted["fundings"]

    _http(service, "DELETE", "/api/documents/atlas")
    deleted = read_through_both_workers(service)
    assert deleted["fundings"] < ingested["fundings"]

    _cli(service, "load", str(saved), "--graph", graph)
    assert read_through_both_workers(service) == ingested

    update = f"DROP SILENT GRAPH <{graph}>".encode()  # SILENT: Virtuoso refuses DROP of a graph never CREATEd
    _http(service, "POST", "/update", update, "application/sparql-update")
    assert read_through_both_workers(service) == deleted

    _http(service, "PUT", f"/graph?graph={quoted}", saved.read_bytes(), "application/n-triples")
    assert read_through_both_workers(service) == ingested
