"""Stage 6: fundings as events.

A funding is a financing act: a verb ("a octroyé", "approved", "موّل"), a money noun ("un prêt de",
"a grant of", "منحة بقيمة"), a passive or prepositional cue ("financé par", "with support from",
"بتمويل من"), a receiving verb ("bénéficie d'un financement de") or a financing agreement ("accord
de prêt", "اتفاقية تمويل"). Its participants are filled from the sentence around the act:

* **amount**: a money figure of the sentence, the one the act governs (restatements in another
  currency were left out by the quantities stage);
* **funder**: the organisation after an agent cue ("par", "by", "from", "de la" after the figure,
  "من"), else the subject of the act (before it; after it in Arabic verb-subject order), else, for
  an agreement, the party that funds (a bank, an agency, a donor state);
* **recipient**: a party after a recipient cue ("en faveur du", "à la", "to", "لفائدة", "ل") or the
  other party of an agreement, or the subject of a receiving verb;
* **funded**: the project the money is for (in the sentence, after a purpose cue, or referred to:
  "ce projet"), else a following sentence that refers back to the money ("Ce financement
  soutiendra le Projet …", "يهدف هذا التمويل إلى دعم مشروع …"), else the recipient;
* **kind**: loan, grant or unspecified, from the money noun or the words around it.

The same money stated twice (a headline and the body, the recipient and then the programme) is one
funding; a total and its parts, or two different sums, are separate fundings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from coopkg.extract.doc import ORGANISATION, PROJECT, REGION, Doc, FundingEvent, Mention
from coopkg.extract.lexicon import Locale
from coopkg.extract.numbers import SHARED_NAMES, Quantity, qualifier_before
from coopkg.extract.stages import states
from coopkg.extract.stages.coreference import acting, actors, org_before, orgs_after
from coopkg.extract.stages.projects import add_project, agreement_parties, chunk_end
from coopkg.extract.text import Sentence, tokenize

FUNDER_TYPES = {"DevelopmentBank", "DevelopmentAgency", "InternationalOrganisation", "CivilSocietyOrganisation"}
_WINDOW = 160  # characters around an act within which its participants are looked for


@dataclass
class Act:
    start: int
    end: int
    form: str  # agent (the funder follows), act (the funder is the subject), noun, receive, agreement
    kind: str
    word: str = ""


def fundings(doc: Doc) -> Doc:
    _resolve_shared_names(doc)
    section: Mention | None = None
    for index, sentence in enumerate(doc.sentences):
        lex = doc.lex(sentence)
        header = _header(doc, sentence)
        if header is not None:
            section = header
            continue
        if section is not None and not _BULLET.match(doc.text, _line_start(doc, sentence.start)):
            section = None
        acts = _acts(doc, sentence, lex)
        if not acts and index == 0:
            acts = _headline_act(doc, sentence, lex)
        if not acts:
            acts = _donor_and_figure(doc, index, sentence)
        if acts:
            _sentence_events(doc, index, sentence, lex, acts, section)
    _refer_back(doc)
    _state_through_agency(doc)
    _merge(doc)
    for event in doc.fundings:
        evidence = event.evidence[0]
        if event.funded is not None:
            doc.participate(event.funded, event.funder, "funder", evidence)
            if event.recipient and event.recipient != event.funded:
                doc.participate(event.funded, event.recipient, "beneficiary", evidence)
    return doc


_BULLET = re.compile(r"\s*[-–—•·▪*]")


def _line_start(doc: Doc, position: int) -> int:
    return doc.text.rfind("\n", 0, position) + 1


def _header(doc: Doc, sentence: Sentence) -> Mention | None:
    """ "Agence Française de Développement (AFD):" alone on its line: the funder of the list under it."""
    if not sentence.text.rstrip().endswith(":"):
        return None
    orgs = [m for m in doc.in_sentence(sentence, ORGANISATION)]
    if not orgs:
        return None
    rest = doc.text[sentence.start : sentence.end]
    for m in orgs:
        rest = rest.replace(doc.text[m.start : m.end], " ")
    return orgs[0] if not re.sub(r"[\s():–-]", "", rest) else None


def _headline_act(doc: Doc, sentence: Sentence, lex: Locale) -> list[Act]:
    """A headline without a verb: "40 مليون يورو لدعم التعليم في لبنان من الاتحاد الأوروبي", "191 milliards de
    Fcfa de l'UE pour …": a figure and a funder after "de"/"from"/"من" make the act."""
    money = doc.money.get(0, [])
    if len(money) != 1:
        return []
    after = [m for m in doc.in_sentence(sentence, ORGANISATION) if m.start >= money[0].end]
    for m in after:
        if re.search(r"(?:^|\s)(?:de\s+la|de\s+l['’]|du|des|de|d['’]|from(?:\s+the)?|من)\s*$", doc.text[money[0].end : m.start]) and \
                _funder_like(doc, m):  # fmt: skip
            return [Act(money[0].start, money[0].end, "noun", "unspecified")]
    return []


def _donor_and_figure(doc: Doc, index: int, sentence: Sentence) -> list[Act]:
    """A sentence with one figure and one funder of the field and no word for the act ("KfW : 14 millions
    d'euros pour la troisième phase"): in this genre, that is a funding."""
    money = doc.money.get(index, [])
    donors = {m.key for m in doc.in_sentence(sentence, ORGANISATION) if _funder_like(doc, m)}
    if len(money) != 1 or len(donors) != 1:
        return []
    return [Act(money[0].start, money[0].end, "noun", "unspecified")]


def _resolve_shared_names(doc: Doc) -> None:
    """ "23.5 مليون دينار", "5.5 مليون درهم": the currency of that name the document names elsewhere, else the
    funder's ("الصندوق الكويتي … 23.5 مليون دينار للعراق" is in Kuwaiti dinars, "صندوق أبوظبي … درهم" in UAE
    dirhams), else the one of the only such country the document names, else the name's usual one."""
    for name, (countries, usual) in SHARED_NAMES.items():
        if any(q.currency == name for qs in doc.money.values() for q in qs):
            _resolve_name(doc, name, countries, usual)


