"""Saved SPARQL queries: ``queries/*.rq`` files with a grlc-style ``#+`` YAML header.

Header keys: ``summary``, ``description``, ``tags`` and ``params``, a mapping from a
variable name to ``{type, description, default, required, example}``. A parameter is
bound to the variable of the same name by the engine (never pasted into the text), so a
SELECT query must project every parameter variable. Do not test ``BOUND(?param)``: Oxigraph
folds it before substitution; give filter parameters a neutral default instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pyoxigraph import Literal, NamedNode

from coopkg.errors import BadInputError, NotFoundError
from coopkg.resources import queries_dir
from coopkg.store.base import QueryResult, Repository, Term
from coopkg.store.sparql_text import inject_value_rows
from coopkg.terms import XSD

EXAMPLE_BASE = "http://127.0.0.1:8000/"  # the base IRI the examples of the query headers are written for
PARAM_TYPES = ("iri", "string", "language", "integer", "decimal", "date", "boolean")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_LANG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str = "string"
    description: str = ""
    default: Any = None
    required: bool = False
    example: Any = None

    def to_term(self, raw: object) -> Term:
        """The RDF term for a user-given value, checked against the parameter type."""
        text = str(raw).strip()
        try:
            if self.type == "iri":
                if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", text):
                    raise ValueError("an absolute IRI is expected")
                return NamedNode(text)
            if self.type == "integer":
                return Literal(str(int(text)), datatype=XSD.integer)
            if self.type == "decimal":
                float(text)
                return Literal(text, datatype=XSD.decimal)
            if self.type == "date":
                return Literal(date.fromisoformat(text).isoformat(), datatype=XSD.date)
            if self.type == "boolean":
                if text.lower() not in {"true", "false", "1", "0"}:
                    raise ValueError("true or false expected")
                return Literal(str(text.lower() in {"true", "1"}).lower(), datatype=XSD.boolean)
            if self.type == "language":
                if not _LANG.match(text):
                    raise ValueError("a BCP 47 language tag is expected")
                return Literal(text.lower())
            return Literal(text)
        except ValueError as error:
            raise BadInputError(f"parameter {self.name!r}: {raw!r} is not a valid {self.type}: {error}") from error


@dataclass(frozen=True)
class SavedQuery:
    name: str
    text: str
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[QueryParam, ...] = field(default_factory=tuple)

    def param(self, name: str) -> QueryParam:
        for p in self.params:
            if p.name == name:
                return p
        raise BadInputError(f"query {self.name!r} has no parameter {name!r}")

    def bindings(self, values: Mapping[str, object]) -> dict[str, Term]:
        """Checked terms for the given values, defaults filled in, unknown names refused."""
        for name in values:
            self.param(name)
        bound: dict[str, Term] = {}
        for p in self.params:
            raw = values.get(p.name)
            if raw is None or raw == "":
                raw = p.default
            if raw is None:
                if p.required:
                    raise BadInputError(f"query {self.name!r} needs parameter {p.name!r} ({p.description})")
                continue
            bound[p.name] = p.to_term(raw)
        return bound

    def example(self, base: str = EXAMPLE_BASE) -> str:
        """The query as a runnable example: each parameter with a default or an example value bound in a
        VALUES block written by the engine's serializer (what the endpoint does by substitution);
        example IRIs, written for the default base, are moved to the deployment's ``base``."""
        text = self.text
        for p in self.params:
            raw = p.default if p.default is not None else p.example
            if isinstance(raw, str) and raw.startswith(EXAMPLE_BASE):
                raw = base + raw[len(EXAMPLE_BASE) :]
            if raw is not None:
                text = inject_value_rows(text, p.name, [p.to_term(raw)])  # type: ignore[list-item]
        return text

    def run(self, repo: Repository, values: Mapping[str, object] | None = None) -> QueryResult:
        return repo.query(self.text, bindings=self.bindings(values or {}))

    def run_for_each(self, repo: Repository, variable: str, iris: list[str]) -> QueryResult:
        """One evaluation for several values of one IRI parameter (a VALUES block written by the engine)."""
        if self.param(variable).type != "iri":
            raise BadInputError(f"parameter {variable!r} of {self.name!r} is not an IRI")
        return repo.query(inject_value_rows(self.text, variable, [NamedNode(i) for i in iris]))


def parse_saved_query(name: str, text: str) -> SavedQuery:
    header = "\n".join(line[2:] for line in text.splitlines() if line.startswith("#+"))
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as error:
        raise BadInputError(f"query {name!r}: malformed #+ header: {error}") from error
    if not isinstance(meta, dict):
        raise BadInputError(f"query {name!r}: the #+ header must be a mapping")
    params = []
    for pname, spec in (meta.get("params") or {}).items():
        spec = spec or {}
        ptype = spec.get("type", "string")
        if ptype not in PARAM_TYPES:
            raise BadInputError(f"query {name!r}: parameter {pname!r} has unknown type {ptype!r}")
        params.append(
            QueryParam(
                name=pname,
                type=ptype,
                description=str(spec.get("description", "")),
                default=spec.get("default"),
                required=bool(spec.get("required", False)),
                example=spec.get("example"),
            )
        )
    tags = meta.get("tags") or []
    return SavedQuery(
        name=name,
        text=text,
        summary=str(meta.get("summary", "")),
        description=str(meta.get("description", "")).strip(),
        tags=tuple(tags) if isinstance(tags, list) else (str(tags),),
        params=tuple(params),
    )


@cache
def _load_dir(directory: Path) -> dict[str, SavedQuery]:
    found = {}
    for path in sorted(directory.glob("*.rq")):
        if not _NAME.match(path.stem):
            raise BadInputError(f"saved query file name {path.name!r} must be lower-case words joined by '-'")
        found[path.stem] = parse_saved_query(path.stem, path.read_text(encoding="utf-8"))
    return found


def saved_queries(directory: Path | None = None) -> dict[str, SavedQuery]:
    return _load_dir(directory or queries_dir())


def internal_query(name: str) -> SavedQuery:
    """A query the code itself runs, from ``queries/internal/``: SPARQL stays out of Python."""
    return saved_query(name, queries_dir() / "internal")


@cache
def internal_update(name: str) -> str:
    """A SPARQL update the code sends, from ``queries/internal/{name}.ru`` (bound with a VALUES block)."""
    path = queries_dir() / "internal" / f"{name}.ru"
    if not _NAME.match(name) or not path.is_file():
        raise NotFoundError(f"no internal update {name!r}")
    return path.read_text(encoding="utf-8")


def saved_query(name: str, directory: Path | None = None) -> SavedQuery:
    queries = saved_queries(directory)
    if name not in queries:
        raise NotFoundError(f"no saved query {name!r}; known: {', '.join(sorted(queries))}")
    return queries[name]
