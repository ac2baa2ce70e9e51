"""SHACL validation of a document's graph (with its context) or of the whole store.

Documents are validated by the fast validator (:mod:`coopkg.shacl`), which gives pyshacl's
verdicts in milliseconds; pyshacl stays the reference (:func:`validate_graph`), used for the
whole store, for shapes the fast validator does not implement and for the rare data whose
verdict only pyshacl can give exactly (a differential test holds the two to the same results).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

import rdflib
from pyoxigraph import NamedNode, RdfFormat, Triple, parse
from pyshacl import validate as shacl_validate
from rdflib.namespace import SH

from coopkg.errors import ValidationFailed
from coopkg.facts import Terms
from coopkg.iris import IriMinter
from coopkg.rdfconv import to_rdflib_graph
from coopkg.reference import ontology_triples
from coopkg.resources import ontology_file, shapes_files
from coopkg.shacl import Fallback, FastValidator, Found, Unsupported, term_text
from coopkg.store.base import Repository
from coopkg.terms import RDF

RDF_TYPE = RDF.type
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ValidationResult:
    severity: str
    focus: str
    path: str | None
    message: str
    value: str | None = None
    component: str | None = None  # the SHACL constraint component, e.g. "MinCountConstraintComponent"

    def line(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: <{self.focus}>{where}: {self.message}{value}"


@dataclass
class ValidationReport:
    results: list[ValidationResult] = field(default_factory=list)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self, limit: int = 20) -> str:
        lines = [r.line() for r in sorted(self.results, key=lambda r: (r.severity != "Violation", r.focus))]
        more = f"\n… and {len(lines) - limit} more" if len(lines) > limit else ""
        return "\n".join(lines[:limit]) + more

    def to_dict(self) -> dict[str, object]:
        return {
            "conforms": self.conforms,
            "results": [r.__dict__ for r in self.results],
        }

    def failure(self, what: str) -> str:
        """One line saying that ``what`` does not conform, and why first."""
        count = len(self.violations)
        first = self.violations[0].line()
        return f"{what} does not conform to the shapes ({count} violation{'s' * (count > 1)}; first: {first})"

    def raise_for_violations(self, what: str) -> None:
        if not self.conforms:
            raise ValidationFailed(self.failure(what), details=self.to_dict())


@cache
def shapes_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in shapes_files():
        graph.parse(path, format="turtle")
    return graph


@cache
def ontology_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_file(), format="turtle")


def validate_graph(data: rdflib.Graph, focus: list[str] | None = None) -> ValidationReport:
    """Validate one rdflib graph against the shapes, the ontology mixed in for subclass reasoning.

    With ``focus``, only those nodes are checked; the rest of the graph is context.
    """
    _, report, _ = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        allow_warnings=True,
        advanced=True,
        focus_nodes=[rdflib.URIRef(f) for f in focus] if focus is not None else None,
    )
    return _read_report(report)


def _read_report(report: rdflib.Graph) -> ValidationReport:
    results = []
    for node in report.objects(None, SH.result):
        severity = report.value(node, SH.resultSeverity)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        component = report.value(node, SH.sourceConstraintComponent)
        results.append(
            ValidationResult(
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                focus=str(report.value(node, SH.focusNode)),
                path=str(path) if isinstance(path, rdflib.URIRef) else (None if path is None else "(complex path)"),
                message=str(report.value(node, SH.resultMessage) or "constraint not met"),
                value=None if value is None else str(value),
                component=None if component is None else str(component).rsplit("#", 1)[-1],
            )
        )
    return _sorted(results)


def _sorted(results: list[ValidationResult]) -> ValidationReport:
    return ValidationReport(sorted(results, key=lambda r: (r.severity, r.focus, r.path or "", r.message)))


@cache
def fast_validator() -> FastValidator | None:
    """The shapes compiled for the fast validator, once per process; None if they use what it lacks."""
    shapes = [q.triple for path in shapes_files() for q in parse(path=str(path), format=RdfFormat.TURTLE)]
    try:
        return FastValidator(shapes, ontology_triples())
    except Unsupported as error:
        log.warning("validating with pyshacl only: %s", error)
        return None


class FallbackCount:
    """How many validations the fast validator handed to pyshacl in this process (benchmarks, tests)."""

    count = 0


def _from_found(found: list[Found]) -> ValidationReport:
    return _sorted(
        [
            ValidationResult(
                severity=f.shape.severity.rsplit("#", 1)[-1],
                focus=term_text(f.focus),
                path=f.shape.path.text() if f.shape.path is not None else None,
                message=f.message_text(),
                value=None if f.value is None else term_text(f.value),
                component=f.component_iri().rsplit("#", 1)[-1],
            )
            for f in found
        ]
    )


def referenced_iris(triples: Iterable[Triple | Terms]) -> list[NamedNode]:
    """IRIs a graph points to (objects) and speaks about (subjects)."""
    seen: dict[NamedNode, None] = {}
    for t in triples:
        if type(t) is tuple:
            subject, _, obj = t
        else:
            subject, obj = t.subject, t.object  # type: ignore[union-attr]
        if type(subject) is NamedNode:
            seen[subject] = None
        if type(obj) is NamedNode:
            seen[obj] = None
    return list(seen)


class Describes(Protocol):
    def describe(self, subjects: list[NamedNode], graph: NamedNode) -> list[Triple]: ...


class ReferenceIndex:
    """A reference graph in memory, by subject: documents' context without reading the store (ingest workers)."""

    def __init__(self, graph: NamedNode, triples: Iterable[Triple]) -> None:
        self.graph = graph
        self._by_subject: dict[object, list[Triple]] = {}
        for t in triples:
            self._by_subject.setdefault(t.subject, []).append(t)

    def describe(self, subjects: list[NamedNode], graph: NamedNode) -> list[Triple]:
        if graph != self.graph:
            raise ValueError(f"this index holds {self.graph}, not {graph}")
        found: list[Triple] = []
        for subject in subjects:
            found.extend(self._by_subject.get(subject, ()))
        return found


