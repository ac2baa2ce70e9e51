"""Financing acts: the words that state a funding (a verb, a money noun, a passive or prepositional cue, a
receiving verb, an agreement) and the figure each governs; whether a party is one that funds."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coopkg.extract import prefilter
from coopkg.extract.doc import ORGANISATION, PROJECT, Doc, Mention
from coopkg.extract.lexicon import Locale
from coopkg.extract.numbers import Quantity
from coopkg.extract.stages import states
from coopkg.extract.text import Sentence

FUNDER_TYPES = {"DevelopmentBank", "DevelopmentAgency", "InternationalOrganisation", "CivilSocietyOrganisation"}


WINDOW = 160  # characters around an act within which its participants are looked for


@dataclass
class Act:
    start: int
    end: int
    form: str  # agent (the funder follows), act (the funder is the subject), noun, receive, agreement
    kind: str
    word: str = ""


def headline_act(doc: Doc, sentence: Sentence, lex: Locale) -> list[Act]:
    """A headline without a verb: "40 مليون يورو لدعم التعليم في لبنان من الاتحاد الأوروبي", "191 milliards de
    Fcfa de l'UE pour …": a figure and a funder after "de"/"from"/"من" make the act."""
    money = doc.money.get(0, [])
    if len(money) != 1:
        return []
    after = [m for m in doc.in_sentence(sentence, ORGANISATION) if m.start >= money[0].end]
    for m in after:
        if re.search(r"(?:^|\s)(?:de\s+la|de\s+l['’]|du|des|de|d['’]|from(?:\s+the)?|من)\s*$", doc.text[money[0].end : m.start]) and \
                funder_like(doc, m):  # fmt: skip
            return [Act(money[0].start, money[0].end, "noun", "unspecified")]
    return []


_RESTATED = re.compile(
    r"(?:\bsoit|[ée]quival\w*|\bequivalent\s+(?:of|to)|ما\s+يعادل|أي|\()\s*(?:de\s+|d['’]|à\s+|to\s+)?(?:environ\s+|about\s+)?$",
    re.IGNORECASE,
)


def restated(doc: Doc, index: int, sentence: Sentence, money: Quantity) -> bool:
    """Whether a figure restates the one just before it in another currency ("3.380.000 UC …, l’équivalant de deux
    milliards … francs CFA", "UA 25.61 million (USD 38 million)"): the same sum, not a second one."""
    before = [q for q in doc.money.get(index, []) if q.end <= money.start and money.start - q.end <= 80]
    return (
        bool(before)
        and before[-1].currency != money.currency
        and bool(_RESTATED.search(doc.text[max(sentence.start, money.start - 24) : money.start]))
    )


def donor_and_figure(doc: Doc, index: int, sentence: Sentence) -> list[Act]:
    """A sentence with one figure and one funder of the field and no word for the act ("KfW : 14 millions
    d'euros pour la troisième phase"): in this genre, that is a funding."""
    # ("3.380.000 UC … du Fonds africain de développement (FAD), l’équivalant de deux milliards … francs CFA": the
    # same sum restated in another currency is no second figure.)
    money = [q for q in doc.money.get(index, []) if not restated(doc, index, sentence, q)]
    donors = {m.key for m in doc.in_sentence(sentence, ORGANISATION) if funder_like(doc, m)}
    if len(money) != 1 or len(donors) != 1:
        return []
    return [Act(money[0].start, money[0].end, "noun", "unspecified")]


def ranked_act(doc: Doc, index: int, sentence: Sentence, lex: Locale) -> list[Act]:
    """ "Le premier accord, d’une valeur de 120 milliards FCFA, est destiné au projet …": one of the agreements
    (loans, grants) listed before, by its rank, with its figure: a funding whose funder is the list's."""
    ranked = lex.pattern("fundings", "ordinal_money").search(sentence.text)
    if ranked is None or not doc.money.get(index):
        return []
    return [
        Act(
            sentence.start + ranked.start(),
            sentence.start + ranked.end(),
            "noun",
            lex.kind_of(ranked.group(0), sentence.text),
        )
    ]


