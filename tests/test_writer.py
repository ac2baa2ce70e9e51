"""The service's writer: writes committed at once for every worker, read-your-writes kept by the readers."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from coopkg.errors import NotFoundError, QuerySyntaxError
from coopkg.funding_index import FundingQuery
from coopkg.queryexec import QueryRequest
from coopkg.service import Services
from coopkg.settings import Settings, get_settings
from coopkg.store.snapshots import Change, Generations
from coopkg.store.writer import WriterService

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
COUNT_DOCUMENTS = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a <https://w3id.org/coopkg/ontology#Document> }"


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[WriterService]:
    store = tmp_path / "store"
    generations = Generations(store)
    generations.publish_if_stale()
    service = WriterService(store, generations.root / "writer.sock", idle=0.5)
    service.start()
    yield service
    service.stop()


@pytest.fixture
def settings(tmp_path: Path, writer: WriterService) -> Settings:
    return get_settings(store=tmp_path / "store", base_iri="http://coopkg.test/", writer_socket=writer.socket_path)


@pytest.fixture
def pair(settings: Settings) -> Iterator[tuple[Services, Services]]:
    """Two workers of one `coopkg serve`: both write through its writer."""
    first, second = Services.open(settings), Services.open(settings)
    first.ensure_ready()
    yield first, second
    first.close()
    second.close()


def _write(services: Services, path: Path, doc_id: str | None = None) -> str:
    extraction = services.ingestor.extract_bytes(path.read_bytes(), source=path.name, doc_id=doc_id)
    services.write_document(extraction)
    return extraction.document.id


def _documents(services: Services) -> int:
    answer = services.query(QueryRequest(COUNT_DOCUMENTS, "application/sparql-results+json", "text/turtle"))
    return int(answer.body.split(b'"value":"')[1].split(b'"')[0])


def test_a_write_is_seen_by_the_next_request_in_any_worker(pair: tuple[Services, Services]) -> None:
    first, second = pair
    for round_, path in enumerate(CORPUS[:3], start=1):
        doc_id = _write(first, path)
        # Answered before its snapshot was published: the next request waits for it, in either worker.
        assert _documents(second) == round_
        assert second.document_json(doc_id)["document"]["id"].endswith("/" + doc_id)
        assert _documents(first) == round_
    assert second.fundings.search(FundingQuery(limit=100))[0] > 0


def test_errors_come_back_as_they_are(pair: tuple[Services, Services]) -> None:
    first, _ = pair
    with pytest.raises(QuerySyntaxError):
        first.update("INSERT DATA { <a> }")
    with pytest.raises(NotFoundError):
        first.delete_document("never-written")
    doc_id = _write(first, CORPUS[0])
    first.delete_document(doc_id)
    assert _documents(first) == 0


def test_concurrent_writes_are_all_committed_and_share_snapshots(
    pair: tuple[Services, Services], settings: Settings
) -> None:
    generations = Generations(settings.store)
    before = generations.latest()
    errors: list[BaseException] = []

    def write(services: Services, tag: str) -> None:
        try:
            for i, path in enumerate(CORPUS):
                _write(services, path, f"{tag}-{i}")
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(services, tag)) for services, tag in zip(pair, "ab", strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [], "".join(traceback.format_exception(errors[0]))
    assert _documents(pair[0]) == _documents(pair[1]) == 2 * len(CORPUS)
    assert before < generations.latest() <= before + 2 * len(CORPUS)  # a snapshot may hold several writes
    assert pair[0].fundings.search(FundingQuery(limit=500))[0] == pair[1].fundings.search(FundingQuery(limit=500))[0]


def test_the_store_is_let_go_when_writes_stop(pair: tuple[Services, Services], settings: Settings) -> None:
    _write(pair[0], CORPUS[0])
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPKG_")}
    env.update(COOPKG_STORE=str(settings.store), COOPKG_BASE_IRI="http://coopkg.test/")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "coopkg.cli", "drop", "--document", CORPUS[0].stem],
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 60
    assert _documents(pair[1]) == 0  # the CLI published a generation after it


def test_a_document_write_does_not_wait_for_other_documents(tmp_path: Path) -> None:
    settings = get_settings(store=tmp_path / "store", base_iri="http://coopkg.test/")
    services = Services.open(settings)
    generations = Generations(settings.store)
    try:
        latest = generations.latest()
        generations.mark_pending(latest + 1, beyond_documents=False)
        started = time.monotonic()
        services.sync(writing_documents=True)  # documents are validated with the reference data only
        assert time.monotonic() - started < 1

        def publish() -> None:
            with generations.session() as session:
                session.commit(Change(everything=True))

        publisher = threading.Timer(0.5, publish)
        generations.mark_pending(latest + 1, beyond_documents=True)
        started = time.monotonic()
        publisher.start()
        services.sync(writing_documents=True)  # the reference data may have changed: wait
        assert time.monotonic() - started >= 0.4 and services.generation == latest + 1
        publisher.join()
    finally:
        services.close()
