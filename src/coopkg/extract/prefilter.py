"""Skip a regular expression's scan of a sentence that cannot hold a match, with the same results.

Python's ``re`` has no fast scan for a pattern compiled with IGNORECASE that starts with a word
boundary or an alternation: it tries the pattern at every character, some fifty nanoseconds each,
even when the sentence has none of its words. Most patterns of the lexicon require some words
whatever the branch ("subventionné par" needs "subventionn" and "par"). :func:`needles` reads
them from the pattern's parse; :func:`finditer` looks for them first in the sentence folded to
the case the engine compares (``str.__contains__``, fast) and runs the pattern only if all are
there. The fold is the engine's own (its simple lower-case mapping and its extra case
equivalences such as ``ſ``/``s``), one character for one, so a literal the pattern matches at
some position is always found in the folded text: a sentence skipped has no match.
"""

from __future__ import annotations

import _sre
import re
from collections.abc import Iterator
from functools import cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]

_MIN_NEEDLE = 3


# The lexicon lets Arabic letters take diacritics and their spelling variants (coopkg.extract.lexicon):
# the fold drops the one and writes the other as one letter, in the text and in the words looked for alike.
_ARABIC_MARKS = [*range(0x064B, 0x0660), 0x0670, 0x0640]
_ARABIC_VARIANTS = {"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"}


@cache
def _fold_table() -> dict[int, int | None]:
    """Each character the engine folds, to one representative of its case class; Arabic as above."""
    table: dict[int, int | None] = {}
    for code in range(0x1F000):  # every cased character of Unicode is below U+1F000
        low = _sre.unicode_tolower(code)
        rep = min([low, *_EXTRA_CASES.get(low, ())])
        if rep != code:
            table[code] = rep
    table.update({ord(k): ord(v) for k, v in _ARABIC_VARIANTS.items()})
    table.update(dict.fromkeys(_ARABIC_MARKS))
    return table


def fold(text: str) -> str:
    """The text as compared here: case as the engine folds it under IGNORECASE, Arabic as above."""
    return text.translate(_fold_table())


_sources: dict[re.Pattern[str], str] = {}


def register(pattern: re.Pattern[str], source: str) -> None:
    """``pattern`` matches what ``source`` (compiled with the same flags) matches, and only with the
    tolerance for Arabic marks and letter variants the fold allows: its words are read off ``source``.
    """
    _sources[pattern] = source


Requirement = tuple[str, ...]  # at least one of these folded strings is in the text


@cache
def needles(pattern: re.Pattern[str]) -> tuple[Requirement, ...]:
    """What every match of ``pattern`` contains: for each requirement, one of its folded strings.

    Empty when nothing can be read off the pattern (its scan is then never skipped).
    """
    try:
        parsed = _parser.parse(_sources.get(pattern, pattern.pattern), pattern.flags)
    except (re.error, RecursionError):
        return ()
    found: list[Requirement] = []
    _collect(list(parsed), found)
    return tuple(dict.fromkeys(found))


def _collect(items: list[tuple[object, object]], found: list[Requirement]) -> None:
    """The requirements of a sequence that a match always consumes, in order."""
    run: list[str] = []

    def close() -> None:
        if len(run) >= _MIN_NEEDLE:
            found.append((fold("".join(run)),))
        run.clear()

    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))  # type: ignore[arg-type]
            continue
        close()
        if op is sre.SUBPATTERN:
            _, _add_flags, _del_flags, inner = av  # type: ignore[misc]
            _collect(list(inner), found)  # (a literal matched case-sensitively is also there folded)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, _high, inner = av  # type: ignore[misc]
            if low >= 1:
                _collect(list(inner), found)
        elif op is sre.ATOMIC_GROUP:
            _collect(list(av), found)  # type: ignore[arg-type]
        elif op is sre.BRANCH:
            # Each branch needs its own strings: the longest one of each branch, one of which must be there.
            either: list[str] = []
            for branch in av[1]:  # type: ignore[index]
                inner_found: list[Requirement] = []
                _collect(list(branch), inner_found)
                single = [r[0] for r in inner_found if len(r) == 1]
                if not single:
                    either = []
                    break
                either.append(max(single, key=len))
            if either:
                found.append(tuple(dict.fromkeys(either)))
        # Anything else (classes, assertions, conditionals) requires nothing read here.
    close()


_last: tuple[str, str] = ("", "")


def finditer(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, without the scan when ``text`` lacks a word every match needs."""
    required = needles(pattern)
    if required:
        global _last
        last = _last  # (read once: another thread may set it meanwhile)
        if last[0] is not text:  # the stages scan one sentence with many patterns in a row
            last = _last = (text, fold(text))
        folded = last[1]
        for either in required:
            if not any(needle in folded for needle in either):
                return iter(())
    return pattern.finditer(text)