def _resolve_name(doc: Doc, name: str, countries: dict[str, str], usual: str | None) -> None:
    codes = [q.currency for qs in doc.money.values() for q in qs if q.currency in countries.values()]
    if not codes:
        based = {doc.gazetteer.get(m.key).based_in for m in doc.mentions
                 if m.kind == ORGANISATION and doc.gazetteer.get(m.key) is not None}  # fmt: skip
        codes = sorted({countries[c] for c in (b.rsplit("/", 1)[-1] for b in based if b) if c in countries})
    if not codes:
        places = {m.key.rsplit("/", 1)[-1] for m in doc.mentions if m.kind == REGION}
        places |= {e.country for e in doc.entities.values() if e.country}
        codes = sorted({countries[c] for c in places if c in countries})
    code = codes[0] if len(set(codes)) == 1 else usual
    for index, qs in doc.money.items():
        resolved = [replace(q, currency=code) for q in qs if q.currency == name and code]
        doc.money[index] = sorted([q for q in qs if q.currency != name] + resolved, key=lambda q: q.start)


# -- acts -------------------------------------------------------------------------------------------


def _acts(doc: Doc, sentence: Sentence, lex: Locale) -> list[Act]:
    found: list[Act] = []
    text = sentence.text

    def add(match: re.Match[str], form: str, kind: str) -> None:
        start, end = sentence.start + match.start(), sentence.start + match.end()
        groups = match.groupdict()
        word = groups.get("kind") or ""
        found.append(Act(start, end, form, lex.kind_of(word, text) if kind == "unspecified" else kind, word))

    for form, key in (("agent", "funder_follows"), ("act", "funder_acts")):
        for cue in lex.cues(key):
            for match in cue.pattern.finditer(text):
                add(match, form, cue.kind)
    for cue in lex.money_nouns:
        for match in cue.pattern.finditer(text):
            start = sentence.start + match.start()
            found.append(Act(start, sentence.start + match.end(), "noun",
                             cue.kind if cue.kind != "unspecified" else lex.kind_of(None, text), match.group()))  # fmt: skip
    for match in lex.pattern("fundings", "receives").finditer(text):
        add(match, "receive", "unspecified")
    for match in lex.pattern("fundings", "agreements").finditer(text):
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


# -- one sentence ---------------------------------------------------------------------------------


def _sentence_events(
    doc: Doc, index: int, sentence: Sentence, lex: Locale, acts: list[Act], section: Mention | None = None
) -> None:
    cost = lex.pattern("fundings", "cost_words")
    # "un coût global de 36,6 milliards", "total cost of $400 million": what a project costs is no funding.
    stated = doc.money.get(index, [])
    moneys = [q for q in stated if not cost.search(doc.text[max(sentence.start, q.start - 60) : q.start])]
    if not moneys and len(stated) == 1 and any(a.end <= stated[0].start and _finance_verb(doc, lex, a) for a in acts):
        # "مول صندوق أبوظبي للتنمية مشروع … بتكلفة اجمالية تبلغ 5.5 مليون درهم": what the funder finances at
        # a cost, with no other figure, is the money it gives.
        moneys = list(stated)
    if _breakdown(doc, index, sentence, lex, acts, moneys):
        return
    used: set[int] = set()
    for money in moneys:
        act = _governing_act(acts, money)
        if act is None:
            continue
        funders = _funders_of_money(doc, sentence, lex, money, act, acts)
        if not funders and section is not None:
            funders = [section]  # "– 37,8 millions USD au titre des …" under "Association … (IDA):"
        if not funders and act.form in {"act", "noun", "receive"}:
            funders = _previous_funder(doc, index)
        if not funders:
            continue
        used.update(id(a) for a in acts if a.start <= money.start + _WINDOW and money.end - _WINDOW <= a.end)
        kind = _kind(lex, doc, sentence, act, money)
        recipient = _recipient(doc, sentence, lex, money, act, funders)
        funded = _funded(doc, index, sentence, lex, money.end, act, recipient)
        for funder, amount in _shares(doc, funders, moneys, money):
            _add(doc, index, sentence, funder, funded, recipient, amount, kind, f"event:{act.form}:{lex.code}")
    if not moneys and index > 0:
        _figure_before(doc, index, sentence, lex, acts)
    # Acts with no figure: "financé par l'Union européenne", "with support from the EU", "X cofinanceront".
    finance = lex.pattern("fundings", "finance_verbs")
    for act in acts:
        if (
            act.form == "act"
            and finance.fullmatch(doc.text[act.start : act.end].strip())
            and not any(abs(q.start - act.end) < _WINDOW for q in moneys)
        ):
            _financing_verb(doc, index, sentence, lex, act)
            continue
        if act.form not in {"agent", "agreement"} or any(
            doc.money.get(index) and abs(q.start - act.end) < _WINDOW for q in moneys
        ):
            continue
        funders = _funders_without_money(doc, sentence, lex, act)
        if not funders:
            continue
        recipient = _recipient(doc, sentence, lex, None, act, funders)
        funded = _funded_before(doc, index, sentence, lex, act) or _funded(
            doc, index, sentence, lex, act.end, act, recipient
        )
        for funder in funders:
            _add(doc, index, sentence, funder, funded, recipient, None, act.kind, f"event:{act.form}:{lex.code}")


def _finance_verb(doc: Doc, lex: Locale, act: Act) -> bool:
    """Whether the act is a verb that states a funding on its own ("finance", "cofinanceront", "مول")."""
    word = doc.text[act.start : act.end].strip()
    # (A space after the word: the Arabic patterns end on a lookahead for one.)
    found = lex.pattern("fundings", "finance_verbs").match(word + " ")
    return act.form == "act" and found is not None and found.end() >= len(word)


