"""Search answers of two versions of coopkg compared byte for byte on one store.

`python bench/search_same.py --store /tmp/big/store --baseline /tmp/main-checkout` serves the store
with `coopkg serve --workers 2` from the baseline checkout (its `src/` first on PYTHONPATH) and then
from this one, sends both the same `GET /api/organisations?q=` and `GET /api/projects?q=` requests
(whole names in every language the data has, alternative names, first words, word starts, short
starts, Arabic with a clitic, a few pages, languages and types, JSON-LD) and prints each request
whose status, content type or body differ. This checkout is asked each request twice: the second
answer may be one kept from the first, and must be the same. Exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

import httpx

from views import Server

Request = tuple[str, dict[str, str], dict[str, str]]  # path, params, headers


def _names(client: httpx.Client, kind: str) -> list[list[str]]:
    """Every listed item's names (labels, then alternative names), the first 3,000 in label order."""
    found = []
    for offset in range(0, 3000, 1000):
        for item in client.get(f"/api/{kind}", params={"limit": 1000, "offset": offset}).json()["items"]:
            found.append(list(dict.fromkeys([item["label"], *item["labels"].values(), *item["altLabels"]])))
    return found


def requests(client: httpx.Client, rng: random.Random, per_kind: int) -> list[Request]:
    """The requests both versions are asked, ``per_kind`` queries or so per kind."""
    asked: list[Request] = []
    for kind in ("organisations", "projects"):
        items = _names(client, kind)
        # Items with several names or names in Arabic first: the synthetic ones all look alike.
        items.sort(key=lambda names: (-len(names), rng.random()))
        queries: list[str] = []
        for names in items[: per_kind // 3] + rng.sample(items, min(len(items), per_kind // 6)):
            for name in names:
                words = name.split()
                queries += [name, words[0], " ".join(w[:4] for w in words[:2]), name[:3], name.lower()]
                if any("\u0600" <= c <= "\u06ff" for c in name):
                    queries.append("و" + name)  # a clitic on the first word
        queries += ["Projet", "synthétique", "Association", "a", "pr", "00001", "zzzz", "union europeenne"]
        for q in dict.fromkeys(q for q in queries if q.strip()):
            asked.append((f"/api/{kind}", {"q": q}, {}))
        for q in rng.sample(sorted(set(queries)), min(30, len(queries))):
            asked.append((f"/api/{kind}", {"q": q, "limit": "5", "offset": "1", "lang": "en"}, {}))
            asked.append((f"/api/{kind}", {"q": q, "lang": "ar"}, {"accept": "application/ld+json"}))
    for q in ("agence", "synth", "Fondation"):
        for type_ in ("DevelopmentAgency", "GovernmentBody", "NonGovernmentalOrganisation"):
            asked.append(("/api/organisations", {"q": q, "type": type_}, {}))
    return asked


Answer = tuple[int, str, bytes]


def answers(tree: Path | None, args: argparse.Namespace, work: Path, asked: list[Request] | None,
            repeat: int) -> tuple[list[Request], list[list[Answer]]]:  # fmt: skip
    """The answers of one version to ``asked`` (None: the requests are chosen from this server's lists)."""
    server = Server(tree, args.store, args.base, work / f"{'baseline' if tree else 'this'}.log")
    try:
        server.first_answers("/api/fundings?limit=1")
        with httpx.Client(base_url=server.url, timeout=3600) as client:
            if asked is None:
                asked = requests(client, random.Random(args.seed), args.queries)
            got = []
            for path, params, headers in asked:
                each = []
                for _ in range(repeat):
                    response = client.get(path, params=params, headers=headers)
                    body = response.content.replace(server.url.encode(), b"http://server")  # JSON-LD's @context
                    each.append((response.status_code, response.headers.get("content-type", ""), body))
                got.append(each)
        return asked, got
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--base", default="http://127.0.0.1:8000/", help="the COOPKG_BASE_IRI it was built with")
    parser.add_argument("--baseline", type=Path, required=True, help="a checkout of the version to compare with")
    parser.add_argument("--queries", type=int, default=300, help="about this many queries per kind")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coopkg-search-same-"))
    asked, before = answers(args.baseline, args, work, None, 1)
    _, after = answers(None, args, work, asked, 2)
    differ = 0
    for (path, params, headers), (old,), new in zip(asked, before, after, strict=True):
        for i, answer in enumerate(new):
            if answer != old:
                differ += 1
                print(f"DIFFERS ({'first' if i == 0 else 'repeated'}): {path} {params} {headers}\n"
                      f"  before {old[0]} {old[1]} {old[2][:300]!r}\n  after  {answer[0]} {answer[1]} {answer[2][:300]!r}")  # fmt: skip
    matched = sum(1 for (old,) in before if b'"items":[{' in old[2] or b'"member"' in old[2])
    print(f"{len(asked)} requests ({matched} with items), each asked once before and twice after: {differ} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
