"""Text layer: normalisation for matching, tokens with offsets, paragraphs, sentences, language."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Generic, TypeVar, overload

ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
LATIN_LETTER = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ]")
# A word: letters and digits, and the Arabic marks written on them (shadda, tanwin, tatweel), which
# Unicode does not count as word characters: "النّرويج" and "برنامجًا" are one word each.
_TOKEN = re.compile(r"[^\W_](?:[^\W_]|[\u064b-\u065f\u0670\u0640])*", re.UNICODE)
_ARABIC_DIACRITICS = re.compile(r"[\u064b-\u065f\u0670\u0640]")  # harakat, superscript alef, tatweel
_T = TypeVar("_T")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})

# Hamza carriers and alef forms are unified by hand: pyarabic's default turns أ into ء.
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ی": "ي", "ک": "ك"}
)


@lru_cache(maxsize=200_000)
def is_arabic(token: str) -> bool:
    return bool(ARABIC_LETTER.search(token))


@lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """Case-, accent- and Arabic-letter-insensitive form of one token."""
    if is_arabic(token):
        return _ARABIC_DIACRITICS.sub("", token).translate(_ARABIC_FOLD)
    decomposed = unicodedata.normalize("NFKD", token.translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("œ", "oe")


_PROCLITIC_CONJ = ("و", "ف")
_PROCLITIC_PREP = ("ب", "ل", "ك")


@lru_cache(maxsize=200_000)
def arabic_cores(token: str) -> tuple[str, ...]:
    """Forms of a folded Arabic token with its proclitics (و/ف, ب/ل/ك, ال) removed, longest first.

    والاتحاد → (والاتحاد, الاتحاد, اتحاد); للاتحاد → (للاتحاد, لاتحاد, اتحاد); بالرباط → (…, رباط).
    Every form is kept because a name may itself begin with one of these letters (وكالة).
    """
    forms = [token]
    stems = [token]
    if token[:1] in _PROCLITIC_CONJ and len(token) > 3:
        stems.append(token[1:])
    for stem in list(stems):
        if stem.startswith("لل") and len(stem) > 4:
            stems.append(stem[2:])  # ل + ال with the alef elided
        if stem[:1] in _PROCLITIC_PREP and len(stem) > 3:
            stems.append(stem[1:])
    for stem in stems:
        forms.append(stem)
        if stem.startswith("ال") and len(stem) > 3:
            forms.append(stem[2:])
    return tuple(dict.fromkeys(f for f in forms if len(f) >= 2))


@lru_cache(maxsize=200_000)
def key_form(token: str) -> str:
    """The form a gazetteer stores for a token: folded, and for Arabic without the article."""
    folded = fold(token)
    if is_arabic(folded) and folded.startswith("ال") and len(folded) > 3:
        return folded[2:]
    return folded


@lru_cache(maxsize=200_000)
def match_forms(token: str) -> tuple[str, ...]:
    """The forms of a text token that may equal a gazetteer key form."""
    folded = fold(token)
    if is_arabic(folded):
        return arabic_cores(folded)
    return (folded,)


class _cached(Generic[_T]):
    """functools.cached_property without its lock (Python 3.12 dropped it too): a document's tokens are
    made and read by one thread, and the lock cost more than the value on the thousands of tokens of a document."""

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self.compute = compute
        self.name = compute.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> _cached[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> _T | _cached[_T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)  # later reads find it there
        return value


@dataclass(frozen=True, init=False)
class Token:
    text: str
    start: int
    end: int
    after: str = ""  # the characters up to the next token: a name does not run across a comma

    def __init__(self, text: str, start: int, end: int, after: str = "") -> None:
        # The frozen dataclass's own __init__ sets each field through object.__setattr__: twice the cost,
        # on every token of every sentence and of every gazetteer name.
        fields = self.__dict__
        fields["text"] = text
        fields["start"] = start
        fields["end"] = end
        fields["after"] = after

    # (Cached: the stages ask a token for these thousands of times per document.)
    @_cached
    def folded(self) -> str:
        return fold(self.text)

    @_cached
    def is_upper(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    matches = list(_TOKEN.finditer(text))
    if not matches:
        return []  # "***", "--", a Markdown fence: a line without words
    return [
        Token(m.group(), m.start() + offset, m.end() + offset, text[m.end() : nxt.start()] if nxt else "")
        for m, nxt in zip(matches, [*matches[1:], None], strict=True)
    ]


_LEADING_ARTICLES = {"l", "d", "la", "le", "les", "the"}

# Words that link the parts of a name ("Direction de la Formation", "Ministry of Labour"), folded.
FUNCTION_WORDS = frozenset({
    "de", "du", "des", "la", "le", "les", "l", "d", "et", "pour", "en", "a", "au", "aux", "sur", "of", "the",
    "and", "for", "in", "on", "to",
})  # fmt: skip


def name_tokens(name: str) -> tuple[str, ...]:
    """Gazetteer key of a name; a leading article ("L'Oriental", "The Gambia") is not part of it."""
    keys = [key_form(t.text) for t in tokenize(name)]
    while len(keys) > 1 and keys[0] in _LEADING_ARTICLES:
        keys.pop(0)
    return tuple(keys)


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    language: str
    paragraph: int
    boilerplate: bool = False
    tokens: list[Token] = field(default_factory=list)


@dataclass
class Paragraph:
    index: int
    start: int
    end: int
    text: str
    language: str
    boilerplate: bool = False


_ABBREVIATIONS = {
    "m",
    "mm",
    "mme",
    "mmes",
    "mlle",
    "dr",
    "pr",
    "st",
    "ste",
    "mr",
    "mrs",
    "ms",
    "no",
    "n°",
    "art",
    "etc",
}
# "on Dec. 18", "le 3 janv. 2020": a month's abbreviation before a day or year ends no sentence.
_MONTH_ABBREVIATIONS = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "janv", "févr", "fév", "avr", "juil", "déc",
}  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?؟…])[\s]+(?=[«\"“(\[A-ZÀ-ÖØ-Þ0-9\u0600-\u06ff•‐–-])")
_BULLET = re.compile(r"^\s*[•·▪◦*\-–]\s*")

# Section headings after which a news page carries navigation, not the article.
_BOILERPLATE_HEADINGS = re.compile(
    r"^\s*(articles? (qui pourraient vous intéresser|similaires|liés)|lire aussi|à lire aussi|voir aussi|"
    r"sur le même sujet|related (articles|stories|posts)|read more|you may also like|more stories|"
    r"s'inscrire à la newsletter|abonnez-vous|subscribe to|partager cet article|share this|"
    r"اقرأ أيضا|مقالات ذات صلة|مواضيع ذات صلة|اقرأ ايضا)",
    re.IGNORECASE,
)
_NAV_LINE = re.compile(r"^\s*(\S+\s+)?(tout voir|voir tout|see all|view all|\* indicates required)\s*$", re.IGNORECASE)

_FR_STOP = {
    "le", "la", "les", "des", "du", "de", "et", "est", "une", "un", "en", "dans", "pour", "par", "sur", "au",
    "aux", "avec", "qui", "que", "ont", "a", "été", "ce", "cette", "ses", "son", "sont", "plus", "ainsi",
}  # fmt: skip
_EN_STOP = {
    "the", "of", "and", "to", "in", "is", "for", "on", "with", "by", "was", "has", "have", "its", "from",
    "at", "which", "this", "that", "are", "be", "an", "as", "will", "were", "their",
}  # fmt: skip
_OTHER_STOP = {
    "es": {"el", "los", "las", "del", "por", "una", "con", "para", "que", "y", "se", "su"},
    "de": {"der", "die", "das", "und", "ist", "mit", "für", "von", "den", "dem", "ein", "eine", "nicht"},
    "it": {"il", "gli", "della", "delle", "che", "per", "con", "una", "sono", "nel", "dei"},
    "pt": {"os", "das", "dos", "uma", "com", "para", "que", "não", "pelo", "pela", "em"},
}


def detect_language(text: str) -> str:
    """'ar', 'fr', 'en', another ISO 639-1 code it recognises but does not handle, or 'und'."""
    arabic = len(ARABIC_LETTER.findall(text))
    latin = len(LATIN_LETTER.findall(text))
    if arabic + latin == 0:
        return "und"
    # Arabic articles carry Latin acronyms and names: the script ratio decides first.
    if arabic >= 0.5 * (arabic + latin):
        return "ar"
    words = [w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ']+", text)]
    if not words:
        return "und"
    scores = {"fr": sum(w in _FR_STOP for w in words), "en": sum(w in _EN_STOP for w in words)}
    scores.update({lang: sum(w in stop for w in words) for lang, stop in _OTHER_STOP.items()})
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0:
        return "und" if len(words) > 3 else ("fr" if arabic == 0 else "ar")
    return best


def paragraphs(text: str) -> list[Paragraph]:
    out: list[Paragraph] = []
    in_boilerplate = False
    for match in re.finditer(r"[^\n]+", text):
        chunk = match.group()
        if not chunk.strip():
            continue
        if _BOILERPLATE_HEADINGS.match(chunk):
            in_boilerplate = True
        boiler = in_boilerplate or bool(_NAV_LINE.match(chunk))
        out.append(Paragraph(len(out), match.start(), match.end(), chunk, detect_language(chunk), boiler))
    return out


def sentences(text: str, paras: list[Paragraph]) -> list[Sentence]:
    out: list[Sentence] = []
    for para in paras:
        pieces = _split_sentences(para.text)
        for start, end in pieces:
            raw = para.text[start:end]
            stripped = _BULLET.sub("", raw)
            shift = len(raw) - len(stripped)
            stripped = stripped.rstrip()
            if not stripped:
                continue
            s_start = para.start + start + shift
            s_end = s_start + len(stripped)
            language = para.language
            out.append(
                Sentence(
                    s_start,
                    s_end,
                    text[s_start:s_end],
                    language,
                    para.index,
                    para.boilerplate,
                    tokenize(text[s_start:s_end], s_start),
                )
            )
    return out


def _split_sentences(text: str) -> list[tuple[int, int]]:
    cuts = [0]
    for match in _SENTENCE_END.finditer(text):
        before = text[: match.start()].rstrip(".!?؟… ")
        last_word = re.split(r"[\s(«\"]+", before)[-1].lower() if before else ""
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        if last_word in _MONTH_ABBREVIATIONS and text[match.end() : match.end() + 1].isdigit():
            continue
        if re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", last_word):
            continue  # "the U.S. Agency", "U.K. aid": initials, not the end of a sentence
        cuts.append(match.end())
    cuts.append(len(text))
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]
