"""The W3C SPARQL 1.1 and 1.2 Protocol test suites (tests/w3c/protocol), every test, against a real `coopkg serve`.

Each test of the two manifests is one case, read from the manifest with rdflib: its requests are sent
as the manifest describes them (method, path, headers, body in its character encoding) through real
HTTP, and every expectation the manifest states is checked (status class, boolean answer, the kind of
format, the response's media type). How the manifests are read where the service differs from the
suite's single ``/sparql/`` endpoint is in tests/w3c/protocol/README.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import pytest
from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Store, parse, parse_query_results
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from coopkg.update_dataset import with_dataset
from tests.conftest import WRITE_TOKEN, CoopkgServer, OxigraphServer

SUITE = Path(__file__).parent / "w3c" / "protocol"
MANIFESTS = {"sparql11": 42, "sparql12": 6}  # tests in each manifest
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
# What the runner reads of a request and of a response; anything else in a manifest fails its test.
REQUEST_TERMS = {RDF.type, HT.methodName, HT.absolutePath, HT.httpVersion, HT.headers, HT.body, HT.resp}
RESPONSE_TERMS = {RDF.type, MF.expectedStatus, HT.statusCodeValue, MF.expectedBoolean, MF.expectedFormat,
                  HT.headers, HT.body}  # fmt: skip
UPDATE_PARAMETERS = {"update", "using-graph-uri", "using-named-graph-uri"}


@dataclass(frozen=True)
class Expected:
    statuses: frozenset[str]  # first digits: "2", "3", "4"
    boolean: bool | None
    form: str | None  # "boolean", "tabular" or "RDF"
    media_types: frozenset[str] | None  # the response's Content-Type is one of these


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # as in the manifest: /sparql/… and its query string
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    expected: Expected


@dataclass(frozen=True)
class Case:
    name: str
    graphs: tuple[tuple[Path, str], ...]  # ut:graphData: a file, loaded into the graph its label names
    requests: tuple[Request, ...]
    unread: tuple[str, ...]  # what the runner does not know how to check


def _items(graph: Graph, head: object) -> list:
    return list(Collection(graph, head)) if head is not None else []


def _headers(graph: Graph, node: object) -> list[tuple[str, str, tuple[str, ...]]]:
    found = []
    for header in _items(graph, graph.value(node, HT.headers)):
        elements = tuple(
            str(graph.value(e, HT.elementName)) for e in _items(graph, graph.value(header, HT.headerElements))
        )
        found.append((str(graph.value(header, HT.fieldName)), str(graph.value(header, HT.fieldValue)), elements))
    return found


def _expected(graph: Graph, response: object, unread: list[str]) -> Expected:
    unread += [f"response {p}" for p in set(graph.predicates(response)) - RESPONSE_TERMS]
    statuses = {str(s).rsplit("StatusCode", 1)[-1][0] for s in graph.objects(response, MF.expectedStatus)}
    statuses |= {str(s)[0] for s in graph.objects(response, HT.statusCodeValue)}
    boolean = graph.value(response, MF.expectedBoolean)
    body = graph.value(response, HT.body)
    if body is not None:  # an expected body: only the boolean of an ASK is stated this way
        chars = graph.value(body, CNT.chars)
        if not (isinstance(chars, Literal) and isinstance(chars.toPython(), bool)):
            unread.append(f"response body {chars!r}")
        boolean = chars
    media_types: set[str] = set()
    for name, value, elements in _headers(graph, response):
        # A response's expected "Accept" lists the media types acceptable for the answer (the manifests
        # give it on three tests where Content-Type is meant): both constrain the response's Content-Type.
        if name.lower() not in {"content-type", "accept"}:
            unread.append(f"response header {name}")
        media_types |= set(elements) or {v.strip() for v in value.split(",")}
    form = graph.value(response, MF.expectedFormat)
    return Expected(
        frozenset(statuses),
        None if boolean is None else bool(boolean.toPython()),  # type: ignore[union-attr]
        None if form is None else str(form),
        frozenset(m.lower() for m in media_types) or None,
    )


def _request(graph: Graph, node: object, unread: list[str]) -> Request:
    unread += [f"request {p}" for p in set(graph.predicates(node)) - REQUEST_TERMS]
    body = graph.value(node, HT.body)
    content = None
    if body is not None:
        encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
        content = str(graph.value(body, CNT.chars)).encode(encoding)
    headers = tuple((name, value) for name, value, _ in _headers(graph, node))
    return Request(str(graph.value(node, HT.methodName)), str(graph.value(node, HT.absolutePath)), headers, content,
                   _expected(graph, graph.value(node, HT.resp), unread))  # fmt: skip


def read_manifest(path: Path) -> list[Case]:
    """The tests of a manifest, in the order of its mf:entries."""
    graph = Graph().parse(path, format="turtle")
    manifest = graph.value(predicate=RDF.type, object=MF.Manifest)
    cases = []
    for test in _items(graph, graph.value(manifest, MF.entries)):
        unread: list[str] = []
        if graph.value(test, RDF.type) != MF.ProtocolTest:
            unread.append(f"test type {graph.value(test, RDF.type)}")
        graphs = tuple(
            (Path(URIRef(str(graph.value(d, UT.graph))).removeprefix("file://")), str(graph.value(d, RDFS.label)))
            for d in graph.objects(test, UT.graphData)
        )
        action = graph.value(test, MF.action)
        requests = tuple(_request(graph, r, unread) for r in _items(graph, graph.value(action, HT.requests)))
        cases.append(Case(str(test).rsplit("#", 1)[-1], graphs, requests, tuple(unread)))
    return cases


CASES = {name: read_manifest(SUITE / name / "manifest.ttl") for name in MANIFESTS}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoopkgServer]:
    running = CoopkgServer(tmp_path_factory.mktemp("w3c-protocol"), corpus=False)  # the suite brings its data
    yield running
    running.stop()


@pytest.fixture(scope="module")
def client(server: CoopkgServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def test_both_manifests_are_read_whole() -> None:
    assert {name: len(cases) for name, cases in CASES.items()} == MANIFESTS
    every = [case for cases in CASES.values() for case in cases]
    assert all(case.requests for case in every)
    assert all(r.expected.statuses for case in every for r in case.requests)  # every request has its outcome
    assert "bad_query_multiple_versions" in {case.name for case in CASES["sparql12"]}


def _media_type(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


def _is_update(request: Request, case: Case) -> bool:
    """Whether the request is an update (sent to /update) or a query (to /sparql).

    The suite uses one endpoint for both and lets a service split them: by the media type of a direct
    POST, else by the protocol parameters in the URL or a form body; a body that is neither (a
    ``text/plain`` one) is what the test's name says it is.
    """
    content_type = _media_type(dict((k.lower(), v) for k, v in request.headers).get("content-type"))
    if content_type in {"application/sparql-update", "application/sparql-query"}:
        return content_type == "application/sparql-update"
    names = {k for k, _ in parse_qsl(request.path.partition("?")[2], keep_blank_values=True)}
    if request.body is not None and content_type in {"", "application/x-www-form-urlencoded"}:
        names |= {k for k, _ in parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)}
    if names & UPDATE_PARAMETERS:
        return True
    if "query" in names:
        return False
    return "update" in case.name


def _send(client: httpx.Client, request: Request, case: Case) -> httpx.Response:
    path, _, query_string = request.path.partition("?")
    assert path in {"/sparql", "/sparql/"}, path
    update = _is_update(request, case)
    target = ("/update" if update else "/sparql") + ("?" + query_string if query_string else "")
    headers = dict(request.headers) | (AUTH if update else {})
    # httpx sends the body as given (no Content-Type added) and follows no redirect: a 3xx is an outcome.
    return client.request(request.method, target, headers=headers, content=request.body)


def _check(response: httpx.Response, expected: Expected) -> None:
    status = response.status_code
    assert str(status)[0] in expected.statuses, f"{status} {response.text[:300]}"
    media_type = _media_type(response.headers.get("content-type"))
    if expected.media_types is not None:
        assert media_type in expected.media_types, media_type
    if status >= 400:
        error = response.json()  # never a bare status: a stable code and a message saying what is wrong
        assert error["code"] and error["message"], error
        return
    if expected.form == "RDF":
        fmt = RdfFormat.from_media_type(media_type)
        assert fmt is not None, media_type
        list(parse(response.content, format=fmt))  # a syntax error fails the test
    elif expected.form is not None or expected.boolean is not None:
        fmt = QueryResultsFormat.from_media_type(media_type)
        assert fmt is not None, media_type
        results = parse_query_results(response.content, format=fmt)
        kind = QueryBoolean if expected.form == "boolean" or expected.boolean is not None else QuerySolutions
        assert isinstance(results, kind), (type(results), response.text[:300])
        if expected.boolean is not None:
            assert bool(results) is expected.boolean, response.text


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{m}:{c.name}") for m, cases in CASES.items() for c in cases])
def test_w3c_protocol(client: httpx.Client, case: Case) -> None:
    assert not case.unread, f"the runner cannot check {case.unread}"
    for data, graph in case.graphs:
        loaded = client.put("/graph", params={"graph": graph}, content=data.read_bytes(),
                            headers={"Content-Type": "application/n-triples", **AUTH})  # fmt: skip
        assert loaded.status_code in {201, 204}, loaded.text  # created, or replaced
    for request in case.requests:
        _check(_send(client, request, case), request.expected)


def test_the_suite_leaves_the_service_answering(client: httpx.Client) -> None:
    """After every test (CLEAR ALL and DROP ALL among them), the service still answers its pages and API."""
    assert client.get("/api/organisations").status_code == 200
    assert json.loads(client.get("/sparql", params={"query": "ASK {}"}).content)["boolean"] is True


def test_relative_iris_resolve_against_the_endpoints(client: httpx.Client, server: CoopkgServer) -> None:
    """The service's base (§2.4): the endpoint a query or update is sent to."""
    inserted = client.post("/update", content="INSERT DATA { GRAPH <http://example.org/base> { <s> <p> <o> } }",
                           headers={"Content-Type": "application/sparql-update", **AUTH})  # fmt: skip
    assert inserted.status_code == 204, inserted.text
    found = client.get(
        "/sparql", params={"query": "SELECT ?s (<x> AS ?x) { GRAPH <http://example.org/base> { ?s ?p ?o } }"}
    )
    row = found.json()["results"]["bindings"][0]
    assert (row["s"]["value"], row["x"]["value"]) == (server.url + "/s", server.url + "/x")