def _breakdown(doc: Doc, index: int, sentence: Sentence, lex: Locale, acts: list[Act], moneys: list[Quantity]) -> bool:
    """ "Of the €54 million, €18 million has been channelled to …, the Nutrition programme has received €9
    million", "Sur ces 20 millions, 12 iront au projet …": a sentence that restates an earlier funding's sum
    and splits it gives that funding's parts, each to the project written with it."""
    earlier = {
        (e.amount.value, e.amount.currency): e for e in doc.fundings if e.amount is not None and e.sentence < index
    }
    share_of = lex.pattern("fundings", "share_of")
    total = next((q for q in moneys if (q.value, q.currency) in earlier
                  and share_of.search(doc.text[max(sentence.start, q.start - 40) : q.start])), None)  # fmt: skip
    if total is None:
        return False
    parts = [q for q in moneys if q is not total and q.currency == total.currency and q.value < total.value]
    if not parts:
        return False
    event = earlier[(total.value, total.currency)]
    funder = next((m for m in doc.mentions if m.key == event.funder and m.kind == ORGANISATION), None)
    if funder is None:
        return False
    receive = [a for a in acts if a.form == "receive"]
    owner: dict[int, str] = {}
    for project in doc.in_sentence(sentence, PROJECT):
        following = next((q for q in parts if q.start >= project.end), None)
        # "the Nutrition programme has received €9 million": the project right before a receiving verb.
        if following is not None and any(
            0 <= a.start - project.end <= 15 and a.end <= following.start for a in receive
        ):
            owner.setdefault(id(following), doc.resolve(project) or project.key)
            continue
        preceding = [q for q in parts if q.end <= project.start]
        if preceding and id(preceding[-1]) not in owner:
            owner[id(preceding[-1])] = doc.resolve(project) or project.key
    if not owner:
        return False  # "… 7,8 milliards dont 5,247 milliards sous forme de prêt": kinds of one funding, not parts
    for part in parts:
        # A part written with no project of its own is the total's project's, if the total went to one.
        funded = owner.get(id(part)) or (event.funded if event.funded in doc.projects else None)
        if funded is not None:
            _add(doc, index, sentence, funder, funded, event.recipient, part, event.kind, f"event:part:{lex.code}")
    return True


def _figure_before(doc: Doc, index: int, sentence: Sentence, lex: Locale, acts: list[Act]) -> None:
    """ "Un montant de 2 millions d'euros. C'est la contribution de l'Union européenne au Fonds …": the
    figure of the sentence before, stated with no act, is the money this sentence's act names."""
    previous = doc.money.get(index - 1, [])
    used = {(e.amount.start if e.amount else -1) for e in doc.fundings}
    free = [q for q in previous if q.start not in used]
    noun = next((a for a in acts if a.form == "noun"), None)
    if len(free) != 1 or noun is None:
        return
    funders = orgs_after(doc, noun.end, sentence, lex, states=True, money_between=False, limit=14)
    if not funders or not re.match(r"\s*(?:de|d['’]|du|des|from|of|من)\b", doc.text[noun.end : funders[0].start], re.I):
        return
    recipient = _recipient(doc, sentence, lex, None, noun, funders)
    funded = _funded(doc, index, sentence, lex, noun.end, noun, recipient)
    _add(doc, index, sentence, funders[0], funded, recipient, free[0], noun.kind, f"event:figure-before:{lex.code}")


def _financing_verb(doc: Doc, index: int, sentence: Sentence, lex: Locale, act: Act) -> None:
    """ "La Commission européenne, l'AFD et la BAD cofinanceront également ce programme": the subjects
    fund the object (or what the document is about)."""
    funders = [m for m in _coordinated_before(doc, sentence, lex, act.start) if act.start - m.end < 80]
    if lex.code == "ar" and not funders:
        funders = orgs_after(doc, act.end, sentence, lex, states=True, limit=20)
    if not funders:
        return
    funded = doc.project_near(sentence, act.end, before=False) or doc.project_near(sentence, act.start)
    funded = funded or doc.salient_project()
    if funded is None:
        return
    for funder in funders:
        _add(doc, index, sentence, funder, funded, None, None, act.kind, f"event:finances:{lex.code}")


def _governing_act(acts: list[Act], money: Quantity) -> Act | None:
    """The act a figure belongs to: the nearest one, a money noun right before it first."""
    best, best_distance = None, _WINDOW
    for act in acts:
        distance = money.start - act.end if act.end <= money.start else act.start - money.end
        if distance < 0:
            distance = 0
        if act.form == "noun" and 0 <= money.start - act.end <= 25:
            distance -= 30  # "un prêt de 39,2 millions", "a grant of $5 million"
        if distance < best_distance:
            best, best_distance = act, distance
    return best


