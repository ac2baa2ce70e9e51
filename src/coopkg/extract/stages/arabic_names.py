"""Arabic organisation names the gazetteer does not list: a head noun (وزارة, مكتب, آلية…) and its
construct chain of definite attributes ("مكتب التكوين المهني وإنعاش الشغل", "آلية تسهيلات التمويل
الميسر"), a place attached to it ("مدينة المهن والكفاءات بتامسنا"), an acronym after it."""

from __future__ import annotations

import re
from functools import cache

from coopkg.extract.doc import ORGANISATION, PROJECT, REGION, Doc
from coopkg.extract.lexicon import Locale
from coopkg.extract.text import Sentence, Token, fold, key_form, match_forms
from coopkg.iris import slugify

_ACRONYM = r"[A-Z][A-Za-z0-9&]*[A-Z0-9](?:[-/][A-Z0-9][A-Za-z0-9]*)*"
_NOT_ATTRIBUTES = {
    "التي",
    "الذي",
    "الذين",
    "اللتي",
    "الي",
    "الا",
    "الان",
    "الى",
    # persons' titles after a name: "البنك الدولي الممثلة المقيمة", "… المدير العام"
    "الممثل",
    "الممثله",
    "المقيم",
    "المقيمه",
    "المدير",
    "المديره",
    "الرئيس",
    "الوزير",
    "السفير",
    "السيد",
    "السيده",
    "الدكتور",
    "المفوض",
    "الامين",
    "النائب",
    "المستشار",
    "المنسق",
}
_DEMONSTRATIVES = {"هذه", "هذا", "مختلف", "جميع", "كل", "بعض", "تلك", "ذلك"}
# One adjective is enough to name a government or an embassy ("الحكومة الألمانية").
_SINGLE = {"حكومه", "سفاره"}
# Persons' titles are not part of a name ("البنك رئيس المجموعة" is the bank, then its president).
_TITLES = {"رئيس", "مدير", "وزير", "سفير", "ممثل", "امين", "نائب", "مستشار", "منسق", "خبير", "رئيسه", "مديره", "وزيره"}


def arabic_organisations(doc: Doc, index: int, sentence: Sentence) -> None:
    from coopkg.extract.stages.names import add_organisation

    lex = doc.lex(sentence)
    tokens = sentence.tokens
    heads = _heads(lex)
    text = doc.text
    i = 0
    while i < len(tokens):
        candidates = [h for form in match_forms(tokens[i].text) for h in heads.get(form, ())]
        head = next((h for h in candidates if _head_at(tokens, i, h)), None)
        if head is None:
            i += 1
            continue
        j = i + len(head)
        if j < len(tokens) and fold(tokens[j].text).startswith("و") and not fold(tokens[j].text).startswith("وال"):
            i += 1  # "المؤسسة وسلسلة الابتكار": another noun coordinated to the head, not a name
            continue
        # "آلية تسهيلات التمويل الميسر": one indefinite noun in the chain, when a definite one follows.
        if (
            j + 1 < len(tokens)
            and not _attribute(tokens[j].text)
            and _attribute(tokens[j + 1].text)
            and not fold(tokens[j].text).startswith(("و", "ب", "ل", "ف", "ك"))
            and _glued(text, tokens[j - 1], tokens[j])
            and len(fold(tokens[j].text)) >= 3
            and not re.search(r"\d", tokens[j].text)
            and fold(tokens[j].text) not in _TITLES
        ):
            j += 1
        starts = {m.start for m in doc.mentions if m.kind == ORGANISATION}
        while j < len(tokens) and j - i < 9:
            if text[tokens[j - 1].end : tokens[j].start].strip() or tokens[j].start in starts:
                break  # punctuation, or another organisation's name ("الحكومة الألمانية والاتحاد الأوروبي")
            if fold(tokens[j].text).startswith("وال") and _is_head(heads, tokens[j].text):
                break  # "الرابطة الدولية للتنمية والصندوق الدولي": another organisation coordinated to this one
            if j == i + len(head) and fold(tokens[j].text).startswith("لل"):
                break  # "اعتماد المجلس للمشاريع المهمة الأخرى": the head's object, not its name ("المجلس الأعلى للتربية")
            if _attribute(tokens[j].text):
                j += 1
            elif (
                fold(tokens[j].text).startswith("و")
                and j + 1 < len(tokens)
                and _attribute(tokens[j + 1].text)
                and not text[tokens[j].end : tokens[j + 1].start].strip()
            ):
                j += 2  # "مكتب التكوين المهني وإنعاش الشغل": a coordinated noun inside the name
            elif fold(tokens[j].text).startswith("ل") and len(fold(tokens[j].text)) > 4 and j > i + len(head):
                j += 1  # "البنك الإسلامي للتنمية", "المجلس الأعلى للتربية"
            else:
                break
        acronym = None
        tail = text[tokens[j - 1].end : tokens[j - 1].end + 16] if j > i else ""
        acr_match = re.match(rf"\s*\(?\s*({_ACRONYM})\s*\)?", tail)
        if acr_match:
            acronym = acr_match.group(1)
        attributes = j - i - 1
        place = next((m for m in doc.mentions if m.kind == REGION and m.start == tokens[j - 1].end + 1), None)
        key = None
        if place is not None:  # "مجلس جهة سوس ماسة", "مدينة المهن والكفاءات بتامسنا"
            attributes += 1
            # "مدينة المهن والكفاءات بتامسنا" / "بتماسنا": one institution, whatever the place's spelling.
            words = [*head, *(key_form(t.text) for t in tokens[i + len(head) : j])]
            key = "org:" + slugify(" ".join(words)) + "-" + slugify(place.key.rsplit("/", 1)[-1])
            j = next((k for k, t in enumerate(tokens) if t.end == place.end), j - 1) + 1
        single = head[0] in _SINGLE
        if attributes >= 2 or (attributes >= 1 and (acronym or single or place is not None)):
            first = fold(tokens[i].text)
            start = tokens[i].start + (1 if first[:1] in "وفبلك" and not first.startswith(head[0][:1]) else 0)
            if first.startswith("لل"):
                start = tokens[i].start + 1
            end = tokens[j - 1].end
            inside = doc.overlapping(start, end, (ORGANISATION, PROJECT))
            # A listed name with more words after it ("الاتحاد الأوروبي القوي", "البنك الدولي للفترة الممتدة") is
            # still the listed name.
            extends = inside is not None and (
                inside.start <= start + 1 or len(tokens_between(sentence, inside.end, end)) < 2
            )
            if (inside is None or (start <= inside.start and inside.end <= end and inside.kind == ORGANISATION
                                   and not extends)) and not _project_context(doc, sentence, start, lex):  # fmt: skip
                add_organisation(doc, index, start, end, "ar", "pattern:ar-head-word", 0.6, acronym, key=key)
            i = j
            continue
        i += 1


