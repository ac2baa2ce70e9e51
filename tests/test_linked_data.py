"""Linked data over real HTTP: methods, IRIs in headers, evidence, the dataset description, the dump.

One real `coopkg serve` over the corpus for the module.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyshacl
import pytest
import rdflib
import rdflib.compare
import rdflib.query
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    QueryResultsFormat,
    RdfFormat,
    parse,
    parse_query_results,
)

from coopkg.iris import IriMinter, iri_key, iri_to_uri, slugify
from tests.conftest import WRITE_TOKEN
from tests.conftest import CoopkgServer as Server

AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
COOPKG = "https://w3id.org/coopkg/ontology#"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("linked-data"))
    yield running
    running.stop()


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        yield http


def _some(client: httpx.Client, path: str) -> str:
    return client.get(path).json()["items"][0]["id"]


def ontology_version() -> str:
    ontology = rdflib.Graph().parse(ROOT / "ontology" / "coopkg.ttl")
    return str(ontology.value(rdflib.URIRef("https://w3id.org/coopkg/ontology"), rdflib.OWL.versionInfo))


PAGES = ("/network", "/organisations", "/projects", "/regions", "/documents", "/indicators", "/queries", "/redoc")


def get_routes(client: httpx.Client, server: Server) -> dict[str, str]:
    """A concrete URL for every GET route of the service (path template → URL)."""
    project = _some(client, "/api/projects")
    organisation = _some(client, "/api/organisations")
    region = _some(client, "/api/regions")
    document = client.get("/api/documents").json()["items"][0]["identifier"]
    return {
        "/": "/",
        "/sparql": "/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"),
        "/graph": "/graph?graph=" + urllib.parse.quote(server.url + "/graph/ontology"),
        "/api/queries": "/api/queries",
        "/api/queries/{name}": "/api/queries/who-funded-what",
        "/api/fundings": "/api/fundings",
        "/api/fundings/totals": "/api/fundings/totals",
        "/api/fundings/network": "/api/fundings/network",
        "/api/organisations": "/api/organisations",
        "/api/organisations/{key}": "/api/organisations/" + organisation.rsplit("/", 1)[-1],
        "/api/projects": "/api/projects",
        "/api/projects/{key}": "/api/projects/" + project.rsplit("/", 1)[-1],
        "/api/regions": "/api/regions",
        "/api/regions/{key}": "/api/regions/" + urllib.parse.quote(region, safe=""),
        "/api/labels": "/api/labels?iri=" + urllib.parse.quote(project, safe=""),
        "/api/indicators": "/api/indicators",
        "/api/documents": "/api/documents",
        "/api/documents/{doc_id}": "/api/documents/" + document,
        "/api/context.jsonld": "/api/context.jsonld",
        "/id/{path}": project.replace(server.url, ""),
        "/ontology": "/ontology",
        "/ontology/{version}": "/ontology/" + ontology_version(),
        "/shapes": "/shapes",
        "/dataset": "/dataset",
        "/dataset/{part}": "/dataset/dump",
        "/.well-known/void": "/.well-known/void",
        "/dump": "/dump",
        "/openapi.json": "/openapi.json",
        "/docs": "/docs",
        "/static/site.css": "/static/site.css",
        **{path: path for path in PAGES},  # not in the OpenAPI document: HEAD as well
    }


# -- HTTP methods ------------------------------------------------------------------------------------


def test_head_answers_every_get_route_like_get_without_a_body(client: httpx.Client, server: Server) -> None:
    routes = get_routes(client, server)
    paths = client.get("/openapi.json").json()["paths"]
    # Each saved query is a route of its own; one of them stands for all.
    documented = {
        "/api/queries/{name}" if p.startswith("/api/queries/") else p for p, ops in paths.items() if "get" in ops
    }
    assert documented <= set(routes), f"GET routes without a HEAD check: {documented - set(routes)}"
    for template, url in routes.items():
        got = client.get(url)
        head = client.head(url)
        assert got.status_code == 200, (template, got.status_code, got.text[:200])
        assert head.status_code == 200, (template, head.status_code)
        assert head.content == b"", template
        assert head.headers["content-type"] == got.headers["content-type"], template
        if "content-length" in got.headers and "content-encoding" not in got.headers:
            assert head.headers["content-length"] == str(len(got.content)), template


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("POST", "/api/fundings", "GET, HEAD"),
        ("DELETE", "/sparql", "GET, HEAD, POST"),
        ("PUT", "/api/documents/some-doc", "GET, HEAD, DELETE"),
        ("GET", "/update", "POST"),
        ("HEAD", "/update", "POST"),
        ("PATCH", "/graph", "GET, HEAD, POST, PUT, DELETE"),
        ("POST", "/static/site.css", "GET, HEAD"),
    ],
)
def test_405_says_which_methods_are_allowed(client: httpx.Client, method: str, path: str, allow: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    if method != "HEAD":
        assert response.json()["code"] == "method_not_allowed"


# -- IRIs ----------------------------------------------------------------------------------------------


def test_minted_iris_are_ascii_slugs(client: httpx.Client, server: Server) -> None:
    rows = client.get(
        "/sparql",
        params={"query": "SELECT DISTINCT ?s WHERE { ?s ?p ?o }", "format": "json"},
    ).json()["results"]["bindings"]
    minted = [r["s"]["value"] for r in rows if r["s"]["value"].startswith(server.url + "/id/")]
    assert minted and all(iri.isascii() for iri in minted), [i for i in minted if not i.isascii()]


def test_a_non_ascii_iri_dereferences_with_percent_encoded_headers(client: httpx.Client, server: Server) -> None:
    iri = server.url + "/id/organisation/équipe-تجربة"
    turtle = f'<{iri}> a <{COOPKG}Organisation> ; <http://www.w3.org/2004/02/skos/core#prefLabel> "تجربة"@ar .'
    graph = "http://example.org/graph/non-ascii"
    put = client.put(
        "/graph", params={"graph": graph}, content=turtle.encode(), headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert put.status_code == 201, put.text
    try:
        path = urllib.parse.quote(iri.replace(server.url, ""))
        for method in ("GET", "HEAD"):
            response = client.request(method, path, headers={"Accept": "text/turtle"})
            assert response.status_code == 200, response.text
            link = response.headers["link"]
            assert link.isascii() and urllib.parse.quote("تجربة") in link
        assert "تجربة" in client.get(path, headers={"Accept": "text/turtle"}).text
    finally:
        client.delete("/graph", params={"graph": graph}, headers=AUTH)


def test_keys_outside_ascii_go_through_the_slug_rules() -> None:
    mixed = iri_key("agreement-خطاب-ilo-ofppt")
    assert mixed.isascii() and mixed.startswith("agreement-ilo-ofppt-")
    assert mixed != iri_key("agreement-ilo-ofppt") == "agreement-ilo-ofppt"  # two keys stay two IRIs
    assert iri_key("MA/مراكش") == "MA/" + slugify("مراكش")  # an Arabic name is hashed, as everywhere
    assert IriMinter("http://x/").entity("project", "agreement-خطاب-ilo").value.isascii()


def test_iris_map_to_uris_as_rfc_3987_says() -> None:
    assert iri_to_uri("http://x/id/é?a=ب#f") == "http://x/id/%C3%A9?a=%D8%A8#f"
    assert iri_to_uri("http://x/id/a%20b") == "http://x/id/a%20b"  # escapes already there are kept


# -- evidence --------------------------------------------------------------------------------------------


def test_evidence_dereferences_down_to_its_quote_and_offsets(client: httpx.Client, server: Server) -> None:
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    funding = client.get("/api/fundings").json()["items"][0]
    evidence = funding["sources"][0]["evidence"][0]
    # What a client does with the fragment IRIs: it drops the fragment and dereferences the rest.
    for iri in (evidence["id"], evidence["id"] + "#quote", evidence["id"] + "#position"):
        response = client.get(iri.split("#")[0].replace(server.url, ""), headers={"Accept": "text/turtle"})
        assert response.status_code == 200
        graph = rdflib.Graph().parse(data=response.text, format="turtle")
        node = rdflib.URIRef(evidence["id"])
        assert (node, oa.hasBody, rdflib.URIRef(funding["id"])) in graph
        target = graph.value(node, oa.hasTarget)
        document = graph.value(target, oa.hasSource)
        selectors = set(graph.objects(target, oa.hasSelector))
        assert {rdflib.URIRef(evidence["id"] + "#quote"), rdflib.URIRef(evidence["id"] + "#position")} == selectors
        quote = str(graph.value(rdflib.URIRef(evidence["id"] + "#quote"), oa.exact))
        start = int(graph.value(rdflib.URIRef(evidence["id"] + "#position"), oa.start))
        end = int(graph.value(rdflib.URIRef(evidence["id"] + "#position"), oa.end))
        assert (quote, start, end) == (evidence["quote"], evidence["start"], evidence["end"])
    text = client.get(
        "/sparql",
        params={"query": f"SELECT ?t WHERE {{ <{document}> <{COOPKG}text> ?t }}", "format": "json"},
    ).json()["results"]["bindings"][0]["t"]["value"]
    assert text[start:end] == quote


# -- the dataset description ---------------------------------------------------------------------------

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
VOCAB = Path(__file__).parent / "vocab"


def void_graph(client: httpx.Client) -> rdflib.Graph:
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.text, format="turtle")


def dcat_ap_shapes() -> rdflib.Graph:
    """The DCAT-AP 3.0.1 shapes, mandatory, ranges and recommended.

    The release's range file names five property shapes that none of its files defines (two of the
    Dataset, two of the Distribution, one of the Relationship); pyshacl refuses a shape that names
    an undefined one, so those five references are left out, and every shape they define is kept."""
    shapes = rdflib.Graph()
    for name in ("dcat-ap-3.0.1-SHACL.ttl", "dcat-ap-3.0.1-ranges.ttl", "dcat-ap-3.0.1-recommended.ttl"):
        shapes.parse(VOCAB / name, format="turtle")
    undefined = [(s, o) for s, o in shapes.subject_objects(SH.property) if (o, SH.path, None) not in shapes]
    assert len(undefined) == 5, undefined
    for s, o in undefined:
        shapes.remove((s, SH.property, o))
    return shapes


def test_the_dataset_description_passes_the_dcat_ap_shapes(client: httpx.Client) -> None:
    conforms, report, text = pyshacl.validate(
        void_graph(client), shacl_graph=dcat_ap_shapes(), inference="none", allow_warnings=True
    )
    severities = [
        str(report.value(r, SH.resultSeverity)) for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)
    ]
    assert conforms and str(SH.Violation) not in severities, text
    # what is left are recommendations a deployment fills in (publisher, contact point, licence…)
    assert severities.count(str(SH.Warning)) <= 8, text


def test_a_class_partition_for_every_class_with_the_counts_of_coopkg_stats(
    client: httpx.Client, server: Server
) -> None:
    void = void_graph(client)
    dataset = rdflib.URIRef(server.url + "/dataset")
    counts = {
        void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
        for p in void.objects(dataset, VOID.classPartition)
    }
    ontology = rdflib.Graph().parse(ROOT / "ontology" / "coopkg.ttl")
    classes = {c for c in ontology.subjects(rdflib.RDF.type, rdflib.OWL.Class) if isinstance(c, rdflib.URIRef)}
    assert set(counts) == classes
    stats = subprocess.run([sys.executable, "-m", "coopkg.cli", "stats", "--json"], env=server.env,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert stats.returncode == 0, stats.stderr
    everything = json.loads(stats.stdout)[-1]
    for name, key in [("Document", "documents"), ("Organisation", "organisations"), ("Project", "projects"),
                      ("Funding", "fundings"), ("Region", "regions"), ("Indicator", "indicators")]:  # fmt: skip
        assert counts[rdflib.URIRef(COOPKG + name)] == everything[key], name
    assert int(void.value(dataset, VOID.triples)) == everything["triples"]
    assert counts[rdflib.URIRef("http://www.w3.org/ns/prov#Activity")] == everything["projects"]


def test_the_dataset_its_distribution_service_and_partitions_dereference(client: httpx.Client, server: Server) -> None:
    void = void_graph(client)
    minted = {s for s in void.subjects() if isinstance(s, rdflib.URIRef) and s.startswith(server.url + "/dataset")}
    assert len(minted) > 60
    for iri in minted:
        response = client.get(iri.replace(server.url, ""), headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, iri
        assert f"<{iri}>" in response.text
    assert client.get("/dataset/class/nothing-such").status_code == 404


def test_the_dump_is_what_the_description_says_and_honours_accept_encoding(
    client: httpx.Client, server: Server
) -> None:
    void = void_graph(client)
    distribution = rdflib.URIRef(server.url + "/dataset/dump")
    media_type = str(void.value(distribution, DCAT.mediaType)).rsplit("/assignments/media-types/", 1)[1]
    assert void.value(distribution, DCAT.downloadURL) == rdflib.URIRef(server.url + "/dump")
    plain = client.get("/dump", headers={"Accept-Encoding": "identity"})
    assert plain.headers["content-type"] == media_type == "application/n-quads"
    assert "content-encoding" not in plain.headers and plain.content[:1] == b"<"
    with httpx.stream("GET", server.url + "/dump", headers={"Accept-Encoding": "gzip"}, timeout=60) as raw:
        assert raw.headers["content-type"] == media_type and raw.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in raw.headers["vary"]
        compressed = b"".join(raw.iter_raw())
    assert gzip.decompress(compressed) == plain.content
    quads = list(parse(plain.content, format=RdfFormat.N_QUADS))
    assert len(quads) == int(void.value(rdflib.URIRef(server.url + "/dataset"), VOID.triples))
    refused = client.get("/dump", headers={"Accept-Encoding": "gzip;q=0, identity;q=0"})
    assert refused.status_code == 406


def test_the_ontology_answers_at_its_version_iri(client: httpx.Client) -> None:
    ontology = rdflib.Graph().parse(ROOT / "ontology" / "coopkg.ttl")
    version = str(ontology.value(rdflib.URIRef("https://w3id.org/coopkg/ontology"), rdflib.OWL.versionIRI))
    path = "/ontology/" + version.rsplit("/", 1)[1]
    served = rdflib.Graph().parse(data=client.get(path, headers={"Accept": "text/turtle"}).text, format="turtle")
    assert rdflib.compare.isomorphic(served, ontology)
    assert client.get("/ontology/0.0.0-not-this").status_code == 404
    shapes = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert shapes.status_code == 200 and "QuoteMatchesTextShape" in shapes.text


# -- a second parser on every format the service emits ----------------------------------------------------

GRAPH_FORMATS = [("text/turtle", RdfFormat.TURTLE, "turtle"), ("application/n-triples", RdfFormat.N_TRIPLES, "nt"),
                 ("application/rdf+xml", RdfFormat.RDF_XML, "xml"), ("application/ld+json", RdfFormat.JSON_LD, "json-ld")]  # fmt: skip


def _term(term: object) -> tuple[str, ...]:
    """A term of either library, comparable with the other's (blank nodes all alike: counted, not named)."""
    if isinstance(term, (rdflib.BNode, BlankNode)):
        return ("bnode",)
    if isinstance(term, rdflib.Literal):
        return (
            "literal",
            str(term),
            str(term.datatype or (RDF_LANG if term.language else XSD_STRING)),
            term.language or "",
        )
    if isinstance(term, Literal):
        return ("literal", term.value, term.datatype.value, term.language or "")
    if (
        isinstance(term, DefaultGraph)
        or term is None
        or (isinstance(term, rdflib.URIRef) and str(term) == str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID))
    ):
        return ("default",)
    return ("iri", str(term.value if isinstance(term, NamedNode) else term))


RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _engine_quads(body: bytes, fmt: RdfFormat) -> Counter[tuple[tuple[str, ...], ...]]:
    return Counter(
        (_term(q.subject), _term(q.predicate), _term(q.object), _term(q.graph_name)) for q in parse(body, format=fmt)
    )


def _rdflib_quads(body: bytes, fmt: str, base: str) -> Counter[tuple[tuple[str, ...], ...]]:
    dataset = rdflib.Dataset()
    dataset.parse(data=body, format=fmt, publicID=base)
    return Counter((_term(s), _term(p), _term(o), _term(g)) for s, p, o, g in dataset.quads())


def test_every_rdf_format_reads_the_same_in_rdflib(client: httpx.Client, server: Server) -> None:
    funding = client.get("/api/fundings").json()["items"][0]["id"]
    construct = f"CONSTRUCT WHERE {{ <{funding}> ?p ?o }}"
    sources = {"resource": (funding.replace(server.url, ""), {}), "ontology": ("/ontology", {}),
               "void": ("/.well-known/void", {}), "shapes": ("/shapes", {}), "construct": ("/sparql", {"query": construct}),
               "graph": ("/graph", {"graph": server.url + "/graph/ontology"})}  # fmt: skip
    checked = 0
    for name, (path, params) in sources.items():
        for media_type, fmt, second in GRAPH_FORMATS:
            response = client.get(path, params=params, headers={"Accept": media_type})
            assert response.status_code == 200 and response.headers["content-type"].startswith(media_type), name
            engine = _engine_quads(response.content, fmt)
            assert engine == _rdflib_quads(response.content, second, server.url + path), (name, media_type)
            assert sum(engine.values()) > 3
            checked += 1
    for media_type, fmt, second in [("application/trig", RdfFormat.TRIG, "trig"), ("application/n-quads", RdfFormat.N_QUADS, "nquads")]:  # fmt: skip
        response = client.get("/sparql", params={"query": construct}, headers={"Accept": media_type})
        assert response.headers["content-type"].startswith(media_type)
        assert _engine_quads(response.content, fmt) == _rdflib_quads(response.content, second, server.url)
        checked += 1
    dump = client.get("/dump", headers={"Accept-Encoding": "identity"}).content
    engine = _engine_quads(dump, RdfFormat.N_QUADS)
    assert engine == _rdflib_quads(dump, "nquads", server.url) and sum(engine.values()) > 5000
    assert checked == 26


