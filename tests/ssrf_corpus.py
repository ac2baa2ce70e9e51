"""Queries and updates that make an unguarded Oxigraph fetch a URL: the request-forgery corpus.

Each variant names an address on 127.0.0.1 where the tests listen. ``reaches`` says whether a
bare pyoxigraph store, with no guard, connects to it (checked by tests/test_hardening.py), so the
corpus is known to hold real attacks, plus look-alikes that must be refused or fail anyway.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str
    kind: str  # query or update
    text: str
    reaches: bool = True


def corpus(port: int) -> list[Variant]:
    url = f"http://127.0.0.1:{port}/sparql"
    host = f"http://127.0.0.1:{port}/"
    body = "{ ?s ?p ?o }"
    q = [
        ("plain", f"SELECT * WHERE {{ SERVICE <{url}> {body} }}"),
        ("lower-case", f"select * where {{ service <{url}> {body} }}"),
        ("mixed-case", f"SeLeCt * WhErE {{ SeRvIcE <{url}> {body} }}"),
        ("silent", f"SELECT * WHERE {{ SERVICE SILENT <{url}> {body} }}"),
        ("comment-cr", f"SELECT * WHERE {{ #c\rSERVICE <{url}> {body} }}"),
        ("comment-lf", f"SELECT * WHERE {{ #c\nSERVICE <{url}> {body} }}"),
        ("comment-crlf", f"SELECT * WHERE {{ #c\r\nSERVICE <{url}> {body} }}"),
        ("comments-cr-twice", f"SELECT * WHERE {{ #a\r#b {{\rSERVICE <{url}> {body} }}"),
        ("comment-cr-first", f"#x\rSELECT * WHERE {{ SERVICE <{url}> {body} }}"),
        ("comment-cr-brace", f"SELECT * WHERE {{ #}}\rSERVICE <{url}> {body} }}"),
        ("no-spaces", f"SELECT*WHERE{{SERVICE<{url}>{{?s ?p ?o}}}}"),
        ("tabs-newlines", f"SELECT *\tWHERE\n{{\n\tSERVICE\n<{url}>\n{body}\n}}"),
        ("in-optional", f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}> {body} }} }}"),
        ("in-union", f"SELECT * WHERE {{ {{ BIND(1 AS ?x) }} UNION {{ SERVICE <{url}> {body} }} }}"),
        ("nested-groups", f"SELECT * WHERE {{ {{ {{ {{ {{ SERVICE <{url}> {body} }} }} }} }} }}"),
        ("in-subquery", f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {body} }} }} }}"),
        ("in-exists", f"SELECT * WHERE {{ BIND(1 AS ?x) FILTER EXISTS {{ SERVICE <{url}> {body} }} }}"),
        ("in-not-exists", f"SELECT * WHERE {{ BIND(1 AS ?x) FILTER NOT EXISTS {{ SERVICE <{url}> {body} }} }}"),
        ("in-minus", f"SELECT * WHERE {{ BIND(1 AS ?x) MINUS {{ SERVICE <{url}> {body} }} }}"),
        ("in-graph", f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {body} }} }}"),
        ("prefixed-endpoint", f"PREFIX e: <{host}> SELECT * WHERE {{ SERVICE e:sparql {body} }}"),
        ("base-relative", f"BASE <{host}> SELECT * WHERE {{ SERVICE <sparql> {body} }}"),
        ("uchar-in-iri", f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/\\u0073parql> {body} }}"),
        ("bind-variable", f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {body} }}", False),
        ("values-variable", f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {body} }}", False),
        ("silent-variable", f"SELECT * WHERE {{ SERVICE SILENT ?e {body} }}", False),
        ("ask", f"ASK {{ SERVICE <{url}> {body} }}"),
        ("construct", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {body} }}"),
        ("construct-where", f"CONSTRUCT WHERE {{ SERVICE <{url}> {body} }}", False),
        ("describe", f"DESCRIBE ?s WHERE {{ SERVICE <{url}> {body} }}"),
        ("after-hash-string", f'SELECT * WHERE {{ BIND("#" AS ?h) SERVICE <{url}> {body} }}'),
        ("after-long-string", f'SELECT * WHERE {{ BIND("""a\nb # c""" AS ?h) SERVICE <{url}> {body} }}'),
        ("after-hash-iri", f"SELECT * WHERE {{ BIND(<http://x#y> AS ?h) SERVICE <{url}> {body} }}"),
        ("after-quote-iri", f"SELECT * WHERE {{ BIND(<http://x/'y> AS ?h) SERVICE <{url}> {body} }}"),
        ("union-in-optional", f"SELECT * WHERE {{ OPTIONAL {{ {{ }} UNION {{ SERVICE <{url}> {body} }} }} }}"),
        ("blank-node-pattern", f"SELECT * WHERE {{ SERVICE <{url}> {{ [] ?p [ ?q ?o ] }} }}"),
        ("values-before", f"SELECT * WHERE {{ VALUES ?x {{ 1 2 }} SERVICE <{url}> {body} }}"),
        ("localhost-name", f"SELECT * WHERE {{ SERVICE <http://localhost:{port}/sparql> {body} }}"),
        ("non-ascii-path", f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/é> {body} }}"),
        ("service-after-dot", f"SELECT * WHERE {{ BIND(1 AS ?x) . SERVICE <{url}> {body} }}"),
        ("two-services", f"SELECT * WHERE {{ SERVICE <{url}> {body} SERVICE <{url}/2> {body} }}"),
        ("filter-before", f"SELECT * WHERE {{ FILTER(1 < 2) SERVICE <{url}> {body} }}"),
        ("lt-gt-lookalike", f"SELECT * WHERE {{ BIND(1 AS ?v) FILTER(?v<2)SERVICE <{url}> {body} }}"),
        ("order-limit", f"SELECT * WHERE {{ SERVICE <{url}> {body} }} ORDER BY ?s LIMIT 1"),
        ("group-by", f"SELECT (COUNT(*) AS ?n) WHERE {{ SERVICE <{url}> {body} }} GROUP BY ?s"),
        ("uescape-keyword", f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {body} }}", False),
        ("uescape-comment", f"SELECT * WHERE {{ #\\u000A\rSERVICE <{url}> {body} }}"),
        ("uescape-8-digits", f"SELECT * WHERE {{ #\\u000A1234\rSERVICE <{url}> {body} }}"),
    ]
    u = [
        ("load", f"LOAD <{url}>"),
        ("load-lower", f"load <{url}>"),
        ("load-silent", f"LOAD SILENT <{url}>"),
        ("load-into", f"LOAD <{url}> INTO GRAPH <http://example.org/g>"),
        ("load-silent-into", f"LOAD SILENT <{url}> INTO GRAPH <http://example.org/g>"),
        ("load-after-insert", f"INSERT DATA {{ <http://a> <http://b> 1 }} ; LOAD <{url}>"),
        ("load-comment-cr", f"#x\rLOAD <{url}>"),
        ("load-prefixed", f"PREFIX e: <{host}> LOAD e:sparql"),
        ("load-base", f"BASE <{host}> LOAD <sparql>"),
        ("load-after-clear", f"CLEAR SILENT GRAPH <http://example.org/g> ; LOAD <{url}>"),
        ("load-uchar", f"LOAD <http://127.0.0.1:{port}/\\u0073parql>"),
        ("insert-where-service", f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {body} }}"),
        ("insert-where-comment-cr", f"INSERT {{ ?s ?p ?o }} WHERE {{ #x\rSERVICE <{url}> {body} }}"),
        ("delete-insert-service", f"DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p 1 }} WHERE {{ SERVICE <{url}> {body} }}"),
        ("with-service", f"WITH <http://example.org/g> INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {body} }}"),
        ("service-in-optional", f"INSERT {{ ?s ?p ?o }} WHERE {{ OPTIONAL {{ SERVICE <{url}> {body} }} }}"),
        (
            "second-operation",
            f"CLEAR SILENT GRAPH <http://example.org/g> ; INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {body} }}",
        ),
    ]
    found = [Variant(n, "query", t, *rest) for n, t, *rest in q]
    return found + [Variant(n, "update", t, *rest) for n, t, *rest in u]
