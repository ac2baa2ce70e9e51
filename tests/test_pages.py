"""The pages in a real headless Chromium (Debian's, driven by Playwright), against a real `coopkg serve`.

Every page a test opens must load without a console error, a failed request or an answer ≥ 400 it did
not expect, under a Content-Security-Policy of 'self' for scripts and styles (the server's, or that one
when the server sends none), and with no serious or critical accessibility violation (axe-core, from
the pinned npm packages). `make test` installs Chromium and the assets, so nothing here is skipped.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, Route, expect, sync_playwright

from tests.conftest import ROOT, CoopkgServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The network is closed: no background networking, no component updates; a fresh profile per run.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]  # fmt: skip
STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; object-src 'none'; base-uri 'none'")  # fmt: skip
AXE = ROOT / "assets" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def context(playwright: Playwright, corpus_site: CoopkgServer) -> Iterator[BrowserContext]:
    with tempfile.TemporaryDirectory() as profile:
        ctx = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=FLAGS, headless=True, locale="en-US",
            viewport={"width": 1280, "height": 900},
        )  # fmt: skip
        ctx.route(re.compile(re.escape(corpus_site.url) + ".*"), _with_csp)
        yield ctx
        ctx.close()


def _with_csp(route: Route) -> None:
    """Pages are checked under a strict policy: the server's own, or STRICT_CSP when it sends none."""
    response = route.fetch()
    headers = dict(response.headers)
    if headers.get("content-type", "").startswith("text/html") and "content-security-policy" not in headers:
        headers["content-security-policy"] = STRICT_CSP
    route.fulfill(response=response, headers=headers)


