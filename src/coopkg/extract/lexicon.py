"""One language's words for cooperation facts, read from a data file (``languages/<code>.yaml``).

As dateparser keeps each locale's words in a data file read by one ``Locale`` class, the
stages of the pipeline never name a French, Arabic or English word: they ask the document
language's :class:`Locale`. Adding a phrasing is a line in a YAML file; adding a language is a
new file with the same keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from coopkg.extract import prefilter
from coopkg.extract.alternation import grouped_pattern
from coopkg.extract.text import fold

LANGUAGES_DIR = Path(__file__).with_name("languages")
SUPPORTED = ("fr", "ar", "en")


_ARABIC_MARKS = "[\u064b-\u065f\u0670\u0640]*"  # harakat, shadda, tanwin, superscript alef, tatweel


# Letters the press writes either way: hamza carriers on alef, alef maqsura and ya, ta marbuta and ha.
_VARIANTS = {c: "[اأإآ]" for c in "اأإآ"} | {c: "[يى]" for c in "يى"} | {c: "[ةه]" for c in "ةه"}


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    # Alternations grouped by first letter: the same matches, scanned faster (coopkg.extract.alternation).
    compiled = re.compile(grouped_pattern(_tolerant(pattern)), re.IGNORECASE)
    prefilter.register(compiled, pattern)  # the words it needs, read off the pattern as written
    return compiled


def _tolerant(pattern: str) -> str:
    """The pattern, letting diacritics and tatweel follow any Arabic letter outside a character class,
    and each letter stand for its spelling variants.

    Articles are matched as written ("ووقّع", "برنامجًا"), and the offsets stay the document's.
    """
    out: list[str] = []
    in_class = escaped = False
    for position, char in enumerate(pattern):
        letter = not (in_class or escaped) and "\u0621" <= char <= "\u064a"
        if letter:
            tolerant = _VARIANTS.get(char, char) + _ARABIC_MARKS
            # "و?قد": a quantifier after a letter applies to the letter with its marks, not to the marks.
            quantified = pattern[position + 1 : position + 2] in {"?", "*", "+", "{"}
            out.append(f"(?:{tolerant})" if quantified else tolerant)
            continue
        out.append(_VARIANTS.get(char, char) if not (in_class or escaped) else char)
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
    return "".join(out)


_LATIN = {"a": "[aàâä]", "e": "[eéèêë]", "i": "[iîï]", "o": "[oôö]", "u": "[uùûü]", "c": "[cç]"}


def loose_literal(word: str) -> str:
    """A pattern for a folded word as texts write it: accents, hamza forms and Arabic marks allowed."""
    out: list[str] = []
    for char in word:
        if char in _LATIN:
            out.append(_LATIN[char])
        elif "\u0621" <= char <= "\u064a":
            out.append(_VARIANTS.get(char, char) + _ARABIC_MARKS)
        else:
            out.append(re.escape(char))
    return "".join(out)


@dataclass(frozen=True)
class Cue:
    """A phrasing with the kind of money it implies (loan, grant or unspecified)."""

    pattern: re.Pattern[str]
    kind: str


class Locale:
    """The lexicon of one language; patterns are compiled once."""

    def __init__(self, code: str, data: dict[str, Any]) -> None:
        self.code = code
        self._data = data

    def _get(self, section: str, key: str) -> Any:
        return self._data.get(section, {}).get(key)

    def pattern(self, section: str, key: str) -> re.Pattern[str]:
        """A regular expression of the lexicon (one that never matches when the language has none)."""
        return _compile(self._get(section, key) or r"(?!x)x")

    def text(self, section: str, key: str) -> str:
        return self._get(section, key) or r"(?!x)x"

    def words(self, section: str, key: str) -> frozenset[str]:
        """A word list, folded (case, accents and Arabic letter variants)."""
        return frozenset(fold(w) for w in self._get(section, key) or ())

    def cues(self, key: str) -> tuple[Cue, ...]:
        return tuple(Cue(_compile(p), kind) for p, kind in self._get("fundings", key) or ())

    @cached_property
    def money_nouns(self) -> tuple[Cue, ...]:
        return tuple(
            Cue(_compile(rf"(?<![\w])(?:{p})(?![\w])"), kind) for p, kind in self._get("fundings", "money_nouns") or ()
        )

    @cached_property
    def organisation_heads(self) -> tuple[str, ...]:
        return tuple(self._get("organisations", "heads") or ())

    def role_cues(self) -> list[tuple[str, re.Pattern[str]]]:
        return [(role, self.pattern("roles", role)) for role in ("lead", "implementer", "partner", "beneficiary")]

    def kind_of(self, word: str | None, context: str) -> str:
        """loan, grant or unspecified: from the money noun, else from the words around it."""
        if word:
            for cue in self.money_nouns:
                if cue.pattern.fullmatch(word) and cue.kind != "unspecified":
                    return cue.kind
        if self.pattern("fundings", "loan_words").search(context):
            return "loan"
        if self.pattern("fundings", "grant_words").search(context):
            return "grant"
        return "unspecified"


# libyaml's parser when PyYAML has it (the same documents, read ten times faster: every worker reads these files).
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """YAML without YAML 1.1's booleans: "no", "on", "NO" (Norway) are words here, not False and True."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_data(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader)


@cache
def locale(code: str) -> Locale:
    """The lexicon of a supported language (French when the code is not one)."""
    code = code if code in SUPPORTED else "fr"
    return Locale(code, load_data(LANGUAGES_DIR / f"{code}.yaml"))