def test_every_results_format_reads_the_same_in_rdflib(client: httpx.Client) -> None:
    query = f"""SELECT ?f ?label ?value WHERE {{ ?f a <{COOPKG}Funding> ; <{COOPKG}funder> ?o .
                ?o <http://www.w3.org/2004/02/skos/core#prefLabel> ?label
                OPTIONAL {{ ?f <{COOPKG}amount>/<{COOPKG}value> ?value }} }}"""
    formats = [("application/sparql-results+json", QueryResultsFormat.JSON, "json", True),
               ("application/sparql-results+xml", QueryResultsFormat.XML, "xml", True),
               ("text/tab-separated-values", QueryResultsFormat.TSV, "tsv", True),
               ("text/csv", QueryResultsFormat.CSV, "csv", False)]  # fmt: skip
    for media_type, fmt, second, typed in formats:
        response = client.get("/sparql", params={"query": query}, headers={"Accept": media_type})
        assert response.headers["content-type"].startswith(media_type)
        if fmt == QueryResultsFormat.CSV:  # lossy, so the engine will not read it: Python's csv module does
            rows = list(csv.reader(io.StringIO(response.content.decode())))
            names = rows[0]
            engine = Counter(tuple(("text", v) if v else ("unbound",) for v in row) for row in rows[1:])
        else:
            solutions = parse_query_results(response.content, fmt)
            names = [v.value for v in solutions.variables]
            engine = Counter(tuple(_cell(row[n], typed) for n in names) for row in solutions)
        result = rdflib.query.Result.parse(io.BytesIO(response.content), format=second)
        theirs = Counter(tuple(_cell(b.get(rdflib.Variable(n)), typed) for n in names) for b in result.bindings)
        assert engine == theirs and sum(engine.values()) > 3, media_type


def _cell(term: object, typed: bool) -> tuple[str, ...]:
    if term is None:
        return ("unbound",)
    if not typed:  # CSV keeps the lexical forms only
        return ("text", str(term.value if isinstance(term, (NamedNode, Literal)) else term))
    return _term(term)