def find_acts(doc: Doc, sentence: Sentence, lex: Locale) -> list[Act]:
    found: list[Act] = []
    text = sentence.text

    def add(match: re.Match[str], form: str, kind: str) -> None:
        start, end = sentence.start + match.start(), sentence.start + match.end()
        groups = match.groupdict()
        word = groups.get("kind") or ""
        found.append(Act(start, end, form, lex.kind_of(word, text) if kind == "unspecified" else kind, word))

    for form, key in (("agent", "funder_follows"), ("act", "funder_acts")):
        for cue in lex.cues(key):
            for match in prefilter.finditer(cue.pattern, text):
                add(match, form, cue.kind)
    for cue in lex.money_nouns:
        for match in prefilter.finditer(cue.pattern, text):
            start = sentence.start + match.start()
            found.append(Act(start, sentence.start + match.end(), "noun",
                             cue.kind if cue.kind != "unspecified" else lex.kind_of(None, text), match.group()))  # fmt: skip
    for match in prefilter.finditer(lex.pattern("fundings", "receives"), text):
        add(match, "receive", "unspecified")
    for match in prefilter.finditer(lex.pattern("fundings", "agreements"), text):
        add(match, "agreement", lex.kind_of(match.group(), match.group()))
    if doc.money.get(doc.sentences.index(sentence)):
        # "signed a partnership agreement worth 3.6 million": an agreement with a value is a financing act.
        for m in doc.in_sentence(sentence, PROJECT):
            entity = doc.entities.get(m.key)
            if entity is not None and entity.type == "PartnershipAgreement" and not m.anaphor:
                found.append(Act(m.start, m.end, "agreement", lex.kind_of(None, text)))
    # "آلية تسهيلات التمويل الميسر", "Fonds africain de développement": a word inside a name is no act.
    names = [m for m in doc.mentions if m.kind in (ORGANISATION, PROJECT) and not m.anaphor
             and sentence.start <= m.start < sentence.end]  # fmt: skip
    found = [a for a in found if a.form == "agreement" or not any(m.start <= a.start and a.end <= m.end for m in names)]
    found.sort(key=lambda a: (a.start, -a.end))
    # An act inside another ("accord de prêt" holds "prêt") is the longer one.
    return [a for a in found if not any(b is not a and b.start <= a.start and a.end <= b.end and
                                        (b.end - b.start) > (a.end - a.start) for b in found)]  # fmt: skip


def finance_verb(doc: Doc, lex: Locale, act: Act) -> bool:
    """Whether the act is a verb that states a funding on its own ("finance", "cofinanceront", "مول")."""
    word = doc.text[act.start : act.end].strip()
    # (A space after the word: the Arabic patterns end on a lookahead for one.)
    found = lex.pattern("fundings", "finance_verbs").match(word + " ")
    return act.form == "act" and found is not None and found.end() >= len(word)


def governing_act(doc: Doc, acts: list[Act], money: Quantity) -> Act | None:
    """The act a figure belongs to: the nearest one, a money noun right before it first."""
    best, best_distance = None, WINDOW
    for act in acts:
        distance = money.start - act.end if act.end <= money.start else act.start - money.end
        if distance < 0:
            distance = 0
        if (
            act.form == "noun"
            and 0 <= money.start - act.end <= 25
            and not doc.overlapping(act.end, money.start, (ORGANISATION,))
        ):
            # "un prêt de 39,2 millions", "a grant of $5 million" (not "cette ligne de financement, l'AFD porte à 101
            # millions d'euros sa participation": the clause's subject stands between)
            distance -= 30
        if distance < best_distance:
            best, best_distance = act, distance
    return best


def funder_like(doc: Doc, mention: Mention) -> bool:
    entity = doc.entities.get(mention.key)
    if entity is None:
        return False
    if entity.type in FUNDER_TYPES:
        return True
    code = entity.country or (mention.key.rsplit("/", 1)[-1] if doc.is_state(mention.key) else None)
    return code in states.donors()
