"""The real `coopkg` command, run as a subprocess on a private store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coopkg.cli import base_mismatch

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"


def coopkg(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coopkg.cli", *args], env=env, capture_output=True, text=True, input=stdin, timeout=300
    )


@pytest.fixture
def loaded(cli_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """A store with two documents ingested."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("000_e86e91a3fc1bd0f6.txt", "003_a05c1a58a0ce2546.txt"):
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    done = coopkg(cli_env, "ingest", str(folder))
    assert done.returncode == 0, done.stderr
    return cli_env


def test_ingest_reports_each_document(loaded: dict[str, str]) -> None:
    stats = json.loads(coopkg(loaded, "stats", "--json").stdout)
    graphs = {row["graph"]: row for row in stats}
    docs = [g for g in graphs if "/graph/document/" in g]
    assert len(docs) == 2
    assert graphs["(all)"]["documents"] == 2
    assert graphs["(all)"]["fundings"] >= 2
    assert any(g.endswith("graph/reference") for g in graphs)


def test_query_formats(loaded: dict[str, str]) -> None:
    csv = coopkg(
        loaded,
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/coopkg/ontology#Document> }",
        "--format",
        "csv",
    )
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.splitlines() == ["n", "2"]
    table = coopkg(loaded, "query", "--name", "who-funded-what")
    assert table.returncode == 0, table.stderr
    assert "880490.79" in table.stdout
    turtle = coopkg(
        loaded, "query", "CONSTRUCT WHERE { ?s a <https://w3id.org/coopkg/ontology#Funding> }", "--format", "turtle"
    )
    assert "coopkg:Funding" in turtle.stdout or "ontology#Funding" in turtle.stdout


def test_query_file_and_params(loaded: dict[str, str], tmp_path: Path) -> None:
    query = tmp_path / "count.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    done = coopkg(loaded, "query", str(query), "--format", "json")
    assert json.loads(done.stdout)["results"]["bindings"][0]["n"]["value"].isdigit()
    bad = coopkg(loaded, "query", "--name", "fundings-by-year", "--param", "from=soon")
    assert bad.returncode == 2
    assert "not a valid integer" in bad.stderr


def test_export_round_trips(loaded: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "dump.nq"
    assert coopkg(loaded, "export", "--format", "nquads", "-o", str(out)).returncode == 0
    lines = out.read_text().splitlines()
    assert len(lines) > 1000
    assert all(line.endswith(" .") for line in lines)


def test_drop_document(loaded: dict[str, str]) -> None:
    assert coopkg(loaded, "drop", "--document", "000_e86e91a3fc1bd0f6").returncode == 0
    again = coopkg(loaded, "drop", "--document", "000_e86e91a3fc1bd0f6")
    assert again.returncode == 4
    assert again.stderr.startswith("error:")
    stats = json.loads(coopkg(loaded, "stats", "--json").stdout)
    assert sum("/graph/document/" in row["graph"] for row in stats) == 1


def test_validate_whole_store(loaded: dict[str, str]) -> None:
    done = coopkg(loaded, "validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 violations" in done.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("query", "SELECT * WHERE { ?s }"), 2, "malformed SPARQL"),
        (("query", "--name", "nope"), 4, "no saved query"),
        (("export", "--format", "docx"), 2, "unknown RDF format"),
        (("drop",), 2, "exactly one of"),
        (("extract", "missing.txt"), 4, "no such file"),
        (("ingest", "missing-folder"), 4, "no such file"),
    ],
)
def test_errors_are_one_line_with_documented_codes(
    cli_env: dict[str, str], args: tuple[str, ...], code: int, message: str
) -> None:
    done = coopkg(cli_env, *args)
    assert done.returncode == code, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_load_validates_and_replaces(cli_env: dict[str, str], tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text("<http://example.org/s> <http://example.org/p> 1 .")
    assert coopkg(cli_env, "load", str(good), "--graph", "http://example.org/g").returncode == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix coopkg: <https://w3id.org/coopkg/ontology#> .\n"
        "<http://example.org/f> a coopkg:Funding ; coopkg:funder <http://example.org/nobody> .\n"
    )
    refused = coopkg(cli_env, "load", str(bad), "--graph", "http://example.org/g", "--replace")
    assert refused.returncode == 3
    assert "does not conform" in refused.stderr
    count = coopkg(
        cli_env, "query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }", "-f", "csv"
    )
    assert count.stdout.splitlines()[1] == "1"


