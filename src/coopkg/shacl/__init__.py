"""A fast SHACL validator for coopkg's shapes, with pyshacl's verdicts.

pyshacl (the reference) spends most of its time in generic machinery: copying the data graph,
mixing the ontology in, one rdflib query per constraint and focus node. Here the shapes are
compiled once into constraint objects (:mod:`~coopkg.shacl.shapes`), the ontology is indexed
once, and each validation indexes only its own triples (:mod:`~coopkg.shacl.graph`); the
quote-against-text SPARQL constraint is evaluated in Python (:mod:`~coopkg.shacl.native`).
Where pyshacl's verdicts rest on rdflib (literal well-formedness, ordering) the same functions
decide (:mod:`~coopkg.shacl.literals`). What is not implemented is refused when the shapes are
compiled (:class:`Unsupported`), and data whose verdict only pyshacl can give exactly raises
:class:`Fallback`: either way the caller validates with pyshacl instead.
"""

from coopkg.shacl.constraints import Fallback, Found
from coopkg.shacl.shapes import Unsupported
from coopkg.shacl.validator import FastValidator, term_text

__all__ = ["Fallback", "FastValidator", "Found", "Unsupported", "term_text"]