SEED = """<http://e/a> <http://e/p> "1" <http://e/g1> .
<http://e/b> <http://e/p> "2" <http://e/g2> .
<http://e/c> <http://e/p> "3" <http://e/g3> .
<http://e/d> <http://e/p> "4" .
"""
# Updates with a WHERE in every place the lexer must tell apart (subqueries, strings, comments, names), each
# of which the three datasets below make write differently.
DATASET_UPDATES = [
    ("PREFIX ex: <http://e/> INSERT { GRAPH <http://e/out> { ?s ex:where ?o } } # where\n"
     'WHERE { ?s ?p ?o { SELECT ?s WHERE { ?s ?p ?x } } FILTER(?o != "WHERE") }'),
    "delete where { GRAPH ?g { ?s <http://e/p> ?o } }",
    "INSERT DATA { <http://e/z> <http://e/p> 0 } ; DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "INSERT { GRAPH <http://e/out> { ?s <http://e/in> ?g } } WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }",
    "DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { GRAPH ?g { ?s ?p 9 } } WHERE { GRAPH ?g { ?s ?p ?o } }",
]  # fmt: skip
DATASETS = [(["http://e/g1"], []), (["http://e/g1", "http://e/g2"], ["http://e/g3"]), ([], ["http://e/g2"])]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    running = OxigraphServer(tmp_path_factory.mktemp("oxigraph-dataset"))
    yield running
    running.stop()


@pytest.mark.parametrize("update", DATASET_UPDATES)
def test_the_update_dataset_means_what_oxigraph_serve_makes_of_it(oxigraph: OxigraphServer, update: str) -> None:
    """``with_dataset`` on an embedded store writes what `oxigraph serve` writes for the same parameters."""
    outcomes = set()
    for default_graphs, named_graphs in DATASETS:
        with httpx.Client(base_url=oxigraph.url, timeout=30) as http:
            direct = {"Content-Type": "application/sparql-update"}
            http.post("/update", content="DROP ALL", headers=direct).raise_for_status()
            http.post("/store", content=SEED, headers={"Content-Type": "application/n-quads"}).raise_for_status()
            params = [("using-graph-uri", g) for g in default_graphs] + [
                ("using-named-graph-uri", g) for g in named_graphs
            ]
            http.post("/update", params=params, content=update, headers=direct).raise_for_status()
            dump = http.get("/store", headers={"Accept": "application/n-quads"}).content
        store = Store()
        store.load(SEED.encode(), format=RdfFormat.N_QUADS)
        store.update(with_dataset(update, default_graphs, named_graphs))
        assert set(store) == set(parse(dump, format=RdfFormat.N_QUADS)), (default_graphs, named_graphs)
        outcomes.add(frozenset(store))
    assert len(outcomes) >= 2  # the dataset made a difference
