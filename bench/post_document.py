"""POST /api/documents of a 3 KB article against a real `coopkg serve` (target p50 ≤ 80 ms).

Starts `coopkg serve` (2 workers, its writer) on a store holding the corpus, posts corpus-like
articles (bench/articles.py, about 3 KB, each a new document) one after another, and measures
each answer; then a GET of the document just written (read-your-writes: it waits for the
snapshot the write awaits). Also times the extraction of the same articles in this process,
so the write path's cost shows as the difference.
Usage: python bench/post_document.py [--requests 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from _common import OUT, percentile
from articles import write_articles
from coopkg.extract.pipeline import Extractor
from coopkg.extract.reader import read_path
from coopkg.iris import IriMinter

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-token"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    articles = write_articles(args.requests, OUT / "articles-post")
    texts = [read_path(p, 10_000_000).text for p in articles]
    coopkg = str(Path(sys.executable).parent / "coopkg")
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        env = {k: v for k, v in os.environ.items() if not k.startswith("COOPKG_")}
        env.update(COOPKG_STORE=str(Path(folder) / "store"), COOPKG_BASE_IRI=base, COOPKG_WRITE_TOKEN=TOKEN)
        subprocess.run([coopkg, "ingest", str(ROOT / "data" / "corpus")], env=env, check=True, capture_output=True)
        server = subprocess.Popen([coopkg, "serve", "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(base + "api/fundings", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("coopkg serve did not start")
                time.sleep(0.2)
            posts, rejected, gets = [], [], []
            headers = {"Authorization": f"Bearer {TOKEN}"}
            with httpx.Client(timeout=60) as client:
                for i, text in enumerate(texts):
                    started = time.perf_counter()
                    answer = client.post(
                        base + "api/documents", json={"text": text, "id": f"bench-{i}"}, headers=headers
                    )
                    elapsed = time.perf_counter() - started
                    if answer.status_code == 422:  # the document does not conform: answered, not written
                        rejected.append(elapsed)
                        continue
                    assert answer.status_code == 201, answer.text[:300]
                    posts.append(elapsed)
                    started = time.perf_counter()
                    read = client.get(base + f"api/documents/bench-{i}")
                    gets.append(time.perf_counter() - started)
                    assert read.status_code == 200, read.text[:300]
        finally:
            server.terminate()
            server.wait(timeout=30)
    extractor = Extractor.from_reference(IriMinter("http://127.0.0.1:8000/"))
    extraction = []
    for i, text in enumerate(texts):
        started = time.perf_counter()
        extractor.extract_text(text, source="x.txt", doc_id=f"x{i}")
        extraction.append(time.perf_counter() - started)
    size = statistics.mean(len(t.encode()) for t in texts) / 1000
    print(f"{len(texts)} POST /api/documents of corpus-like articles (mean {size:.1f} KB), one after another:")
    print(f"  {len(posts)} written (201), {len(rejected)} rejected by the shapes (422)")
    for name, values in (("POST (201)", posts), ("GET right after", gets), ("extraction alone", extraction)):
        print(
            f"  {name:18s} p50 {percentile(values, 0.5) * 1000:6.1f} ms   p90 {percentile(values, 0.9) * 1000:6.1f} ms"
        )


if __name__ == "__main__":
    main()
