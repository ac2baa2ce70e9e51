"""Linked data over real HTTP: methods, IRIs in headers, evidence, the dataset description, the dump.

One real `coopkg serve` over the corpus for the module.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import httpx
import pytest

from coopkg.iris import IriMinter, iri_key, iri_to_uri, slugify
from tests.conftest import WRITE_TOKEN
from tests.conftest import CoopkgServer as Server

AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
COOPKG = "https://w3id.org/coopkg/ontology#"


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


def get_routes(client: httpx.Client, server: Server) -> dict[str, str]:
    """A concrete URL for every GET route of the service (path template → URL)."""
    project = _some(client, "/api/projects")
    organisation = _some(client, "/api/organisations")
    document = client.get("/api/documents").json()["items"][0]["identifier"]
    return {
        "/": "/",
        "/sparql": "/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"),
        "/graph": "/graph?graph=" + urllib.parse.quote(server.url + "/graph/ontology"),
        "/api/queries": "/api/queries",
        "/api/queries/{name}": "/api/queries/who-funded-what",
        "/api/fundings": "/api/fundings",
        "/api/fundings/totals": "/api/fundings/totals",
        "/api/organisations": "/api/organisations",
        "/api/organisations/{key}": "/api/organisations/" + organisation.rsplit("/", 1)[-1],
        "/api/projects": "/api/projects",
        "/api/projects/{key}": "/api/projects/" + project.rsplit("/", 1)[-1],
        "/api/regions": "/api/regions",
        "/api/indicators": "/api/indicators",
        "/api/documents": "/api/documents",
        "/api/documents/{doc_id}": "/api/documents/" + document,
        "/api/context.jsonld": "/api/context.jsonld",
        "/id/{path}": project.replace(server.url, ""),
        "/ontology": "/ontology",
        "/.well-known/void": "/.well-known/void",
        "/dump": "/dump",
        "/openapi.json": "/openapi.json",
        "/docs": "/docs",
        "/static/site.css": "/static/site.css",
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
