"""The fundings explorer's JSON (facets, totals, CSV, network), the views of one thing, labels: against a real
`coopkg serve` over the corpus, every figure checked against what SPARQL says."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import httpx
import pytest

from tests.conftest import CoopkgServer

COOPKG = "https://w3id.org/coopkg/ontology#"


@pytest.fixture
def client(corpus_site: CoopkgServer):
    with httpx.Client(base_url=corpus_site.url, timeout=30) as http:
        yield http


def sparql(client: httpx.Client, query: str) -> list[dict[str, str]]:
    answer = client.post("/sparql", data={"query": f"PREFIX coopkg: <{COOPKG}>\n" + query},
                         headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    return [{k: v["value"] for k, v in row.items()} for row in answer.json()["results"]["bindings"]]


def test_facet_counts_add_up_to_the_selection(client: httpx.Client) -> None:
    body = client.get("/api/fundings", params={"facets": "true", "limit": 1}).json()
    everything = sparql(client, "SELECT DISTINCT ?f ?funder WHERE { ?f a coopkg:Funding ; coopkg:funder ?funder }")
    assert body["total"] == len(everything) > 0
    funders: dict[str, int] = {}
    for row in everything:
        funders[row["funder"]] = funders.get(row["funder"], 0) + 1
    assert {v["value"]: v["count"] for v in body["facets"]["funder"]} == funders
    assert body["facetsLeftOut"]["funder"] == 0
    for name in ("currency", "kind"):  # every funding has exactly one value of these
        assert sum(v["count"] for v in body["facets"][name]) == body["total"]
    # choosing a facet value selects exactly its count
    for value in body["facets"]["funder"]:
        chosen = client.get("/api/fundings", params={"funder": value["value"], "limit": 100}).json()
        assert chosen["total"] == value["count"]
        assert {f["funder"]["id"] for f in chosen["items"]} == {value["value"]}


def test_totals_never_count_unstated_amounts_as_zero(client: httpx.Client) -> None:
    stated = sparql(client, "SELECT ?f ?v ?c WHERE { ?f a coopkg:Funding ; coopkg:amount [ coopkg:value ?v ; "
                            "coopkg:currency ?c ] }")  # fmt: skip
    everything = sparql(client, "SELECT DISTINCT ?f WHERE { ?f a coopkg:Funding }")
    body = client.get("/api/fundings", params={"facets": "true", "limit": 1}).json()
    expected: dict[str, Decimal] = {}
    for row in stated:
        expected[row["c"]] = expected.get(row["c"], Decimal(0)) + Decimal(row["v"])
    assert {t["currency"]: Decimal(str(t["total"])) for t in body["totals"]["byCurrency"]} == expected
    assert body["totals"]["amountNotStated"] == len(everything) - len(stated) > 0
    none = [v for v in body["facets"]["currency"] if v["value"] == "none"]
    assert none and none[0]["count"] == len(everything) - len(stated)
    rows = client.get("/api/fundings/totals").json()["items"]
    assert all(r["total"] is None for r in rows if r["currency"] is None)
    assert all(r["total"] > 0 for r in rows if r["currency"] is not None)
    assert sum(r["fundings"] for r in rows) == len(everything)


def test_search_finds_fundings_by_a_name_in_any_language(client: httpx.Client) -> None:
    eu = client.get("/api/organisations", params={"q": "union europeenne"}).json()["items"][0]["id"]
    for q in ("Union européenne", "european union", "الاتحاد الأوروبي"):
        found = client.get("/api/fundings", params={"q": q}).json()
        assert found["total"] > 0 and {f["funder"]["id"] for f in found["items"]} == {eu}, q
    assert client.get("/api/fundings", params={"q": "zzzz nothing"}).json()["total"] == 0


def test_filters_by_type_language_year_currency_and_region(client: httpx.Client) -> None:
    facets = client.get("/api/fundings", params={"facets": "true", "limit": 1}).json()["facets"]
    for name, param in (("funderType", "funderType"), ("language", "language"), ("year", "year"),
                        ("currency", "currency"), ("country", "region"), ("kind", "kind")):  # fmt: skip
        for value in facets[name]:
            chosen = client.get("/api/fundings", params={param: value["value"], "facets": "true", "limit": 1}).json()
            assert chosen["total"] == value["count"], (name, value)
            assert [v["count"] for v in chosen["facets"][name] if v["value"] == value["value"]] == [value["count"]]
    assert client.get("/api/fundings", params={"currency": "euros"}).status_code == 400


def test_sort_and_csv_of_a_view(client: httpx.Client) -> None:
    by_funder = client.get("/api/fundings", params={"sort": "funder", "lang": "en", "limit": 100}).json()["items"]
    names = [f["funder"]["label"].casefold() for f in by_funder]
    assert names == sorted(names)
    answer = client.get("/api/fundings", params={"sort": "-amount", "format": "csv", "limit": 100})
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    json_items = client.get("/api/fundings", params={"sort": "-amount", "limit": 100}).json()["items"]
    assert [r["id"] for r in rows] == [f["id"] for f in json_items]
    assert rows[0]["amount"] and float(rows[0]["amount"]) == json_items[0]["amount"]


def test_network_links_funders_projects_and_participants(client: httpx.Client) -> None:
    graph = client.get("/api/fundings/network", params={"limit": 1000}).json()
    fundings = sparql(client, "SELECT DISTINCT ?funder ?funded WHERE { ?f a coopkg:Funding ; coopkg:funder ?funder ; "
                              "coopkg:fundedItem ?funded }")  # fmt: skip
    funds = {(link["source"], link["target"]) for link in graph["links"] if link["kind"] == "funds"}
    assert funds == {(r["funder"], r["funded"]) for r in fundings}
    ids = {n["id"] for n in graph["nodes"]}
    assert all(link["source"] in ids and link["target"] in ids for link in graph["links"])
    roles = sparql(client, "SELECT DISTINCT ?project ?org WHERE { ?f a coopkg:Funding ; coopkg:fundedItem ?project . "
                           "?project coopkg:hasParticipation [ coopkg:participant ?org ; coopkg:role ?r ] . "
                           "FILTER(?r != coopkg:FunderRole) }")  # fmt: skip
    participants = {(link["source"], link["target"]) for link in graph["links"] if link["kind"] != "funds"}
    assert participants <= {(r["project"], r["org"]) for r in roles} and participants


def test_organisation_view_has_totals_places_and_period(client: httpx.Client) -> None:
    eu = client.get("/api/organisations/eu").json()
    given = [f for f in eu["fundingsGiven"] if f["amount"] is not None]
    assert {t["currency"] for t in eu["totalsGiven"]} == {f["currency"] for f in given}
    assert eu["amountNotStated"]["given"] == len(eu["fundingsGiven"]) - len(given)
    ofppt = client.get("/api/organisations/ofppt", params={"lang": "en"}).json()
    assert ofppt["projects"] and all(p["roleLabel"] for p in ofppt["projects"])
    assert ofppt["regions"] and ofppt["period"]["start"]


def test_region_view_and_labels(client: httpx.Client, corpus_site: CoopkgServer) -> None:
    morocco = client.get("/api/regions/MA", params={"lang": "ar"}).json()
    assert morocco["label"] == "المغرب" and morocco["numeric"] == "504"
    in_morocco = client.get("/api/fundings", params={"region": morocco["id"], "limit": 100}).json()
    assert [f["id"] for f in morocco["fundings"]] == [f["id"] for f in in_morocco["items"]]
    labels = client.get("/api/labels", params=[("iri", morocco["id"]), ("iri", corpus_site.url + "/id/organisation/eu"),
                                               ("lang", "en")]).json()["items"]  # fmt: skip
    assert {i["label"] for i in labels} == {"Morocco", "European Union"}
    assert client.get("/api/labels", params={"iri": "javascript:alert(1)"}).status_code == 400
