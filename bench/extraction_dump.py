"""Every document's extracted facts, as JSON: to check that a speed change leaves the extraction's output alone.

Extracts every document of data/corpus, tests/docs, eval/real/*/docs, the shared articles
(../shared/extraction/*/docs next to the checkout, or /work/shared/extraction) and the first
``--articles`` corpus-like articles of bench/articles.py, and writes one JSON object: for each
file, the extraction's JSON and its graph's triples in the order they are made. Run it before
and after a change and compare (``--compare OLD NEW`` names the documents that differ).
Usage: python bench/extraction_dump.py OUT.json [--articles 300] | --compare OLD.json NEW.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from _common import BASE, OUT
from articles import write_articles
from coopkg.extract.pipeline import Extractor
from coopkg.iris import IriMinter

ROOT = Path(__file__).resolve().parents[1]


def document_folders() -> list[Path]:
    shared = [ROOT.parent / "shared" / "extraction", Path("/work/shared/extraction")]
    folders = [ROOT / "data" / "corpus", ROOT / "tests" / "docs", *sorted((ROOT / "eval" / "real").glob("*/docs"))]
    for place in shared:
        if place.is_dir():
            folders.extend(sorted(place.glob("*/docs")))
            break
    return folders


def documents(articles: int) -> list[tuple[str, Path]]:
    found = []
    for folder in document_folders():
        for path in sorted(p for p in folder.iterdir() if p.suffix in {".txt", ".md", ".html", ".htm"}):
            found.append((f"{folder.parent.name}/{folder.name}/{path.name}", path))
    if articles:
        found.extend((f"articles/{p.name}", p) for p in write_articles(articles, OUT / f"articles-{articles}"))
    return found


def dump(articles: int) -> dict[str, object]:
    minter = IriMinter(BASE)
    extractor = Extractor.from_reference(minter)
    out: dict[str, object] = {}
    for name, path in documents(articles):
        extraction = extractor.extract_path(path)
        out[name] = {
            "facts": extraction.to_json(),
            "triples": [str(t) for t in extraction.to_triples(minter)],
        }
    return out


def compare(old: Path, new: Path) -> int:
    a, b = json.loads(old.read_text()), json.loads(new.read_text())
    differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(a)} / {len(b)} documents, {len(differ)} differ")
    return 1 if differ else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("OLD", "NEW"))
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    if args.out is None:
        parser.error("name the output file")
    started = time.perf_counter()
    result = dump(args.articles)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True))
    print(f"{len(result)} documents in {time.perf_counter() - started:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
