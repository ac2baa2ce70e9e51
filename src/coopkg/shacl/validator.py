"""The fast validator: compiled shapes evaluated over an indexed graph, results as pyshacl gives them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from coopkg.shacl.constraints import Found, PropertyConstraint
from coopkg.shacl.graph import Graph, Term
from coopkg.shacl.literals import lexical
from coopkg.shacl.shapes import ALLOWED_SEVERITIES, Shape, compile_shapes


class Run:
    """One validation: the data graph and what is known so far about shapes at nodes."""

    def __init__(self, graph: Graph, shapes: int) -> None:
        self.graph = graph
        # Memos only for the shapes nested checks ask about again and again (a selector's shape…).
        self._results: list[dict[Term, list[Found]]] = [{} for _ in range(shapes)]
        self._clean: dict[bool, list[dict[Term, bool]]] = {True: [{} for _ in range(shapes)], False: []}
        self._clean[False] = [{} for _ in range(shapes)]

    def _values(self, shape: Shape, focus: Term) -> Sequence[Term]:
        path = shape.path
        if path is None:
            return (focus,)
        if path.inverse:
            return self.graph.subjects(path.predicate, focus)  # type: ignore[return-value]
        return self.graph.objects(focus, path.predicate)  # type: ignore[return-value]

    def results(self, shape: Shape, focus: Term) -> list[Found]:
        """Every result of ``shape`` at ``focus`` (nested property shapes included)."""
        if shape.memo:
            memo = self._results[shape.index]
            found = memo.get(focus)
            if found is not None:
                return found
            found = memo[focus] = []
        else:
            found = []
        if not shape.deactivated:
            values = self._values(shape, focus)
            for constraint in shape.constraints:
                constraint.check(self, shape, focus, values, found)
        return found

    def clean(self, shape: Shape, focus: Term, *, warnings_allowed: bool) -> bool:
        """Whether ``shape`` at ``focus`` has no result (of a disallowed severity, if warnings are allowed).

        Stops at the first such result: nested shapes (sh:or, sh:node, qualified shapes) only need the verdict.
        """
        if not shape.memo:
            return self._scan(shape, focus, warnings_allowed)
        full = self._results[shape.index].get(focus)
        if full is not None:
            return not any(not warnings_allowed or f.shape.severity not in ALLOWED_SEVERITIES for f in full)
        memo = self._clean[warnings_allowed][shape.index]
        verdict = memo.get(focus)
        if verdict is None:
            verdict = memo[focus] = self._scan(shape, focus, warnings_allowed)
        return verdict

    def _scan(self, shape: Shape, focus: Term, warnings_allowed: bool) -> bool:
        if shape.deactivated:
            return True
        values = self._values(shape, focus)
        own_results_count = not warnings_allowed or shape.severity not in ALLOWED_SEVERITIES
        for constraint in shape.constraints:
            if type(constraint) is PropertyConstraint:
                for member in constraint.shapes:
                    for value in values:
                        if not self.clean(member, value, warnings_allowed=warnings_allowed):
                            return False
            elif own_results_count:
                found: list[Found] = []
                constraint.check(self, shape, focus, values, found)
                if found:
                    return False
        return True

    def conforms(self, shape: Shape, focus: Term) -> bool:
        """pyshacl's conformance with warnings allowed: a shape of an allowed severity always conforms."""
        return shape.severity in ALLOWED_SEVERITIES or self.clean(shape, focus, warnings_allowed=True)


class FastValidator:
    """The shapes compiled once; ``validate`` runs them over a document and its context."""

    def __init__(self, shapes: Iterable[Triple], ontology: Iterable[Triple]) -> None:
        self.shapes = compile_shapes(shapes)
        self.ontology = Graph(ontology)

    def validate(
        self, triples: Iterable[Triple], context: Iterable[Triple] = (), *, own_only: bool = False
    ) -> list[Found]:
        """The results of validating ``triples`` with ``context`` (and the ontology).

        ``own_only``: only results about the IRIs ``triples`` speak about (as subjects) are
        wanted: a document's, not its context's. Raises :class:`coopkg.shacl.constraints.Fallback`
        when the data holds a case whose verdict only pyshacl can give exactly.
        """
        graph = Graph(triples, context, base=self.ontology)
        run = Run(graph, self.shapes.count)
        found: list[Found] = []
        for shape in self.shapes.roots:
            nodes = shape.focus_nodes(graph)
            if own_only:
                nodes &= graph.own
            for node in nodes:
                found.extend(run.results(shape, node))
        if own_only:
            found = [f for f in found if f.focus in graph.own]
        return found


def term_text(term: Term) -> str:
    """A node as pyshacl's report gives it: an IRI, a literal's (rdflib) lexical form, a blank node's id."""
    if type(term) is Literal:
        return lexical(term)
    if type(term) is NamedNode or type(term) is BlankNode:
        return term.value
    return str(term)