def _funders_of_money(
    doc: Doc, sentence: Sentence, lex: Locale, money: Quantity, act: Act, acts: list[Act]
) -> list[Mention]:
    # 0. "…، وآلية تسهيلات التمويل الميسر بقيمة 7 ملايين دولار", "la BEI, à hauteur de 45 millions"
    links = lex.pattern("fundings", "amount_links")
    before = org_before(doc, sentence, money.start)
    # ("… قطاع التعليم في لبنان بقيمة 40 مليون": a place where the money goes is no funder.)
    located = (
        before is not None
        and doc.is_state(before.key)
        and lex.pattern("places", "locative").search(doc.text[max(sentence.start, before.start - 12) : before.start])
    )
    if before is not None and links.fullmatch(doc.text[before.end : money.start]) and not located and \
            not _is_recipient_position(doc, sentence, lex, before.start) and before.end > act.start - _WINDOW:  # fmt: skip
        return [acting(doc, before)]
    # 1. "… de 26 millions de dollars de la FAT", "$200 million from the Mastercard Foundation"
    after = orgs_after(doc, money.end, sentence, lex, states=True, money_between=False, limit=12)
    genitive = after and re.match(r"\s*(?:de|d['’]|du|des|from|of|من)\b", doc.text[money.end : after[0].start], re.I)
    if genitive and not _is_recipient_position(doc, sentence, lex, after[0].start):
        return after
    # 1b. "dont 10 millions de crédit concessionnel de l'IDA": the money noun right after the figure names
    # the funder of that part, before any agent cue of the sentence.
    if act.form == "noun" and 0 <= act.start - money.end <= 25:
        found = [m for m in actors(doc, sentence) if 0 <= m.start - act.end <= 40]
        gap = doc.text[act.end : found[0].start] if found else ""
        if found and re.fullmatch(
            r"\s*(?:[^\W\d_]+\s+){0,4}?(?:de|d['’]|du|des|from|of|من)\s*(?:la\s+|l['’]|le\s+|les\s+|the\s+)?", gap, re.I
        ):
            return [acting(doc, found[0])]
    # 2. an agent cue near the figure: "… 5 millions d'euros, financé par l'UE", "… provient du FAD"
    for cue in sorted((a for a in acts if a.form == "agent"), key=lambda a: abs(a.start - money.end)):
        if abs(cue.start - money.end) > _WINDOW and abs(money.start - cue.end) > _WINDOW:
            break
        found = orgs_after(doc, cue.end, sentence, lex, states=True)
        if found:
            return found + _more_funders(doc, sentence, lex, found[-1].end)
    # 3. "la contribution de l'UE de 9 millions", "IDA loan of $210 million", "the World Bank's $5m grant"
    if act.form in {"noun", "agreement"}:
        found = orgs_after(doc, act.end, sentence, lex, states=True, money_between=False, limit=14)
        # "… de l'UE de 9 millions", "a USD 3.2 million grant from the World Bank", "مساهمة إضافية من الاتحاد":
        # before or after the figure, an adjective between.
        if found and re.match(r"\s*(?:[^\W\d_]+\s+)?(?:de|d['’]|du|des|from|of|من)\b", doc.text[act.end : found[0].start], re.IGNORECASE) \
                and not _is_recipient_position(doc, sentence, lex, found[0].start):  # fmt: skip
            return found
        before = org_before(doc, sentence, act.start)
        if before is not None and re.fullmatch(r"\s*(?:['’]s\s*)?(?:\S+\s+){0,2}", doc.text[before.end : act.start]) \
                and sentence.language == "en" and _funder_like(doc, before):  # fmt: skip
            return [acting(doc, before)]
    # 4. an agreement: the party that funds
    agreement = next((a for a in acts if a.form == "agreement" and abs(a.start - money.start) < _WINDOW * 2), None)
    if agreement is not None:
        funders, _ = _agreement_roles(doc, sentence, lex, agreement)
        if funders:
            return funders
    # 5. the subject: before the act ("la BAD a approuvé un prêt"); after it in verb-subject order
    if act.form == "receive":
        return []  # "the Nutrition programme has received €9 million": the subject is who receives
    subject = _subject(doc, sentence, lex, act, money)
    return [subject] if subject is not None else []


def _previous_funder(doc: Doc, index: int) -> list[Mention]:
    """ "Le reste … provient …", "le pays recevra 51 millions pour …": a figure with an act and no funder
    named in its sentence is the funder of the sentence before (or the one before that)."""
    previous = [e for e in doc.fundings if index - 2 <= e.sentence < index]
    if not previous:
        return []
    funder = previous[-1].funder
    mention = next((m for m in doc.mentions if m.key == funder and m.kind == ORGANISATION), None)
    return [mention] if mention is not None else []


def _funders_without_money(doc: Doc, sentence: Sentence, lex: Locale, act: Act) -> list[Mention]:
    if act.form == "agreement":
        funders, _ = _agreement_roles(doc, sentence, lex, act)
        if not funders:
            # "deux accords de crédit et de don de l'Association internationale de développement": the
            # lender after the agreement's noun.
            after = orgs_after(doc, act.end, sentence, lex, states=True, limit=8)
            genitive = after and re.fullmatch(r"\s*(?:de\s+la|de\s+l['’]|du|des|de|of|from|من)\s*(?:the\s+)?",
                                              doc.text[act.end : after[0].start], re.IGNORECASE)  # fmt: skip
            funders = after[:1] if genitive and _funder_like(doc, after[0]) else []
        return funders
    found = orgs_after(doc, act.end, sentence, lex, states=True)
    return found + _more_funders(doc, sentence, lex, found[-1].end) if found else []


def _more_funders(doc: Doc, sentence: Sentence, lex: Locale, position: int) -> list[Mention]:
    """ "cofinancé par la BAD, qui a approuvé …, et par la BEI": funders after a second agent."""
    found: list[Mention] = []
    pattern = lex.pattern("fundings", "more_funders")
    while True:
        more = pattern.search(doc.text[position : min(sentence.end, position + 160)])
        if more is None:
            return found
        extra = orgs_after(doc, position + more.end(), sentence, lex, states=True)
        if not extra:
            return found
        found += [m for m in extra if m.key not in {f.key for f in found}]
        position = extra[-1].end


def _subject(doc: Doc, sentence: Sentence, lex: Locale, act: Act, money: Quantity | None) -> Mention | None:
    candidates = actors(doc, sentence)
    before = [m for m in candidates if m.end <= act.start and act.start - m.end <= _WINDOW]
    before = [m for m in before if not _is_recipient_position(doc, sentence, lex, m.start)]
    if lex.code == "ar" and act.form in {"act", "agreement"}:
        # "وقعت موريتانيا والبنك الإسلامي للتنمية اتفاقية تمويل", "ويمول البنك الدولي المشروع"
        following = [m for m in candidates if m.start >= act.end and m.start - act.end <= 40]
        if following:
            parties = orgs_after(doc, act.end, sentence, lex, states=True, limit=40)
            funders = [p for p in parties if _funder_like(doc, p)]
            if funders:
                return funders[0]
            if parties and not before:
                return parties[0]
    if not before:
        return None
    # Past a relative or a long aside the subject is still the first actor of the clause
    # ("La Banque africaine de développement (BAD) a annoncé le 5 août l'approbation d'un prêt").
    nearest = before[-1]
    if not _funder_like(doc, nearest):
        # "En fonction de la vision du Niger, l'UE a débloqué": the funder of the clause, not a place in it.
        funder = next((m for m in reversed(before) if _funder_like(doc, m)), None)
        nearest = funder or nearest
    return acting(doc, nearest)


