"""Small lexical helpers over SPARQL text: they skip strings, IRIs and comments."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from coopkg.errors import BadInputError

_TOKEN = re.compile(
    r"""
    \s*(?:
    (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<brace>[{}])
  | (?P<other>\S)
    )""",
    re.VERBOSE | re.DOTALL,
)


# A variable name as the queries and the bindings here write them (ASCII letters, digits, "_").
VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _check_names(names: Iterable[str]) -> None:
    """Only SPARQL variable names reach a query's text."""
    for name in names:
        if not VARIABLE_NAME.fullmatch(name):
            raise BadInputError(f"invalid variable name {name!r}")


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset) of each significant token; whitespace is skipped."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is not None:  # None: trailing whitespace only
            yield kind, match.group(kind), match.start(kind)


def keywords(text: str) -> set[str]:
    """Upper-cased bare words of a query, outside strings, IRIs and comments."""
    return {value.upper() for kind, value, _ in tokens(text) if kind == "word"}


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
    _check_names(names)
    values = " ".join(term_text(bindings[n]) for n in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({values}) }} "
    position = _where_brace(query)
    return query[: position + 1] + block + query[position + 1 :]


_CLAUSE_ENDS = frozenset({"WHERE", "FROM", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"})


def substitute(query: str, bindings: Mapping[str, NamedNode | BlankNode | Literal]) -> str:
    """Bind variables as pyoxigraph's substitutions do: every occurrence of the variable is the term.

    A VALUES block at the start of WHERE (:func:`inject_values`) binds a variable only where
    SPARQL's scoping lets it reach: not inside a ``FILTER`` of a nested ``GRAPH`` group, and Virtuoso
    7.2 turns an ``OPTIONAL { … FILTER(… ?lang …) }`` over such a variable into an inner join. A
    substituted term has neither problem, so a saved query answers on an endpoint what it answers on
    the embedded store. Each ``?v`` becomes the term written by the engine's serializer; in a
    projection it becomes ``(term AS ?v)``, so that the variable is still answered, and in
    ``GROUP BY``/``ORDER BY`` ``(term)``, as their grammar asks.

    A query whose subquery projects the variable (``SELECT ?v … { { SELECT ?v … } }``) keeps ``?v``
    as written in its own projection and ``GROUP BY``: the subquery's ``(term AS ?v)`` binds it
    there, and SPARQL 1.1 forbids ``(term AS ?v)`` over a variable already in scope (Jena refuses
    it; Oxigraph and Virtuoso let it pass).
    """
    if not bindings:
        return query
    _check_names(bindings)
    terms = {name: term_text(term) for name, term in bindings.items()}
    found = list(tokens(query))
    bound_below = _bound_by_subqueries(found, terms)
    out: list[str] = []
    end = 0
    clause = ""  # "projection", "modifier" (GROUP BY, ORDER BY) or "" (patterns, expressions)
    depth = 0  # parentheses inside the clause
    level = 0  # braces
    kept: dict[int, frozenset[str]] = {}  # per brace level, the variables its SELECT keeps as written
    after_as = False
    keys_left = False  # whether the GROUP BY or ORDER BY keeps a key once the bound variables are gone
    for index, (kind, value, offset) in enumerate(found):
        upper = value.upper() if kind == "word" else ""
        if upper and index and found[index - 1][1] in "?$" and found[index - 1][2] == offset - 1:
            upper = ""  # a variable's name (?from, ?select), not a keyword
        if upper == "SELECT":
            kept[level] = bound_below.get(index, frozenset())
        if depth == 0 and (upper in _CLAUSE_ENDS or upper == "SELECT" or (kind == "brace" and value == "{")):
            clause = "projection" if upper == "SELECT" else "modifier" if upper in {"GROUP", "ORDER"} else ""
            replaced = {n: t for n, t in terms.items() if n not in kept.get(level, ())}
            keys_left = clause == "modifier" and _other_keys(found, index, replaced)
        if kind == "brace":
            level += 1 if value == "{" else -1
        if clause and kind == "other" and value in "()":
            depth += 1 if value == "(" else -1
        following = found[index + 1] if index + 1 < len(found) else None
        if (
            kind == "other"
            and value in "?$"
            and not after_as
            and following is not None
            and following[0] == "word"
            and following[2] == offset + 1
            and following[1] in terms
            and not (clause and depth == 0 and following[1] in kept.get(level, ()))
        ):
            name, term = following[1], terms[following[1]]
            out.append(query[end:offset])
            if clause == "projection" and depth == 0:
                out.append(f"({term} AS ?{name})")
            elif clause == "modifier" and depth == 0:
                # Grouping or ordering by a constant changes nothing; Virtuoso refuses some (SQ200).
                out.append("" if keys_left else f"({term})")
            else:
                out.append(term)
            end = following[2] + len(name)
        if kind != "comment":
            after_as = upper == "AS" or (after_as and value in "?$")
    out.append(query[end:])
    return "".join(out)


def _bound_by_subqueries(found: list[tuple[str, str, int]], bound: Mapping[str, str]) -> dict[int, frozenset[str]]:
    """For each SELECT (by token index), the bound variables that a SELECT nested in its group projects."""
    selects: list[tuple[int, int, int, set[str]]] = []  # token index, brace level, end of its group, projected
    level = 0
    for index, (kind, value, offset) in enumerate(found):
        previous = found[index - 1] if index else ("", "", -2)
        is_name = kind == "word" and previous[1] in "?$" and previous[2] == offset - 1
        if kind == "word" and not is_name and value.upper() == "SELECT":
            projected, opened = _projection(found, index, bound)
            selects.append((index, level, _group_end(found, opened, level), projected))
        if kind == "brace":
            level += 1 if value == "{" else -1
    below: dict[int, frozenset[str]] = {}
    for index, level, end, _ in selects:
        nested = (names for inner, inner_level, _, names in selects if index < inner < end and inner_level > level)
        below[index] = frozenset().union(*nested)
    return below


def _projection(found: list[tuple[str, str, int]], start: int, bound: Mapping[str, str]) -> tuple[set[str], int]:
    """The bound variables a SELECT at ``found[start]`` projects as such (not in an expression), and where
    its projection ends."""
    names: set[str] = set()
    depth = 0
    for index in range(start + 1, len(found)):
        kind, value, offset = found[index]
        previous = found[index - 1]
        is_name = kind == "word" and previous[1] in "?$" and previous[2] == offset - 1
        if depth == 0 and (kind == "brace" or (kind == "word" and not is_name and value.upper() in _CLAUSE_ENDS)):
            return names, index
        if kind == "other" and value in "()":
            depth += 1 if value == "(" else -1
        elif is_name and depth == 0 and value in bound:
            names.add(value)
    return names, len(found)


def _group_end(found: list[tuple[str, str, int]], start: int, level: int) -> int:
    """The index of the brace that closes the group opened at or after ``found[start]``, at brace ``level``."""
    current = level
    for index in range(start, len(found)):
        kind, value, _ = found[index]
        if kind == "brace":
            current += 1 if value == "{" else -1
            if current == level and value == "}":
                return index
    return len(found)


def _other_keys(found: list[tuple[str, str, int]], start: int, bound: Mapping[str, str]) -> bool:
    """Whether the GROUP BY / ORDER BY clause starting at ``found[start]`` has a key that is not a bound variable."""
    depth = 0
    for index in range(start + 2, len(found)):  # past GROUP/ORDER and BY
        kind, value, offset = found[index]
        previous = found[index - 1]
        is_name = kind == "word" and previous[1] in "?$" and previous[2] == offset - 1
        if depth == 0 and ((kind == "word" and not is_name and value.upper() in _CLAUSE_ENDS) or kind == "brace"):
            return False
        if kind == "other" and value in "()":
            depth += 1 if value == "(" else -1
        elif is_name and value not in bound:
            return True
        elif kind == "word" and not is_name and depth == 0 and value.upper() not in {"ASC", "DESC"}:
            return True  # a function call or keyword expression as key
    return False


def inject_value_rows(query: str, variable: str, terms: list[NamedNode]) -> str:
    """Bind one variable to several IRIs (a VALUES block with one row per IRI) at the start of WHERE.

    The IRIs are validated NamedNodes written by the engine's serializer: no text reaches the query raw.
    """
    _check_names([variable])
    position = _where_brace(query)
    return query[: position + 1] + " " + values_clause(variable, terms) + " " + query[position + 1 :]


def update_with_values(update: str, rows: Sequence[Mapping[str, NamedNode | Literal | None]]) -> str:
    """Bind an update's variables: VALUES blocks (terms written by the engine) at the start of its WHERE.

    Each mapping is one row; rows with the same variables form one block (blocks join as a product).
    ``None`` is UNDEF.
    """
    blocks: dict[tuple[str, ...], list[str]] = {}
    for row in rows:
        names = tuple(row)
        _check_names(names)
        cells = " ".join("UNDEF" if row[n] is None else term_text(row[n]) for n in names)  # type: ignore[arg-type]
        blocks.setdefault(names, []).append(f"({cells})")
    text = " ".join(
        f"VALUES ({' '.join('?' + n for n in names)}) {{ {' '.join(cells)} }}" for names, cells in blocks.items()
    )
    after_where = False
    for kind, value, offset in tokens(update):
        if kind == "word" and value.upper() == "WHERE":
            after_where = True
        elif after_where and kind == "brace" and value == "{":
            return update[: offset + 1] + " " + text + " " + update[offset + 1 :]
    raise BadInputError("cannot find the WHERE clause of the update to bind values into")


def joined_updates(first: str, second: str) -> str:
    """Two updates as one request (one transaction): ``first`` may already end with its separator."""
    significant = [value for kind, value, _ in tokens(first) if kind != "comment"]
    if not significant:
        return second
    return first + ("\n" if significant[-1] == ";" else "\n;\n") + second


def single_line(text: str) -> str:
    """The same SPARQL on one line: comments removed, line breaks between tokens made spaces.

    Put before a user's update, it leaves the line numbers of the engine's error messages the user's own.
    """
    parts: list[str] = []
    end = 0
    for kind, value, offset in tokens(text):
        if kind == "comment":
            end = offset + len(value)
            continue
        if parts and offset > end:
            parts.append(" ")
        parts.append(value)
        end = offset + len(value)
    return "".join(parts)


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
    return _form(_IRI_REF.sub("<>", text))


_IRI_REF = re.compile(r'<[^<>"{}|^`\\\s]*>')


@lru_cache(maxsize=1024)
def _form(text: str) -> str | None:
    # Point lookups differ only by the IRIs they name: one look serves them all.
    return next((w.upper() for kind, w, _ in tokens(text) if kind == "word" and w.upper() in _FORMS), None)


_FORMS = frozenset(["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"])
