"""Alternations of many words that the regex engine scans quickly, with the same matches.

Python's ``re`` tries every branch of an alternation at every position of the text, and under
IGNORECASE it cannot even pass over a branch by its first letter: ``(?:janvier|january|jan|…)``
of ninety month names costs ninety tries per character of every sentence. :func:`alternation`
writes the branches that start with the same character under that one character
(``j(?:anvier|anuary|an)|f(?:…)``). At a position only the branches that can start there are
tried, in their original order, so each match — and each step of backtracking into the
alternation — is the one of the plain alternation. Branches whose first characters could match
the same character of a text (``a`` and ``[aàâä]``; ``i`` and ``ı`` under IGNORECASE) stay
together, in their original order.
"""

from __future__ import annotations

import _sre
import re
from collections.abc import Sequence
from re._casefix import _EXTRA_CASES  # the engine's own case equivalences beyond lower()

_QUANTIFIERS = frozenset("?*+{")


def alternation(branches: Sequence[str]) -> str:
    """``"|".join(branches)``, grouped by first character (the same language, scanned faster).

    Each branch is a regular expression. A branch that does not start with a plain character,
    an escaped symbol or a class of plain characters (``\\d+``, ``[a-z]+``) could start anywhere:
    it stays where it is, and only the branches between two such are grouped.
    """
    parts: list[str] = []
    segment: list[str] = []
    for branch in branches:
        if _first_atom(branch) is None:
            parts += [_grouped(segment), branch] if segment else [branch]
            segment = []
        else:
            segment.append(branch)
    if segment:
        parts.append(_grouped(segment))
    return "|".join(parts)


def _grouped(branches: Sequence[str]) -> str:
    atoms = [_first_atom(b) for b in branches]
    parent = list(range(len(branches)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, atom in enumerate(atoms):
        for char in _lowered(atom):  # type: ignore[arg-type]
            j = owner.setdefault(char, i)
            parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(branches)):
        groups.setdefault(root(i), []).append(i)
    parts = []
    for members in sorted(groups.values()):
        if len(members) == 1:
            parts.append(branches[members[0]])
        elif len({atoms[i] for i in members}) == 1:
            atom = atoms[members[0]]
            assert atom is not None
            parts.append(atom + "(?:" + "|".join(branches[i][len(atom) :] for i in members) + ")")
        else:  # first characters that overlap: kept in their order, not factored
            parts.append("(?:" + "|".join(branches[i] for i in members) + ")")
    return "|".join(parts)


def words(alternatives: Sequence[str]) -> str:
    """An alternation of literal strings (escaped here), in the order given."""
    return alternation([re.escape(w) for w in alternatives])


def _first_atom(branch: str) -> str | None:
    """The branch's first single-character matcher, if it is a plain one and is not quantified."""
    if not branch:
        return None
    if branch[0] == "[":
        end = branch.find("]", 1)
        inside = branch[1:end]
        if end < 0 or not inside or inside[0] == "^" or any(c in inside for c in "\\-[]"):
            return None
        atom = branch[: end + 1]
    elif branch[0] == "\\":
        if len(branch) < 2 or branch[1].isalnum():
            return None  # \d, \s, \b, \1…: not one literal character
        atom = branch[:2]
    elif branch[0] in "()|.^$?*+{}]":
        return None
    else:
        atom = branch[0]
    if branch[len(atom) : len(atom) + 1] in _QUANTIFIERS:
        return None
    return atom


def _lowered(atom: str) -> set[str]:
    """Every lower-case form a text character matching ``atom`` can have (as the engine folds case)."""
    chars = atom[1:-1] if atom[0] == "[" else atom[-1]
    found: set[str] = set()
    for char in chars:
        low = _sre.unicode_tolower(ord(char))
        found.add(chr(low))
        found.update(chr(c) for c in _EXTRA_CASES.get(low, ()))
    return found


class _Unsupported(ValueError):
    """Syntax this module does not rewrite (the pattern is then left as it is)."""


def grouped_pattern(pattern: str) -> str:
    """The regular expression with every alternation in it grouped as :func:`alternation` does.

    Only non-capturing groups are added, so group numbers and names stay; the insides of
    lookbehinds are left alone, and so is a pattern with syntax not read here (inline flags,
    conditionals, atomic groups, comments).
    """
    try:
        branches, end = _branches(pattern, 0)
    except _Unsupported:
        return pattern
    if end != len(pattern):
        return pattern
    return alternation(branches)


def _branches(p: str, i: int) -> tuple[list[str], int]:
    """The branches of the alternation starting at ``i``, each rewritten, up to its ``)`` or the end."""
    branches: list[str] = []
    current: list[str] = []
    while i < len(p):
        char = p[i]
        if char == "\\":
            current.append(p[i : i + 2])
            i += 2
        elif char == "[":
            end = _class_end(p, i)
            current.append(p[i:end])
            i = end
        elif char == "(":
            opening = _opening(p, i)
            inner, end = _branches(p, i + len(opening))
            if end >= len(p) or p[end] != ")":
                raise _Unsupported("unbalanced group")
            body = p[i + len(opening) : end] if opening.startswith("(?<") and opening != "(?<" else alternation(inner)
            current.append(opening + body + ")")
            i = end + 1
        elif char == ")":
            break
        elif char == "|":
            branches.append("".join(current))
            current = []
            i += 1
        else:
            current.append(char)
            i += 1
    branches.append("".join(current))
    return branches, i


def _opening(p: str, i: int) -> str:
    if not p.startswith("(?", i):
        return "("
    for prefix in ("(?:", "(?=", "(?!", "(?<=", "(?<!"):
        if p.startswith(prefix, i):
            return prefix
    if p.startswith("(?P<", i):
        return p[i : p.index(">", i) + 1]
    raise _Unsupported(p[i : i + 4])


def _class_end(p: str, i: int) -> int:
    """The index just past the character class opening at ``i``."""
    j = i + 1
    if j < len(p) and p[j] == "^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1
    while j < len(p) and p[j] != "]":
        j += 2 if p[j] == "\\" else 1
    if j >= len(p):
        raise _Unsupported("unterminated class")
    return j + 1