def _funder_like(doc: Doc, mention: Mention) -> bool:
    entity = doc.entities.get(mention.key)
    if entity is None:
        return False
    if entity.type in FUNDER_TYPES:
        return True
    code = entity.country or (mention.key.rsplit("/", 1)[-1] if doc.is_state(mention.key) else None)
    return code in states.donors()


def _united_nations_body(doc: Doc, mention: Mention) -> bool:
    entry = doc.gazetteer.get(mention.key)
    return entry is not None and any(p.endswith("/organisation/un") for p in entry.parents)


def _agreement_roles(doc: Doc, sentence: Sentence, lex: Locale, act: Act) -> tuple[list[Mention], list[Mention]]:
    keys = agreement_parties(doc, sentence, act.end, lex, group=True)
    if len(keys) < 2:
        # "وقعت موريتانيا والبنك الإسلامي للتنمية اتفاقية تمويل": the parties are the subjects.
        parties = _coordinated_before(doc, sentence, lex, act.start)
        partner = re.search(r"\b(?:avec|with)\b|(?:^|\s)مع\s", doc.text[sentence.start : sentence.end])
        if partner:
            parties += orgs_after(doc, sentence.start + partner.end(), sentence, lex, states=True)
    else:
        by_key = {m.key: m for m in (acting(doc, m) for m in actors(doc, sentence))}
        parties = [by_key[k] for k in keys if k in by_key]
    unique: dict[str, Mention] = {}
    for m in parties:
        unique.setdefault(m.key, m)
    parties = list(unique.values())
    funders = [m for m in parties if _funder_like(doc, m)]
    others = [m for m in parties if m not in funders]
    if len(funders) > 1 and not others:
        # "وقع الاتحاد الأوروبي ومنظمة الأمم المتحدة للطفولة اتفاق شراكة … بقيمة 3.6 ملايين يورو": between a
        # donor and a United Nations agency, the agency carries the work out and receives.
        others = [m for m in funders if _united_nations_body(doc, m)]
        funders = [m for m in funders if m not in others]
    if not funders or not others:
        return [], []
    return funders[:1] if len(funders) > 1 and len(others) == 0 else funders, others


def _coordinated_before(doc: Doc, sentence: Sentence, lex: Locale, position: int) -> list[Mention]:
    """The actors coordinated together nearest before ``position`` ("موريتانيا والبنك الإسلامي للتنمية")."""
    candidates = [m for m in actors(doc, sentence) if m.end <= position]
    if not candidates:
        return []
    glue = re.compile(rf"^(?:{lex.text('grammar', 'coordination')})(?:{lex.text('grammar', 'determiners')}\s*)?$",
                      re.IGNORECASE)  # fmt: skip
    group = [candidates[-1]]
    for m in reversed(candidates[:-1]):
        between = doc.text[m.end : group[0].start]
        if m.key == group[0].key and re.fullmatch(r"\s*[(«\"“]\s*", between):
            group[0] = m  # "l'Union européenne (UE)", "منظمة الأمم المتحدة للطفولة «يونيسيف»": one party
            continue
        if m.end <= group[0].start and (glue.match(between) or (lex.code == "ar" and not between.strip())):
            group.insert(0, m)
        elif m.start >= group[0].start:
            continue  # two mentions of one span (a place and the state acting)
        else:
            break
    return [acting(doc, m) for m in group]


_AR_STATE_WORD = re.compile(r"(?:^|\s)ل(?:ال)?(?:جمهوري|دول|مملك|حكوم|سلطن|امار|إمار)[ةه]?\s*$")


def _stands_for_a_state(doc: Doc, mention: Mention) -> bool:
    entity = doc.entities.get(mention.key)
    return doc.is_state(mention.key) or (entity is not None and entity.country is not None)


def _is_recipient_position(doc: Doc, sentence: Sentence, lex: Locale, position: int) -> bool:
    before = doc.text[max(sentence.start, position - 40) : position]
    if lex.code == "ar" and _AR_STATE_WORD.search(before):
        return True  # "يخصص الصندوق … لجمهورية جيبوتي منحة"
    if lex.code == "ar" and doc.text[position : position + 1] == "ل" and doc.text[position : position + 3] != "لل" and \
            any(m.start == position and m.kind == REGION for m in doc.mentions):  # fmt: skip
        return True  # "لجمهورية جيبوتي": the attached ل of a state is "to"
    return bool(lex.pattern("fundings", "recipient_markers").search(before))


def _recipient(
    doc: Doc, sentence: Sentence, lex: Locale, money: Quantity | None, act: Act, funders: list[Mention]
) -> str | None:
    funder_keys = {f.key for f in funders}
    if act.form == "receive":
        before = org_before(doc, sentence, act.start)
        if before is not None and acting(doc, before).key not in funder_keys:
            return acting(doc, before).key
    agreements = [act] if act.form == "agreement" else [a for a in _acts(doc, sentence, lex) if a.form == "agreement"]
    for agreement in agreements:
        # "وقعت الحكومة الفلسطينية مع ألمانيا … اتفاقية دعم مالي مقدمة من ألمانيا": the other party receives.
        agreement_funders, others = _agreement_roles(doc, sentence, lex, agreement)
        if others and (agreement is act or funder_keys & {f.key for f in agreement_funders}):
            return others[0].key
    anchor = money.end if money is not None else act.end
    if lex.code == "ar" and act.form == "act":
        # "الصندوق السعودي للتنمية يمنح اليمن 85 مليون دولار": the object follows the verb.
        obj = next(
            (m for m in actors(doc, sentence) if 0 <= m.start - act.end <= 2 and _stands_for_a_state(doc, m)), None
        )
        if obj is not None and acting(doc, obj).key not in funder_keys:
            return acting(doc, obj).key
    markers = lex.pattern("fundings", "recipient_markers")
    # "Rwanda, South Korea sign a Rwf 8.7 billion grant": the other party of the funder's group.
    group = _coordinated_before(doc, sentence, lex, act.start)
    if any(m.key in funder_keys for m in group):
        other = next((m for m in group if m.key not in funder_keys), None)
        if other is not None:
            return other.key
    signed = lex.pattern("fundings", "signed_with")
    for m in actors(doc, sentence):
        # "KfW signed an agreement with the Malawi government to provide a €54 million grant": the funder's
        # counterpart receives.
        if m.end <= act.start and _stands_for_a_state(doc, m) and acting(doc, m).key not in funder_keys and \
                signed.search(doc.text[max(sentence.start, m.start - 60) : m.start]):  # fmt: skip
            return acting(doc, m).key
    # ("تقديم مساعدات مالية إلى ليبيا بأكثر من 6 ملايين يورو": the recipient may stand before the figure.)
    lower = min(anchor, act.start, money.start if money is not None else anchor) - 40
    for m in actors(doc, sentence):
        if m.start < lower or m.start - anchor > _WINDOW:
            continue
        if markers.search(doc.text[max(sentence.start, m.start - 40) : m.start]) or (
            lex.code == "ar" and doc.text[m.start] == "ل" and _stands_for_a_state(doc, m)
        ):
            key = acting(doc, m).key
            if key not in funder_keys:
                return key
    return None


