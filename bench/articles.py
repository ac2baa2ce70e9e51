"""Corpus-like articles for the ingest benchmarks: about 3 KB each, all different, deterministic.

Each article is made of paragraphs of the seed articles of one language (the corpus, the test
documents and the real articles of eval/real), drawn at random until it reaches about 3 KB:
the sentences the extractor meets are real ones, and no two articles are the same text.
Usage: python bench/articles.py COUNT FOLDER [--seed S]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from coopkg.extract.reader import read_path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (ROOT / "data" / "corpus", ROOT / "tests" / "docs", *sorted((ROOT / "eval" / "real").glob("*/docs")))
TARGET = 3_000


def _paragraphs() -> dict[str, list[str]]:
    """Paragraphs of the seed articles, by language (the file name's prefix, or French for the corpus)."""
    found: dict[str, list[str]] = {}
    for folder in SEEDS:
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            language = path.name[:2] if path.name[2:3] == "_" and not path.name[:2].isdigit() else "fr"
            text = read_path(path, 10_000_000).text
            parts = [p.strip() for p in text.split("\n") if len(p.strip()) > 40]
            found.setdefault(language, []).extend(parts)
    return found


def write_articles(count: int, folder: Path, seed: int = 11) -> list[Path]:
    """``count`` articles in ``folder`` (kept when already there: same seed, same files)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"article-{i:06d}.txt" for i in range(count)]
    if all(p.exists() for p in paths):
        return paths
    rng = random.Random(seed)
    pools = _paragraphs()
    languages = sorted(pools)
    for i, path in enumerate(paths):
        pool = pools[languages[i % len(languages)]]
        chosen: list[str] = []
        size = 0
        while size < TARGET:
            paragraph = rng.choice(pool)
            chosen.append(paragraph)
            size += len(paragraph.encode()) + 2
        path.write_text("\n\n".join(chosen)[: TARGET + 400], encoding="utf-8")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    paths = write_articles(args.count, args.folder, args.seed)
    sizes = [p.stat().st_size for p in paths]
    print(f"{len(paths)} articles in {args.folder}, mean {sum(sizes) / len(sizes) / 1000:.1f} KB")


if __name__ == "__main__":
    main()
