"""Dates, date ranges and durations in FR, AR (Moroccan and Levantine month names) and EN.

Values keep the precision of the text: '2017', '2017-08' or '2017-08-01'. A regex grammar
is used rather than dateparser: dateparser misses ranges ("du 1er au 07 octobre 2023") and
fills missing days with today's date, and this is several times faster on every sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coopkg.extract.alternation import alternation
from coopkg.extract.text import fold

MONTHS: dict[str, int] = {}
_SURFACES: set[str] = set()
for _number, _names in enumerate(
    [
        "janvier january jan janv يناير كانون_الثاني جانفي جانفييه",
        "fevrier février february feb fev fevr févr فبراير شباط فيفري",
        "mars march mar مارس اذار",
        "avril april apr avr ابريل أبريل نيسان افريل أفريل",
        "mai may ماي مايو ايار",
        "juin june jun يونيو يونيه حزيران جوان",
        "juillet july jul juil يوليوز يوليو تموز جويلية",
        "aout août august aug غشت اغسطس أغسطس اب أوت",
        "septembre september sep sept شتنبر سبتمبر ايلول",
        "octobre october oct اكتوبر أكتوبر تشرين_الاول",
        "novembre november nov نونبر نوفمبر تشرين_الثاني",
        "decembre décembre december dec déc دجنبر ديسمبر كانون_الاول",
    ],
    start=1,
):
    for _name in _names.split():
        _SURFACES.add(_name.replace("_", " "))
        MONTHS[fold(_name.replace("_", " "))] = _number

# Surface forms with and without accents: the regex runs on the text itself, offsets intact.
# (grouped by first letter: the same alternation, scanned several times faster)
_MONTH_RE = alternation(sorted((re.escape(m) for m in _SURFACES | set(MONTHS)), key=len, reverse=True))
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_DAY = r"(?:[012]?\d|3[01])(?:er|e|st|nd|rd|th)?"
_DASH = r"\s*[-–—/]\s*"


@dataclass(frozen=True)
class DateMention:
    kind: str  # "date", "range", "duration", or "partial" (a day without a year)
    start: int
    end: int
    begin: str | None = None  # date value: YYYY, YYYY-MM or YYYY-MM-DD
    until: str | None = None
    months: int | None = None


def _value(year: str, month: int | None = None, day: str | None = None) -> str:
    if month is None:
        return year
    if day is None:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{int(re.sub(r'[^0-9]', '', day)):02d}"


def _month(word: str) -> int | None:
    return MONTHS.get(fold(word))


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # du 1er au 07 octobre 2023 / from 3 to 5 March 2022 / من 3 إلى 5 مارس 2022
    (
        "day_range",
        re.compile(
            rf"(?:du|from|من|entre\s+le|between)\s+(?P<d1>{_DAY})\s+(?:(?P<m1>{_MONTH_RE})\s+)?"
            rf"(?:au|to|until|à|الى|إلى|et\s+le|and)\s+(?P<d2>{_DAY})\s+(?P<m2>{_MONTH_RE})\s*,?\s+(?P<y>{_YEAR})",
            re.IGNORECASE,
        ),
    ),
    # entre 2019 et 2023 / de 2019 à 2023 / ما بين 2024 و2028 / between 2019 and 2023 / from 2019 to 2023
    (
        "year_range",
        re.compile(
            rf"(?:entre|de|between|from|بين|ما\s+بين|من)\s+(?:(?P<m1>{_MONTH_RE})\s+)?(?P<y1>{_YEAR})\s+"
            rf"(?:et|à|a|and|to|until|و|إلى|الى|حتى)\s*(?:(?P<m2>{_MONTH_RE})\s+)?(?P<y2>{_YEAR})(?!\d)",
            re.IGNORECASE,
        ),
    ),
    # March 3 to 5, 2022 / from March 3-5, 2022
    (
        "month_day_range",
        re.compile(
            rf"(?:from\s+)?(?P<m2>{_MONTH_RE})\s+(?P<d1>{_DAY})\s*(?:to|until|[-–])\s*(?P<d2>{_DAY}),?\s+(?P<y>{_YEAR})",
            re.IGNORECASE,
        ),
    ),
    # 2012 – 2014 / 2021-2022 / janvier 2020 - juin 2022
    (
        "dash_range",
        re.compile(
            rf"(?<![\d/])(?:(?P<m1>{_MONTH_RE})\s+)?(?P<y1>{_YEAR}){_DASH}(?:(?P<m2>{_MONTH_RE})\s+)?(?P<y2>{_YEAR})(?![\d/])",
            re.IGNORECASE,
        ),
    ),
    # 17 février 2021 / 08 ماي 2024 / 3 March 2022
    ("day_month_year", re.compile(rf"(?P<d>{_DAY})\s+(?P<m>{_MONTH_RE})\s*,?\s+(?P<y>{_YEAR})(?!\d)", re.IGNORECASE)),
    # March 3, 2022
    ("month_day_year", re.compile(rf"(?P<m>{_MONTH_RE})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})(?!\d)", re.IGNORECASE)),
    # le 16 avril (no year: not a value, but not a count either)
    ("day_month", re.compile(rf"(?<![\d])(?P<d>{_DAY})\s+(?P<m>{_MONTH_RE})(?![\w])", re.IGNORECASE)),
    # 2021-02-17 / 17/02/2021
    ("iso", re.compile(rf"(?<![\d/])(?P<y>{_YEAR})-(?P<mn>[01]\d)-(?P<d>[0-3]\d)(?![\d])")),
    ("dmy", re.compile(rf"(?<![\d/])(?P<d>[0-3]?\d)/(?P<mn>[01]?\d)/(?P<y>{_YEAR})(?![\d/])")),
    # août 2017 / ماي 2024 / January 2020
    (
        "month_year",
        re.compile(rf"(?<![\w])(?P<m>{_MONTH_RE})\s+(?:de\s+l'année\s+|سنة\s+)?(?P<y>{_YEAR})(?!\d)", re.IGNORECASE),
    ),
    # en 2008 / سنة 2008 / in 2019 / (2012)
    ("year", re.compile(rf"(?<![\w/.,-])(?P<y>{_YEAR})(?![\w/%]|\s*(?:[-–]\s*\d|mois|months))")),
]

_DURATION_COUNTS = (
    r"\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|twelve|[\u0621-\u064a]+"
)
_DURATION_UNITS = (
    r"mois|ans|années|annees|an|année|months?|years?|أشهر|اشهر|شهرا|شهر|شهور|سنوات|سنة|سنتين|أعوام|اعوام|عاما|عام"
)
_DURATION = re.compile(
    rf"(?P<n>{alternation(_DURATION_COUNTS.split('|'))})\s*[-\s]?(?P<u>{alternation(_DURATION_UNITS.split('|'))})(?![\w])",
    re.IGNORECASE,
)
_SMALL = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "douze": 12, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5,
    "ست": 6, "سته": 6, "سبع": 7, "ثماني": 8, "تسع": 9, "عشر": 10,
}  # fmt: skip


_DIGIT = re.compile(r"\d")
_ANY_MONTH = re.compile(rf"(?:{_MONTH_RE})", re.IGNORECASE)
_NEED_MONTH = frozenset({"day_range", "month_day_range", "day_month_year", "month_day_year", "day_month", "month_year"})


def find_dates(text: str) -> tuple[DateMention, ...]:
    """Dates and ranges in a sentence, most specific first, without overlaps."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    if _DIGIT.search(text) is None:
        return ()  # every date pattern holds a day or a year in digits
    # One scan for a month's name spares the patterns that need one (each alternates over all the names).
    with_month = _ANY_MONTH.search(text) is not None
    for name, pattern in _PATTERNS:
        if name in _NEED_MONTH and not with_month:
            continue
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            mention = _mention(name, match)
            if mention is not None:
                found.append(mention)
                taken.append((match.start(), match.end()))
    return tuple(sorted(found, key=lambda m: m.start))


