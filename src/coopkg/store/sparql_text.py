"""Small lexical helpers over SPARQL text: they skip strings, IRIs and comments."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from coopkg.errors import BadInputError

_TOKEN = re.compile(
    r"""
    \s*(?:
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<brace>[{}])
  | (?P<other>\S)
    )""",
    re.VERBOSE | re.DOTALL,
)


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset) of each significant token; whitespace is skipped."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is not None:  # None: trailing whitespace only
            yield kind, match.group(kind), match.start(kind)


def keywords(text: str) -> set[str]:
    """Upper-cased bare words of a query, outside strings, IRIs and comments."""
    return {value.upper() for kind, value, _ in tokens(text) if kind == "word"}


def uses_service(text: str) -> bool:
    return "service" in text.lower() and "SERVICE" in keywords(text)


def term_text(term: NamedNode | BlankNode | Literal) -> str:
    if isinstance(term, BlankNode):
        raise BadInputError("a parameter cannot be a blank node")
    return str(term)  # N-Triples form: the engine's own escaping


def inject_values(query: str, bindings: Mapping[str, NamedNode | BlankNode | Literal]) -> str:
    """Bind variables by a VALUES block at the start of the WHERE group.

    Used where the engine offers no substitution API (remote endpoints). The values are
    written in N-Triples syntax by pyoxigraph, so no user text reaches the query unescaped.
    """
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise BadInputError(f"invalid variable name {name!r}")
    values = " ".join(term_text(bindings[n]) for n in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({values}) }} "
    position = _where_brace(query)
    return query[: position + 1] + block + query[position + 1 :]


def inject_value_rows(query: str, variable: str, terms: list[NamedNode]) -> str:
    """Bind one variable to several IRIs (a VALUES block with one row per IRI) at the start of WHERE.

    The IRIs are validated NamedNodes written by the engine's serializer: no text reaches the query raw.
    """
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", variable):
        raise BadInputError(f"invalid variable name {variable!r}")
    position = _where_brace(query)
    return query[: position + 1] + " " + values_clause(variable, terms) + " " + query[position + 1 :]


def _where_brace(query: str) -> int:
    seen_form = False
    after_where = False
    for kind, value, offset in tokens(query):
        if kind == "word":
            upper = value.upper()
            if upper in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}:
                seen_form = True
            elif upper == "WHERE":
                after_where = True
        # CONSTRUCT's template brace comes before WHERE; SELECT may omit WHERE.
        elif (
            kind == "brace"
            and value == "{"
            and seen_form
            and (after_where or not _is_construct_template(query, offset))
        ):
            return offset
    raise BadInputError("cannot find the WHERE clause to bind parameters into")


def _is_construct_template(query: str, offset: int) -> bool:
    words = [value.upper() for kind, value, o in tokens(query[:offset]) if kind == "word"]
    return bool(words) and words[-1] == "CONSTRUCT"


def _ntriples(triples: list[Triple]) -> str:
    return serialize(triples, format=RdfFormat.N_TRIPLES).decode("utf-8")


def insert_data(graph: NamedNode | None, triples: list[Triple]) -> str:
    """An INSERT DATA update; terms are written by the engine's N-Triples serializer."""
    body = _ntriples(triples)
    if graph is None:
        return "INSERT DATA {\n" + body + "}"
    return "INSERT DATA { GRAPH " + term_text(graph) + " {\n" + body + "} }"


def replace_graph_update(graph: NamedNode, triples: list[Triple]) -> str:
    """One update (one transaction) that empties ``graph`` and fills it again."""
    drop = "DROP SILENT GRAPH " + term_text(graph)
    return drop + (" ;\n" + insert_data(graph, triples) if triples else "")


def replace_graphs_update(graphs: Sequence[tuple[NamedNode, bytes]]) -> str:
    """One update (one transaction) replacing each graph by its N-Triples (written by the engine)."""
    operations = []
    for graph, ntriples in graphs:
        name = term_text(graph)
        operations.append("DROP SILENT GRAPH " + name)
        if ntriples:
            operations.append("INSERT DATA { GRAPH " + name + " {\n" + ntriples.decode("utf-8") + "} }")
    return " ;\n".join(operations)


def drop_graph_update(graph: NamedNode) -> str:
    return "DROP GRAPH " + term_text(graph)