def _is_head(heads: dict[str, list[tuple[str, ...]]], token: str) -> bool:
    return any(form in heads for form in match_forms(token))


def tokens_between(sentence: Sentence, start: int, end: int) -> list[Token]:
    return [t for t in sentence.tokens if start <= t.start and t.end <= end]


def _glued(text: str, a: Token, b: Token) -> bool:
    return not text[a.end : b.start].strip()


@cache
def _heads(lex: Locale) -> dict[str, list[tuple[str, ...]]]:
    """Head phrases indexed by the key form of their first word."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for head in lex.organisation_heads:
        keys = tuple(key_form(w) for w in head.split())
        index.setdefault(keys[0], []).append(keys)
        index.setdefault("ال" + keys[0], []).append(keys)
    return index


def _head_at(tokens: list[Token], i: int, head: tuple[str, ...]) -> bool:
    if i + len(head) > len(tokens):
        return False
    for k, part in enumerate(head):
        forms = match_forms(tokens[i + k].text)
        if part not in forms and ("ال" + part) not in forms:
            return False
    before = tokens[i - 1].text if i > 0 else ""
    return fold(before) not in _DEMONSTRATIVES


_MORE_STOPS = {fold(w) for w in ("الأمين", "المهندس", "القاضي", "التابعة", "التابع", "المكلف", "المكلفة", "المسؤول",
                                  "المسؤولة", "الجديد", "الجديدة", "الحالي", "الحالية", "السابق", "السابقة",
                                  # participles that open a clause: "حكومة أبوظبي والبالغ قيمتها"
                                  "البالغ", "البالغة", "المخصص", "المخصصة", "الممتد", "الممتدة", "المقدم",
                                  "المقدمة", "الموقع", "الموقعة", "الممول", "الممولة", "المنعقد", "المنعقدة",
                                  # when: "وكالة الأنباء السعودية اليوم الاثنين"
                                  "اليوم", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد",
                                  "الماضي", "الماضية", "المقبل", "المقبلة")}  # fmt: skip


def _attribute(token: str) -> bool:
    folded = fold(token)
    bare = folded[1:] if folded.startswith("وال") else folded
    return (
        folded.startswith(("ال", "لل", "وال"))
        and len(folded) > 3
        and folded not in _NOT_ATTRIBUTES
        and bare not in _NOT_ATTRIBUTES | _MORE_STOPS
    )


def _project_context(doc: Doc, sentence: Sentence, start: int, lex: Locale) -> bool:
    before = doc.text[max(sentence.start, start - 25) : start]
    return bool(re.search(rf"(?:{lex.text('projects', 'nouns')})\s*[«\"“]?\s*$", before, re.IGNORECASE))
