"""A worker's start: what importing the app costs, and that what it leaves out still works when used."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coopkg.errors import ForbiddenQueryError, QuerySyntaxError
from coopkg.query_guard import refuse_outbound, update_operations

ROOT = Path(__file__).resolve().parents[1]
# Only document writes, graph writes, SPARQL queries (their parse) and the remote backend need these.
LEFT_OUT = ["pyshacl", "rdflib", "pyparsing", "httpx", "coopkg.validate", "coopkg.ingest", "coopkg.extract.pipeline",
            "coopkg.store.remote", "typer", "rich"]  # fmt: skip


def _imported_by(code: str) -> set[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_app_and_the_worker_start_import_none_of_the_optional_libraries() -> None:
    modules = _imported_by("import coopkg.api.app, coopkg.supervisor, coopkg.api.transport")
    assert "fastapi" in modules and "coopkg.service" in modules  # the probe imported the app
    assert sorted(set(LEFT_OUT) & modules) == []


def test_what_is_left_out_comes_when_used() -> None:
    modules = _imported_by(
        "from coopkg.query_guard import refuse_outbound\n"
        "from coopkg import lookups\n"
        "refuse_outbound('SELECT * WHERE { ?s ?p ?o }', 'query')\n"
        "assert 'rdflib' not in sys.modules\n"  # no keyword that needs the parser
        "assert lookups.plan('SELECT ?o WHERE { <http://x/a> <http://x/b> ?o }') is not None\n"
    )
    assert "rdflib.plugins.sparql.parser" in modules


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "query"),
        ("LOAD <http://x/data>", "update"),
        ("SELECT * WHERE { ?s ?p ?o } # service\n SERVICE", "query"),
    ],
)
def test_the_guard_parses_and_refuses_when_the_keyword_is_there(text: str, kind: str) -> None:
    with pytest.raises(ForbiddenQueryError):
        refuse_outbound(text, kind)  # type: ignore[arg-type]


def test_an_unreadable_update_is_a_syntax_error_with_the_parsers_message() -> None:
    with pytest.raises(QuerySyntaxError, match=r"malformed SPARQL update: Expected"):
        update_operations("INSERT DATA { <http://x/a> <http://x/b> ")
    assert [op.name for op in update_operations("CLEAR GRAPH <http://x/g> ; DROP SILENT ALL")] == ["Clear", "Drop"]