def _mention(name: str, m: re.Match[str]) -> DateMention | None:
    g = m.groupdict()
    if name in {"day_range", "month_day_range"}:
        month2 = _month(g["m2"])
        month1 = _month(g["m1"]) if g.get("m1") else month2
        if month1 is None or month2 is None:
            return None
        return DateMention(
            "range", m.start(), m.end(), _value(g["y"], month1, g["d1"]), _value(g["y"], month2, g["d2"])
        )
    if name in {"year_range", "dash_range"}:
        if int(g["y2"]) < int(g["y1"]):
            return None
        m1 = _month(g["m1"]) if g.get("m1") else None
        m2 = _month(g["m2"]) if g.get("m2") else None
        return DateMention("range", m.start(), m.end(), _value(g["y1"], m1), _value(g["y2"], m2))
    if name in {"day_month_year", "month_day_year"}:
        month = _month(g["m"])
        return None if month is None else DateMention("date", m.start(), m.end(), _value(g["y"], month, g["d"]))
    if name in {"iso", "dmy"}:
        month = int(g["mn"])
        if not 1 <= month <= 12:
            return None
        return DateMention("date", m.start(), m.end(), _value(g["y"], month, g["d"]))
    if name == "day_month":
        return None if _month(g["m"]) is None else DateMention("partial", m.start(), m.end())
    if name == "month_year":
        month = _month(g["m"])
        return None if month is None else DateMention("date", m.start(), m.end(), _value(g["y"], month))
    return DateMention("date", m.start(), m.end(), g["y"])


_DURATION_UNIT = re.compile(
    r"mois|an|ann[eé]e|month|year|أشهر|اشهر|شهر|شهور|سنوات|سنة|سنتين|أعوام|اعوام|عام", re.IGNORECASE
)


def find_durations(text: str) -> tuple[DateMention, ...]:
    if _DURATION_UNIT.search(text) is None:
        return ()  # (the full pattern tries a count at every word)
    out = []
    for m in _DURATION.finditer(text):
        raw = fold(m.group("n"))
        count = int(raw) if raw.isdigit() else _SMALL.get(raw)
        unit = fold(m.group("u"))
        if unit == "سنتين":
            count = 2
        if count is None or count <= 0 or count > 600:
            continue
        is_year = unit.startswith(("an", "annee", "year", "سن", "اعوام", "عام"))
        out.append(DateMention("duration", m.start(), m.end(), months=count * 12 if is_year else count))
    return tuple(out)


def months_between(begin: str, until: str) -> int | None:
    """Inclusive month count of a range given to the month ('2012-01'..'2013-07' → 19)."""
    if len(begin) < 7 or len(until) < 7:
        return None
    y1, m1 = int(begin[:4]), int(begin[5:7])
    y2, m2 = int(until[:4]), int(until[5:7])
    return (y2 - y1) * 12 + (m2 - m1) + 1