def _funded(
    doc: Doc, index: int, sentence: Sentence, lex: Locale, position: int, act: Act, recipient: str | None
) -> str | None:
    """The project the money is for, in this sentence: after a purpose cue, else the nearest one."""
    purpose = lex.pattern("fundings", "purpose_markers")
    window = doc.text[position : sentence.end]
    possessed = _possessed(doc, index, sentence, lex, position)
    if possessed is not None:
        return possessed
    verbed = _object_of_verb(doc, index, sentence, lex, position)
    if verbed is not None:
        return verbed
    for cue in purpose.finditer(window):
        start = position + cue.end()
        project = doc.project_near(sentence, start, before=False)
        named = [m for m in doc.in_sentence(sentence, PROJECT) if m.start >= start]
        if project is not None and named and named[0].start - start <= 40:
            return project
        phrase = _phrase_project(doc, index, sentence, lex, start)
        if phrase is not None:
            return phrase
    named = _object_of_noun(doc, index, sentence, lex, position)
    if named is not None:
        return named
    mentions = doc.in_sentence(sentence, PROJECT)
    # (A project written right after another figure of the sentence is that figure's: "21 millions … à des
    # projets de villes vertes … et 17 millions pour …".)
    others = [q.end for q in doc.money.get(index, []) if q.end != position]
    mentions = [m for m in mentions
                if not any(o <= m.start and m.start - o < abs(m.start - position) for o in others)]  # fmt: skip
    if mentions:
        nearest = min(mentions, key=lambda m: abs(m.start - act.start))
        return doc.resolve(nearest)
    return recipient


def _object_of_verb(doc: Doc, index: int, sentence: Sentence, lex: Locale, position: int) -> str | None:
    """ "la BADEA financera la construction des lycées … pour un montant de 30 millions", "…, avec une enveloppe
    de 20 millions $, se chargera de financer la construction du lycée technique de Daloa": the undertaking a
    financing verb near the figure takes as its object."""
    verbs = lex.pattern("fundings", "object_verbs")
    for act in _acts(doc, sentence, lex):
        if (
            act.form != "act"
            or abs(act.start - position) > _WINDOW
            or not verbs.fullmatch(doc.text[act.start : act.end].strip())
        ):
            continue
        phrase = _phrase_project(doc, index, sentence, lex, act.end)
        if phrase is not None:
            return phrase
    return None


def _object_of_noun(doc: Doc, index: int, sentence: Sentence, lex: Locale, position: int) -> str | None:
    """ "… une enveloppe de 30 millions de dollars le financement de la construction de centres …": the
    undertaking a financing noun near the figure names."""
    for noun in lex.pattern("fundings", "object_of_noun").finditer(sentence.text):
        if abs(sentence.start + noun.start() - position) <= _WINDOW:
            phrase = _phrase_project(doc, index, sentence, lex, sentence.start + noun.end())
            if phrase is not None:
                return phrase
    return None


def _possessed(doc: Doc, index: int, sentence: Sentence, lex: Locale, position: int) -> str | None:
    """ "to the World Bank's multi-donor fund for Somalia": what the money goes to is the owner's fund."""
    if lex.code != "en":
        return None
    for m in actors(doc, sentence, states=False):
        if m.start < position or m.start - position > 30:
            continue
        tail = re.match(r"['’]s\s+", doc.text[m.end : m.end + 4])
        if tail is None:
            continue
        start = m.end + tail.end()
        head = re.match(rf"(?:[\w-]+\s+){{0,3}}?(?:fund|trust\s+fund|facility|{lex.text('projects', 'nouns')})\b",
                        doc.text[start : sentence.end], re.IGNORECASE)  # fmt: skip
        if head is None:
            return None
        end = chunk_end(doc, sentence, start + head.end(), lex, limit=8) or start + head.end()
        return add_project(doc, index, sentence, start, end, None, "pattern:possessed-fund", 0.6).key
    return None


def _funded_before(doc: Doc, index: int, sentence: Sentence, lex: Locale, act: Act) -> str | None:
    """ "la construction de nouveaux centres … sur financement de X", "The project is financed by":
    what comes before a passive cue."""
    project = doc.project_near(sentence, act.start)
    if project is not None:
        return project
    prefix = doc.text[sentence.start : act.start]
    boundary = max(prefix.rfind(c) for c in ",;:،(")
    chunk_start = sentence.start + boundary + 1 if boundary != -1 else sentence.start
    chunk = doc.text[chunk_start : act.start]
    head = re.search(rf"(?<![\w])(?:(?:{lex.text('projects', 'nouns')})|(?:{lex.text('projects', 'undertakings')}))(?![\w])",
                     chunk, re.IGNORECASE)  # fmt: skip
    if head is None:
        return None
    start = chunk_start + head.start()
    phrase = trim_phrase(doc.text[start : act.start])
    if not 2 <= len(tokenize(phrase)) <= 14 or _counted(lex, phrase):
        return None
    return add_project(doc, index, sentence, start, start + len(phrase), None, "pattern:funded-phrase", 0.6).key


