"""Bulk loads of N-Quads and N-Triples for the remote backend: the file's bytes passed on, cut by graph.

Parsing a large file here and writing it again is what kept ``coopkg load`` at 7–14 k triples/s
over an endpoint (each quad a Python object, twice). N-Quads and N-Triples are line-based and
need no base IRI (a relative IRI is a syntax error in them), so their bytes can go to the
engine as they are, which parses them anyway. What coopkg still has to know is found in the
bytes, without parsing every line:

* **the graph of each run of lines**: a document's quads are together in the files coopkg writes
  (``coopkg export``, ``coopkg synth``), so a run is found by its first line's graph and the last
  line of the block that ends with the same `` <graph> .``; that every line between ends so is
  checked by counting (a newline is only ever at the end of a line: literals escape theirs);
* **what needs the parser after all**, checked per block: a blank node (``_:`` anywhere, even in a
  literal: it is skolemised), a carriage return or a line coopkg cannot place, and, for an engine
  whose loader reads Turtle (Virtuoso), a relative IRI (its loader would resolve it against the
  graph; the parser here refuses it, as the N-Quads grammar does) or an ill-typed integer (its
  loader would store ``"abc"^^xsd:integer`` as 0). Such a block is parsed here, as every file used
  to be; the rest of the file is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BLOCK_BYTES = 32 << 20  # read at a time; a run still open at the end of a block is carried into the next

_IRI = rb'<[^<>"{}|^`\\\x00-\x20]*>'
# A line of three IRIs and no graph (``<s> <p> <o> .``): in a run of graph <o>'s lines, it would be counted as one.
_THREE_IRIS = re.compile(rb"\n[ \t]*" + _IRI + rb"[ \t]+" + _IRI + rb"[ \t]+" + _IRI + rb"[ \t]*\.")
# "<" not followed by a scheme: a relative IRI (or a "<" in a literal, which the parser then tells apart).
_RELATIVE = re.compile(rb"<(?![A-Za-z][A-Za-z0-9+.\-]*:)")
_INTEGER_TYPES = (b"integer|int|long|short|byte|nonNegativeInteger|nonPositiveInteger|positiveInteger|"
                  b"negativeInteger|unsignedLong|unsignedInt|unsignedShort|unsignedByte")  # fmt: skip
_TYPED_INTEGER = re.compile(rb"\^\^<http://www\.w3\.org/2001/XMLSchema#(?:" + _INTEGER_TYPES + rb")>")
_WELL_TYPED_INTEGER = re.compile(rb'"[+-]?[0-9]+"\^\^<http://www\.w3\.org/2001/XMLSchema#(?:' + _INTEGER_TYPES + rb")>")

DEFAULT = b""  # the graph of a line without one


@dataclass(frozen=True)
class Run:
    """Lines ``data[start:end]`` of one graph (``DEFAULT``: the default graph), each ending with ``suffix``."""

    graph: bytes
    start: int
    end: int
    suffix: bytes  # " <graph> .\n", or b"" for default-graph lines

    def triples(self, data: bytes) -> bytes:
        """The run's lines as N-Triples: the graph taken off each line."""
        text = data[self.start : self.end]
        return text.replace(self.suffix, b" .\n") if self.suffix else text


def blocks(path: Path, size: int = BLOCK_BYTES) -> Iterator[bytes]:
    """The file in blocks of about ``size`` bytes, each ending at the end of a line."""
    with path.open("rb") as stream:
        while True:
            block = stream.read(size)
            if not block:
                return
            if not block.endswith(b"\n"):
                block += stream.readline()
            yield block


def needs_parser(data: bytes, *, relative_iris: bool = False, integers: bool = False) -> bool:
    """Whether a block must be parsed here rather than passed on (see the module's docstring): it has a
    blank node or a carriage return; with ``relative_iris``, a "<" that starts no absolute IRI; with
    ``integers``, an integer-typed literal that is no integer."""
    if b"_:" in data or b"\r" in data:
        return True
    if relative_iris and _RELATIVE.search(data) is not None:
        return True
    if integers:
        typed = len(_TYPED_INTEGER.findall(data))
        if typed and len(_WELL_TYPED_INTEGER.findall(data)) != typed:
            return True
    return False


