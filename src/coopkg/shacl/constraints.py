"""SHACL Core constraint components, each deciding exactly as pyshacl's does.

Every component reads its parameters once (when the shapes are compiled) and then checks a
focus node's value nodes. Where pyshacl's verdict rests on rdflib's literal semantics (datatype
well-formedness, ordering of literals) the decision is delegated to rdflib or to pyshacl's own
comparison, and cached per distinct value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pyoxigraph import BlankNode, Literal, NamedNode
from pyshacl.rdfutil.compare import compare_literal

from coopkg.shacl.graph import Term
from coopkg.shacl.literals import XSD_STRING, lexical, python_value, to_rdflib, typed_view

if TYPE_CHECKING:
    from coopkg.shacl.shapes import Shape
    from coopkg.shacl.validator import Run

SH = "http://www.w3.org/ns/shacl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDFS_LITERAL = "http://www.w3.org/2000/01/rdf-schema#Literal"
RDFS_DATATYPE = "http://www.w3.org/2000/01/rdf-schema#Datatype"


class Fallback(Exception):
    """The data holds a case whose verdict only the reference validator can give exactly."""


@dataclass(slots=True)
class Found:
    """One validation result, before it becomes a :class:`coopkg.validate.ValidationResult`."""

    shape: Shape
    focus: Term
    constraint: Constraint
    value: Term | None = None
    message: str | None = None
    component: str | None = None  # when it is not the constraint's own (qualified min and max counts)

    def component_iri(self) -> str:
        return self.component or self.constraint.component

    def message_text(self) -> str:
        return self.message or (self.shape.messages[0] if self.shape.messages else self.constraint.describe())


class Constraint:
    """A constraint component bound to its parameters."""

    component = ""

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        """pyshacl-style message for shapes without sh:message."""
        return "constraint not met"


def _name(term: Term) -> str:
    value = term.value
    for prefix, namespace in (("xsd", XSD), ("sh", SH)):
        if value.startswith(namespace):
            return f"{prefix}:{value[len(namespace) :]}"
    return f"<{value}>" if isinstance(term, NamedNode) else str(term)


class ClassConstraint(Constraint):
    component = SH + "ClassConstraintComponent"

    def __init__(self, classes: list[Term]) -> None:
        self.classes = classes

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        for cls in self.classes:
            for value in values:
                if not run.graph.is_instance(value, cls):
                    out.append(Found(shape, focus, self, value))

    def describe(self) -> str:
        return f"Value does not have class {_name(self.classes[0])}"


_PYTHON_TYPES: dict[str, Any] = {
    XSD + "integer": int,
    XSD + "float": float,
    XSD + "decimal": Decimal,
    XSD + "boolean": bool,
    XSD + "date": date,
    XSD + "time": time,
    XSD + "dateTime": datetime,
}


class DatatypeConstraint(Constraint):
    component = SH + "DatatypeConstraintComponent"

    def __init__(self, datatype: Term) -> None:
        self.datatype = datatype.value
        self._matches: dict[Literal, bool] = {}

    def _literal_matches(self, literal: Literal) -> bool:
        # rdflib gives plain and language-tagged literals no datatype (pyoxigraph: xsd:string, rdf:langString).
        rule = self.datatype
        if literal.language is not None:
            return rule in (RDFS_LITERAL, RDF_LANGSTRING)
        if literal.datatype == XSD_STRING:
            return rule in (RDFS_LITERAL, XSD + "string")
        if literal.datatype.value == rule:
            view = typed_view(literal)
            if view.ill_typed is True:
                return False
            expected = _PYTHON_TYPES.get(rule)
            return expected is None or isinstance(view.value, expected)
        return rule in (RDFS_LITERAL, RDFS_DATATYPE)

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        for value in values:
            if type(value) is Literal:
                ok = self._matches.get(value)
                if ok is None:
                    ok = self._matches[value] = self._literal_matches(value)
            else:
                ok = False
            if not ok:
                out.append(Found(shape, focus, self, value))

    def describe(self) -> str:
        return f"Value is not Literal with datatype {_name(NamedNode(self.datatype))}"


_KINDS = {
    NamedNode: (SH + "IRI", SH + "IRIOrLiteral", SH + "BlankNodeOrIRI"),
    BlankNode: (SH + "BlankNode", SH + "BlankNodeOrLiteral", SH + "BlankNodeOrIRI"),
    Literal: (SH + "Literal", SH + "BlankNodeOrLiteral", SH + "IRIOrLiteral"),
}


class NodeKindConstraint(Constraint):
    component = SH + "NodeKindConstraintComponent"

    def __init__(self, kind: Term) -> None:
        self.kind = kind.value

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        for value in values:
            if self.kind not in _KINDS.get(type(value), ()):
                out.append(Found(shape, focus, self, value))

    def describe(self) -> str:
        return f"Value is not of Node Kind {_name(NamedNode(self.kind))}"


class CountConstraint(Constraint):
    """sh:minCount and sh:maxCount of one shape in one check (each result keeps its own component)."""

    component = SH + "MinCountConstraintComponent"

    def __init__(self, low: int, high: int) -> None:
        self.low = low
        self.high = high

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        count = len(values)
        if self.low and count < self.low:
            out.append(Found(shape, focus, self, message=_own_message(shape, f"Less than {self.low} values")))
        elif count > self.high:
            out.append(Found(shape, focus, self, message=_own_message(shape, f"More than {self.high} values"),
                             component=SH + "MaxCountConstraintComponent"))  # fmt: skip


def _own_message(shape: Shape, otherwise: str) -> str:
    return shape.messages[0] if shape.messages else otherwise


class MinCountConstraint(Constraint):
    component = SH + "MinCountConstraintComponent"

    def __init__(self, count: int) -> None:
        self.count = count

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        if self.count and len(values) < self.count:
            out.append(Found(shape, focus, self))

    def describe(self) -> str:
        return f"Less than {self.count} values"


class MaxCountConstraint(Constraint):
    component = SH + "MaxCountConstraintComponent"

    def __init__(self, count: int) -> None:
        self.count = count

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        if len(values) > self.count:
            out.append(Found(shape, focus, self))

    def describe(self) -> str:
        return f"More than {self.count} values"


class RangeConstraint(Constraint):
    """sh:minInclusive and sh:maxInclusive, with pyshacl's comparison of literals."""

    def __init__(self, bounds: list[Literal], accept: Callable[[int], bool], component: str, word: str) -> None:
        self.bounds = [(bound, to_rdflib(bound), isinstance(python_value(bound), str)) for bound in bounds]
        self.accept = accept
        self.component = component
        self.word = word
        self._verdicts: dict[tuple[Literal, Literal], bool] = {}

    def _passes(self, value: Literal, bound: Literal, rdflib_bound: Any, bound_is_string: bool) -> bool:
        key = (value, bound)
        verdict = self._verdicts.get(key)
        if verdict is None:
            if isinstance(python_value(value), str) != bound_is_string:
                verdict = False
            else:
                try:
                    verdict = self.accept(compare_literal(to_rdflib(value), rdflib_bound))
                except (TypeError, NotImplementedError):
                    verdict = False
            self._verdicts[key] = verdict
        return verdict

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        for bound, rdflib_bound, bound_is_string in self.bounds:
            for value in values:
                if type(value) is not Literal or not self._passes(value, bound, rdflib_bound, bound_is_string):
                    out.append(Found(shape, focus, self, value))

    def describe(self) -> str:
        return f"Value is not {self.word} {lexical(self.bounds[0][0])}"


