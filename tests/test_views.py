"""The views on disk (coopkg.viewdb): built once per state of the store, shared by the workers of a machine.

A real `coopkg serve --workers 2` over the embedded store: both workers map the one view file the
supervisor built, a write through either is seen by both without a rebuild, and a restart builds
nothing. In process: following the journal gives what a rebuild gives, a build killed half way
leaves the published view untouched, and the amounts' sort key orders like the decimals.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from coopkg.catalogue import Catalogue
from coopkg.funding_index import FundingIndex, FundingQuery
from coopkg.iris import IriMinter
from coopkg.queries import internal_query
from coopkg.service import Services
from coopkg.settings import Settings, get_settings
from coopkg.store.snapshots import Change
from coopkg.synth import write_synthetic
from coopkg.viewdb.files import Views
from coopkg.viewdb.records import amount_key
from coopkg.viewdb.sources import LIST_SOURCES
from tests.conftest import ROOT, WRITE_TOKEN, CoopkgServer
from tests.test_consistency import _worker_of

CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
POSTED = "Le projet Mirage Vert est financé par la Banque mondiale à hauteur de 7 millions de dollars."


# -- a real service with two workers ------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoopkgServer]:
    server = CoopkgServer(tmp_path_factory.mktemp("views"))
    yield server
    server.stop()


def _views_folder(site: CoopkgServer) -> Path:
    return Path(f"{site.env['COOPKG_STORE']}-snapshots") / "views"


def _through_each_worker(site: CoopkgServer, path: str) -> dict[int, Any]:
    """GET ``path`` on new connections until both workers have answered it: {worker: JSON}."""
    port = int(site.url.rsplit(":", 1)[1])
    workers = site.workers()
    assert len(workers) == 2
    answers: dict[int, Any] = {}
    for _ in range(200):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("GET", path, headers={"Accept": "application/json"})
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200, body
            answers[_worker_of(connection, port, workers)] = json.loads(body)
        finally:
            connection.close()
        if len(answers) == 2:
            return answers
    raise AssertionError(f"only {len(answers)} worker(s) answered {path}")


def _mapped_files(pid: int) -> set[str]:
    return {line.split(maxsplit=5)[5] for line in Path(f"/proc/{pid}/maps").read_text().splitlines()
            if len(line.split(maxsplit=5)) == 6}  # fmt: skip


def test_two_workers_share_one_built_view(site: CoopkgServer) -> None:
    folder = _views_folder(site)
    current = (folder / "CURRENT").read_text().strip()
    assert [p.name for p in folder.glob("views-*.sqlite")] == [current]  # built once, by the supervisor
    answers = _through_each_worker(site, "/api/fundings?limit=5")
    assert len({json.dumps(a, sort_keys=True) for a in answers.values()}) == 1 and answers[next(iter(answers))]["total"]
    for worker in answers:
        assert str(folder / current) in _mapped_files(worker), "each worker maps the shared file"
    assert not any(p.name.startswith("building-") for p in folder.iterdir())


def test_a_write_is_seen_by_both_workers(site: CoopkgServer) -> None:
    folder = _views_folder(site)
    before = (folder / "CURRENT").read_text()
    port = int(site.url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    body = json.dumps({"id": "mirage", "text": POSTED})
    connection.request("POST", "/api/documents", body,
                       {"Content-Type": "application/json", "Authorization": f"Bearer {WRITE_TOKEN}"})  # fmt: skip
    response = connection.getresponse()
    created = json.loads(response.read())
    assert response.status == 201, created
    funded = created["fundings"][0]["funded"]
    for answer in _through_each_worker(site, f"/api/fundings?funded={funded}").values():
        assert answer["total"] == 1 and answer["items"][0]["amount"] == 7_000_000
    for answer in _through_each_worker(site, "/api/projects?q=mirage%20vert").values():
        assert answer["items"] and answer["items"][0]["id"] == funded
    assert (folder / "CURRENT").read_text() == before, "a document write is followed in place, not rebuilt"
    connection.request("DELETE", "/api/documents/mirage", headers={"Authorization": f"Bearer {WRITE_TOKEN}"})
    assert connection.getresponse().status == 204
    connection.close()
    for answer in _through_each_worker(site, f"/api/fundings?funded={funded}").values():
        assert answer["total"] == 0
    for answer in _through_each_worker(site, "/api/projects?q=mirage%20vert").values():
        assert all(item["id"] != funded for item in answer["items"])


def test_a_worker_starts_without_rebuilding(site: CoopkgServer, tmp_path: Path) -> None:
    folder = _views_folder(site)
    current = (folder / "CURRENT").read_text().strip()
    shown = _generation_of(folder / current)
    site.stop()
    port = int(site.url.rsplit(":", 1)[1])
    log = (tmp_path / "serve.log").open("wb")
    started = subprocess.Popen([sys.executable, "-m", "coopkg.cli", "serve", "--port", str(port)], env=site.env,
                               stdout=subprocess.DEVNULL, stderr=log)  # fmt: skip
    site.process = started
    answers = {}
    deadline = time.monotonic() + 60
    while not answers and time.monotonic() < deadline:
        try:
            answers = _through_each_worker(site, "/api/fundings?limit=1")
        except (OSError, AssertionError):
            time.sleep(0.2)
    assert answers and all(a["total"] for a in answers.values())
    assert (folder / "CURRENT").read_text().strip() == current and _generation_of(folder / current) == shown
    assert [p.name for p in folder.glob("views-*.sqlite")] == [current]
    site.stop()
    log.close()
    assert b"built the views" not in (tmp_path / "serve.log").read_bytes()


def _generation_of(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])


# -- in process ------------------------------------------------------------------------------------------


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return get_settings(store=tmp_path / "store", base_iri="http://coopkg.test/")


def _write(services: Services, path: Path) -> str:
    extraction = services.ingestor.extract_bytes(path.read_bytes(), source=path.name)
    services.write_document(extraction)
    return extraction.document.id


def _answers(fundings: FundingIndex, catalogue: Catalogue) -> dict[str, Any]:
    """What the views answer, for comparing two of them."""
    total, page = fundings.search(FundingQuery(limit=10_000))
    parties = sorted({iri for f in page for iri in (f.funder, f.funded)})
    queries = ["ofppt", "union europeenne", "banque", "programme", "de", "a", "الاتحاد", "projet"]
    return {
        "fundings": (total, [(f.id, f.funder, f.funded, f.amount, f.currency, f.kind, f.year, f.date) for f in page]),
        "graphs": {fid: fundings.fundings[fid].graphs for fid in fundings.fundings},
        "labels": fundings.labels_for(parties),
        "totals": fundings.totals_by_funder(),
        "organisations": [(o.id, o.labels, o.alt, o.type) for o in catalogue.search_organisations(None, None)],
        "projects": [(p.id, p.labels, p.alt, p.type, p.extra) for p in catalogue.search_projects(None)],
        "searches": {
            q: ([o.id for o in catalogue.search_organisations(q, None)], [p.id for p in catalogue.search_projects(q)])
            for q in queries
        },
        "documents": {g: d.extra for g, d in catalogue.documents_index().items()},
    }


def test_following_the_journal_gives_what_a_rebuild_gives(settings: Settings) -> None:
    first = Services.open(settings)
    first.ensure_ready()
    second = Services.open(settings)
    try:
        assert second.fundings.search(FundingQuery())[0] == 0  # built (once) before the writes
        assert first.views.db.path == second.views.db.path and first.views.rebuilds + second.views.rebuilds == 1
        ids = [_write(first if i % 2 else second, path) for i, path in enumerate(CORPUS)]
        first.delete_document(ids[0])
        _write(second, CORPUS[1])  # written again: the same facts, replaced
        second.sync()
        assert first.views.rebuilds + second.views.rebuilds == 1, "followed from the journal, never rebuilt"
        followed = _answers(second.fundings, second.catalogue)
        assert followed["fundings"][0] > 0 and followed["searches"]["ofppt"][0]
        fresh = FundingIndex(second.repo)  # a rebuild from the same snapshot, in a private file
        assert followed == _answers(fresh, Catalogue(second.repo, fresh))
        fresh.views.close()
    finally:
        first.close()
        second.close()


def test_a_build_killed_half_way_leaves_the_published_view(settings: Settings, tmp_path: Path) -> None:
    data = tmp_path / "synthetic.nq"
    write_synthetic(data, IriMinter(settings.base_iri), projects=1200, seed=2)
    services = Services.open(settings)
    services.ensure_ready()
    assert services.snapshots is not None
    with services.snapshots.writing(Change(everything=True)) as writable:
        writable.load_file(data, None)
    services.sync()
    published = services.views.db.path
    total = services.fundings.search(FundingQuery())[0]
    assert total >= 1200
    folder = services.views.root
    script = ("from coopkg.service import Services\nfrom coopkg.settings import get_settings\n"
              f"s = Services.open(get_settings(store={str(settings.store)!r}, base_iri={settings.base_iri!r}))\n"
              "s.views.rebuild(s.repo, s.generation)\n")  # fmt: skip
    building = subprocess.Popen([sys.executable, "-c", script], env={**os.environ})
    caught = None
    deadline = time.monotonic() + 120
    while caught is None and time.monotonic() < deadline and building.poll() is None:
        caught = next((p for p in folder.iterdir() if p.name.startswith("building-")), None)
        time.sleep(0.005)
    assert caught is not None, "the build was seen under way"
    time.sleep(random.Random(1).uniform(0.05, 0.3))
    building.send_signal(signal.SIGKILL)
    building.wait(timeout=30)
    assert (folder / "CURRENT").read_text() == published.name, "the pointer still names the complete view"
    with sqlite3.connect(f"file:{published}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    services.close()
    again = Services.open(settings)
    try:
        assert again.fundings.search(FundingQuery())[0] == total and again.views.db.path == published
        assert again.views.rebuilds == 0
        again.views.rebuild(again.repo, again.generation)
        assert not any(p.name.startswith("building-") for p in folder.iterdir()), "what the crash left is deleted"
        assert again.fundings.search(FundingQuery())[0] == total
    finally:
        again.close()


def test_the_amount_key_sorts_like_the_decimals() -> None:
    rng = random.Random(7)
    amounts = [Decimal(rng.choice(["", "-"]) + str(rng.randint(0, 10**rng.randint(0, 14)))) /
               Decimal(10) ** rng.randint(0, 6) for _ in range(3000)]  # fmt: skip
    amounts += [Decimal("0"), Decimal("0.00"), Decimal("-0"), Decimal("1E+3"), Decimal("1000.0"), Decimal("999.99")]
    by_key = sorted(amounts, key=lambda a: (amount_key(a), str(a)))
    assert [a for a in by_key] == sorted(amounts, key=lambda a: (a, amount_key(a), str(a)))
    for a in amounts:
        for b in rng.sample(amounts, 20):
            assert (amount_key(a) == amount_key(b)) == (a == b)
            assert (amount_key(a) < amount_key(b)) == (a < b)


def test_views_of_another_process_are_read_not_rebuilt(settings: Settings) -> None:
    first = Services.open(settings)
    first.ensure_ready()
    _write(first, CORPUS[0])
    built = first.views
    assert built.rebuilds == 1
    second = Services.open(settings)
    try:
        assert second.views.rebuilds == 0 and second.views.db.path == built.db.path
        assert second.fundings.search(FundingQuery())[0] == first.fundings.search(FundingQuery())[0] > 0
        assert isinstance(Views.beside(second.snapshots.root).generation(), int)  # type: ignore[union-attr]
    finally:
        first.close()
        second.close()


def _store_first_sources(services: Services) -> dict[str, list[Any]]:
    """Each listed organisation's and project's first sources as the store gives them now (``sources-first``)."""
    db = services.views.db.read()
    listed = [i for (i,) in db.execute("SELECT id FROM entity WHERE kind IN ('organisations', 'projects')")]
    found = {}
    for iri in listed:
        rows = list(internal_query("sources-first").run(services.repo, {"fact": iri}).rows())
        found[iri] = services.catalogue._group_sources(rows).get(iri, [])[:LIST_SOURCES]
    return found


def _kept_first_sources(services: Services) -> dict[str, list[Any]]:
    rows = services.views.db.read().execute("SELECT entity, sources FROM first_source")
    return {entity: json.loads(text) for entity, text in rows}


def test_first_sources_kept_in_the_views_follow_writes(settings: Settings) -> None:
    """The lists' first sources kept in the views are what the store gives per item, after a build and
    after each write and drop followed from the journal; a list's page is read from them."""
    services = Services.open(settings)
    services.ensure_ready()
    try:
        ids = [_write(services, path) for path in CORPUS[:3]]
        services.sync()
        kept = _kept_first_sources(services)
        assert kept == _store_first_sources(services) and sum(1 for s in kept.values() if s) > 5
        posted = services.ingestor.extract_bytes(POSTED.encode(), source="mirage.txt")
        services.write_document(posted)
        services.sync()
        kept = _kept_first_sources(services)
        assert kept == _store_first_sources(services)
        mirage = next(iri for iri in kept if "mirage" in iri)
        assert [s["source"] for s in kept[mirage]] == ["mirage.txt"]
        services.delete_document(ids[0])
        services.delete_document(posted.document.id)
        services.sync()
        kept = _kept_first_sources(services)
        assert kept == _store_first_sources(services) and mirage not in kept
        assert services.views.rebuilds == 1, "followed from the journal, never rebuilt"
        page = services.catalogue.first_sources_of(sorted(kept)[:50])
        assert page == {iri: kept[iri] for iri in sorted(kept)[:50]}
    finally:
        services.close()
