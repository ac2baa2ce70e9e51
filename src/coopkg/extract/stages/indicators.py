"""Stage 8: counted results and capacities ("61 830 personnes", "1,850 vocational teachers",
"مركز بسعة 1,360 متدربًا").

A number followed by a unit noun (from the reference units, through plurals and Arabic case
endings), not a date, duration, percentage, ordinal or money; a count in words needs a known
unit; a number followed by another noun makes a new unit. Its qualifier ("plus de", "up to", "أكثر
من") is kept. What it is about: the project of the sentence, "cet établissement" → the last
organisation, else the current project.
"""

from __future__ import annotations

import re
from functools import cache

from coopkg.extract.doc import ORGANISATION, PROJECT, REGION, Doc, IndicatorFact
from coopkg.extract.gazetteer import unit_stems
from coopkg.extract.lexicon import Locale
from coopkg.extract.numbers import qualifier_before
from coopkg.extract.text import FUNCTION_WORDS, Sentence, Token, fold, is_arabic

_ARABIC_GLUE = {"من", "في", "على", "الى", "عن", "مع", "بين", "منذ"}
_NOT_COUNTS = re.compile(
    r"^(?:\s*%|\s*pour\s*cent|\s*percent|\s*بالمائة|\s*في\s+المائة|[a-zà-ÿ°]|\.\d|[-/]\d)", re.IGNORECASE
)


def _labelled(doc: Doc, sentence: Sentence, lex: Locale, position: int) -> bool:
    """Whether the number at ``position`` is part of a name: after a label word ("Region 5") or a hyphen
    glued to a word ("COVID-19")."""
    before = doc.text[max(sentence.start, position - 24) : position]
    if re.search(r"[^\W\d_]-$", before):
        return True
    word = re.search(r"([^\W\d_]+)\s+$", before)
    return word is not None and fold(word.group(1)) in lex.words("grammar", "number_labels")


def indicators(doc: Doc) -> Doc:
    for index, sentence in enumerate(doc.sentences):
        _sentence_indicators(doc, index, sentence)
    return doc


def _sentence_indicators(doc: Doc, index: int, sentence: Sentence) -> None:
    lex = doc.lex(sentence)
    blocked = [(d.start, d.end) for d in doc.dates.get(index, ())] + [
        (d.start, d.end) for d in doc.durations.get(index, ())
    ]
    money = [(q.start, q.end) for q in doc.money.get(index, [])]
    for q in doc.counts.get(index, []):
        if any(a <= q.start < b for a, b in blocked + money):
            continue
        if _NOT_COUNTS.match(doc.text[q.end : q.end + 12]):
            continue  # percentages, ordinals (1er, 2e), versions (4.0), ranges of codes
        if doc.overlapping(q.start, q.end, (ORGANISATION, PROJECT, REGION)):
            continue
        if re.search(r"(?:n°|no\.?|nº|#)\s*$", doc.text[max(sentence.start, q.start - 6) : q.start], re.IGNORECASE):
            continue
        if _labelled(doc, sentence, lex, q.start):
            continue  # "Support in Region 3 began …", "the COVID-19 pandemic": a name's number
        tokens = sentence.tokens
        first = next((i for i, t in enumerate(tokens) if t.start >= q.end), None)
        if first is None:
            continue
        gap = doc.text[q.end : tokens[first].start].strip(" ")
        if gap not in {"", "de", "d'", "d’"}:
            continue
        if sentence.language == "ar" and fold(tokens[first].text) == "من" and first + 1 < len(tokens):
            first += 1  # "130 من الكوادر التربوية"
        unit = _unit(doc, tokens, first, lex, sentence.language)
        if unit is None:
            continue
        unit_iri, unit_end, unit_conf, _ = unit
        # The unit as written, from its first word to its end: "jeunes entrepreneurs", "vocational teachers".
        label = doc.text[tokens[first].start : unit_end]
        if q.words and unit_conf < 0.8:
            continue  # "les deux parties": a count in words needs a known unit
        if q.scaled and q.value >= 1_000_000 and unit_conf < 0.8:
            continue
        qualifier, q_start = qualifier_before(doc.text[sentence.start : q.start], q.start - sentence.start)
        span_start = sentence.start + q_start if qualifier else q.start
        about = _about(doc, sentence, q.start, lex)
        evidence = doc.evidence(span_start, unit_end, f"pattern:indicator:{lex.code}", unit_conf)
        for existing in doc.indicators:
            # The same count and unit twice is one fact ("97 missions" in a repeated paragraph).
            if (existing.value, existing.unit, existing.qualifier) == (q.value, unit_iri, qualifier):
                existing.evidence.append(evidence)
                break
        else:
            doc.indicators.append(IndicatorFact(about, q.value, unit_iri, label, qualifier, [evidence]))


def _unit(doc: Doc, tokens: list[Token], first: int, lex: Locale, language: str) -> tuple[str, int, float, str] | None:
    found = doc.gazetteer.find_unit(tokens, first)
    if found is None and not is_arabic(tokens[first].text):
        # "14 VTC training centres", "1,850 vocational teachers": a known unit one or two words on.
        for skip in (1, 2):
            if (
                first + skip < len(tokens)
                and doc.text[tokens[first + skip - 1].end : tokens[first + skip].start] == " "
            ):
                found = doc.gazetteer.find_unit(tokens, first + skip)
                if found is not None:
                    break
    not_units = lex.words("indicators", "not_units")
    if found is not None and (
        tokens[first].folded in not_units or any(s in not_units for s in unit_stems(tokens[first].folded))
    ):
        return None  # "deux régions pilotes", "15 counties", "three agreements": what is covered, not a result
    if found is not None:
        entry, end_index = found
        if doc.text[tokens[end_index - 1].end : tokens[end_index - 1].end + 2] == "/h":
            return None  # "75 km/h" is a speed
        label, lang = entry.label(doc.language)
        doc.units.setdefault(entry.iri, (label, lang, True))
        return entry.iri, tokens[end_index - 1].end, 0.85, label
    word = tokens[first]
    folded = word.folded
    if (
        len(folded) < 3
        or folded in not_units
        or any(s in not_units for s in unit_stems(folded))
        or not word.text.isalpha()
        or (not is_arabic(word.text) and word.text[:1].isupper())
        or folded in FUNCTION_WORDS
        or folded in _ARABIC_GLUE
        or _is_month(folded)
    ):
        return None
    stem = unit_stems(folded)[-1]
    iri = doc.minter.unit(stem).value
    doc.units.setdefault(iri, (word.text, language, False))
    return iri, word.end, 0.55, word.text


@cache
def _months() -> frozenset[str]:
    from coopkg.extract.dates import MONTHS

    return frozenset(fold(m) for m in MONTHS)


def _is_month(folded: str) -> bool:
    return folded in _months()


def _about(doc: Doc, sentence: Sentence, position: int, lex: Locale) -> str | None:
    project = doc.project_near(sentence, position) or doc.project_near(sentence, position, before=False)
    if project:
        return project
    if lex.pattern("organisations", "anaphora").search(sentence.text):
        prior = [m for m in doc.mentions if m.kind == ORGANISATION and m.end <= position]
        if prior:
            return prior[-1].key
    current = doc.current_project(position)
    if current:
        return current
    orgs = doc.in_sentence(sentence, ORGANISATION)
    return orgs[0].key if orgs else None