def trim_phrase(phrase: str) -> str:
    """Drop a trailing date or auxiliary from a noun phrase ('… سنة 2008', '… en 2008', '… a été')."""
    phrase = phrase.rstrip()
    phrase = re.sub(r"\s+(?:سنة|عام|في|en|in|au|à)\s+\d{4}\s*$", "", phrase)
    phrase = re.sub(r"\s+\d{4}\s*$", "", phrase)
    phrase = re.sub(r"\s+(?:a\s+été|ont\s+été|est|sont|sera|seront|was|were|is|are|will\s+be|تم|قد)\s*$", "", phrase)
    return phrase.strip(" ,;:")


def _phrase_project(doc: Doc, index: int, sentence: Sentence, lex: Locale, position: int) -> str | None:
    """ "to support a skills development program for youth in Aswan", "pour la construction de …":
    an undertaking after a purpose cue, headed by a project or action noun."""
    rest = doc.text[position : sentence.end]
    lead = re.match(
        r"\s*(?:(?:la|le|les|l['’]|un|une|des|du|de|d['’]|the|a|an|new|nouveaux?|nouvelles?)\s+|l['’])*",
        rest,
        re.IGNORECASE,
    )
    start = position + (lead.end() if lead else 0)
    if lex.pattern("projects", "possessives").match(doc.text, start):
        return None  # "dans le cadre de ses projets communautaires": the funder's own, no one undertaking
    head = re.match(rf"(?:[\w-]+\s+){{0,3}}?(?:{lex.text('projects', 'nouns')}|{lex.text('projects', 'undertakings')})(?![\w])",
                    doc.text[start : sentence.end], re.IGNORECASE)  # fmt: skip
    if head is None or doc.overlapping(start, start + head.end(), (ORGANISATION, PROJECT)):
        return None
    end = chunk_end(doc, sentence, start + head.end(), lex, limit=14) or start + head.end()
    if len(tokenize(doc.text[start:end])) < 2 or _counted(lex, doc.text[start:end]):
        return None
    return add_project(doc, index, sentence, start, end, None, "pattern:purpose-phrase", 0.6).key


def _counted(lex: Locale, phrase: str) -> bool:
    """ "financing of four projects", "plusieurs programmes": projects counted are no one project's name."""
    return lex.pattern("projects", "counted").search(phrase) is not None


def _kind(lex: Locale, doc: Doc, sentence: Sentence, act: Act, money: Quantity) -> str:
    if act.kind != "unspecified":
        return act.kind
    near = doc.text[max(sentence.start, money.start - 60) : min(sentence.end, money.end + 40)]
    return lex.kind_of(None, near)


def _shares(
    doc: Doc, funders: list[Mention], moneys: list[Quantity], money: Quantity
) -> list[tuple[Mention, Quantity | None]]:
    """Co-funders each with their own figure, written after the name and before the next one; one
    figure for several funders is their total, nobody's share."""
    if len(funders) == 1:
        return [(funders[0], money)]
    out: list[tuple[Mention, Quantity | None]] = []
    for i, funder in enumerate(funders):
        limit = funders[i + 1].start if i + 1 < len(funders) else funder.end + 80
        own = next((q for q in moneys if funder.end <= q.start <= limit), None)
        out.append((funder, own))
    return out


def _add(
    doc: Doc, index: int, sentence: Sentence, funder: Mention, funded: str | None, recipient: str | None,
    amount: Quantity | None, kind: str, method: str,
) -> None:  # fmt: skip
    funder = acting(doc, funder)
    if funded is not None and _is_agreement(doc, funded) and recipient is not None:
        funded = recipient  # the money of an agreement goes to its other party, not to the agreement
    if funded == funder.key:
        funded = None
    if recipient == funder.key:
        recipient = None
    evidence = doc.sentence_evidence(sentence, method, 0.8 if funded and funded in doc.projects else 0.7)
    doc.fundings.append(FundingEvent(funder.key, funded, recipient, amount, kind, [evidence], index))


# -- across sentences -----------------------------------------------------------------------------


def _refer_back(doc: Doc) -> None:
    """ "Ce financement soutiendra le Projet …": a later sentence names what the money is for."""
    for event in doc.fundings:
        if event.funded in doc.projects:
            continue
        for index in range(event.sentence, min(event.sentence + 3, len(doc.sentences))):
            sentence = doc.sentences[index]
            lex = doc.lex(sentence)
            refer = lex.pattern("fundings", "money_anaphora").search(sentence.text)
            if index > event.sentence and refer is None:
                continue
            start = sentence.start + (refer.end() if refer else 0)
            named = [
                m for m in doc.in_sentence(sentence, PROJECT) if m.start >= start and not _is_agreement(doc, m.key)
            ]
            if index > event.sentence and not named:
                # "Ces fonds sont destinés à la construction d'une École …": what follows the purpose cue.
                cue = (
                    lex.pattern("fundings", "purpose_markers").search(doc.text, start, sentence.end) if refer else None
                )
                phrase = _phrase_project(doc, index, sentence, lex, cue.end() if cue else start) if refer else None
                if phrase is not None:
                    event.funded = phrase
                    event.evidence.append(doc.sentence_evidence(sentence, "event:refers-back", 0.7))
                    break
                continue
            if named:
                if index > event.sentence:
                    event.evidence.append(doc.sentence_evidence(sentence, "event:refers-back", 0.7))
                    _amount_refers_back(doc, event, index, refer)
                event.funded = doc.resolve(named[0])
                break
    only = _only_project(doc)
    for event in doc.fundings:
        others = [e for e in doc.fundings if e is not event and e.funder == event.funder and e.funded == only]
        # (When the funder gives that project money of its own, this sum is another: "59,5 millions" for the
        # country, "51 millions" for its plan.)
        if only is not None and event.funded not in doc.projects and event.funder != only and not others:
            # "La Banque mondiale a octroyé 25 milliards à la Côte d'Ivoire … au cours du lancement du Projet
            # création d'emplois jeunes": in a document about one named project, the money is for it.
            event.recipient = event.recipient or event.funded
            event.funded = only
        if event.funded is None:
            # Money the sentence does not place goes to its recipient, else to what the document is about,
            # else to the country where the sentence says it goes ("تبرعت فنلندا بمبلغ … للتعليم في الصومال").
            event.funded = event.recipient or doc.salient_project() or _country_of_sentence(doc, event)
    doc.fundings = [e for e in doc.fundings if e.funded is not None and e.funded != e.funder]


