"""Screenshots of the pages for the README: `python docs/screenshots.py http://127.0.0.1:8000`.

Drives Debian's Chromium through Playwright (as the browser tests do) against a running
`coopkg serve` over the corpus, and writes docs/screenshots/*.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).parent / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def main(site: str) -> None:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        ctx = p.chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium", args=FLAGS,
                                                   viewport={"width": 1280, "height": 900}, locale="en-US")  # fmt: skip
        page = ctx.new_page()

        def shot(name: str, full: bool = False) -> None:
            page.wait_for_timeout(1200)
            page.screenshot(path=OUT / f"{name}.png", full_page=full)
            print(OUT / f"{name}.png")

        page.goto(site + "/?lang=en")
        shot("explorer", full=True)
        page.locator("section.facet[data-facet=funder] a").first.click()
        shot("explorer-funder")
        page.goto(site + "/id/organisation/ofppt")
        shot("organisation")
        page.locator("section.sources a", has_text="Read in the document").nth(1).click()
        shot("document")
        page.goto(site + "/sparql")
        page.get_by_label("Examples").select_option("who-funded-what")
        page.get_by_role("button", name="Open example").click()
        page.locator(".tabPanel.active .yasqe_queryButton").click()
        page.locator(".tabPanel.active .yasr table tbody tr").first.wait_for()
        shot("sparql")
        page.goto(site + "/network")
        page.wait_for_timeout(2500)
        shot("network")
        page.goto(site + "/?lang=ar")
        shot("explorer-arabic")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(site + "/id/project/kafaat-liljamia?lang=fr")
        shot("phone-project")
        ctx.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")
