"""The SPARQL Protocol's update dataset: ``using-graph-uri`` and ``using-named-graph-uri`` (§2.2.3).

The engines take no dataset beside an update's text (pyoxigraph's ``Store.update`` has no such
argument, a remote endpoint gets the text), so the parameters become the update's own clauses, as
the protocol defines them: a ``USING`` (``USING NAMED``) clause per graph in every operation with a
WHERE. What the update holds is decided from rdflib's parse: an update that already has ``USING``,
``USING NAMED`` or ``WITH`` is an error with these parameters (SPARQL 1.1 Protocol §2.2.3). Where
the clauses go is found by the lexer: each operation's WHERE keyword outside braces, checked
against the parse (the same operations, in the same order), else the update is refused. The graphs
are written by the engine (N-Triples IRIs), never as the client sent them. ``DELETE WHERE { P }``
has no room for ``USING``: it becomes ``DELETE { P } USING … WHERE { P }``, which means the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyoxigraph import NamedNode

from coopkg.errors import BadInputError
from coopkg.query_guard import update_operations
from coopkg.store.sparql_text import term_text, tokens

_NAME_CHARS = frozenset("?$:@_-.")  # next to a keyword, these make it part of a name, variable or tag
_WITH_WHERE = {"Modify": "modify", "DeleteWhere": "delete-where"}


def with_dataset(update: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """``update`` with the protocol's dataset written in as USING and USING NAMED clauses."""
    if not default_graphs and not named_graphs:
        return update
    clauses = " ".join([f"USING {_iri(g)}" for g in default_graphs] + [f"USING NAMED {_iri(g)}" for g in named_graphs])
    operations = update_operations(update)
    for operation in operations:
        if operation.name == "Modify" and ("using" in operation or "withClause" in operation):
            raise BadInputError(
                "using-graph-uri and using-named-graph-uri cannot be given for an update that has USING, "
                "USING NAMED or WITH (SPARQL 1.1 Protocol §2.2.3): give the dataset one way"
            )
    expected = [_WITH_WHERE[o.name] for o in operations if o.name in _WITH_WHERE]
    wheres = _wheres(update)
    if [kind for kind, *_ in wheres] != expected:
        raise BadInputError("cannot apply using-graph-uri or using-named-graph-uri to this update: write USING clauses")
    for kind, start, end in reversed(wheres):  # from the end: earlier offsets stay valid
        if kind == "modify":
            update = f"{update[:start]}{clauses} {update[start:]}"
        else:
            pattern = update[start + len("WHERE") : end].strip()
            update = f"{update[:start]}{pattern} {clauses} WHERE {pattern}{update[end:]}"
    return update


def _iri(value: str) -> str:
    try:
        return term_text(NamedNode(value))
    except ValueError as error:
        raise BadInputError(f"invalid graph IRI {value!r}: {error}") from None


def _wheres(update: str) -> list[tuple[str, int, int]]:
    """Each WHERE keyword outside braces: (``modify`` or ``delete-where``, its offset, the end of a
    DELETE WHERE's pattern)."""
    found: list[tuple[str, int, int]] = []
    depth, previous, pending = 0, "", -1
    for kind, value, offset in tokens(update):
        if kind == "brace":
            depth += 1 if value == "{" else -1
            if pending >= 0 and depth == 0:  # the end of a DELETE WHERE's pattern
                found.append(("delete-where", pending, offset + 1))
                pending = -1
        elif kind == "word" and depth == 0 and value.upper() == "WHERE" and _keyword(update, offset, len(value)):
            if previous == "DELETE":
                pending = offset
            else:
                found.append(("modify", offset, offset))
        if kind != "comment":
            previous = value.upper() if kind == "word" and _keyword(update, offset, len(value)) else ""
    return found


def _keyword(text: str, offset: int, length: int) -> bool:
    before = text[offset - 1] if offset else " "
    after = text[offset + length] if offset + length < len(text) else " "
    return not (before in _NAME_CHARS or before.isalnum() or after in _NAME_CHARS or after.isalnum())
