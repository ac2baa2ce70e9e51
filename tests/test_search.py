"""The name index finds exactly what scoring every name would (tests/test_api.py checks the ranking end to end)."""

from __future__ import annotations

import random

from pyoxigraph import NamedNode, Quad, Store

from coopkg.iris import IriMinter
from coopkg.reference import reference_triples
from coopkg.search import NameIndex, score
from tests.conftest import BASE


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