def _is_agreement(doc: Doc, key: str) -> bool:
    entity = doc.entities.get(key)
    return entity is not None and entity.type == "PartnershipAgreement"


def _amount_refers_back(doc: Doc, event: FundingEvent, index: int, refer: re.Match[str] | None) -> None:
    """ "… signed three financing agreements. The agreements, worth Euro 15 million, …": the one figure of the
    sentence that refers back is the money of the act."""
    sentence = doc.sentences[index]
    if event.amount is not None or refer is None or refer.start() > 40:
        return
    used = {e.amount.start for e in doc.fundings if e.amount is not None}
    free = [q for q in doc.money.get(index, []) if q.start not in used]
    if len(free) == 1 and free[0].start - (sentence.start + refer.end()) < 60:
        event.amount = free[0]


_NAMED = ("pattern:named-project", "pattern:quoted-project", "pattern:project-acronym", "pattern:described-project",
          "pattern:name-acronym-project", "alias")  # fmt: skip


def _only_project(doc: Doc) -> str | None:
    """The one project the document names (an agreement or a purpose phrase is no name), if it names one."""
    named = {m.key for m in doc.mentions if m.kind == PROJECT and m.method in _NAMED}
    named = {k for k in named if doc.entities[k].type != "PartnershipAgreement"}
    return next(iter(named)) if len(named) == 1 else None


def _country_of_sentence(doc: Doc, event: FundingEvent) -> str | None:
    """The one country the sentence places the money in ("في الصومال", "in Chad", "au Niger"), if it is not the
    funder's own."""
    funder = doc.entities.get(event.funder)
    entry = doc.gazetteer.get(event.funder)
    own = (funder.country if funder is not None else None) or (
        entry.based_in.rsplit("/", 1)[-1] if entry is not None and entry.based_in else None
    )
    sentence = doc.sentences[event.sentence]
    locative = doc.lex(sentence).pattern("places", "locative")
    placed = [m for m in doc.in_sentence(sentence, REGION) if doc.is_state(m.key) and m.key.rsplit("/", 1)[-1] != own
              and locative.search(doc.text[max(sentence.start, m.start - 12) : m.start])]  # fmt: skip
    if len({m.key for m in placed}) != 1:
        return None
    return acting(doc, placed[0]).key


def _merge(doc: Doc) -> None:
    """One funding per money stated: same funder and the same figure (or one without a figure)."""
    merged: list[FundingEvent] = []
    for event in doc.fundings:
        twin = next((m for m in merged if _same(doc, m, event)), None)
        if twin is None:
            merged.append(event)
            continue
        if (twin.amount is None and event.amount is not None) or (
            twin.amount is not None and event.amount is not None and _approximate(doc, twin.amount)
        ):
            twin.amount = event.amount
        if twin.funded not in doc.projects and event.funded in doc.projects:
            twin.recipient = twin.recipient or (twin.funded if twin.funded != event.funded else None)
            twin.funded = event.funded
        if twin.kind == "unspecified":
            twin.kind = event.kind
        twin.recipient = twin.recipient or event.recipient
        known = {(e.start, e.end) for e in twin.evidence}
        twin.evidence += [e for e in event.evidence if (e.start, e.end) not in known]
    doc.fundings = merged


def _state_through_agency(doc: Doc) -> None:
    """ "Le Mali et le Qatar ont signé un accord de 40 millions" and "le Fonds Qatari … 40 millions": the state
    and its development agency paying the same sum are one funder, the agency; the state's other sums in the
    document ("dont 24,5 millions sous forme de prêt") are the agency's too."""
    through: dict[str, set[str]] = {}
    for a in doc.fundings:
        for b in doc.fundings:
            code = _state_of(doc, a.funder)
            if code and a.amount and b.amount and (a.amount.value, a.amount.currency) == (b.amount.value, b.amount.currency) \
                    and _agency_country(doc, b.funder) == code:  # fmt: skip
                through.setdefault(a.funder, set()).add(b.funder)
    for event in doc.fundings:
        agencies = through.get(event.funder, set())
        if len(agencies) == 1:
            event.funder = next(iter(agencies))


def _state_of(doc: Doc, key: str) -> str | None:
    entity = doc.entities.get(key)
    if doc.is_state(key):
        return key.rsplit("/", 1)[-1]
    return entity.country if entity is not None else None


def _agency_country(doc: Doc, key: str) -> str | None:
    entry = doc.gazetteer.get(key)
    return entry.based_in.rsplit("/", 1)[-1] if entry is not None and entry.based_in else None


def _same(doc: Doc, a: FundingEvent, b: FundingEvent) -> bool:
    if a.funder != b.funder:
        return False
    if a.funded == b.funded and (a.amount is None or b.amount is None):
        return True
    if a.amount is None or b.amount is None or a.amount.currency != b.amount.currency:
        return False
    if a.amount.value == b.amount.value:
        if a.funded and b.funded and a.funded != b.funded and not {a.funded, b.funded} & doc.projects.keys():
            return False  # "500 مليون دولار موجها للمغرب" and, a year before, "500 مليون دولار لمصر": two recipients
        # The headline's "… à la Côte d'Ivoire" and the body's programme: the same money stated twice.
        return a.funded == b.funded or a.funded not in doc.projects or b.funded not in doc.projects
    # "près de 200 milliards" and "191 milliards": a rounded figure of the same money.
    close = abs(a.amount.value - b.amount.value) <= Decimal("0.05") * max(a.amount.value, b.amount.value)
    return close and (_approximate(doc, a.amount) or _approximate(doc, b.amount))


def _approximate(doc: Doc, amount: Quantity) -> bool:
    return qualifier_before(doc.text[: amount.start], amount.start)[0] in {"approximately", "more-than", "up-to"}