def values_clause(variable: str, terms: list[NamedNode]) -> str:
    return "VALUES ?" + variable + " { " + " ".join(term_text(t) for t in terms) + " }"


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword, after the prologue."""
    return _shape(_IRI_REF.sub("<>", text))[0]


_NOT_LOOKUP_WORDS = frozenset(
    [
        "SERVICE",
        "GROUP",
        "HAVING",
        "COUNT",
        "SUM",
        "AVG",
        "MIN",
        "MAX",
        "SAMPLE",
        "GROUP_CONCAT",
        "UNION",
        "MINUS",
        "EXISTS",
        "NOT",
        "VALUES",
        "BIND",
        "GRAPH",
    ]
)
_PATH_OPERATORS = frozenset("*+|^/!")
LOOKUP_MAX_PATTERNS = 8
LOOKUP_MAX_OPEN_PREDICATES = 2


_IRI_REF = re.compile(r'<[^<>"{}|^`\\\s]*>')


def is_lookup(text: str) -> bool:
    """True for a query whose work is bounded by the neighbourhood of IRIs it names.

    Conservative: every triple pattern has a fixed subject, at most
    ``LOOKUP_MAX_PATTERNS`` patterns of which ``LOOKUP_MAX_OPEN_PREDICATES`` have a variable
    predicate; no property paths, subqueries, aggregates, UNION, GRAPH or SERVICE. Anything
    else is "not known to be cheap".
    """
    return _shape(_IRI_REF.sub("<>", text))[1]


@lru_cache(maxsize=1024)
def _shape(text: str) -> tuple[str | None, bool]:
    """Query form and lookup-ness of a query with its IRIs blanked out.

    Point lookups differ only by the IRIs they name: one analysis serves them all.
    """
    found = list(tokens(text))
    words = [value.upper() for kind, value, _ in found if kind == "word"]
    form = next((w for w in words if w in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}), None)
    if _NOT_LOOKUP_WORDS.intersection(words) or words.count("SELECT") > 1:
        return form, False
    start = next((i for i, (kind, _, _) in enumerate(found) if kind == "brace"), None)
    if start is None:
        return form, "DESCRIBE" in words and not any(v in "?$" for kind, v, _ in found if kind == "other")
    return form, _patterns_bounded(found[start:])


def _patterns_bounded(found: list[tuple[str, str, int]]) -> bool:
    patterns = open_predicates = depth = 0
    i, expect_subject, term_in_pattern = 0, True, 0
    while i < len(found):
        kind, value, _ = found[i]
        word = value.upper() if kind == "word" else ""
        if kind == "brace":
            depth += 1 if value == "{" else -1
            expect_subject, term_in_pattern = True, 0
        elif depth == 0:
            pass  # between groups, or after them (ORDER BY, LIMIT…: work on bounded solutions)
        elif expect_subject and word == "FILTER":
            i = _skip_parenthesised(found, i + 1)
            continue
        elif expect_subject and word == "OPTIONAL":
            pass
        elif kind == "other" and value in _PATH_OPERATORS:
            return False
        elif kind == "other" and value == ".":
            expect_subject, term_in_pattern = True, 0
        elif expect_subject:
            if kind == "iri" or (kind == "word" and _is_prefixed(found, i)):
                patterns += 1
                expect_subject, term_in_pattern = False, 1
                i = i + 3 if kind == "word" else i + 1
                continue
            return False  # a variable, a blank node or anything else as subject
        elif kind == "other" and value in ";,":
            term_in_pattern = 1 if value == ";" else 2
            patterns += 1
        elif term_in_pattern == 1 and kind == "other" and value in "?$":
            open_predicates += 1
            term_in_pattern = 2
            i += 2
            continue
        elif term_in_pattern == 1:
            term_in_pattern = 2
        if patterns > LOOKUP_MAX_PATTERNS or open_predicates > LOOKUP_MAX_OPEN_PREDICATES:
            return False
        i += 1
    return depth == 0


def _is_prefixed(found: list[tuple[str, str, int]], i: int) -> bool:
    return i + 2 < len(found) and found[i + 1][1] == ":" and found[i + 2][0] == "word"


def _skip_parenthesised(found: list[tuple[str, str, int]], i: int) -> int:
    if i >= len(found) or found[i][1] != "(":
        return len(found)  # FILTER without parentheses (a function call form): not a lookup
    depth = 0
    for j in range(i, len(found)):
        if found[j][1] == "(":
            depth += 1
        elif found[j][1] == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(found)
