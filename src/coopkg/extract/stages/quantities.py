"""Stage 2: money, counts, dates and durations of each sentence, in document offsets.

A figure that restates the one before it in another currency or rounded ("39,2 millions de dollars
(environ 23,83 milliards FCFA)", "soit 9 millions de dirhams", "$210 million (Sh21.4 billion)") is
not a second amount: it is left out of the money, and out of the counts.
"""

from __future__ import annotations

import re
from dataclasses import replace

from coopkg.extract.dates import find_dates, find_durations
from coopkg.extract.doc import Doc
from coopkg.extract.lexicon import Locale
from coopkg.extract.numbers import Quantity, find_quantities

# What may stand between an amount and its restatement: a bracket, "soit", "environ", "أي ما يعادل"…
_BRACKET_OPEN = re.compile(r"^\s*[,،]?\s*[(\[]\s*(?:[^\W\d_]+\.?\s*){0,4}$")


_RATE = re.compile(r"\s*=\s*$|\s*=\s*\d")


def quantities(doc: Doc) -> Doc:
    for index, sentence in enumerate(doc.sentences):
        found = [replace(q, start=q.start + sentence.start, end=q.end + sentence.start)
                 for q in find_quantities(sentence.text, sentence.language)]  # fmt: skip
        equivalence = doc.lex(sentence).pattern("grammar", "equivalence")
        money: list[Quantity] = []
        counts: list[Quantity] = []
        previous: Quantity | None = None
        lex = doc.lex(sentence)
        for q in found:
            if not q.is_money and q.scaled and previous is not None and _same_money_kind(doc, lex, previous, q):
                # "15 millions de dollars, dont 10 millions de crédit … et 5 millions de don": the
                # figures of a breakdown take the currency of the sum they break down.
                q = replace(q, currency=previous.currency)
            if q.is_money:
                if previous is not None and _restates(doc.text[previous.end : q.start], equivalence):
                    continue
                if _RATE.search(doc.text[max(sentence.start, q.start - 4) : q.start]) or _RATE.match(doc.text, q.end):
                    continue  # "(1 dollar = 0,93 euro)": an exchange rate, no money
                money.append(q)
                previous = q
            else:
                counts.append(q)
        doc.money[index] = money
        doc.counts[index] = counts
        doc.dates[index] = tuple(replace(d, start=d.start + sentence.start, end=d.end + sentence.start)
                                 for d in find_dates(sentence.text))  # fmt: skip
        doc.durations[index] = tuple(replace(d, start=d.start + sentence.start, end=d.end + sentence.start)
                                     for d in find_durations(sentence.text))  # fmt: skip
    _in_the_documents_currency(doc)
    return doc


def _in_the_documents_currency(doc: Doc) -> None:
    """ "un prêt concessionnel d'un montant de 26,6 milliards", "26,2 milliards de prêt": a sum with a scale word
    and no currency, named as a loan or grant, is in the one currency the document's other sums are in."""
    currencies = {q.currency for qs in doc.money.values() for q in qs}
    if len(currencies) != 1:
        return
    (currency,) = currencies
    for index, sentence in enumerate(doc.sentences):
        lex = doc.lex(sentence)
        named = [q for q in doc.counts.get(index, ()) if q.scaled and q.value >= 10**6 and _named_money(doc, lex, q)]
        if named:
            doc.counts[index] = [q for q in doc.counts[index] if q not in named]
            doc.money[index] = sorted([*doc.money[index], *(replace(q, currency=currency) for q in named)],
                                      key=lambda q: q.start)  # fmt: skip


def _named_money(doc: Doc, lex: Locale, q: Quantity) -> bool:
    """A loan or grant noun governs the figure: right before it ("un prêt … d'un montant de") or right after it."""
    before = doc.text[max(0, q.start - 60) : q.start]
    governed = (
        rf"(?:{cue.pattern.pattern})(?:\s+[^\W\d_]+)?\s*,?\s*(?:d['’]un\s+montant\s+(?:total\s+|global\s+)?)?"
        rf"(?:\bde|d['’]|\bof|\bworth|بقيمة|قدره|قدرها)\s*$"
        for cue in lex.money_nouns
    )
    return any(re.search(p, before, re.IGNORECASE) for p in governed) or _money_noun_after(doc, lex, q)


def _money_noun_after(doc: Doc, lex: Locale, q: Quantity) -> bool:
    """A money noun follows the figure ("10 millions de crédit", "26,2 milliards de prêt")."""
    after = doc.text[q.end : q.end + 40]
    return any(re.match(rf"\s*(?:de\s+|d['’]\s*|of\s+|in\s+|من\s+)?(?:{cue.pattern.pattern})", after, re.IGNORECASE)
               for cue in lex.money_nouns)  # fmt: skip


_PART_BEFORE = re.compile(r"(?:dont|soit|,|et|including|of\s+which|and|منها|و)\s*$", re.IGNORECASE)


def _same_money_kind(doc: Doc, lex: Locale, previous: Quantity, q: Quantity) -> bool:
    if q.start - previous.end > 250:
        return False
    return _money_noun_after(doc, lex, q) or bool(_PART_BEFORE.search(doc.text[max(0, q.start - 12) : q.start]))


def _restates(gap: str, equivalence: re.Pattern[str]) -> bool:
    """The words between two amounts make the second a restatement of the first."""
    if len(gap) > 40:
        return False
    if _BRACKET_OPEN.match(gap):
        return True
    stripped = gap.strip(" ,(")
    # "soit environ", "soit plus de", "i.e. about"
    second = rf"(?:plus\s+de|près\s+de|more\s+than|{equivalence.pattern})"
    return bool(
        equivalence.fullmatch(stripped)
        or re.fullmatch(rf"(?:{equivalence.pattern})\s*{second}?", stripped, re.IGNORECASE)
    )