class Watched:
    """A page and what went wrong on it: console errors, uncaught exceptions, failed requests."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        self.expected_status: set[int] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _failed(self, request: Any) -> None:
        if request.failure != "net::ERR_ABORTED":  # cancelled because the test left the page, not failed
            self.problems.append(f"failed request: {request.url} {request.failure}")

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        expected = any(f"status of {status} " in message.text for status in self.expected_status)
        if not (expected and message.text.startswith("Failed to load resource")):
            self.problems.append(f"{self.page.url}: console error: {message.text} at {message.location}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.status not in self.expected_status:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def check_accessibility(self) -> None:
        """No serious or critical axe-core violation on the page as it is now."""
        self.page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the driver: not subject to the CSP
        results = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
                   for v in results["violations"] if v["impact"] in ("serious", "critical")]  # fmt: skip
        assert not serious, f"{self.page.url}: {serious}"


@pytest.fixture
def watched(context: BrowserContext) -> Iterator[Watched]:
    context.clear_cookies()  # each test starts without a remembered language
    page = context.new_page()
    page.set_default_timeout(20_000)
    w = Watched(page)
    yield w
    page.close()
    assert not w.problems, w.problems


@pytest.fixture
def api(corpus_site: CoopkgServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=corpus_site.url, timeout=30) as http:
        yield http


def rows(page: Page) -> int:
    return page.locator("table#fundings tbody tr").count()


def test_explorer_filters_by_a_funder(watched: Watched, corpus_site: CoopkgServer, api: httpx.Client) -> None:
    page = watched.page
    page.goto(corpus_site.url + "/")
    everything = api.get("/api/fundings", params={"facets": "true", "limit": 1, "lang": "en"}).json()
    assert rows(page) == everything["total"]
    expect(page.locator("p.found")).to_have_text(f"{everything['total']} fundings")
    watched.check_accessibility()
    top = everything["facets"]["funder"][0]  # the funder with most fundings
    page.locator("section.facet[data-facet=funder] a", has_text=top["label"]).first.click()
    page.wait_for_url(re.compile(r"funder="))
    assert rows(page) == top["count"] < everything["total"]
    chosen = api.get("/api/fundings", params={"funder": top["value"], "facets": "true", "lang": "en"}).json()
    funders = {text.strip() for text in page.locator("table#fundings tbody tr td:first-child").all_inner_texts()}
    assert funders == {
        api.get("/api/fundings", params={"funder": top["value"], "lang": "en"}).json()["items"][0]["funder"]["label"]
    }
    for total in chosen["totals"]["byCurrency"]:
        expect(page.locator(".totals-box")).to_contain_text(total["currency"])
    if chosen["totals"]["amountNotStated"]:
        expect(page.locator(".totals-box")).to_contain_text(f"{chosen['totals']['amountNotStated']} funding(s) without")
    # the CSV link downloads exactly this view
    href = page.locator("p.downloads a", has_text="CSV").get_attribute("href")
    assert href is not None and "funder=" in href
    assert api.get(href).text.count("\n") == top["count"] + 1
    page.locator(".chosen a[aria-label^='Remove filter']").first.click()
    page.wait_for_url(corpus_site.url + "/?")
    assert rows(page) == everything["total"]


def test_search_in_arabic_and_sort(watched: Watched, corpus_site: CoopkgServer, api: httpx.Client) -> None:
    page = watched.page
    page.goto(corpus_site.url + "/")
    page.get_by_label("Name of a funder or project, any language").fill("الاتحاد الأوروبي")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q="))
    expected = api.get("/api/fundings", params={"q": "الاتحاد الأوروبي"}).json()["total"]
    assert 0 < rows(page) == expected
    page.get_by_role("link", name="Sort by Amount").click()
    page.wait_for_url(re.compile(r"sort=amount"))
    amounts = page.locator("table#fundings tbody td.num").all_inner_texts()
    stated = [a for a in amounts if a[0].isdigit()]
    assert amounts[: len(stated)] == stated  # ascending: stated amounts first, unstated after


def test_organisation_page_and_a_quote_followed_to_its_document(watched: Watched, corpus_site: CoopkgServer,
                                                                api: httpx.Client) -> None:  # fmt: skip
    page = watched.page
    ofppt = api.get("/api/organisations/ofppt", params={"lang": "en"}).json()
    page.goto(corpus_site.url + "/organisations")
    page.get_by_role("link", name=ofppt["label"], exact=True).click()
    expect(page.locator("h1")).to_have_text(ofppt["label"])
    for project in ofppt["projects"]:
        expect(page.locator("ul.roles")).to_contain_text(project["project"]["label"])
    for partner in ofppt["partners"]:
        expect(page.locator("ul.partners")).to_contain_text(partner["label"])
    watched.check_accessibility()
    quote = page.locator("section.sources blockquote").first
    marked = quote.locator("mark").first.inner_text()
    page.locator("section.sources a", has_text="Read in the document").first.click()
    page.wait_for_url(re.compile(r"/id/document/[^#]+#c\d+-\d+$"))
    start, end = (int(x) for x in re.search(r"#c(\d+)-(\d+)$", page.url).groups())  # type: ignore[union-attr]
    target = page.locator("mark.target")
    expect(target.first).to_be_visible()
    assert "".join(target.all_inner_texts()) == marked
    assert end - start == len(marked)
    watched.check_accessibility()


def test_saved_query_runs_in_the_editor_with_labels(watched: Watched, corpus_site: CoopkgServer) -> None:
    page = watched.page
    page.goto(corpus_site.url + "/sparql")
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()
    page.get_by_label("Examples").select_option("who-funded-what")
    page.get_by_role("button", name="Open example").click()
    expect(page.locator(".tabPanel.active .CodeMirror-code")).to_contain_text("VALUES ?lang")
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    cells = page.locator(".tabPanel.active .yasr table tbody tr")
    expect(cells.first).to_be_visible()
    labelled = page.locator(".tabPanel.active .yasr table a[data-labelled][title]")
    expect(labelled.first).to_be_visible()
    link = labelled.first
    assert link.get_attribute("href", timeout=5000).startswith("/id/")  # type: ignore[union-attr]
    assert link.get_attribute("title").startswith(corpus_site.url)  # type: ignore[union-attr]
    assert not link.inner_text().startswith("http")  # a label, not the IRI
    watched.check_accessibility()


def test_switch_to_arabic_right_to_left(watched: Watched, corpus_site: CoopkgServer, api: httpx.Client) -> None:
    page = watched.page
    page.goto(corpus_site.url + "/")
    page.get_by_role("link", name="العربية").click()
    page.wait_for_url(re.compile(r"lang=ar"))
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("التمويلات")
    watched.check_accessibility()
    page.goto(corpus_site.url + "/id/organisation/ofppt")  # the choice is remembered
    expect(html).to_have_attribute("dir", "rtl")
    arabic = api.get("/api/organisations/ofppt", params={"lang": "ar"}).json()["label"]
    expect(page.locator("h1")).to_have_text(arabic)
    box = page.locator("h1").bounding_box()
    assert box is not None and box["x"] + box["width"] > 1280 * 0.6  # right-aligned
    watched.check_accessibility()
    page.goto(corpus_site.url + "/?lang=en")
    expect(html).to_have_attribute("dir", "ltr")


def test_pictures_show_the_figures(watched: Watched, corpus_site: CoopkgServer, api: httpx.Client) -> None:
    page = watched.page
    page.goto(corpus_site.url + "/")
    body = api.get("/api/fundings", params={"facets": "true", "limit": 1}).json()
    expect(page.locator("#chart-funder svg rect.bar")).to_have_count(len(body["totals"]["byFunder"]))
    expect(page.locator("#chart-year svg rect.bar")).to_have_count(len(body["totals"]["byYear"]))
    countries = [c for c in body["facets"]["country"] if c["numeric"]]
    expect(page.locator("#map svg path.funded")).to_have_count(len(countries))
    page.locator("#map svg a").first.click()  # a country filters the table
    page.wait_for_url(re.compile(r"region="))
    assert rows(page) == countries[0]["count"] or rows(page) in {c["count"] for c in countries}
    graph = api.get("/api/fundings/network", params={"limit": 200}).json()
    page.goto(corpus_site.url + "/network")
    expect(page.locator("#network svg g.node")).to_have_count(len(graph["nodes"]))
    expect(page.locator("#network-list li")).to_have_count(len(graph["links"]))
    watched.check_accessibility()


@pytest.mark.parametrize("path", [
    "/projects", "/regions", "/documents", "/indicators", "/queries", "/ontology", "/id/project/kafaat-liljamia",
    "/id/region/MA", "/id/organisation/eu?view=data", "/.well-known/void", "/docs", "/redoc",
    "/?lang=fr&currency=none", "/organisations?q=ofppt&lang=ar",
])  # fmt: skip
def test_every_page_loads_clean(watched: Watched, corpus_site: CoopkgServer, path: str) -> None:
    page = watched.page
    page.goto(corpus_site.url + path)
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1").first).not_to_be_empty()
    if path in ("/docs", "/redoc"):  # third-party renderers: they must show the API, from local assets
        expect(page.locator("#swagger-ui .opblock, #redoc h1, #redoc h2").first).to_be_visible()
    else:
        watched.check_accessibility()


def test_fact_pages_are_titled_by_what_they_say(watched: Watched, corpus_site: CoopkgServer,
                                                api: httpx.Client) -> None:  # fmt: skip
    page = watched.page
    funding = api.get("/api/fundings", params={"lang": "en", "limit": 1}).json()["items"][0]
    page.goto(funding["id"])
    expect(page.locator("h1")).to_have_text(funding["label"])
    expect(page.locator("section.sources mark").first).to_be_visible()
    watched.check_accessibility()
    page.get_by_role("link", name="Linked data (all triples)").click()
    expect(page.locator("table.triples").first).to_contain_text("funder")
    document = api.get("/api/documents").json()["items"][0]
    page.goto(document["id"])
    participation = page.locator(".document-facts a[href*='/id/participation/']").first
    title = participation.inner_text()
    assert " — " in title and not re.fullmatch(r"[0-9a-f]{16}", title)
    participation.click()
    expect(page.locator("h1")).to_have_text(title)
    watched.check_accessibility()


def test_error_page_has_navigation(watched: Watched, corpus_site: CoopkgServer) -> None:
    page = watched.page
    watched.expected_status = {404}
    answer = page.goto(corpus_site.url + "/id/organisation/no-such-thing")
    assert answer is not None and answer.status == 404
    expect(page.locator("h1")).to_contain_text("404")
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    expect(page.get_by_role("search")).to_be_visible()
    watched.check_accessibility()


@pytest.mark.parametrize("path", ["/?lang=ar", "/id/organisation/ofppt", "/id/document/000_e86e91a3fc1bd0f6"])
def test_phone_sized_screens_have_no_sideways_scroll(context: BrowserContext, corpus_site: CoopkgServer,
                                                     path: str) -> None:  # fmt: skip
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(corpus_site.url + path)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    page.close()
    assert widths[0] <= widths[1], widths
