"""`coopkg load` of large files: reference data first, each graph validated as it streams, early failure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, parse, serialize

from coopkg.errors import BadInputError, ValidationFailed
from coopkg.iris import IriMinter
from coopkg.loading import check_file
from coopkg.reference import install
from coopkg.store import EmbeddedRepository
from coopkg.synth import write_synthetic
from coopkg.terms import COOPKG

BASE = "http://coopkg.test/"


def coopkg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coopkg.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "synthetic.nq"
    write_synthetic(path, IriMinter(BASE), projects=40, per_document=10)
    return path


def _documents(env: dict[str, str]) -> int:
    stats = json.loads(coopkg(env, "stats", "--json").stdout)
    return sum("/graph/document/" in row["graph"] for row in stats)


def test_a_synthetic_file_loads_into_an_empty_store(cli_env: dict[str, str], synthetic: Path) -> None:
    done = coopkg(cli_env, "load", str(synthetic), "--progress-every", "0")
    assert done.returncode == 0, done.stderr
    assert "empty store: loaded the ontology and the reference data first" in done.stderr
    assert "4 graphs conform" in done.stderr
    assert any(line.startswith("validating synthetic.nq: ") and "MB/s" in line for line in done.stderr.splitlines())
    assert _documents(cli_env) == 4
    assert coopkg(cli_env, "validate").returncode == 0


def test_data_made_with_another_base_fails_at_the_first_graph(cli_env: dict[str, str], synthetic: Path) -> None:
    env = {**cli_env, "COOPKG_BASE_IRI": "http://elsewhere.example/"}
    done = coopkg(env, "load", str(synthetic))
    assert done.returncode == 3
    assert "graph/document/synthetic-0000000" in done.stderr  # the first graph, not the whole file
    assert "the store's reference data does not describe" in done.stderr and "COOPKG_BASE_IRI" in done.stderr
    assert "Nothing was loaded" in done.stderr
    assert _documents(env) == 0


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedRepository:
    repo = EmbeddedRepository(tmp_path / "store")
    install(repo, IriMinter(BASE))
    return repo


def _quads(path: Path) -> list[Quad]:
    return list(parse(path=str(path), format=RdfFormat.N_QUADS))


def test_a_bad_graph_in_the_middle_stops_the_check(tmp_path: Path, synthetic: Path, store: EmbeddedRepository) -> None:
    quads = _quads(synthetic)
    graphs = list(dict.fromkeys(q.graph_name for q in quads))
    broken = [q for q in quads if not (q.graph_name == graphs[2] and q.predicate == COOPKG.funder)]
    path = tmp_path / "broken.nq"
    path.write_bytes(serialize(broken, format=RdfFormat.N_QUADS))
    read: list[int] = []
    with pytest.raises(ValidationFailed) as caught:
        check_file(store, IriMinter(BASE), path, RdfFormat.N_QUADS, target=None, base_iri=BASE, on_read=read.append)
    assert str(graphs[2]) in caught.value.message and "a funding has exactly one funder" in caught.value.message
    assert "nothing was loaded" in caught.value.message
    assert 0 < sum(read) <= path.stat().st_size


def test_every_graph_is_counted_when_all_conform(synthetic: Path, store: EmbeddedRepository) -> None:
    check = check_file(store, IriMinter(BASE), synthetic, RdfFormat.N_QUADS, target=None, base_iri=BASE)
    assert (check.graphs, check.triples) == (4, len(_quads(synthetic)))


def test_interleaved_graphs_are_refused_with_the_reason(
    tmp_path: Path, synthetic: Path, store: EmbeddedRepository
) -> None:
    quads = _quads(synthetic)
    first = [q for q in quads if q.graph_name == quads[0].graph_name]
    others = [q for q in quads if q.graph_name != quads[0].graph_name]
    path = tmp_path / "interleaved.nq"
    path.write_bytes(serialize(first[:50] + others + first[50:], format=RdfFormat.N_QUADS))
    with pytest.raises(BadInputError, match="not together in the file"):
        check_file(store, IriMinter(BASE), path, RdfFormat.N_QUADS, target=None, base_iri=BASE)


def test_a_file_into_one_graph_is_one_graph(tmp_path: Path, synthetic: Path, store: EmbeddedRepository) -> None:
    quads = _quads(synthetic)
    path = tmp_path / "one.nt"
    path.write_bytes(
        serialize([q.triple for q in quads if q.graph_name == quads[0].graph_name], format=RdfFormat.N_TRIPLES)
    )
    target = NamedNode("http://example.org/g")
    check = check_file(store, IriMinter(BASE), path, RdfFormat.N_TRIPLES, target=target, base_iri=BASE)
    assert check.graphs == 1
