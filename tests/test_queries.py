"""Saved queries: headers, typed parameters bound by the engine, each query runs on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode

from coopkg.errors import BadInputError, NotFoundError
from coopkg.queries import internal_query, parse_saved_query, saved_queries, saved_query
from coopkg.store import Repository

REQUIRED = {"who-funded-what", "totals-by-funder", "fundings-of-project", "fundings-by-region", "fundings-by-year",
            "partners-of-organisation", "projects-in-region", "indicators-of-project", "evidence-of-fact", "documents"}  # fmt: skip


def test_the_shipped_queries_are_there_with_summaries() -> None:
    queries = saved_queries()
    assert set(queries) >= REQUIRED
    for query in queries.values():
        assert query.summary, query.name


def test_header_is_parsed() -> None:
    query = saved_query("fundings-of-project")
    funded = query.param("funded")
    assert funded.type == "iri" and funded.required
    assert query.param("lang").default == "fr"
    assert "fundings" in query.tags


def test_parameters_are_typed_and_checked() -> None:
    query = saved_query("fundings-by-year")
    assert query.bindings({"from": "2019"})["from"] == Literal(
        "2019", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )
    with pytest.raises(BadInputError, match="not a valid integer"):
        query.bindings({"from": "2019; DROP ALL"})
    with pytest.raises(BadInputError, match="no parameter"):
        query.bindings({"unknown": "1"})
    with pytest.raises(BadInputError, match="needs parameter"):
        saved_query("partners-of-organisation").bindings({})
    with pytest.raises(BadInputError, match="absolute IRI"):
        saved_query("partners-of-organisation").bindings({"organisation": "> } DROP ALL {"})


def test_unknown_query_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        saved_query("nope")


def test_malformed_header_is_reported() -> None:
    with pytest.raises(BadInputError, match="unknown type"):
        parse_saved_query("x", "#+ params:\n#+   a: {type: colour}\nSELECT * {}")


def _insert_funding(repo: Repository) -> None:
    repo.update(
        """PREFIX coopkg: <https://w3id.org/coopkg/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        INSERT DATA {
          GRAPH <http://example.org/g/doc> {
            <http://example.org/f1> a coopkg:Funding ; coopkg:funder <http://example.org/eu> ;
               coopkg:fundedItem <http://example.org/p1> ; coopkg:fundingKind coopkg:GrantFunding ;
               coopkg:amount <http://example.org/f1#amount> .
            <http://example.org/f1#amount> coopkg:value 1000.5 ; coopkg:currency "EUR" .
            <http://example.org/p1> a coopkg:Project ; skos:prefLabel "Projet"@fr ; coopkg:startDate "2019"^^<http://www.w3.org/2001/XMLSchema#gYear> .
            <http://example.org/eu> skos:prefLabel "Union européenne"@fr , "European Union"@en .
          }
          GRAPH <http://example.org/g/onto> { coopkg:GrantFunding skos:notation "grant" . }
        }"""
    )


def test_who_funded_what_on_both_backends(repo: Repository) -> None:
    _insert_funding(repo)
    rows = list(saved_query("who-funded-what").run(repo, {"lang": "en"}).rows())
    assert len(rows) == 1
    assert rows[0]["funderLabel"].value == "European Union"
    assert rows[0]["amount"].value == "1000.5"
    assert rows[0]["kind"].value == "grant"
    filtered = saved_query("who-funded-what").run(repo, {"funder": "http://example.org/nobody"})
    assert list(filtered.rows()) == []


def test_year_filter_on_both_backends(repo: Repository) -> None:
    _insert_funding(repo)
    query = saved_query("fundings-by-year")
    assert [r["year"].value for r in query.run(repo, {"from": "2018"}).rows()] == ["2019"]
    assert list(query.run(repo, {"from": "2020"}).rows()) == []


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_every_saved_query_runs(repo: Repository, name: str) -> None:
    _insert_funding(repo)
    query = saved_query(name)
    values = {p.name: (p.example or "http://example.org/p1") for p in query.params if p.required}
    result = query.run(repo, values)
    assert result.kind == "solutions"
    list(result.rows())


def test_internal_queries_are_separate() -> None:
    assert "stats-by-graph" not in saved_queries()
    assert internal_query("stats-by-graph").summary


def test_queries_dir_files_are_named_for_urls(tmp_path: Path) -> None:
    (tmp_path / "Bad Name.rq").write_text("SELECT * {}")
    with pytest.raises(BadInputError):
        saved_queries(tmp_path)
