"""The name index finds exactly what scoring every name would (tests/test_api.py checks the ranking end to end);
searches answered by the HTTP protocol itself are the router's answers."""

from __future__ import annotations

import json
import random
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pyoxigraph import NamedNode, Quad, Store

from coopkg import views
from coopkg.api import searches
from coopkg.iris import IriMinter
from coopkg.reference import reference_triples
from coopkg.search import NameIndex, score
from coopkg.service import Services
from coopkg.settings import get_settings
from tests.conftest import BASE, CoopkgServer


def _names() -> list[list[tuple[str, bool]]]:
    store = Store()
    graph = NamedNode(BASE + "graph/reference")
    store.extend(Quad(t.subject, t.predicate, t.object, graph) for t in reference_triples(IriMinter(BASE)))
    by_subject: dict[str, list[tuple[str, bool]]] = {}
    for pred, preferred in (("prefLabel", True), ("altLabel", False)):
        query = f"SELECT ?s ?l WHERE {{ ?s <http://www.w3.org/2004/02/skos/core#{pred}> ?l }}"
        for row in store.query(query, use_default_graph_as_union=True):
            by_subject.setdefault(row["s"].value, []).append((row["l"].value, preferred))
    return list(by_subject.values())


def test_the_index_agrees_with_scoring_every_name() -> None:
    names = _names()
    assert len(names) > 200
    index = NameIndex(names)
    rng = random.Random(5)
    queries = ["ofppt", "union europeenne", "Union Européenne", "والاتحاد الأوروبي", "الاتحاد", "giz", "ba", "a",
               "-", "***", "", "agence", "de", "banque mondiale", "mondiale", "nque mon", "ﻻ", "e u"]  # fmt: skip
    for pairs in rng.sample(names, 6):
        text = rng.choice(pairs)[0]
        queries += [text, text[: max(1, len(text) // 2)], text[1:6], text.upper()]
    for q in queries:
        expected = {(i, s) for i, pairs in enumerate(names) if (s := score(q, pairs))}
        assert set(index.search(q)) == expected, q


# -- searches answered by the HTTP protocol itself (coopkg.api.searches) ------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoopkgServer]:
    server = CoopkgServer(tmp_path_factory.mktemp("search"))
    yield server
    server.stop()


def _project_names(site: CoopkgServer) -> list[str]:
    items = httpx.get(site.url + "/api/projects", params={"limit": 1000}, timeout=60).json()["items"]
    return [item["label"] for item in items][:12]


def _targets(site: CoopkgServer) -> list[str]:
    orgs = ["ofppt", "OFPPT", "office de la formation professionnelle", "مكتب التكوين المهني",
            "لمكتب التكوين المهني وإنعاش الشغل", "union europeenne", "والاتحاد الاوروبي", "banque mondiale", "zorglub"]  # fmt: skip
    targets = ["/api/organisations?" + urllib.parse.urlencode({"q": q}) for q in orgs]
    targets += ["/api/projects?" + urllib.parse.urlencode({"q": q}) for q in _project_names(site)]
    targets += ["/api/organisations?q=agence&lang=en&limit=3&offset=1", "/api/organisations?q=agence&type=DevelopmentAgency",
                "/api/organisations?q=banque+mondiale&lang=ar", "/api/organisations?q=%20%20"]  # fmt: skip
    return targets


def test_narrow_searches_are_answered_by_the_protocol_as_the_router_answers_them(site: CoopkgServer) -> None:
    """A search that reads few names is answered before any ASGI machinery (in process here, over the
    server's own store), and its answer is byte for byte what the router answers over HTTP."""
    services = Services.open(get_settings(store=Path(site.env["COOPKG_STORE"]), base_iri=site.url + "/"))
    routed = {"Origin": "https://example.org"}  # with CORS on, an Origin takes the usual (routed) way
    try:
        assert searches.answer(services, b"/api/organisations?q=giz", [], cors=True) is None  # no snapshot followed yet
        services.sync()  # as the first routed request does
        with httpx.Client(base_url=site.url, timeout=60) as client:
            for target in _targets(site):
                reply = searches.answer(services, target.encode(), [], cors=True)
                assert reply is not None, target
                status, headers, body = reply
                expected = client.get(target, headers=routed)
                assert (status, body) == (expected.status_code, expected.content), target
                assert dict(headers)[b"content-type"].decode() == expected.headers["content-type"]
                assert services.kept_answer(target.encode()) == body  # and kept for the next time
        answered = json.loads(searches.answer(services, _targets(site)[0].encode(), [], cors=True)[2])  # type: ignore[index]
        assert answered["items"][0]["id"] == site.url + "/id/organisation/ofppt" and answered["items"][0]["sources"]
        # The usual way for what the router checks, ignores or answers otherwise, and for broad searches.
        for target in ["/api/organisations?q=a", "/api/organisations?q=UE", "/api/projects", "/api/organisations?q=",
                       "/api/organisations?q=ofppt&limit=0", "/api/organisations?q=ofppt&limit=101",
                       "/api/organisations?q=ofppt&q=giz", "/api/organisations?q=ofppt&foo=1",
                       "/api/organisations?q=ofppt&lang=french", "/api/organisations?q=ofppt&offset=-1",
                       "/api/projects?q=ofppt&type=Project", "/api/organisations?q=ofppt&limit=%D9%A2"]:  # fmt: skip
            assert searches.answer(services, target.encode(), [], cors=True) is None, target
        fresh = b"/api/organisations?q=giz"
        for headers in ([(b"accept", b"application/ld+json")], [(b"origin", b"https://example.org")],
                        [(b"content-length", b"0")]):  # fmt: skip
            assert searches.answer(services, fresh, headers, cors=True) is None, headers
        assert searches.answer(services, fresh, [(b"origin", b"https://example.org")], cors=False) is not None
        for q in ["ofppt", "agence", "banque mondiale", "e", "de la", "مكتب", *_project_names(site)]:
            found = views.search(services, "organisations", q)
            assert len(found) <= found.candidates, q  # the bound holds: never fewer names read than items found
    finally:
        services.close()


def test_answers_direct_and_routed_are_the_same_over_http(site: CoopkgServer) -> None:
    """Over real HTTP: each search asked first the direct way (never asked before), then routed
    (an Origin), then again (kept): the same status, body and headers (but CORS's own)."""
    with httpx.Client(base_url=site.url, timeout=60) as client:
        for target in _targets(site):
            target = target.replace("?", "?lang=fr&", 1)  # not asked by the other test: computed here
            direct = client.get(target)
            routed = client.get(target, headers={"Origin": "https://example.org"})
            kept = client.get(target)
            assert direct.status_code == routed.status_code == kept.status_code == 200, target
            assert direct.content == routed.content == kept.content, target
            cors = {name for name in routed.headers if name.startswith("access-control-")}
            assert set(direct.headers) == set(routed.headers) - cors == set(kept.headers), target
        assert client.get("/api/organisations", params={"q": "ofppt", "limit": 0}).status_code == 400
