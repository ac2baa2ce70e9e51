"""Language-specific phrasing, behind one :class:`Lexicon` shape the pipeline reads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache


@dataclass(frozen=True)
class Lexicon:
    """Regular expressions (case-insensitive) for one language's way of stating cooperation facts."""

    language: str
    # "financé par X": the funder follows; (pattern, kind hint, confidence)
    funded_by: tuple[tuple[str, str, float], ...]
    # "X finance Y", "X a accordé un prêt à Y": the funder precedes, the funded follows
    funds: tuple[tuple[str, str, float], ...]
    # "Y bénéficie d'un financement de X": the funded precedes the cue, the funder follows
    receives_from: tuple[tuple[str, str, float], ...]
    # role cues: the organisations that follow take the role
    roles: tuple[tuple[str, str], ...]
    # the organisations that follow are the beneficiaries ("au profit de")
    project_nouns: str
    agreement_nouns: str
    project_anaphora: str
    organisation_anaphora: str
    organisation_heads: tuple[str, ...]
    # list glue between coordinated names: ", ", "et", "ainsi que"
    coordination: str
    determiners: str
    equivalence: str  # "soit", "i.e.": the amount that follows restates the previous one
    locative: str  # a place after this cue is where a project happens
    start_cues: str
    not_units: frozenset[str] = field(default_factory=frozenset)
    loan_words: str = ""
    grant_words: str = ""
    between: str = ""

    def compiled(self, pattern: str) -> re.Pattern[str]:
        return _compile(pattern)


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def lexicon(language: str) -> Lexicon:
    from coopkg.extract.languages import ar, en, fr

    return {"fr": fr.LEXICON, "ar": ar.LEXICON, "en": en.LEXICON}.get(language, fr.LEXICON)