def min_inclusive(bounds: list[Literal]) -> RangeConstraint:
    return RangeConstraint(bounds, lambda c: c >= 0, SH + "MinInclusiveConstraintComponent", ">=")


def max_inclusive(bounds: list[Literal]) -> RangeConstraint:
    return RangeConstraint(bounds, lambda c: c <= 0, SH + "MaxInclusiveConstraintComponent", "<=")


def _as_string(value: Term) -> str:
    """pyshacl's ``value_node_to_string``: the string of a string literal, else rdflib's ``str``."""
    if type(value) is Literal:
        return lexical(value)
    return value.value


class MinLengthConstraint(Constraint):
    component = SH + "MinLengthConstraintComponent"

    def __init__(self, length: int) -> None:
        self.length = length

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        if self.length == 0:
            return
        for value in values:
            if type(value) is BlankNode or len(_as_string(value)) < self.length:
                out.append(Found(shape, focus, self, value))

    def describe(self) -> str:
        return f"String length not >= {self.length}"


class PatternConstraint(Constraint):
    component = SH + "PatternConstraintComponent"

    def __init__(self, pattern: str, flags: str | None) -> None:
        re_flags = 0
        if flags:
            re_flags |= re.I if "i" in flags.lower() else 0
            re_flags |= re.M if "m" in flags.lower() else 0
        self.pattern = pattern
        self.regex = re.compile(pattern, re_flags)

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        for value in values:
            if type(value) is BlankNode or not self.regex.search(_as_string(value)):
                out.append(Found(shape, focus, self, value))

    def describe(self) -> str:
        return f"Value does not match pattern '{self.pattern}'"


class UniqueLangConstraint(Constraint):
    component = SH + "UniqueLangConstraintComponent"

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        seen: set[str] = set()
        duplicated: set[str] = set()
        for value in values:
            if type(value) is Literal and value.language:
                lang = value.language.lower()
                (duplicated if lang in seen else seen).add(lang)
        out.extend(Found(shape, focus, self) for _ in duplicated)

    def describe(self) -> str:
        return "More than one String shares the same Language"


