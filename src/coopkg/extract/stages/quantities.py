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
from coopkg.extract.numbers import Quantity, find_quantities

# What may stand between an amount and its restatement: a bracket, "soit", "environ", "أي ما يعادل"…
_BRACKET_OPEN = re.compile(r"^\s*[,،]?\s*[(\[]\s*(?:[^\W\d_]+\.?\s*){0,4}$")


def quantities(doc: Doc) -> Doc:
    for index, sentence in enumerate(doc.sentences):
        found = [replace(q, start=q.start + sentence.start, end=q.end + sentence.start)
                 for q in find_quantities(sentence.text, sentence.language)]  # fmt: skip
        equivalence = doc.lex(sentence).pattern("grammar", "equivalence")
        money: list[Quantity] = []
        counts: list[Quantity] = []
        previous: Quantity | None = None
        for q in found:
            if q.is_money:
                if previous is not None and _restates(doc.text[previous.end : q.start], equivalence):
                    continue
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
    return doc


def _restates(gap: str, equivalence: re.Pattern[str]) -> bool:
    """The words between two amounts make the second a restatement of the first."""
    if len(gap) > 40:
        return False
    if _BRACKET_OPEN.match(gap):
        return True
    stripped = gap.strip(" ,(")
    return bool(
        equivalence.fullmatch(stripped)
        or re.fullmatch(rf"(?:{equivalence.pattern})\s*(?:plus\s+de|près\s+de|more\s+than)?", stripped, re.IGNORECASE)
    )
