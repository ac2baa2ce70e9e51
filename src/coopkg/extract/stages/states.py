"""States named through their government: "le gouvernement tunisien", "la Coopération italienne",
"the Government of Canada", "the Norwegian Government", "الحكومة الأردنية", "حكومة اليابان".

Such a name is an organisation that stands for its country (``Entity.country``); the same state
acting under its bare name ("la Côte d'Ivoire a signé", "وقعت موريتانيا") becomes that organisation
too (see :mod:`.fundings`). Its key is the country's, so every way of naming it is one entity.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from coopkg.extract.doc import ORGANISATION, REGION, Doc, Entity, Mention
from coopkg.extract.lexicon import load_data
from coopkg.extract.text import Sentence, fold

_STATES_FILE = Path(__file__).resolve().parents[1] / "languages" / "states.yaml"


@cache
def adjectives() -> dict[str, dict[str, str]]:
    """language → folded adjective form → ISO 3166-1 code."""
    data = load_data(_STATES_FILE)
    out: dict[str, dict[str, str]] = {"fr": {}, "en": {}, "ar": {}}
    for code, forms in data.items():
        if code == "donors":
            continue
        for word in forms.get("fr") or ():
            for form in _french_forms(word):
                out["fr"][fold(form)] = code
        for word in forms.get("en") or ():
            out["en"][fold(word)] = code
        for word in forms.get("ar") or ():
            for form in (word, word + "ة", word + "ه"):
                out["ar"][fold("ال" + form)] = code
    return out


@cache
def donors() -> frozenset[str]:
    return frozenset(load_data(_STATES_FILE)["donors"])


def _french_forms(word: str) -> tuple[str, ...]:
    if word.endswith(("e", "è", "é")) and not word.endswith("é"):
        return (word, word + "s")
    if word.endswith("en"):
        fem = word + "ne"
    elif word == "turc":
        fem = "turque"
    elif word == "grec":
        fem = "grecque"
    else:
        fem = word + "e"
    return (word, fem, word + "s", fem + "s")


def government_key(code: str) -> str:
    return f"org:government-{code.lower()}"


def government(doc: Doc, code: str, name: str, lang: str) -> Entity:
    """The organisation of a state (one per country in a document)."""
    key = government_key(code)
    entity = doc.entities.get(key)
    if entity is None:
        # Named as the country is ("Royaume-Uni", "اليابان"), whatever phrase first names its government.
        country = doc.gazetteer.get(doc.minter.region(code).value)
        label, label_lang = country.label(doc.language) if country is not None else (name, lang)
        entity = Entity(key, ORGANISATION, label, label_lang, "GovernmentBody", False, country=code)
        doc.entities[key] = entity
    if name != entity.label and (name, lang) not in entity.alt:
        entity.alt.append((name, lang))
    return entity


_HEAD = {
    "fr": r"(?<![\w])(?P<head>gouvernement|coop[ée]ration|[ée]tat|r[ée]publique|royaume)",
    "en": r"(?<![\w])(?P<head>[Gg]overnment|[Cc]ooperation|[Ss]tate|[Rr]epublic|[Kk]ingdom)",
    "ar": r"(?<![\w])(?P<head>(?:ال)?(?:حكوم[ةه]|دول[ةه]|جمهوري[ةه]|مملك[ةه]|تعاون))",
}
_OF = {"fr": r"\s+(?:du|de\s+la|de\s+l['’]|de|des|d['’])\s*", "en": r"\s+of\s+(?:the\s+)?", "ar": r"\s+"}


def state_mentions(doc: Doc, index: int, sentence: Sentence) -> None:
    lang = sentence.language
    if lang not in _HEAD:
        return
    table = adjectives()[lang]
    countries = [m for m in doc.in_sentence(sentence, REGION) if doc.entity_type(m.key) == "Country"]
    for head in re.finditer(_HEAD[lang], sentence.text, re.IGNORECASE):
        start = sentence.start + head.start("head")
        after = sentence.start + head.end("head")
        folded_head = fold(head.group("head")).removeprefix("ال")
        # "the Government of Canada", "gouvernement du Japon", "حكومة اليابان", "دولة الكويت"
        of = re.match(_OF[lang], doc.text[after : after + 12], re.IGNORECASE)
        country = next((m for m in countries if of and m.start == after + of.end()), None)
        if country is not None and not (lang == "ar" and head.group("head").startswith("ال")):
            if lang == "en" and not head.group("head")[0].isupper() and folded_head != "government":
                continue
            if folded_head not in _GOVERNMENTS:
                continue  # "la République du Sénégal", "دولة الكويت": the country, acting or not
            code = country.key.rsplit("/", 1)[-1]
            _add(doc, index, start, country.end, code, lang)
            doc.mentions.remove(country)  # a place inside an organisation's name is not a place mentioned
            continue
        # "gouvernement tunisien", "Coopération italienne", "الحكومة الأردنية", "التعاون الألماني"
        # ("le gouvernement fédéral allemand", "the federal Government": the form of the state between.)
        word = re.match(
            r"\s+(?:f[ée]d[ée]ra(?:l|le|ux)\s+|الاتحادي[ةه]?\s+)?([^\W\d_][\w'’-]*)", doc.text[after : after + 50]
        )
        if word and fold(word.group(1)) in table and folded_head not in _GOVERNMENTS:
            _country_name(doc, index, start, after + word.end(1), table[fold(word.group(1))])
            continue
        if word and fold(word.group(1)) in table:
            if folded_head in {"تعاون", "cooperation", "coopération"} and not _cooperation_ok(head.group("head"), lang):
                continue
            _add(doc, index, start, after + word.end(1), table[fold(word.group(1))], lang)
            continue
        # "the Norwegian Government", "the Italian Cooperation"
        if lang == "en":
            before = re.search(r"([A-Z][\w.'’-]*)\s+$", doc.text[max(sentence.start, start - 30) : start])
            if before and fold(before.group(1)) in table and head.group("head")[0].isupper():
                _add(doc, index, start - len(before.group(0)), after, table[fold(before.group(1))], lang)


# Heads that name a government (an organisation); the others name the country itself.
_GOVERNMENTS = {fold(w) for w in ("gouvernement", "coopération", "cooperation", "government", "حكومه", "تعاون")}


def _country_name(doc: Doc, index: int, start: int, end: int, code: str) -> None:
    """ "l'État malien", "المملكة المغربية": a name of the country, a place (that may act)."""
    entry = doc.gazetteer.get(doc.minter.region(code).value)
    if entry is None or doc.overlapping(start, end, (ORGANISATION, REGION)):
        return
    doc.known(entry)
    doc.mention(Mention(entry.iri, REGION, start, end, index, "pattern:state-name", 0.8))


def _cooperation_ok(head: str, lang: str) -> bool:
    # "la Coopération italienne" names the donor; "la coopération italo-marocaine" does not.
    return lang == "ar" or head[:1].isupper()


def _add(doc: Doc, index: int, start: int, end: int, code: str, lang: str) -> None:
    if doc.overlapping(start, end, (ORGANISATION,)):
        return
    name = doc.text[start:end]
    entity = government(doc, code, name, lang)
    doc.mention(Mention(entity.key, ORGANISATION, start, end, index, "pattern:state", 0.8))
