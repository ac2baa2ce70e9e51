"""The data graph of one validation: triples indexed by subject and predicate, over a fixed base.

pyshacl validates the data graph with the ontology mixed in (for ``rdfs:subClassOf``). Here the
ontology is a base graph indexed once per process, and each validation indexes only its own
triples (a document and its context) on top of it; lookups see the union, as pyshacl does.
Literals are keyed by rdflib's identity (see :mod:`coopkg.shacl.literals`), so two triples that
rdflib would merge are one triple here too.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from coopkg.shacl.literals import canonical

Term = NamedNode | BlankNode | Literal

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS_OF = NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
RDF_FIRST = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#first")
RDF_REST = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#rest")
RDF_NIL = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil")

_EMPTY: tuple[Term, ...] = ()


class Graph:
    """Indexed triples; ``base`` (optional) is another graph whose triples are seen as well."""

    def __init__(
        self,
        triples: Iterable[Triple | tuple[Term, NamedNode, Term]],
        context: Iterable[Triple | tuple[Term, NamedNode, Term]] = (),
        base: Graph | None = None,
    ) -> None:
        self.base = base
        self._out: dict[Term, dict[NamedNode, dict[Term, None]]] = {}
        self._by_predicate: dict[NamedNode, list[tuple[Term, Term]]] = {}
        self._add(triples)
        # The IRIs the first triples (a document) speak about, before the context is added.
        self.own = {s for s in self._out if type(s) is NamedNode}
        self._add(context)
        self._inverse: dict[NamedNode, dict[Term, dict[Term, None]]] = {}
        self._superclasses: dict[Term, frozenset[Term]] = {}
        self._subclasses: dict[Term, frozenset[Term]] = {}
        # Subclass reasoning can reuse the base's answers unless this layer adds subClassOf triples.
        self._own_hierarchy = SUBCLASS_OF in self._by_predicate
        if base is not None and base.base is not None:
            raise ValueError("a base graph has no base of its own")
        self._base_out = base._out if base is not None else None

    def _add(self, triples: Iterable[Triple | tuple[Term, NamedNode, Term]]) -> None:
        out, by_predicate = self._out, self._by_predicate
        for triple in triples:
            # (subject, predicate, object) tuples are taken as they are: no term made anew per access.
            s, p, o = triple if type(triple) is tuple else (triple.subject, triple.predicate, triple.object)  # type: ignore[union-attr]
            if type(o) is Literal:
                o = canonical(o)
            predicates = out.get(s)
            if predicates is None:
                predicates = out[s] = {}
            objects = predicates.get(p)
            if objects is None:
                objects = predicates[p] = {}
            elif o in objects:
                continue
            objects[o] = None
            pairs = by_predicate.get(p)
            if pairs is None:
                by_predicate[p] = [(s, o)]
            else:
                pairs.append((s, o))

    # -- lookups ------------------------------------------------------------------------------

    def objects(self, subject: Term, predicate: NamedNode) -> Iterable[Term]:
        predicates = self._out.get(subject)
        own = predicates.get(predicate) if predicates is not None else None
        base = self._base_out.get(subject) if self._base_out is not None else None
        inherited = base.get(predicate) if base is not None else None
        if inherited is None:
            return own.keys() if own is not None else _EMPTY
        if own is None:
            return inherited.keys()
        return dict.fromkeys([*own, *inherited]).keys()

    def subjects(self, predicate: NamedNode, obj: Term) -> Iterable[Term]:
        index = self._inverse.get(predicate)
        if index is None:
            index = self._inverse[predicate] = {}
            for s, o in self._by_predicate.get(predicate, ()):
                index.setdefault(o, {})[s] = None
        own = index.get(obj)
        if self.base is None:
            return own.keys() if own is not None else _EMPTY
        inherited = self.base.subjects(predicate, obj)
        if own is None:
            return inherited
        if not inherited:
            return own.keys()
        return dict.fromkeys([*own, *inherited]).keys()

    def subjects_of(self, predicate: NamedNode) -> set[Term]:
        """Every subject with ``predicate`` (sh:targetSubjectsOf)."""
        found = {s for s, _ in self._by_predicate.get(predicate, ())}
        return found | self.base.subjects_of(predicate) if self.base is not None else found

    def objects_of(self, predicate: NamedNode) -> set[Term]:
        """Every object of ``predicate`` (sh:targetObjectsOf)."""
        found = {o for _, o in self._by_predicate.get(predicate, ())}
        return found | self.base.objects_of(predicate) if self.base is not None else found

    def has_subject(self, node: Term) -> bool:
        return node in self._out or (self.base is not None and self.base.has_subject(node))

    def own_subjects(self) -> Iterable[Term]:
        return self._out.keys()

    def predicates_of(self, subject: Term) -> set[NamedNode]:
        found = set(self._out.get(subject, ()))
        return found | self.base.predicates_of(subject) if self.base is not None else found

    # -- classes ------------------------------------------------------------------------------

    def _defers_hierarchy(self) -> bool:
        return self.base is not None and not self._own_hierarchy

    def superclasses(self, cls: Term) -> frozenset[Term]:
        """``cls`` and every class it is a subclass of (rdfs:subClassOf*)."""
        if self._defers_hierarchy():
            assert self.base is not None
            return self.base.superclasses(cls)
        found = self._superclasses.get(cls)
        if found is None:
            found = self._superclasses[cls] = frozenset(self._closure(cls, lambda c: self.objects(c, SUBCLASS_OF)))
        return found

    def subclasses(self, cls: Term) -> frozenset[Term]:
        """``cls`` and every class that is a subclass of it."""
        if self._defers_hierarchy():
            assert self.base is not None
            return self.base.subclasses(cls)
        found = self._subclasses.get(cls)
        if found is None:
            found = self._subclasses[cls] = frozenset(self._closure(cls, lambda c: self.subjects(SUBCLASS_OF, c)))
        return found

    @staticmethod
    def _closure(start: Term, step: object) -> set[Term]:
        seen = {start}
        todo = [start]
        while todo:
            for nxt in step(todo.pop()):  # type: ignore[operator]
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    def is_instance(self, node: Term, cls: Term) -> bool:
        """Whether ``node`` has a type that is ``cls`` or one of its subclasses (SHACL instance)."""
        if type(node) is Literal:
            return False
        hierarchy = self.base if self._defers_hierarchy() else self
        assert hierarchy is not None
        known = hierarchy._superclasses
        for kind in self.objects(node, RDF_TYPE):
            supers = known.get(kind)
            if supers is None:
                supers = hierarchy.superclasses(kind)
            if cls in supers:
                return True
        return False

    def instances(self, cls: Term) -> set[Term]:
        found: set[Term] = set()
        for sub in self.subclasses(cls):
            found.update(self.subjects(RDF_TYPE, sub))
        return found

    def items(self, head: Term) -> list[Term]:
        """The members of an RDF list."""
        members: list[Term] = []
        seen: set[Term] = set()
        node = head
        while node != RDF_NIL and node not in seen:
            seen.add(node)
            members.extend(self.objects(node, RDF_FIRST))
            rest = list(self.objects(node, RDF_REST))
            if len(rest) != 1:
                break
            node = rest[0]
        return members
