"""Several processes over one endpoint: two `coopkg serve --workers 2` hosts and the CLI, on `oxigraph serve` and Virtuoso.

The two hosts are two `coopkg serve` processes on their own ports, each with its own local state (its
store folder and its temporary folder, where the remote backend's views live), as two machines
behind a load balancer would have, with the same base IRI. After each write's answer (an HTTP write
through either host, or a CLI command that exited), every read through *every* worker of both hosts
agrees with the store: the funding view's total and the name index's total with the same counts
asked of `/sparql`. Which worker answers a connection is read from /proc (the worker process holding
the accepted socket), so each is known to have answered.
"""

from __future__ import annotations

import concurrent.futures
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


HOSTS = {"oxigraph": 2, "virtuoso": 2}  # the second host costs ~7 s on Oxigraph, ~23 s on Virtuoso
BASE_IRI = "https://kg.example.org/"  # the one base of every host, as behind a load balancer


@pytest.fixture(scope="module", params=list(HOSTS))
def deployment(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[CoopkgServer]]:
    """`coopkg serve` hosts (two workers each) over each engine, the corpus ingested by the CLI first."""
    tmp = tmp_path_factory.mktemp(f"consistency-{request.param}")
    engine: OxigraphServer | None = None
    if request.param == "virtuoso":
        virtuoso: VirtuosoServer = request.getfixturevalue("virtuoso_server")  # the session's, emptied
        endpoint = virtuoso.endpoint()
        endpoint.empty()
    else:
        engine = OxigraphServer(tmp / "oxigraph")
        endpoint = Endpoint(f"{engine.url}/query", f"{engine.url}/update")
    hosts: list[CoopkgServer] = []
    try:
        # Virtuoso builds the first views in seconds where Oxigraph takes a fraction: a longer query limit.
        limit = {"COOPKG_QUERY_TIMEOUT": "60"} if request.param == "virtuoso" else {}
        for number in range(HOSTS[request.param]):
            local = tmp / f"host-{number}"  # this host's own folders: no file is shared with another host
            (local / "tmp").mkdir(parents=True)
            hosts.append(CoopkgServer(local, prepared=number > 0, TMPDIR=str(local / "tmp"), COOPKG_BASE_IRI=BASE_IRI,
                                      **endpoint.env(), **limit))  # fmt: skip
        yield hosts
    finally:
        for host in hosts:
            host.stop()
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


def read_through_every_worker(hosts: list[CoopkgServer]) -> dict[str, int]:
    """The reads through each worker of each host (new connections until all have answered); they must all agree."""
    answers: dict[tuple[int, int], list[dict[str, int]]] = {}
    for number, host in enumerate(hosts):
        port = int(host.url.rsplit(":", 1)[1])
        workers = host.workers()
        assert len(workers) == 2
        seen_here: set[int] = set()
        for _ in range(200):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                reads = _reads(connection)
                worker = _worker_of(connection, port, workers)
            finally:
                connection.close()
            answers.setdefault((number, worker), []).append(reads)
            seen_here.add(worker)
            if seen_here == workers and sum(len(answers[(number, w)]) for w in workers) >= 4:
                break
        assert seen_here == workers, f"both workers of host {number} answered"
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


def test_every_host_worker_and_the_cli_agree_after_every_write(deployment: list[CoopkgServer], tmp_path: Path) -> None:
    """Writes through each host in turn and the CLI; reads through every worker of both hosts."""
    hosts = deployment
    first, second = hosts
    start = read_through_every_worker(hosts)  # every worker builds its views before any write below
    assert start["fundings"] > 0
    for host in hosts:  # each worker's views are in its own host's temporary folder
        assert len(list(Path(host.env["TMPDIR"]).glob("coopkg-views-*"))) == 2

    _http(first, "POST", "/api/documents", json.dumps({"id": "atlas", "text": POSTED}).encode(), "application/json")
    posted = read_through_every_worker(hosts)
    assert posted["fundings"] > start["fundings"]
    graph = f"{BASE_IRI}graph/document/atlas"
    quoted = urllib.parse.quote(graph, safe="")
    saved = tmp_path / "atlas.nt"
    saved.write_bytes(_http(second, "GET", f"/graph?graph={quoted}"))  # the other host serves what the first wrote

    document = tmp_path / "horizon.txt"
    document.write_text(INGESTED, encoding="utf-8")
    _cli(first, "ingest", str(document))  # another process, writing to the same endpoint
    ingested = read_through_every_worker(hosts)
    assert ingested["fundings"] > posted["fundings"]

    _http(second, "DELETE", "/api/documents/atlas")  # a document written through one host, deleted through the other
    deleted = read_through_every_worker(hosts)
    assert deleted["fundings"] < ingested["fundings"]

    _cli(second, "load", str(saved), "--graph", graph)
    assert read_through_every_worker(hosts) == ingested

    update = f"DROP SILENT GRAPH <{graph}>".encode()  # SILENT: Virtuoso refuses DROP of a graph never CREATEd
    _http(first, "POST", "/update", update, "application/sparql-update")
    assert read_through_every_worker(hosts) == deleted

    _http(second, "PUT", f"/graph?graph={quoted}", saved.read_bytes(), "application/n-triples")
    assert read_through_every_worker(hosts) == ingested
    assert posted["fundings"] == start["fundings"] + 1  # one document, one funding

    # Both hosts at once: three documents each, posted side by side (on Oxigraph two concurrent writes
    # may see the same change-log heads; neither may be lost to any worker).
    def post(host: CoopkgServer, number: int) -> None:
        text = POSTED.replace("Atlas", f"Atlas {number}").replace("2 millions", f"{number + 2} millions")
        _http(host, "POST", "/api/documents", json.dumps({"id": f"atlas-{number}", "text": text}).encode(),
              "application/json")  # fmt: skip

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        list(pool.map(post, [first, second] * 3, range(6)))
    assert read_through_every_worker(hosts)["fundings"] == ingested["fundings"] + 6
