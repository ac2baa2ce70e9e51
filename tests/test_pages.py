"""The HTML pages in a real headless Chromium (Debian's `chromium`), against a real server.

Skipped when Chromium is not installed, unless COOPKG_REQUIRE_BROWSER=1 (set by `.ci/run`,
which installs it): then a missing browser fails the suite instead of hiding these tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from tests.conftest import CoopkgServer as Server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags from this machine's notes: no background networking (the network is closed), no sandbox as root.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--virtual-time-budget=3000"]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> str:
    if CHROMIUM is None:
        if os.environ.get("COOPKG_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required (COOPKG_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("pages"))
    yield running
    running.stop()


def _chromium(browser: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=90)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def dom(browser: str, url: str) -> str:
    """The page's DOM after Chromium loaded and rendered it."""
    return _chromium(browser, "--dump-dom", url).stdout


def test_home_page_shows_counts_and_links(browser: str, site: Server) -> None:
    page = dom(browser, site.url + "/")
    assert "<title>" in page and "coopkg" in page
    for target in ('href="/sparql"', 'href="/ontology"', 'href="/docs"', 'href="/api/fundings"'):
        assert target in page
    counts = httpx.get(site.url + "/", headers={"Accept": "application/json"}).json()["counts"]
    assert counts["fundings"] > 0
    assert f"<strong>{counts['fundings']:,}</strong>fundings" in page


def test_resource_page_shows_label_and_evidence(browser: str, site: Server) -> None:
    item = httpx.get(site.url + "/api/fundings", params={"limit": 1, "sort": "-amount"}).json()["items"][0]
    page = dom(browser, item["id"])  # the funding's own IRI, dereferenced by the browser
    assert item["funder"]["label"] in page
    quote = item["sources"][0]["evidence"][0]["quote"]
    assert f"<blockquote>{quote}</blockquote>" in page or f'<blockquote dir="rtl">{quote}</blockquote>' in page


def test_sparql_form_results_render_as_a_table(browser: str, site: Server) -> None:
    form = dom(browser, site.url + "/sparql")
    assert '<form method="get" action="/sparql">' in form and 'name="query"' in form
    query = ("PREFIX coopkg: <https://w3id.org/coopkg/ontology#> "
             "SELECT ?f ?funder WHERE { ?f a coopkg:Funding ; coopkg:funder ?funder } ORDER BY ?f")  # fmt: skip
    page = dom(browser, site.url + "/sparql?" + urlencode({"query": query, "format": "html"}))
    expected = httpx.get(site.url + "/sparql", params={"query": query},
                         headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]  # fmt: skip
    assert f"{len(expected)} results" in page
    assert page.count("<tr>") == len(expected) + 1  # header row and one per solution
    for binding in expected:
        assert binding["funder"]["value"] in page


def test_screenshot_is_a_rendered_page(browser: str, site: Server, tmp_path: Path) -> None:
    shot = tmp_path / "home.png"
    _chromium(browser, f"--screenshot={shot}", "--window-size=1024,768", site.url + "/ontology")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1024, 768)
    assert len(data) > 10_000  # text and layout, not a blank page
