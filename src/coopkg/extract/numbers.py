"""Numbers (figures and words), scale words, currencies and qualifiers in FR, AR and EN."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pycountry

from coopkg.extract.alternation import alternation
from coopkg.extract.lexicon import loose_literal
from coopkg.extract.text import fold

_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

# A figure: grouped thousands ("880 490.79", "1,200", "4.560") or plain ("66729", "12,5").
# (A letter may touch it: "USD50 million" and "و173 ألف" are kept, others dropped: see _glued.)
_FIGURE = r"(?<![\d_.,/])(?:\d{1,3}(?:(?:[ \u202f\u00a0.,٬]|\.\s)\d{3})+(?:[.,٫]\d+)?|\d+(?:[.,٫]\d+)?)(?![\d])"

SCALES: dict[str, int] = {
    "million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9, "billion": 10**9,
    "billions": 10**9, "mille": 10**3, "thousand": 10**3, "thousands": 10**3, "mn": 10**6, "m": 10**6,
    "bn": 10**9, "milions": 10**6, "milion": 10**6, "miliards": 10**9, "miliard": 10**9, "mln": 10**6, "bln": 10**9, "mlns": 10**6, "md": 10**9, "mds": 10**9, "mrd": 10**9, "mrds": 10**9, "k": 10**3,
    "مليون": 10**6, "ملايين": 10**6, "مليار": 10**9, "ملايير": 10**9, "مليارات": 10**9, "الف": 10**3,
    "الاف": 10**3, "آلاف": 10**3, "ألف": 10**3,
}  # fmt: skip
_SCALE_RE = alternation(sorted((re.escape(k) for k in SCALES), key=len, reverse=True))

# Currency words and signs (folded) → ISO 4217; the ISO codes themselves are added from pycountry.
CURRENCY_WORDS: dict[str, str] = {
    "euro": "EUR", "euros": "EUR", "€": "EUR", "يورو": "EUR", "اورو": "EUR",
    "dirham": "DIRHAM", "dirhams": "DIRHAM", "dh": "MAD", "dhs": "MAD", "درهم": "DIRHAM", "دراهم": "DIRHAM",
    "درهما": "DIRHAM",
    "dollar": "USD", "dollars": "USD", "$": "DOLLAR", "us$": "USD", "دولار": "USD", "دولارات": "USD", "دولارا": "USD",
    "dollars americains": "USD", "dollars us": "USD", "us dollars": "USD",
    "dollars canadiens": "CAD", "dollar canadien": "CAD", "canadian dollars": "CAD", "c$": "CAD",
    "yen": "JPY", "yens": "JPY", "¥": "JPY", "ين": "JPY", "يوان": "CNY", "يوان صيني": "CNY", "يوانا": "CNY",
    "fcfa": "XOF", "francs cfa": "XOF", "franc cfa": "XOF", "cfa francs": "XOF", "cfa franc": "XOF",
    "dinars tunisiens": "TND", "dinar tunisien": "TND", "dt": "TND",
    "dinars algeriens": "DZD", "dinar algerien": "DZD", "da": "DZD",
    "dinars koweitiens": "KWD", "dinar koweitien": "KWD",
    "livres sterling": "GBP", "livre sterling": "GBP", "£": "GBP", "pounds": "GBP", "pounds sterling": "GBP",
    "francs suisses": "CHF", "franc suisse": "CHF", "swiss francs": "CHF",
    "won": "KRW", "wons": "KRW", "yuan": "CNY", "yuans": "CNY", "rmb": "CNY",
    "riyals saoudiens": "SAR", "riyal saoudien": "SAR", "ريال": "RIYAL", "ouguiyas": "MRU", "ouguiya": "MRU",
    "دينار كويتي": "KWD", "دينارا كويتيا": "KWD", "دنانير كويتية": "KWD", "kuwaiti dinars": "KWD",
    "دينار تونسي": "TND", "دينارا تونسيا": "TND", "دينار جزائري": "DZD", "أوقية": "MRU", "فرنك افريقي": "XOF",
    "فرنك سويسري": "CHF", "جنيه استرليني": "GBP", "دولار امريكي": "USD", "دولارا امريكيا": "USD", "ين ياباني": "JPY",
    "درهم اماراتي": "AED", "ريال سعودي": "SAR", "ريال قطري": "QAR", "f cfa": "XOF",
    "$us": "USD", "us $": "USD", "u.s dollars": "USD", "u.s. dollars": "USD", "u.s. dollar": "USD", "usd": "USD", "rwf": "RWF", "frw": "RWF", "francs rwandais": "RWF",
    "ksh": "KES", "kshs": "KES", "shillings kenyans": "KES", "kenyan shillings": "KES", "ush": "UGX",
    "ugandan shillings": "UGX", "tsh": "TZS", "tanzanian shillings": "TZS", "birr": "ETB", "naira": "NGN",
    "₦": "NGN", "cedis": "GHS", "cedi": "GHS", "leones": "SLE", "dalasis": "GMD", "rand": "ZAR",
    "francs cfa bceao": "XOF", "francs cfa beac": "XAF", "fcfa beac": "XAF", "francs guinéens": "GNF",
    "francs guineens": "GNF", "gnf": "GNF", "ariary": "MGA", "dinars irakiens": "IQD", "dinar irakien": "IQD",
    "دينار عراقي": "IQD", "dinars jordaniens": "JOD", "dinar jordanien": "JOD", "jordanian dinars": "JOD",
    "دينار اردني": "JOD", "دينارا اردنيا": "JOD", "جنيه مصري": "EGP", "جنيها مصريا": "EGP",
    "livres egyptiennes": "EGP", "egyptian pounds": "EGP", "dinars libyens": "LYD",
    "دينار ليبي": "LYD", "ريال يمني": "YER", "ليرة لبنانية": "LBP", "livres libanaises": "LBP",
    "ouguiyas nouvelles": "MRU", "اوقيه": "MRU", "اوقيه جديده": "MRU", "francs cfa ouest-africains": "XOF",
    "couronnes norvegiennes": "NOK", "norwegian kroner": "NOK", "couronnes suedoises": "SEK", "swedish kronor": "SEK",
    "couronnes danoises": "DKK", "danish kroner": "DKK", "yuans renminbi": "CNY", "dollars australiens": "AUD",
    "australian dollars": "AUD", "a$": "AUD", "us dollar": "USD", "dollars des etats-unis": "USD",
    "francs comoriens": "KMF", "franc comorien": "KMF", "kmf": "KMF",
    "dinar": "DINAR", "dinars": "DINAR", "دينار": "DINAR", "دينارا": "DINAR", "دنانير": "DINAR",
    "f. cfa": "XOF", "f.cfa": "XOF", "lari": "GEL", "laris": "GEL", "₱": "PHP", "pesos": "PESO", "peso": "PESO",
    "nrs": "NPR", "nrs.": "NPR", "nepalese rupees": "NPR", "rs": "RUPEE", "rs.": "RUPEE", "rupees": "RUPEE", "rupee": "RUPEE", "roupies": "RUPEE", "روبية": "RUPEE",
    # The African Development Bank's unit of account (ISO 4217 XUA): "UA 25.61 million", "12 millions d'UC".
    "ua": "XUA", "uc": "XUA", "units of account": "XUA", "unités de compte": "XUA", "unites de compte": "XUA",
    "وحدة حسابية": "XUA", "وحدات حسابية": "XUA",
}  # fmt: skip
# A name several currencies share ("dinar", "درهم", "ريال"): the document says which one (another mention, the
# funder's country, or the one such country it names), else the name's usual currency in this genre, if any.
DINAR = "DINAR"
DINAR_COUNTRIES = {"KW": "KWD", "TN": "TND", "DZ": "DZD", "JO": "JOD", "IQ": "IQD", "LY": "LYD", "BH": "BHD"}
SHARED_NAMES: dict[str, tuple[dict[str, str], str | None]] = {
    DINAR: (DINAR_COUNTRIES, None),
    "DIRHAM": ({"MA": "MAD", "AE": "AED"}, "MAD"),
    "RIYAL": ({"SA": "SAR", "QA": "QAR", "OM": "OMR", "YE": "YER"}, "SAR"),
    "RUPEE": ({"IN": "INR", "NP": "NPR", "PK": "PKR", "LK": "LKR", "MU": "MUR", "SC": "SCR"}, None),
    # "$": US dollars unless the document or the funder says whose ("Australia will provide $152 million").
    "DOLLAR": ({"US": "USD", "AU": "AUD", "NZ": "NZD", "CA": "CAD", "SG": "SGD", "HK": "HKD"}, "USD"),
    "PESO": ({"PH": "PHP", "MX": "MXN", "CO": "COP", "AR": "ARS", "CL": "CLP", "DO": "DOP", "UY": "UYU"}, None),
}
# Abbreviations that carry their own scale: "12,5 MDH" is 12.5 million dirhams.
SCALED_CURRENCIES: dict[str, tuple[str, int]] = {
    "mdh": ("MAD", 10**6), "mdhs": ("MAD", 10**6), "mmdh": ("MAD", 10**9), "mrddh": ("MAD", 10**9),
    "m€": ("EUR", 10**6), "meur": ("EUR", 10**6), "md€": ("EUR", 10**9), "mds€": ("EUR", 10**9),
    "m$": ("USD", 10**6), "musd": ("USD", 10**6), "mdt": ("TND", 10**6),
}  # fmt: skip


@lru_cache(maxsize=1)
def iso_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def _currency_pattern() -> str:
    # The words are folded ("dollars americains", "اورو"): the pattern lets accents and hamza forms back in.
    words = set(CURRENCY_WORDS) | set(SCALED_CURRENCIES)
    # Grouped by first letter (see coopkg.extract.alternation): the same matches, scanned faster.
    return alternation([loose_literal(w) for w in sorted(words, key=len, reverse=True)])


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    start: int  # offsets within the scanned text
    end: int
    currency: str | None = None
    scaled: bool = False
    words: bool = False
    shared: str | None = None  # the shared name read ("DIRHAM"), when the currency is its usual one

    @property
    def is_money(self) -> bool:
        return self.currency is not None


def parse_figure(raw: str, language: str) -> Decimal | None:
    """'880 490.79' → 880490.79, '12,5' (fr) → 12.5, '1,200' (en) → 1200, '4.560' (fr) → 4560."""
    s = raw.translate(_ARABIC_DIGITS).replace("٬", ",").replace("٫", ".")
    s = re.sub(r"[ \u202f\u00a0]", "", s)  # "35. 000" (a typing slip) reads as 35.000
    if "," in s and "." in s:
        # The last separator is the decimal one.
        decimal_sep = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        s = s.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in s:
        groups = s.split(",")
        if language == "fr" and not (len(groups) > 2 and all(len(g) == 3 for g in groups[1:])):
            s = s.replace(",", ".")
        elif all(len(g) == 3 for g in groups[1:]):
            s = s.replace(",", "")
        else:
            s = s.replace(",", ".")
    elif "." in s:
        groups = s.split(".")
        if len(groups) > 2 or (language == "fr" and len(groups[1]) == 3):
            s = s.replace(".", "")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


_FR_UNITS = {
    "zero": 0, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100,
    "mille": 1000, "un": 1, "une": 1, "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19,
}  # fmt: skip
_EN_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "dozen": 12,
}  # fmt: skip
_AR_UNITS = {
    "واحد": 1, "اثنان": 2, "اثنين": 2, "ثلاثه": 3, "ثلاث": 3, "اربعه": 4, "اربع": 4, "خمسه": 5, "خمس": 5,
    "سته": 6, "ست": 6, "سبعه": 7, "سبع": 7, "ثمانيه": 8, "ثماني": 8, "تسعه": 9, "تسع": 9, "عشره": 10,
    "عشر": 10, "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40,
    "خمسون": 50, "خمسين": 50, "مائه": 100, "مئه": 100, "مائتان": 200, "مائتي": 200,
    "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
    "ثلاثمائه": 300, "اربعمائه": 400, "خمسمائه": 500, "ستمائه": 600, "سبعمائه": 700, "ثمانمائه": 800,
    "تسعمائه": 900, "ثلاثمئه": 300, "اربعمئه": 400, "خمسمئه": 500, "ستمئه": 600, "سبعمئه": 700, "ثمانمئه": 800,
    "تسعمئه": 900, "الف": 1000, "الاف": 1000, "احد": 1, "اثنا": 2, "اثني": 2, "اثنتين": 2,
}  # fmt: skip
_AR_UNITS = {fold(k): v for k, v in _AR_UNITS.items()}  # the keys as the text's tokens fold
# Scale words inside a run of number words ("ثلاثة وعشرون مليون وخمسمائة ألف", "deux millions cinq cent mille").
_RUN_SCALES = {"million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9, "billion": 10**9,
               "مليون": 10**6, "ملايين": 10**6, "مليار": 10**9, "مليارات": 10**9}  # fmt: skip
_RUN_SCALES = {fold(k): v for k, v in _RUN_SCALES.items()}
_WORD_NUMBER = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def _word_value(words: list[str]) -> int | None:
    """Value of a run of number words ('deux', 'vingt-cinq', 'trois cent', 'خمسة'), small numbers only."""
    total, current = 0, 0
    for word in words:
        for part in fold(word).split("-"):
            if part in {"et", "and", "و"}:
                continue
            bare = part.removeprefix("و") if part not in _AR_UNITS else part
            value = _FR_UNITS.get(part, _EN_UNITS.get(part, _AR_UNITS.get(bare, _RUN_SCALES.get(bare))))
            if value is None:
                return None
            if value >= 1000:
                total, current = total + max(current, 1) * value, 0
            elif value == 100:
                current = max(current, 1) * value
            else:
                current += value
    return total + current or None


def find_quantities(text: str, language: str) -> tuple[Quantity, ...]:
    """Every number in a sentence, with its scale word and currency when they follow or precede it."""
    found: list[Quantity] = []
    # "(80) مليون دولار", "(5) millions": a figure in brackets before its scale reads as the figure.
    text = _BRACKETED.sub(lambda m: " " + m.group(1) + " ", text)
    # "16ر155 مليون يورو" (Saudi Press Agency style) is 155.16: the same length, read the usual way.
    text = _R_DECIMAL.sub(lambda m: m.group(2) + "." + m.group(1), text)
    # "R35-billion", "R500 million": the rand's sign, only right before a figure (the same length, so offsets hold).
    text = _RAND.sub(_RAND_MARK, text)
    if language == "fr":
        # "2, 623 milliards", "22, 32 milliards": a decimal comma the typesetting followed with a space.
        text = _SPACED_DECIMAL.sub(lambda m: m.group(1) + "," + m.group(2) + " ", text)
    for match in _figure_re().finditer(text):
        value = parse_figure(match.group("num"), language)
        if value is not None and not _glued(text, match):
            found.append(_quantity(match, value, match.start("num"), match.end("num"), words=False))
    covered = [(q.start, q.end) for q in found]
    for start, end, words in _number_word_runs(text):
        if any(a <= start < b for a, b in covered):
            continue
        value = _word_value(words)
        if value is None or (len(words) == 1 and fold(words[0]) in {"un", "une", "one", "واحد"}):
            continue  # "un séminaire": an article, not a count
        tail = _tail_re().match(text, end)
        found.append(_quantity(tail, Decimal(value), start, end, words=True))
    found = _bare_scale(text, _halves(text, sorted(found, key=lambda q: q.start)))
    # "3.380.000 UC (unités de compte) du Fonds africain …": the unit spelt out in brackets is part of the sum.
    found = [replace(q, end=q.end + spelt.end()) if q.currency == "XUA" and (spelt := _SPELT_UNIT.match(text[q.end :]))
             else q for q in found]  # fmt: skip
    return _joined(text, found)


_SPELT_UNIT = re.compile(r"\s*\((?:unités?\s+de\s+compte|unites?\s+de\s+compte|units?\s+of\s+account)\)", re.IGNORECASE)


def _glued(text: str, match: re.Match[str]) -> bool:
    """Whether the figure is part of a word ("COVID19", "A320"): a letter touches it that is neither a currency
    code before it ("USD50 million") nor an Arabic conjunction or preposition ("و173 ألف", "ب5 ملايين")."""
    start = match.start("num")
    while start > 0 and text[start - 1] == "\u0640":
        start -= 1  # a tatweel only draws the letter out: "بـ40 مليون دولار" is "ب40"
    before = text[start - 1 : start]
    if not before.isalpha() or (match.group("pre") and currency_code(match.group("pre").strip())[0]):
        return False
    return not (before in "وبل" and (start < 2 or not text[start - 2].isalpha()))


def _halves(text: str, found: list[Quantity]) -> list[Quantity]:
    """ "نصف مليار دولار", "half a billion dollars", "un demi-milliard": a fraction of a scale."""
    covered = [(q.start, q.end) for q in found]
    for match in _fraction_re().finditer(text):
        if any(a < match.end() and match.start() < b for a, b in covered):
            continue
        value = _FRACTIONS[fold(match.group("fraction")).split()[0]] * SCALES[fold(match.group("scale"))]
        tail = _tail_re().match(text, match.end())
        found.append(replace(_quantity(tail, value, match.start(), match.end(), words=True), scaled=True))
    return sorted(found, key=lambda q: q.start)


# The fraction's first word: "نصف مليار", "half a billion", "quarter a million", "(un) demi-milliard".
_HALF, _QUARTER = Decimal("0.5"), Decimal("0.25")
_FRACTIONS = {"نصف": _HALF, "ربع": _QUARTER, "half": _HALF, "quarter": _QUARTER, "demi": _HALF, "un": _HALF}


@lru_cache(maxsize=1)
def _fraction_re() -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w])(?P<fraction>نصف|ربع|half\s+a|quarter\s+a|(?:un\s+)?demi)[\s-]+(?P<scale>مليون|مليار|million|billion|milliard)(?![\w])",
        re.IGNORECASE,
    )


def _bare_scale(text: str, found: list[Quantity]) -> list[Quantity]:
    """ "مليون و173 ألف دولار": a scale word standing for one of it, then "and" a smaller sum, is one sum."""
    out: list[Quantity] = []
    for q in found:
        before = _BARE_SCALE.search(text, max(0, q.start - 16), q.start)
        if (
            before is not None
            and q.scaled
            and q.value < SCALES[fold(before.group("scale"))]
            and not _NUMBER_BEFORE.search(text, max(0, before.start() - 24), before.start())
            and not (out and out[-1].end > before.start())
        ):
            q = replace(q, value=q.value + SCALES[fold(before.group("scale"))], start=before.start(), scaled=True,
                        words=True)  # fmt: skip
        out.append(q)
    return out


_BARE_SCALE = re.compile(r"(?<![\w])(?P<scale>مليون|مليار)\s+و\s*$")
_NUMBER_BEFORE = re.compile(rf"(?:\d|{_SCALE_RE})\s*$", re.IGNORECASE)  # the scale word is a figure's, not alone


def _joined(text: str, found: list[Quantity]) -> tuple[Quantity, ...]:
    """ "86 milliards 127 millions de FCFA", "2 billion 300 million", "5 مليون و300 ألف": one sum in two scales."""
    out: list[Quantity] = []
    for q in found:
        last = out[-1] if out else None
        if (
            last is not None
            and last.scaled
            and last.currency is None
            and (q.scaled or (last.value % 1000 == 0 and q.value < 1000 and q.currency is not None))
            and any(last.value % scale == 0 and q.value < scale for scale in (10**9, 10**6, 10**3))
            and _JOIN.fullmatch(text[last.end : q.start])
        ):
            # (Or the units after the thousands: "deux milliards 549 millions 300 mille 780 francs CFA".)
            out[-1] = Quantity(
                last.value + q.value, last.start, q.end, q.currency, True, last.words and q.words, q.shared
            )
            continue
        out.append(q)
    return tuple(out)


_JOIN = re.compile(r"\s+(?:et\s+|and\s+|و)?")
_R_DECIMAL = re.compile(r"(?<![\d.])(\d{1,3})ر(\d+)(?![\d])")
_RAND = re.compile(r"(?<![\w&])R(?=\d+(?:[.,]\d+)?(?:-|\s)?(?:billion|million|bn|m|thousand)\b|\d{1,3}(?:[ ,]\d{3})+)")
_RAND_MARK = "\u00a4"
_SPACED_DECIMAL = re.compile(r"(?<![\d.,])(\d{1,3}), (\d{1,3})(?=\s+(?:milliards?|millions?)\b)", re.IGNORECASE)
_BRACKETED = re.compile(r"\((\d[\d.,\s]*\d|\d)\)(?=\s*[^\W\d_])")


@lru_cache(maxsize=1)
def _figure_re() -> re.Pattern[str]:
    currency = _currency_pattern()
    return re.compile(
        rf"(?:(?<![^\W\d_])(?P<pre>(?:{currency}|[A-Z]{{3}}|\u00a4)\s?))?(?P<num>{_FIGURE})(?:(?:\s*|-)(?P<scale>{_SCALE_RE})(?![\w€$]))?"
        rf"(?:\s*(?:d['’]\s*|de\s+)?(?P<post>{currency}|[A-Z]{{3}})(?![\w]))?",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def _tail_re() -> re.Pattern[str]:
    currency = _currency_pattern()
    return re.compile(
        rf"(?:\s*(?P<scale>{_SCALE_RE})(?![\w€$]))?(?:\s*(?:d['’]\s*|de\s+)?(?P<post>{currency})(?![\w]))?",
        re.IGNORECASE,
    )


def _quantity(match: re.Match[str] | None, value: Decimal, start: int, end: int, *, words: bool) -> Quantity:
    groups = match.groupdict() if match else {}
    scaled = False
    scale_word = groups.get("scale")
    if scale_word and match is not None:
        value *= SCALES.get(fold(scale_word), 1)
        scaled = True
        end = match.end("scale")
    code: str | None = None
    for key in ("post", "pre"):
        raw = groups.get(key)
        if not raw or match is None:
            continue
        code, built_in_scale = currency_code(raw.strip())
        if code:
            if built_in_scale and not scaled:
                value *= built_in_scale
                scaled = True
            if key == "post":
                end = match.end("post")
            else:
                start = match.start("pre")
            break
    shared = code if code in SHARED_NAMES else None
    if shared is not None:
        code = SHARED_NAMES[shared][1] or shared  # the usual currency until the document says which (or "DINAR")
    return Quantity(value, start, end, code, scaled, words, shared)


def currency_code(raw: str) -> tuple[str | None, int]:
    """ISO 4217 code (and built-in scale) of a currency word, sign or code."""
    if raw == _RAND_MARK:
        return "ZAR", 0
    if raw.upper() in iso_codes() and raw.isupper():
        return raw.upper(), 0
    key = re.sub(r"\s+", " ", fold(raw))
    if key in SCALED_CURRENCIES:
        code, scale = SCALED_CURRENCIES[key]
        return code, scale
    return CURRENCY_WORDS.get(key), 0


@lru_cache(maxsize=200_000)
def _is_number_word(word: str) -> bool:
    """Whether a folded word is a number word (or "et" between two), each part of "vingt-cinq" too."""
    return all(
        p in _FR_UNITS or p in _EN_UNITS or p in _AR_UNITS or p.removeprefix("و") in _AR_UNITS or p in {"et"}
        for p in word.split("-")
    )


def _number_word_runs(text: str) -> list[tuple[int, int, list[str]]]:
    runs: list[tuple[int, int, list[str]]] = []
    current: list[re.Match[str]] = []
    for match in _WORD_NUMBER.finditer(text):
        word = fold(match.group())
        is_number = _is_number_word(word)
        if not is_number and current and word.removeprefix("و") in _RUN_SCALES:
            # A scale inside the run, when more number words follow it: "ثلاثة وعشرون مليون وخمسمائة ألف".
            following = _WORD_NUMBER.match(text, match.end() + 1) if match.end() < len(text) else None
            nxt = fold(following.group()).removeprefix("و") if following else ""
            is_number = nxt in _AR_UNITS or nxt in _FR_UNITS or nxt in _EN_UNITS
        if is_number and not (word in {"et"} and not current):
            if current and text[current[-1].end() : match.start()].strip() not in {"", "-"}:
                runs.append(_close(current))
                current = []
            current.append(match)
        elif current:
            runs.append(_close(current))
            current = []
    if current:
        runs.append(_close(current))
    return [r for r in runs if r[2] and fold(r[2][-1]) not in {"et"}]


def _close(matches: list[re.Match[str]]) -> tuple[int, int, list[str]]:
    return matches[0].start(), matches[-1].end(), [m.group() for m in matches]


# Words just before a figure that say how it bounds the true value.
QUALIFIERS: list[tuple[str, str]] = [
    (r"plus\s+de|more\s+than|over|in\s+excess\s+of|أكثر\s+من|اكثر\s+من|ما\s+يزيد\s+عن|ما\s+يفوق|أزيد\s+من|ازيد\s+من", "more-than"),
    (r"au\s+moins|at\s+least|no\s+fewer\s+than|على\s+الأقل|على\s+الاقل", "at-least"),
    (r"moins\s+de|less\s+than|fewer\s+than|under|أقل\s+من|اقل\s+من", "less-than"),
    (r"jusqu['’]\s*à|up\s+to|تصل\s+إلى|تصل\s+الى|يصل\s+إلى|يصل\s+الى|حتى", "up-to"),
    (r"près\s+de|environ|quelque|approximativement|about|around|nearly|almost|approximately|some|roughly|"
     r"ما\s+يقارب|حوالي|حوالى|نحو|قرابة|زهاء", "approximately"),
]  # fmt: skip
_QUALIFIER_RES = [(re.compile(rf"(?:{p})\s*$", re.IGNORECASE), q) for p, q in QUALIFIERS]


def qualifier_before(text: str, position: int) -> tuple[str | None, int]:
    """The qualifier ending right before ``position`` (and where it starts)."""
    window = text[max(0, position - 40) : position]
    for pattern, qualifier in _QUALIFIER_RES:
        match = pattern.search(window)
        if match:
            return qualifier, position - (len(window) - match.start())
    return None, position
