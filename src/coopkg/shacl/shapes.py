"""The shapes graph compiled once into shapes and constraint objects.

Only what coopkg's shapes use is compiled; anything else in the SHACL vocabulary (another
constraint component, a complex path, a SPARQL constraint without a native implementation,
SHACL-AF rules or targets, custom components) makes :func:`compile_shapes` raise
:class:`Unsupported`, and validation stays with pyshacl.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from coopkg.shacl import constraints as c
from coopkg.shacl.graph import RDF_TYPE, Graph, Term
from coopkg.shacl.literals import canonical, lexical, python_value
from coopkg.shacl.native import NATIVE_QUERIES, normalise_query

SH = c.SH
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
VIOLATION = SH + "Violation"
# pyshacl with allow_warnings: results of these severities do not make a shape fail.
ALLOWED_SEVERITIES = frozenset({SH + "Warning", SH + "Info"})


class Unsupported(Exception):
    """The shapes use something the fast validator does not implement."""


def sh(name: str) -> NamedNode:
    return NamedNode(SH + name)


# Parameters that carry no check of their own, or are read together with another parameter.
_PASSIVE = {
    "path", "message", "severity", "deactivated", "name", "description", "order", "group", "defaultValue",
    "targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "flags",
    "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint",
}  # fmt: skip
_ACTIVE = {
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minInclusive", "maxInclusive", "minLength",
    "pattern", "uniqueLang", "in", "or", "node", "property", "qualifiedValueShape", "lessThan", "sparql",
}  # fmt: skip
_PROPERTY_ONLY = {"minCount", "maxCount", "uniqueLang", "lessThan", "qualifiedValueShape"}


@dataclass(frozen=True)
class Path:
    predicate: NamedNode
    inverse: bool = False

    def values(self, graph: Graph, focus: Term) -> list[Term]:
        found = graph.subjects(self.predicate, focus) if self.inverse else graph.objects(focus, self.predicate)
        return list(found)

    def text(self) -> str:
        """As :class:`coopkg.validate.ValidationResult` writes a path."""
        return "(complex path)" if self.inverse else self.predicate.value


@dataclass(eq=False)
class Shape:
    node: Term
    index: int = 0  # position in the compiled shapes (a cheap key for memos)
    memo: bool = False  # other shapes check against it (sh:node, sh:or, qualified): keep its verdicts
    path: Path | None = None
    severity: str = VIOLATION
    messages: list[str] = field(default_factory=list)
    deactivated: bool = False
    constraints: list[c.Constraint] = field(default_factory=list)
    target_classes: list[Term] = field(default_factory=list)
    target_subjects_of: list[NamedNode] = field(default_factory=list)
    target_objects_of: list[NamedNode] = field(default_factory=list)
    target_nodes: list[Term] = field(default_factory=list)

    @property
    def has_targets(self) -> bool:
        return bool(self.target_classes or self.target_subjects_of or self.target_objects_of or self.target_nodes)

    def focus_nodes(self, graph: Graph) -> set[Term]:
        found: set[Term] = set(self.target_nodes)
        for cls in self.target_classes:
            found |= graph.instances(cls)
        for predicate in self.target_subjects_of:
            found |= graph.subjects_of(predicate)
        for predicate in self.target_objects_of:
            found |= graph.objects_of(predicate)
        return found


class _Compiler:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.shapes: dict[Term, Shape] = {}
        self._compiling: set[Term] = set()

    def one(self, node: Term, name: str) -> Term | None:
        values = list(self.g.objects(node, sh(name)))
        if len(values) > 1:
            raise Unsupported(f"{node}: more than one sh:{name}")
        return values[0] if values else None

    def all(self, node: Term, name: str) -> list[Term]:
        return list(self.g.objects(node, sh(name)))

    def shape(self, node: Term) -> Shape:
        if node in self.shapes:
            return self.shapes[node]
        if node in self._compiling:
            raise Unsupported(f"recursive shapes through {node}")
        self._compiling.add(node)
        shape = self._build(node)
        shape.index = len(self.shapes)
        self._compiling.discard(node)
        self.shapes[node] = shape
        return shape

    def _build(self, node: Term) -> Shape:
        shape = Shape(node)
        for predicate in self._predicates(node):
            if predicate.startswith(SH):
                name = predicate[len(SH) :]
                if name not in _PASSIVE and name not in _ACTIVE:
                    raise Unsupported(f"{node}: sh:{name} is not implemented by the fast validator")
        path = self.one(node, "path")
        if path is not None:
            shape.path = self._path(path)
        severity = self.one(node, "severity")
        shape.severity = severity.value if severity is not None else VIOLATION
        shape.messages = [lexical(m) if isinstance(m, Literal) else m.value for m in self.all(node, "message")]
        deactivated = self.one(node, "deactivated")
        shape.deactivated = isinstance(deactivated, Literal) and python_value(deactivated) is True
        shape.target_classes = self.all(node, "targetClass")
        types = {t.value for t in self.g.objects(node, RDF_TYPE)}
        if types & {RDFS + "Class", OWL + "Class"}:
            shape.target_classes.append(node)  # implicit class target
        shape.target_subjects_of = [self._iri(n) for n in self.all(node, "targetSubjectsOf")]
        shape.target_objects_of = [self._iri(n) for n in self.all(node, "targetObjectsOf")]
        shape.target_nodes = self.all(node, "targetNode")
        shape.constraints = self._constraints(node, shape)
        return shape

    def _predicates(self, node: Term) -> set[str]:
        return {p.value for p in self.g.predicates_of(node)}

    def _iri(self, node: Term) -> NamedNode:
        if not isinstance(node, NamedNode):
            raise Unsupported(f"expected an IRI, got {node}")
        return node

    def _path(self, node: Term) -> Path:
        if isinstance(node, NamedNode):
            return Path(node)
        inverse = self.one(node, "inversePath")
        if isinstance(node, BlankNode) and isinstance(inverse, NamedNode) and len(self._predicates(node)) == 1:
            return Path(inverse, inverse=True)
        raise Unsupported(f"path {node}: only IRIs and sh:inversePath of an IRI are implemented")

    def _integer(self, node: Term, name: str) -> int | None:
        value = self.one(node, name)
        if value is None:
            return None
        number = python_value(value) if isinstance(value, Literal) else None
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise Unsupported(f"{node}: sh:{name} {value} is not a non-negative integer")
        return number

    def _constraints(self, node: Term, shape: Shape) -> list[c.Constraint]:
        found: list[c.Constraint] = []
        for name in sorted(_PROPERTY_ONLY):
            if shape.path is None and self.all(node, name):
                raise Unsupported(f"{node}: sh:{name} on a node shape")
        if classes := self.all(node, "class"):
            found.append(c.ClassConstraint(classes))
        if (datatype := self.one(node, "datatype")) is not None:
            found.append(c.DatatypeConstraint(datatype))
        if (kind := self.one(node, "nodeKind")) is not None:
            found.append(c.NodeKindConstraint(kind))
        low, high = self._integer(node, "minCount"), self._integer(node, "maxCount")
        if low is not None and high is not None and low <= high:
            found.append(c.CountConstraint(low, high))
        elif low is not None:
            found.append(c.MinCountConstraint(low))
        if high is not None and (low is None or low > high):
            found.append(c.MaxCountConstraint(high))
        if bounds := self.all(node, "minInclusive"):
            found.append(c.min_inclusive([self._literal(b) for b in bounds]))
        if bounds := self.all(node, "maxInclusive"):
            found.append(c.max_inclusive([self._literal(b) for b in bounds]))
        if (length := self._integer(node, "minLength")) is not None:
            found.append(c.MinLengthConstraint(length))
        if patterns := self.all(node, "pattern"):
            flags = self.all(node, "flags")
            if len(patterns) > 1:
                raise Unsupported(f"{node}: several sh:pattern")
            found.append(c.PatternConstraint(lexical(self._literal(patterns[0])), _text(flags[0]) if flags else None))
        unique = self.one(node, "uniqueLang")
        if unique is not None and isinstance(unique, Literal) and python_value(unique) is True:
            found.append(c.UniqueLangConstraint())
        if (members := self.one(node, "in")) is not None:
            found.append(c.InConstraint([self._member(m) for m in self.g.items(members)]))
        if lists := self.all(node, "or"):
            found.append(c.OrConstraint([self._unique_shapes(self.g.items(items)) for items in lists]))
        if nodes := self.all(node, "node"):
            found.append(c.NodeConstraint([self._nested(n) for n in nodes]))
        if properties := self.all(node, "property"):
            found.append(c.PropertyConstraint([self.shape(p) for p in properties]))
        if (qualified := self.one(node, "qualifiedValueShape")) is not None:
            disjoint = self.one(node, "qualifiedValueShapesDisjoint")
            if disjoint is not None and python_value(disjoint) is not False:  # type: ignore[arg-type]
                raise Unsupported(f"{node}: sh:qualifiedValueShapesDisjoint")
            low, high = self._integer(node, "qualifiedMinCount"), self._integer(node, "qualifiedMaxCount")
            found.append(c.QualifiedConstraint(self._nested(qualified), low, high))
        if others := self.all(node, "lessThan"):
            found.append(c.LessThanConstraint([self._iri(o) for o in others]))
        for constraint in self.all(node, "sparql"):
            if shape.path is not None:
                raise Unsupported(f"{node}: a SPARQL constraint on a property shape")
            found.append(self._sparql(constraint))
        return found

    def _unique_shapes(self, nodes: list[Term]) -> list[Shape]:
        return [self._nested(n) for n in dict.fromkeys(nodes)]

    def _nested(self, node: Term) -> Shape:
        shape = self.shape(node)
        shape.memo = True
        return shape

    def _literal(self, node: Term) -> Literal:
        if not isinstance(node, Literal):
            raise Unsupported(f"expected a literal, got {node}")
        return canonical(node)

    def _member(self, node: Term) -> Term:
        if isinstance(node, Literal):
            if node.language is not None:
                raise Unsupported("sh:in with language-tagged strings")
            return canonical(node)
        return node

    def _sparql(self, node: Term) -> c.Constraint:
        allowed = {RDF_TYPE.value, SH + "select", SH + "message", SH + "prefixes", SH + "deactivated"}
        if extra := self._predicates(node) - allowed:
            raise Unsupported(f"SPARQL constraint {node}: {sorted(extra)}")
        if self.one(node, "deactivated") is not None:
            raise Unsupported(f"SPARQL constraint {node}: sh:deactivated")
        select = self.one(node, "select")
        if not isinstance(select, Literal):
            raise Unsupported(f"SPARQL constraint {node}: only SELECT constraints are implemented")
        key = (normalise_query(select.value), self._prefixes(node))
        implementation = NATIVE_QUERIES.get(key)
        if implementation is None:
            raise Unsupported(f"SPARQL constraint {node}: no native implementation of its query")
        return c.NativeSparqlConstraint(implementation, [_text(m) for m in self.all(node, "message")])

    def _prefixes(self, node: Term) -> frozenset[tuple[str, str]]:
        declared: set[tuple[str, str]] = set()
        for holder in self.all(node, "prefixes"):
            for declaration in self.all(holder, "declare"):
                prefix, namespace = self.one(declaration, "prefix"), self.one(declaration, "namespace")
                if prefix is None or namespace is None:
                    raise Unsupported(f"incomplete sh:declare on {holder}")
                declared.add((_text(prefix), _text(namespace)))
        return frozenset(declared)


def _text(term: Term) -> str:
    return lexical(term) if isinstance(term, Literal) else term.value


@dataclass
class CompiledShapes:
    """The shapes that have targets (the others are reached through them)."""

    roots: list[Shape]
    count: int


def compile_shapes(triples: Iterable[Triple]) -> CompiledShapes:
    graph = Graph(triples)
    compiler = _Compiler(graph)
    if graph.instances(sh("ConstraintComponent")):
        raise Unsupported("custom constraint components")
    candidates: dict[Term, None] = {}
    for kind in ("NodeShape", "PropertyShape"):
        candidates.update(dict.fromkeys(sorted(graph.subjects(RDF_TYPE, sh(kind)), key=str)))
    for name in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode"):
        candidates.update(dict.fromkeys(sorted(graph.subjects_of(sh(name)), key=str)))
    shapes = [compiler.shape(node) for node in candidates]
    # Shapes that others check against first: their full results then answer those checks.
    roots = sorted((shape for shape in shapes if shape.has_targets), key=lambda shape: not shape.memo)
    if not roots:
        raise Unsupported("no shape has a target")
    return CompiledShapes(roots, len(compiler.shapes))
