"""Counts per named graph: triples, documents, organisations, projects, fundings, regions, indicators."""

from __future__ import annotations

from coopkg.queries import internal_query
from coopkg.store.base import Repository
from coopkg.terms import local_name

_KINDS = {
    "Document": "documents",
    "Organisation": "organisations",
    "Project": "projects",
    "Funding": "fundings",
    "Region": "regions",
    "Indicator": "indicators",
}


def _empty(graph: str, triples: int) -> dict[str, object]:
    row: dict[str, object] = {"graph": graph, "triples": triples}
    row.update(dict.fromkeys(_KINDS.values(), 0))
    return row


def store_stats(repo: Repository) -> list[dict[str, object]]:
    """One row per named graph, sorted, then an "(all)" row for the union (distinct things)."""
    rows = {s.graph: _empty(s.graph, s.triples) for s in repo.graph_stats()}
    for r in internal_query("stats-by-graph").run(repo).rows():
        graph = r["g"].value
        rows.setdefault(graph, _empty(graph, 0))[_KINDS[local_name(r["kind"].value)]] = int(r["n"].value)
    total = _empty("(all)", sum(int(row["triples"]) for row in rows.values()))  # type: ignore[call-overload]
    for r in internal_query("stats-total").run(repo).rows():
        total[_KINDS[local_name(r["kind"].value)]] = int(r["n"].value)
    return [*sorted(rows.values(), key=lambda row: str(row["graph"])), total]