def line_graph(line: bytes) -> bytes | None:
    """The graph IRI of one N-Quads line (with its brackets), ``DEFAULT`` for a triple, None if it cannot
    be told here (a comment, a blank node, something that is no N-Quads: the parser will say)."""
    body = line.rstrip()
    if not body.endswith(b"."):
        return None
    body = body[:-1].rstrip()
    if not body.endswith(b">"):
        return DEFAULT if body.endswith(b'"') or (body[-1:].isalnum() and b'"' in body) else None
    start = body.rfind(b"<")
    before = body[:start].rstrip()
    if start <= 0 or not before:
        return None
    if before.endswith(b"^^"):
        return DEFAULT  # the IRI is a literal's datatype
    if b'"' in before:
        return body[start:]  # a literal before it: the object, so this is the graph
    terms = len(before.split())
    return body[start:] if terms == 3 else DEFAULT if terms == 2 else None


def graph_runs(data: bytes, *, checked: bool = True) -> list[Run] | None:
    """The runs of lines of one graph that make up ``data`` (whole lines), or None when a line cannot be
    placed. ``checked``: also make sure no run hides a three-IRI triple of the default graph (the last
    IRI of ``<s> <p> <o> .`` reads as a graph); without it such a line would go to graph ``<o>``,
    without its object (an engine then refuses it)."""
    runs: list[Run] = []
    position, size = 0, len(data)
    while position < size:
        end_of_line = data.index(b"\n", position) + 1
        graph = line_graph(data[position:end_of_line])
        if graph is None:
            if not data[position:end_of_line].strip():
                position = end_of_line  # an empty line
                continue
            return None
        if graph == DEFAULT:
            if runs and runs[-1].graph == DEFAULT:
                runs[-1] = Run(DEFAULT, runs[-1].start, end_of_line, b"")
            else:
                runs.append(Run(DEFAULT, position, end_of_line, b""))
            position = end_of_line
            continue
        suffix = b" " + graph + b" .\n"
        end = _last_line_with(data, suffix, position)
        if end < 0:
            return None  # written otherwise than " <graph> .": the parser will read it
        if data.count(suffix, position, end) != data.count(b"\n", position, end):
            end = _end_of_run(data, position, suffix)  # another graph's lines in between
        if end <= position:
            return None  # written otherwise than " <graph> .": the parser will read it
        if checked and _THREE_IRIS.search(data, position, end) is not None:
            return None
        runs.append(Run(graph, position, end, suffix))
        position = end
    return runs


def _last_line_with(data: bytes, suffix: bytes, position: int) -> int:
    """The end of the last line ending with ``suffix`` in the stretch from ``position`` up to the first line
    that does not (looked for in windows that double: a search from the end of the block would read the
    whole block for every run). -1 if none does."""
    window = 1 << 16
    while True:
        stop = min(len(data), position + window)
        last = data.rfind(suffix, position, stop)
        if last < 0:
            return -1
        end = last + len(suffix)
        following = data.find(b"\n", end) + 1
        if stop == len(data) or following == 0 or not data.startswith(suffix, following - len(suffix)):
            return end
        window *= 2


def _end_of_run(data: bytes, position: int, suffix: bytes) -> int:
    """Where the lines from ``position`` stop ending with ``suffix`` (graphs interleaved: line by line)."""
    while True:
        end_of_line = data.find(b"\n", position) + 1
        if end_of_line == 0 or not data.startswith(suffix, end_of_line - len(suffix)):
            return position
        position = end_of_line


def count_lines(data: bytes) -> int:
    """The statements in a block of N-Quads or N-Triples lines (blank lines and comments left out)."""
    if not data.startswith((b"\n", b"#", b" ", b"\t")) and _ODD_LINE.search(data) is None:
        return data.count(b"\n")
    return sum(1 for line in data.split(b"\n") if line.strip() and not line.lstrip().startswith(b"#"))


_ODD_LINE = re.compile(rb"\n[\n# \t]")  # a blank line, a comment, or one that starts with blanks
