"""Bulk loads checked before they are written: each named graph validated as it streams by.

A dataset file (TriG, N-Quads) is read once to validate it, one named graph at a time, each
with the reference data it points to (as a document is); a triples file, or a file loaded
into one ``--graph``, is one graph. The first graph that does not conform stops the check
with its reason, before anything is written: the load itself (a second read, by the store's
bulk loader) happens only when every graph conforms. Memory follows the largest graph, not
the file: each graph's quads must be together in the file (what coopkg export and synth
write); a file whose graphs are interleaved is refused with that reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, RdfFormat, Triple, parse

from coopkg.errors import BadInputError, ValidationFailed
from coopkg.iris import IriMinter
from coopkg.store.base import Repository
from coopkg.validate import ValidationReport, document_context, validate_document

_LINKS = {"ClassConstraintComponent", "NodeConstraintComponent", "OrConstraintComponent"}


@dataclass
class LoadCheck:
    """What the validation of a file found (it conforms: otherwise ValidationFailed was raised)."""

    graphs: int = 0
    triples: int = 0
    warnings: int = 0


class _CountingReader:
    """A binary file that counts what the parser has read (for progress)."""

    def __init__(self, stream: IO[bytes], on_read: Callable[[int], None]) -> None:
        self._stream = stream
        self._on_read = on_read

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._on_read(len(data))
        return data

    def readinto(self, buffer: bytearray) -> int:
        count = self._stream.readinto(buffer)  # type: ignore[attr-defined]
        self._on_read(count or 0)
        return count or 0


def check_file(
    repo: Repository, minter: IriMinter, path: Path, fmt: RdfFormat, *, target: NamedNode | None,
    base_iri: str | None, on_read: Callable[[int], None] | None = None,
) -> LoadCheck:  # fmt: skip
    """Validate the graphs of ``path`` as they would be loaded; raise ValidationFailed at the first bad one."""
    check = LoadCheck()
    try:
        with path.open("rb") as raw:
            stream = _CountingReader(raw, on_read) if on_read is not None else raw
            quads = parse(stream, format=fmt, base_iri=base_iri)  # type: ignore[arg-type]
            for graph, triples in _graphs(quads, target):
                report = validate_document(triples, document_context(repo, minter, triples))
                if not report.conforms:
                    if target is None and any(q.graph_name == graph for q in quads):
                        raise _interleaved(graph)  # it was not the whole graph: say that instead
                    raise ValidationFailed(
                        _failure(repo, minter, path, graph, triples, report), details=report.to_dict()
                    )
                check.graphs += 1
                check.triples += len(triples)
                check.warnings += len(report.warnings)
    except SyntaxError as error:
        raise BadInputError(f"cannot parse {path} as {fmt.name}: {error}") from error
    except OSError as error:
        raise BadInputError(f"cannot read {path}: {error.strerror or error}") from error
    return check


def _graphs(
    quads: Iterator[Quad], target: NamedNode | None
) -> Iterator[tuple[NamedNode | BlankNode | DefaultGraph | None, list[Triple]]]:
    """(graph, triples) for each graph of the stream, as soon as the stream has moved past it."""
    if target is not None:
        yield target, [q.triple for q in quads]
        return
    current: object = None
    triples: list[Triple] = []
    finished: set[object] = set()
    for quad in quads:
        name = quad.graph_name
        if name != current:
            if triples:
                finished.add(current)
                yield current, triples  # type: ignore[misc]
            if name in finished:
                raise _interleaved(name)
            current, triples = name, []
        triples.append(quad.triple)
    if triples:
        yield current, triples  # type: ignore[misc]


def _interleaved(graph: object) -> BadInputError:
    return BadInputError(
        f"the quads of graph {graph} are not together in the file: validating graph by graph needs each "
        "graph's quads in one run (as coopkg export and synth write them); sort the file by graph, or load "
        "it with --no-validate"
    )


def _failure(
    repo: Repository, minter: IriMinter, path: Path, graph: object, triples: list[Triple], report: ValidationReport
) -> str:
    """Why the file cannot be loaded: the first violation, and what the store lacks if that is the cause."""
    what = f"{path} (graph {graph})" if isinstance(graph, NamedNode | BlankNode) else str(path)
    subjects = {t.subject.value for t in triples}
    links = [
        r for r in report.violations
        if r.component in _LINKS and r.value and r.value not in subjects and r.value.startswith(("http:", "https:"))
    ]  # fmt: skip
    missing = sorted({r.value for r in links if not repo.describe([NamedNode(r.value)], minter.reference_graph)})  # type: ignore[arg-type]
    if not missing:
        return report.failure(what) + "; nothing was loaded"
    example = missing[0]
    hint = (
        f"its IRIs are not under this store's base {minter.base} (COOPKG_BASE_IRI): was the file made with another?"
        if not example.startswith(minter.base)
        else "load the data that describes them first"
    )
    count = len(missing)
    return (
        f"{what} points to {count} IRI{'s' * (count > 1)} the store's reference data does not describe, such as "
        f"<{example}>: {hint} Nothing was loaded: {report.failure('it')}"
    )
