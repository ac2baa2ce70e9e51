"""Every saved query and every internal query over the corpus stated in 1 + k documents (k = 1, 10, 50).

`python bench/query_scaling.py` builds the three stores (bench/k_copies.py's `build`: the corpus, then
k more copies of every article, same facts, new documents and evidence), then runs each query on each
store with the parameter values below and prints, per query, its rows and the median of three runs
at each k, and the ratio of the time at k = 50 to the time at k = 10. A query linear in the data is
about 51 / 11 = 4.6 times slower at k = 50 than at k = 10 (less when a fixed cost dominates); a
quadratic one about 21 times, a cubic one about 100 times.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import BASE, timed
from coopkg.iris import IriMinter
from coopkg.queries import SavedQuery, internal_query, saved_queries
from coopkg.resources import queries_dir
from coopkg.store import EmbeddedRepository
from k_copies import build

MINTER = IriMinter(BASE)
DOCUMENT = "001_7264298748a22f18"
# Values for the parameters that have no example in their query's header.
VALUES = {
    "organisation": BASE + "id/organisation/ofppt",
    "funded": BASE + "id/project/kafaat-liljamia",
    "project": BASE + "id/project/kafaat-liljamia",
    "region": BASE + "id/region/MA",
    "fact": BASE + "id/funding/e7a717f362c54c55",
    "iri": BASE + "id/organisation/ofppt",
    "entity": BASE + "id/organisation/ofppt",
    "document": MINTER.document(DOCUMENT).value,
    "g": MINTER.document_graph(DOCUMENT).value,
    "ontology": MINTER.ontology_graph.value,
}


def queries() -> list[SavedQuery]:
    internal = sorted(p.stem for p in (queries_dir() / "internal").glob("*.rq"))
    return list(saved_queries().values()) + [internal_query(name) for name in internal]


def values_for(query: SavedQuery) -> dict[str, str]:
    """Each required parameter bound (an optional one only when its query is about one thing)."""
    found: dict[str, str] = {}
    for p in query.params:
        if p.name in ("entry", "log"):  # the change log's own IRIs (a remote store's): none here
            continue
        if p.required or p.name in ("region", "funder", "funded"):
            value = p.example or VALUES.get(p.name)
            if isinstance(value, str):
                found[p.name] = value
    return found


def rows(query: SavedQuery, repo: EmbeddedRepository, values: dict[str, str]) -> int:
    result = query.run(repo, values)
    if result.kind == "boolean":
        return 1
    return len(list(result.graph() if result.kind == "graph" else result.rows()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10, 50])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repos = {k: build(Path(tmp) / f"k{k}" / "store", k) for k in args.copies}
        header = "".join(f" | k={k:<3} rows   median" for k in args.copies)
        print(f"{'query':34}{header} | ratio k={args.copies[-1]}/k={args.copies[-2]}")
        for query in queries():
            needed = {p.name for p in query.params if p.required}
            if needed & {"entry", "log"}:
                continue
            line, times = f"{query.name:34}", []
            for repo in repos.values():
                values = values_for(query)
                count = rows(query, repo, values)
                median, _ = timed(lambda q=query, r=repo, v=values: rows(q, r, v))
                times.append(median)
                line += f" |      {count:6} {median * 1000:7.1f} ms"
            print(f"{line} | {times[-1] / max(times[-2], 1e-6):6.1f}")
        for repo in repos.values():
            repo.close()


if __name__ == "__main__":
    main()