def test_synth_is_deterministic_and_loads(cli_env: dict[str, str], tmp_path: Path) -> None:
    first, second = tmp_path / "a.nq", tmp_path / "b.nq"
    assert coopkg(cli_env, "synth", "--projects", "30", "--out", str(first)).returncode == 0
    assert coopkg(cli_env, "synth", "--projects", "30", "--out", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    other = tmp_path / "c.nq"
    coopkg(cli_env, "synth", "--projects", "30", "--out", str(other), "--seed", "8")
    assert other.read_bytes() != first.read_bytes()
    assert coopkg(cli_env, "load", str(first), "--no-validate").returncode == 0


def test_serve_refuses_a_missing_allocator(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "COOPKG_ALLOCATOR": "/nonexistent/libmalloc.so"}
    done = coopkg(env, "serve", "--port", "1")
    assert done.returncode == 2
    assert "COOPKG_ALLOCATOR" in done.stderr and "/nonexistent/libmalloc.so" in done.stderr


def test_serve_refuses_a_base_iri_it_does_not_answer_at(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "COOPKG_BASE_IRI": "http://127.0.0.1:8000/"}
    done = coopkg(env, "serve", "--port", "8123")
    assert done.returncode == 2
    assert "would not resolve" in done.stderr and "--port 8000" in done.stderr
    assert "COOPKG_BASE_IRI=http://127.0.0.1:8123/" in done.stderr  # the other fix
    # --any-base serves anyway, with the warning (here the next check stops it: no such allocator)
    done = coopkg({**env, "COOPKG_ALLOCATOR": "/nonexistent/libmalloc.so"}, "serve", "--port", "8123", "--any-base")
    assert done.returncode == 2 and "would not resolve" in done.stderr and "COOPKG_ALLOCATOR" in done.stderr


@pytest.mark.parametrize(("base", "host", "port", "refused"), [
    ("http://127.0.0.1:8000/", "127.0.0.1", 8000, False),
    ("http://localhost:8000/", "127.0.0.1", 8000, False),
    ("http://127.0.0.1:8000/", "0.0.0.0", 8000, False),
    ("http://127.0.0.1:8000/", "127.0.0.1", 8001, True),
    ("http://localhost/", "127.0.0.1", 8000, True),
    ("https://data.example.org/", "127.0.0.1", 8000, False),  # a public base: a proxy maps it here
])  # fmt: skip
def test_base_mismatch(base: str, host: str, port: int, refused: bool) -> None:
    assert (base_mismatch(base, host, port) is not None) == refused


def test_a_failing_document_is_reported_and_the_batch_goes_on(cli_env: dict[str, str], tmp_path: Path) -> None:
    """Symbol-only lines once crashed the extractor and stopped the batch; fr_03 was once rejected."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a_symbols.md").write_text("Le projet Atlas.\n\n***\n--\n'\n-\n```\n| a | b |\n```\n", encoding="utf-8")
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c_binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "d_fr_03.txt").write_bytes((ROOT / "tests" / "docs" / "fr_03_banquemondiale_tunisie.txt").read_bytes())
    (folder / "e_corpus.txt").write_bytes((CORPUS / "000_e86e91a3fc1bd0f6.txt").read_bytes())
    done = coopkg(cli_env, "ingest", str(folder))
    assert done.returncode == 0, done.stderr
    assert "3 of 5 documents written" in done.stdout + done.stderr
    stats = json.loads(coopkg(cli_env, "stats", "--json").stdout)
    written = {row["graph"].rsplit("/", 1)[-1] for row in stats if "/graph/document/" in row["graph"]}
    assert written == {"a_symbols", "d_fr_03", "e_corpus"}