def document_context(repo: Describes, minter: IriMinter, triples: Sequence[Triple | Terms]) -> list[Triple]:
    """Reference data about what the document mentions, and the types of what that points to.

    Bounded by the document, not by the store: the cost of validating one document does not
    grow with the number of documents already stored. The document's own nodes (itself, its
    evidence: four in five of the IRIs it names) are never reference data, so they are not looked up.
    """
    mentioned = [iri for iri in referenced_iris(triples) if not minter.is_document_part(iri.value)]
    first = repo.describe(mentioned, minter.reference_graph)
    known = {t.subject for t in first}
    known.update(t[0] if type(t) is tuple else t.subject for t in triples)  # type: ignore[union-attr]
    further = [n for n in referenced_iris(first) if n not in known]
    types = [t for t in repo.describe(further, minter.reference_graph) if t.predicate == RDF_TYPE]
    return first + types


def validate_document(triples: Sequence[Triple | Terms], context: list[Triple]) -> ValidationReport:
    """Check the document's own nodes; the context (reference data) is there for links and types.

    Only the document's own nodes are focus nodes: the cost follows the document, not the store.
    ``triples`` may be (subject, predicate, object) tuples (:meth:`coopkg.facts.Extraction.to_terms`).
    """
    validator = fast_validator()
    if validator is not None:
        try:
            return _from_found(validator.validate(triples, context, own_only=True))
        except Fallback as reason:
            FallbackCount.count += 1
            log.info("validating with pyshacl: %s", reason)
    return reference_validate_document([Triple(*t) if type(t) is tuple else t for t in triples], context)  # type: ignore[misc]


def fast_validate(triples: list[Triple], context: Iterable[Triple] = (), *, own_only: bool = True) -> ValidationReport:
    """The fast validator alone (no pyshacl fallback): raises Fallback or Unsupported instead."""
    validator = fast_validator()
    if validator is None:
        raise Unsupported("the shapes use what the fast validator does not implement")
    return _from_found(validator.validate(triples, context, own_only=own_only))


def reference_validate_document(triples: list[Triple], context: list[Triple]) -> ValidationReport:
    """:func:`validate_document` by pyshacl, the reference.

    The whole graph is validated and the results about context nodes dropped afterwards:
    pyshacl's ``focus_nodes`` also filters the value nodes of nested checks (sh:or, sh:node),
    which would silently skip them.
    """
    data = to_rdflib_graph(triples)
    to_rdflib_graph(context, data)
    own = {t.subject.value for t in triples if isinstance(t.subject, NamedNode)}
    report = validate_graph(data)
    return ValidationReport([r for r in report.results if r.focus in own])


def validate_store(repo: Repository) -> ValidationReport:
    """Whole-store validation (the union graph): on demand, cost grows with the store."""
    nt = repo.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").serialize(RdfFormat.N_TRIPLES)
    assert nt is not None
    data = rdflib.Graph().parse(data=nt, format="nt")
    return validate_graph(data)