class InConstraint(Constraint):
    component = SH + "InConstraintComponent"

    def __init__(self, members: list[Term]) -> None:
        self.members = frozenset(members)

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        for value in values:
            if value not in self.members:
                out.append(Found(shape, focus, self, value))

    def describe(self) -> str:
        return "Value not in the list of allowed values"


class OrConstraint(Constraint):
    component = SH + "OrConstraintComponent"

    def __init__(self, alternatives: list[list[Shape]]) -> None:
        self.alternatives = alternatives

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        for shapes in self.alternatives:
            for value in values:
                if not any(run.conforms(member, value) for member in shapes):
                    out.append(Found(shape, focus, self, value))

    def describe(self) -> str:
        return "Node does not conform to one or more shapes in the list"


class NodeConstraint(Constraint):
    component = SH + "NodeConstraintComponent"

    def __init__(self, shapes: list[Shape]) -> None:
        self.shapes = shapes

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        for member in self.shapes:
            for value in values:
                # pyshacl fails sh:node on any nested result, a warning included.
                if not run.clean(member, value, warnings_allowed=False):
                    out.append(Found(shape, focus, self, value))

    def describe(self) -> str:
        return "Value does not conform to Shape. See details for more information."


class PropertyConstraint(Constraint):
    """sh:property: the property shapes' own results, reported as they are."""

    def __init__(self, shapes: list[Shape]) -> None:
        self.shapes = shapes

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        graph = run.graph
        for member in self.shapes:
            path = member.path
            if member.memo or member.deactivated or path is None:
                for value in values:
                    out.extend(run.results(member, value))
                continue
            # The common case, inline: a property shape nothing else asks about, along a plain path.
            predicate = path.predicate
            for value in values:
                found = graph.subjects(predicate, value) if path.inverse else graph.objects(value, predicate)
                for constraint in member.constraints:
                    constraint.check(run, member, value, found, out)  # type: ignore[arg-type]


class QualifiedConstraint(Constraint):
    component = SH + "QualifiedValueShapeConstraintComponent"

    def __init__(self, shape: Shape, low: int | None, high: int | None) -> None:
        self.shape = shape
        self.low = low
        self.high = high

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        count = sum(1 for value in values if run.conforms(self.shape, value))
        if self.high is not None and count > self.high:
            out.append(Found(shape, focus, self, component=SH + "QualifiedMaxCountConstraintComponent"))
        if self.low is not None and count < self.low:
            out.append(Found(shape, focus, self, component=SH + "QualifiedMinCountConstraintComponent"))

    def describe(self) -> str:
        return "Focus node does not conform to the qualified value shape the expected number of times"


class LessThanConstraint(Constraint):
    component = SH + "LessThanConstraintComponent"

    def __init__(self, properties: list[NamedNode]) -> None:
        self.properties = properties
        self._verdicts: dict[tuple[Term, Term], bool] = {}

    def _less(self, value: Term, other: Term) -> bool:
        key = (value, other)
        verdict = self._verdicts.get(key)
        if verdict is None:
            if type(value) is BlankNode or type(other) is BlankNode:
                raise Fallback("sh:lessThan on a blank node")  # pyshacl stops with an error there
            left, left_string = _comparable(value)
            right, right_string = _comparable(other)
            if left_string != right_string:
                verdict = False
            else:
                try:
                    verdict = bool(left < right)
                except TypeError as error:
                    raise Fallback(f"sh:lessThan cannot order {value} and {other}") from error
            self._verdicts[key] = verdict
        return verdict

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        for prop in self.properties:
            others = list(run.graph.objects(focus, prop))
            for value in values:
                for other in others:
                    if not self._less(value, other):
                        out.append(Found(shape, focus, self, value))

    def describe(self) -> str:
        return f"Value is not < value of {_name(self.properties[0])}"


def _comparable(term: Term) -> tuple[Any, bool]:
    """What pyshacl's sh:lessThan compares: strings for IRIs and string literals, else rdflib literals."""
    if type(term) is NamedNode:
        return term.value, True
    assert type(term) is Literal
    value = python_value(term)
    if isinstance(value, str):
        return value, True
    return to_rdflib(term), False


class NativeSparqlConstraint(Constraint):
    """A SPARQL-based constraint whose query has a native implementation."""

    component = SH + "SPARQLConstraintComponent"

    def __init__(self, implementation: Callable[[Run, Term], list[Term]], messages: list[str]) -> None:
        self.implementation = implementation
        self.messages = messages

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: list[Found]) -> None:
        message = (shape.messages or self.messages or [None])[0]
        for value in self.implementation(run, focus):
            out.append(Found(shape, focus, self, value, message))
