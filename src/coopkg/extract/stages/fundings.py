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
from dataclasses import replace

from coopkg.extract.doc import ORGANISATION, PROJECT, REGION, Doc, FundingEvent, Mention
from coopkg.extract.lexicon import Locale
from coopkg.extract.numbers import SHARED_NAMES, Quantity
from coopkg.extract.stages.coreference import acting, actors, org_before, orgs_after
from coopkg.extract.stages.funded import funded_before, funded_in_sentence, phrase_project
from coopkg.extract.stages.funding_acts import (
    WINDOW,
    Act,
    donor_and_figure,
    finance_verb,
    find_acts,
    funder_like,
    governing_act,
    headline_act,
    ranked_act,
    restated,
)
from coopkg.extract.stages.funding_links import merge, refer_back, state_through_agency
from coopkg.extract.stages.projects import agreement_parties
from coopkg.extract.text import Sentence


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
        acts = find_acts(doc, sentence, lex)
        if not acts and index == 0:
            acts = headline_act(doc, sentence, lex)
        if not acts:
            acts = donor_and_figure(doc, index, sentence) or ranked_act(doc, index, sentence, lex)
        _financiers_listed(doc, index, sentence, lex)
        if acts:
            _sentence_events(doc, index, sentence, lex, acts, section)
            _premodified_projects(doc, index, sentence)
        elif _premodified_projects(doc, index, sentence):
            pass
        elif doc.money.get(index):
            # "Of the total amount, US$196,350 will be used for …": parts of a funding need no act of their own.
            _breakdown(doc, index, sentence, lex, [], doc.money[index])
    refer_back(doc)
    state_through_agency(doc)
    merge(doc)
    _dollars_of_funders(doc)
    for event in doc.fundings:
        evidence = event.evidence[0]
        if event.funded is not None:
            doc.participate(event.funded, event.funder, "funder", evidence)
            if event.recipient and event.recipient != event.funded:
                doc.participate(event.funded, event.recipient, "beneficiary", evidence)
    return doc


_ARTICLE = r"(?:la\s+|le\s+|l['’]|les\s+|the\s+)?"  # the article after "avec", "with"
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


def _resolve_shared_names(doc: Doc) -> None:
    """ "23.5 مليون دينار", "5.5 مليون درهم": the currency of that name the document names elsewhere, else the
    funder's ("الصندوق الكويتي … 23.5 مليون دينار للعراق" is in Kuwaiti dinars, "صندوق أبوظبي … درهم" in UAE
    dirhams), else the one of the only such country the document names, else the name's usual one."""
    for name, (countries, usual) in SHARED_NAMES.items():
        if name == "DOLLAR":
            continue  # read from each funding's funder once the events are known (_dollars_of_funders)
        if any(q.shared == name for qs in doc.money.values() for q in qs):
            _resolve_name(doc, name, countries, usual)


def _dollars_of_funders(doc: Doc) -> None:
    """ "$": the dollars the document writes out elsewhere ("A$", "dollars australiens"), else the funder's own
    when its country has dollars ("Australia will provide $152 million"), else US dollars. (Not the recipient's:
    "Japan gives $3 million to Fiji" is in US dollars.)"""
    countries, _ = SHARED_NAMES["DOLLAR"]
    written = {q.currency for qs in doc.money.values() for q in qs if q.currency in countries.values() and not q.shared}
    for event in doc.fundings:
        if event.amount is None or event.amount.shared != "DOLLAR":
            continue
        entity, entry = doc.entities.get(event.funder), doc.gazetteer.get(event.funder)
        own = (entity.country if entity is not None else None) or (
            entry.based_in.rsplit("/", 1)[-1] if entry is not None and entry.based_in else None
        )
        code = next(iter(written)) if len(written) == 1 else countries.get(own or "", "USD")
        event.amount = replace(event.amount, currency=code)


def _resolve_name(doc: Doc, name: str, countries: dict[str, str], usual: str | None) -> None:
    codes = [q.currency for qs in doc.money.values() for q in qs if q.currency in countries.values() and not q.shared]
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
        resolved = [replace(q, currency=code) for q in qs if q.shared == name and code]
        doc.money[index] = sorted([q for q in qs if q.shared != name] + resolved, key=lambda q: q.start)


# -- one sentence ---------------------------------------------------------------------------------


def _sentence_events(
    doc: Doc, index: int, sentence: Sentence, lex: Locale, acts: list[Act], section: Mention | None = None
) -> None:
    cost = lex.pattern("fundings", "cost_words")
    # "un coût global de 36,6 milliards", "total cost of $400 million": what a project costs is no funding.
    # (A figure restating the one before in another currency is that sum: "UA 25.61 million (USD 38 million)".)
    stated = [q for q in doc.money.get(index, []) if not restated(doc, index, sentence, q)]
    own = lex.pattern("fundings", "own_value")
    moneys = [q for q in stated if not cost.search(before := doc.text[max(sentence.start, q.start - 60) : q.start])
              or own.search(before)]  # fmt: skip
    if not moneys and len(stated) == 1 and any(a.end <= stated[0].start and finance_verb(doc, lex, a) for a in acts):
        # "مول صندوق أبوظبي للتنمية مشروع … بتكلفة اجمالية تبلغ 5.5 مليون درهم": what the funder finances at
        # a cost, with no other figure, is the money it gives.
        moneys = list(stated)
    # "… d'un montant total de 205 milliards FCFA ….Le plus gros de ces ressources, soit 147,5 milliards, est
    # destiné au projet …": the figures after a split of the sentence's own funding are its parts.
    split = lex.pattern("fundings", "total_anaphora").search(sentence.text)
    cut = sentence.start + split.start() if split is not None else None
    if cut is None or not any(q.end <= cut for q in moneys):
        if _breakdown(doc, index, sentence, lex, acts, moneys):
            return
        cut = None
    later = [q for q in moneys if cut is not None and q.start > cut]
    moneys = [q for q in moneys if q not in later]
    used: set[int] = set()
    for money in moneys:
        act = governing_act(doc, acts, money)
        if act is None:
            continue
        funders = _funders_of_money(doc, sentence, lex, money, act, acts)
        if not funders and section is not None:
            funders = [section]  # "– 37,8 millions USD au titre des …" under "Association … (IDA):"
        ranked = lex.pattern("fundings", "ordinal_money").search(sentence.text) is not None
        # ("Le premier accord, d’une valeur de 120 milliards FCFA …, est destiné au projet …": of three conventions
        # signed with the Bank, a ranked agreement is one of them.)
        if not funders and (act.form in {"act", "noun", "receive"} or (ranked and act.form == "agreement")):
            # ("Le second prêt évalué à 12 milliards de F.CFA, servira au bitumage …", paragraphs after the list's
            # lender: the rank says which list.)
            # (Or a sentence that opens on the money named before: "Le prêt bénéficiera également au Projet … pour un
            # montant de 2.500.000 dollars", three sentences after the loan.)
            recalled = lex.pattern("fundings", "money_anaphora").match(sentence.text) is not None
            within = 8 if ranked else 6 if recalled else 2
            funders = _previous_funder(doc, index, within) or _pronoun_subject(doc, index, sentence, lex)
            if not funders and recalled and index > 0:
                # ("L’Union européenne vient de signer un accord avec GIZ … pour soutenir le programme SIFA …. La
                # subvention à hauteur de 8 millions d'euros va permettre au programme SIFA …": the money recalled
                # is that of the sentence before's first actor, though it named no figure.)
                funders = _first_funder_of(doc, doc.sentences[index - 1])
            if not funders and (doc.in_sentence(sentence, PROJECT) or lex.pattern("fundings", "project_recalled").search(
                doc.text, sentence.start, money.start)):  # fmt: skip
                # ("l’AFD finance le projet DEFI-PRO …", paragraphs on: "D’un montant total de 23 millions d'euros, le
                # projet est financé via un prêt de 20 millions d’euros …": the document's one funder.)
                funders = _sole_funder(doc)
        if not funders:
            continue
        used.update(id(a) for a in acts if a.start <= money.start + WINDOW and money.end - WINDOW <= a.end)
        kind = _kind(lex, doc, sentence, act, money)
        recipient = _recipient(doc, sentence, lex, money, act, funders, acts)
        funded = funded_in_sentence(doc, index, sentence, lex, money.end, act, recipient)
        for funder, amount in _shares(doc, funders, moneys, money):
            _add(doc, index, sentence, funder, funded, recipient, amount, kind, f"event:{act.form}:{lex.code}")
    if later:
        _breakdown(doc, index, sentence, lex, acts, later)
    if not moneys and index > 0:
        _figure_before(doc, index, sentence, lex, acts)
    # Acts with no figure: "financé par l'Union européenne", "with support from the EU", "X cofinanceront".
    for act in acts:
        # (finance_verb, not a fullmatch of the pattern: the Arabic verbs' patterns end on a lookahead for a space.)
        if finance_verb(doc, lex, act) and not any(abs(q.start - act.end) < WINDOW for q in moneys):
            _financing_verb(doc, index, sentence, lex, act)
            continue
        if act.form not in {"agent", "agreement"} or any(
            doc.money.get(index) and abs(q.start - act.end) < WINDOW for q in moneys
        ):
            continue
        funders = _funders_without_money(doc, sentence, lex, act)
        if not funders:
            continue
        recipient = _recipient(doc, sentence, lex, None, act, funders, acts)
        funded = funded_before(doc, index, sentence, lex, act) or funded_in_sentence(
            doc, index, sentence, lex, act.end, act, recipient
        )
        for funder in funders:
            _add(doc, index, sentence, funder, funded, recipient, None, act.kind, f"event:{act.form}:{lex.code}")


def _financiers_listed(doc: Doc, index: int, sentence: Sentence, lex: Locale) -> None:
    """ "The project's other financiers are Arab Bank for Economic Development in Africa (21.3%) and Tanzania's
    government (7.3%)": each organisation listed funds the project the sentence is about."""
    listed = lex.pattern("fundings", "financiers_are").search(sentence.text)
    if listed is None:
        return
    position = sentence.start + listed.end()
    project = doc.project_near(sentence, position) or doc.current_project(position)
    if project is None:
        return
    for funder in _coordinated_after(doc, sentence, lex, position):
        _add(doc, index, sentence, funder, project, None, None, "unspecified", f"event:financiers:{lex.code}")


def _coordinated_after(doc: Doc, sentence: Sentence, lex: Locale, position: int) -> list[Mention]:
    """The organisations listed from ``position`` on, with what each is given in brackets between them."""
    glue = re.compile(rf"^(?:\s*\([^()]{{1,20}}\))?(?:{lex.text('grammar', 'coordination')})(?:{lex.text('grammar', 'determiners')}\s*)?$",
                      re.IGNORECASE)  # fmt: skip
    found: list[Mention] = []
    for m in actors(doc, sentence):
        if m.start < position:
            continue
        if found and m.start < found[-1].end:
            continue  # two mentions of one span (a place and the state acting)
        between = doc.text[(found[-1].end if found else position) : m.start]
        joined = glue.match(between) if found else not between.strip()
        if not joined:
            break
        found.append(acting(doc, m))
    return found


def _breakdown(doc: Doc, index: int, sentence: Sentence, lex: Locale, acts: list[Act], moneys: list[Quantity]) -> bool:
    """ "Of the €54 million, €18 million has been channelled to …, the Nutrition programme has received €9
    million", "Sur ces 20 millions, 12 iront au projet …": a sentence that restates an earlier funding's sum
    and splits it gives that funding's parts, each to the project written with it."""
    earlier = {
        (e.amount.value, e.amount.currency): e for e in doc.fundings if e.amount is not None and e.sentence < index
    }
    share_of = lex.pattern("fundings", "share_of")
    split_end: int | None = None  # where a split's words end, when the total is not restated
    total = next((q for q in moneys if (q.value, q.currency) in earlier
                  and share_of.search(doc.text[max(sentence.start, q.start - 40) : q.start])), None)  # fmt: skip
    if total is not None:
        event = earlier[(total.value, total.currency)]
        parts = [q for q in moneys if q is not total and q.currency == total.currency and q.value < total.value]
    else:
        # "Of the total amount, US$196,350 will be used for …", "Le plus gros de ces ressources, soit 147,5
        # milliards, est destiné au projet …": the funding just before, split without its figure restated.
        cue = lex.pattern("fundings", "total_anaphora").search(sentence.text)
        if cue is None:
            return False
        position, split_end = sentence.start + cue.start(), sentence.start + cue.end()
        before = [e for e in doc.fundings if e.amount is not None and e.amount.start < position
                  and index - e.sentence <= _SPLIT_BACK]  # fmt: skip
        if not before:
            return False
        event = max(before, key=lambda e: e.amount.start if e.amount else 0)
        whole = event.amount
        parts = [q for q in moneys if q.start > position and whole is not None
                 and q.currency == whole.currency and q.value < whole.value]  # fmt: skip
    if not parts:
        return False
    funder = next((m for m in doc.mentions if m.key == event.funder and m.kind == ORGANISATION), None)
    if funder is None:
        return False
    receive = [a for a in acts if a.form == "receive"]
    owner: dict[int, str] = {}
    for project in doc.in_sentence(sentence, PROJECT, named=True):
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
    for number, part in enumerate(parts):
        if id(part) in owner:
            continue
        # "US$196,350 will be used for “The Project for …”; US$90,158 for …": what a purpose cue after the
        # part names, before the next part.
        end = parts[number + 1].start if number + 1 < len(parts) else sentence.end
        cue = lex.pattern("fundings", "purpose_markers").search(doc.text, part.end, end)
        if cue is not None and cue.start() - part.end <= 40:
            phrase = phrase_project(doc, index, sentence, lex, cue.end())
            if (
                phrase is not None
                and next((m.start for m in doc.mentions if m.key == phrase and m.start >= cue.end()), end) < end
            ):
                owner[id(part)] = phrase
    if split_end is not None:
        _undertakings_before_parts(doc, index, sentence, lex, parts, owner, split_end)
    if not owner:
        return False  # "… 7,8 milliards dont 5,247 milliards sous forme de prêt": kinds of one funding, not parts
    for part in parts:
        # A part written with no project of its own is the total's project's, if the total went to one.
        funded = owner.get(id(part)) or (event.funded if event.funded in doc.projects else None)
        if funded is not None:
            _add(doc, index, sentence, funder, funded, event.recipient, part, event.kind, f"event:part:{lex.code}")
    return True


_SPLIT_BACK = 3  # sentences back a split may name its total from ("Ces projets sont entre autres : …")
_LIST_LEAD = re.compile(r"[\s,;:]*(?:(?:ou\s+encore|ou|et|and|or|as\s+well\s+as)\s+)?", re.IGNORECASE)


def _undertakings_before_parts(
    doc: Doc, index: int, sentence: Sentence, lex: Locale, parts: list[Quantity], owner: dict[int, str], start: int
) -> None:
    """ "Ces projets sont entre autres : la construction … du Niger pour 28 millions de dollars (…), de la
    construction d’un collège … au Bénin pour 40 millions …": the undertaking written before each part."""
    boundary = start
    for part in parts:
        if id(part) not in owner:
            lead = _LIST_LEAD.match(doc.text, boundary)
            phrase = phrase_project(doc, index, sentence, lex, lead.end() if lead else boundary)
            ends = [m.end for m in doc.mentions if m.key == phrase and m.start >= boundary]
            if phrase is not None and ends and ends[0] <= part.start:
                owner[id(part)] = phrase
        closing = re.match(r"\s*\([^()]*\)", doc.text[part.end : part.end + 60])
        boundary = part.end + (closing.end() if closing else 0)


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
    recipient = _recipient(doc, sentence, lex, None, noun, funders, acts)
    funded = funded_in_sentence(doc, index, sentence, lex, noun.end, noun, recipient)
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


# The word before a money noun's funder: "le don de l’UE", "a grant from …", "the 5M euros grant by the AFD".
_FROM = r"(?:de|d['’]|du|des|from|of|by|من)"


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
    # ("وقع الصندوق الكويتي … اتفاقية قرض مع جمهورية مصر العربية بقيمة 12.5 مليون": the party an agreement is
    # signed with, before the figure, is the other side; the agreement's roles say who funds.)
    counterpart = before is not None and any(a.form == "agreement" and a.end <= before.start for a in acts) and \
        re.search(rf"(?<!\w)(?:{lex.text('grammar', 'with_word')})\s*{_ARTICLE}$",
                  doc.text[max(sentence.start, before.start - 12) : before.start])  # fmt: skip
    # ("الكويت تدعم اليمن بـ1.5 مليون دولار": the object of a verb whose subject stands before it receives; in
    # "تساهم الدولة البوركينابية بمبلغ …" the one after the verb is its subject.)
    object_of_verb = before is not None and any(
        a.form == "act"
        and 0 <= before.start - a.end <= 2
        and any(m.end <= a.start and a.start - m.end <= 3 for m in actors(doc, sentence))
        for a in acts
    )
    if before is not None and links.fullmatch(doc.text[before.end : money.start]) and not located and \
            not counterpart and not object_of_verb and not _is_recipient_position(doc, sentence, lex, before.start) and \
            before.end > act.start - WINDOW:  # fmt: skip
        return [acting(doc, before)]
    # 0b. "$84.2 million from the resources of the African Development Fund (ADF)"
    drawn = lex.pattern("fundings", "resources_of").match(doc.text, money.end, sentence.end)
    if drawn is not None:
        source = orgs_after(doc, drawn.end(), sentence, lex, money_between=False, limit=4)
        if source:
            return source[:1]
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
            rf"\s*(?:[^\W\d_]+\s+){{0,4}}?{_FROM}\s*(?:la\s+|l['’]|le\s+|les\s+|the\s+)?",
            gap,
            re.I,
        ):
            return [acting(doc, found[0])]
    # 2. an agent cue near the figure: "… 5 millions d'euros, financé par l'UE", "… provient du FAD"
    for cue in sorted((a for a in acts if a.form == "agent"), key=lambda a: abs(a.start - money.end)):
        if abs(cue.start - money.end) > WINDOW and abs(money.start - cue.end) > WINDOW:
            break
        found = orgs_after(doc, cue.end, sentence, lex, states=True)
        if found:
            return found + _more_funders(doc, sentence, lex, found[-1].end)
    # 3. "la contribution de l'UE de 9 millions", "IDA loan of $210 million", "the World Bank's $5m grant"
    if act.form in {"noun", "agreement"}:
        found = orgs_after(doc, act.end, sentence, lex, states=True, money_between=False, limit=14)
        # "… de l'UE de 9 millions", "a USD 3.2 million grant from the World Bank", "مساهمة إضافية من الاتحاد":
        # before or after the figure, an adjective between.
        # ("Thanks to the 5M euros grant by the AFD": "by" too.)
        if found and re.match(rf"\s*(?:[^\W\d_]+\s+)?{_FROM}\b", doc.text[act.end : found[0].start], re.IGNORECASE) \
                and not _is_recipient_position(doc, sentence, lex, found[0].start):  # fmt: skip
            return found
        before = org_before(doc, sentence, act.start)
        if before is not None and re.fullmatch(r"\s*(?:['’]s\s*)?(?:\S+\s+){0,2}", doc.text[before.end : act.start]) \
                and sentence.language == "en" and funder_like(doc, before):  # fmt: skip
            return [acting(doc, before)]
    # 4. an agreement: the party that funds
    agreement = next((a for a in acts if a.form == "agreement" and abs(a.start - money.start) < WINDOW * 2), None)
    if agreement is not None:
        funders, _ = _agreement_roles(doc, sentence, lex, agreement)
        if funders:
            return funders
    # 5. the subject: before the act ("la BAD a approuvé un prêt"); after it in verb-subject order
    if act.form == "receive":
        return []  # "the Nutrition programme has received €9 million": the subject is who receives
    subject = _subject(doc, sentence, lex, act, money)
    if subject is not None and any(a.form == "receive" and subject.end <= a.start <= money.start for a in acts):
        return []  # "L'Ethiopie va également recevoir un prêt de 10 millions": the subject receives the loan
    return [subject] if subject is not None else []


def _premodified_projects(doc: Doc, index: int, sentence: Sentence) -> bool:
    """ "The $150 million Nigeria State Education Program Investment Project will serve …": a figure written
    before a project's name is its money, from the funder of the document's fundings so far (when it has one)."""
    found = False
    funders = {e.funder for e in doc.fundings}
    if len(funders) != 1:
        return found
    used = {e.amount.start for e in doc.fundings if e.sentence == index and e.amount is not None}
    for money in [q for q in doc.money.get(index, []) if q.start not in used]:
        project = next((m for m in doc.in_sentence(sentence, PROJECT) if 0 < m.start - money.end <= 2
                        and doc.text[money.end : m.start].isspace() and not m.anaphor), None)  # fmt: skip
        if project is None or not money.is_money:
            continue
        mention = next((m for m in doc.mentions if m.key in funders and m.kind == ORGANISATION), None)
        if mention is not None:
            _add(
                doc,
                index,
                sentence,
                mention,
                project.key,
                None,
                money,
                "unspecified",
                f"event:premodifier:{sentence.language}",
            )
            found = True
    return found


def _previous_funder(doc: Doc, index: int, within: int = 2) -> list[Mention]:
    """ "Le reste … provient …", "le pays recevra 51 millions pour …": a figure with an act and no funder
    named in its sentence is the funder of the sentence before (or the one before that: ``within``)."""
    previous = [e for e in doc.fundings if index - within <= e.sentence < index]
    if not previous:
        return []
    return _named(doc, previous[-1].funder)


_DATELINE = re.compile(r"\s*\)?\s*[-–—]\s")  # "(Agence Ecofin) - L’Union européenne …": who reports, not who acts


def _sole_funder(doc: Doc) -> list[Mention]:
    """The one funder of the document's fundings so far, if there is only one."""
    funders = {e.funder for e in doc.fundings}
    if len(funders) != 1:
        return []
    return _named(doc, funders.pop())


def _named(doc: Doc, key: str) -> list[Mention]:
    """A mention of the organisation ``key`` (an event's funder), to act as that funder again."""
    mention = next((m for m in doc.mentions if m.key == key and m.kind == ORGANISATION), None)
    return [mention] if mention is not None else []


def _first_funder_of(doc: Doc, sentence: Sentence) -> list[Mention]:
    funder = next((m for m in actors(doc, sentence) if funder_like(doc, m)
                   and not (m.start - sentence.start < 3 and _DATELINE.match(doc.text, m.end))), None)  # fmt: skip
    return [acting(doc, funder)] if funder is not None else []


def _pronoun_subject(doc: Doc, index: int, sentence: Sentence, lex: Locale) -> list[Mention]:
    """ "… the African Development Fund, the concessional window of the African Development Bank (AfDB), supports
    youth employment. It has approved a $19.95 million grant": the pronoun is the sentence before's first funder."""
    if index == 0 or not lex.pattern("grammar", "subject_pronouns").match(sentence.text):
        return []
    return _first_funder_of(doc, doc.sentences[index - 1])


def _funders_without_money(doc: Doc, sentence: Sentence, lex: Locale, act: Act) -> list[Mention]:
    if act.form == "agreement":
        funders, _ = _agreement_roles(doc, sentence, lex, act)
        if not funders:
            # "deux accords de crédit et de don de l'Association internationale de développement": the
            # lender after the agreement's noun.
            after = orgs_after(doc, act.end, sentence, lex, states=True, limit=8)
            genitive = after and re.fullmatch(r"\s*(?:de\s+la|de\s+l['’]|du|des|de|of|from|من)\s*(?:the\s+)?",
                                              doc.text[act.end : after[0].start], re.IGNORECASE)  # fmt: skip
            funders = after[:1] if genitive and funder_like(doc, after[0]) else []
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
    opener = lex.pattern("grammar", "clause_verbs").match(sentence.text)
    if opener is not None:
        # "وقع المصرف العربي للتنمية الاقتصادية في أفريقيا، … على هامش اجتماعات مجموعة البنك الإسلامي للتنمية …،
        # على ثلاث اتفاقيات قروض": the funder right after the opening verb is the clause's subject.
        first = next((m for m in candidates if 0 <= m.start - sentence.start - opener.end() <= 2), None)
        if first is not None and first.end <= act.start and funder_like(doc, first):
            return acting(doc, first)
    before = [m for m in candidates if m.end <= act.start and act.start - m.end <= WINDOW]
    before = [m for m in before if not _is_recipient_position(doc, sentence, lex, m.start)]
    # (Nor a state named as where the money goes: "… مشروع بناء وتجهيز المحكمة العليا في جيبوتي، … ومنحة مقدارها
    # 15 مليون ريال".)
    locative = lex.pattern("places", "locative")
    before = [m for m in before if not (_stands_for_a_state(doc, m) and (
        locative.search(doc.text[max(sentence.start, m.start - 12) : m.start])
        or (lex.code == "ar" and doc.text[m.start : m.start + 1] == "ب")))]  # fmt: skip
    if lex.code == "ar" and act.form in {"act", "agreement"}:
        # "وقعت موريتانيا والبنك الإسلامي للتنمية اتفاقية تمويل", "ويمول البنك الدولي المشروع"
        following = [m for m in candidates if m.start >= act.end and m.start - act.end <= 40]
        if following:
            parties = orgs_after(doc, act.end, sentence, lex, states=True, limit=40)
            funders = [p for p in parties if funder_like(doc, p)]
            if funders:
                return funders[0]
            if parties and not before:
                return parties[0]
    if not before:
        return None
    # Past a relative or a long aside the subject is still the first actor of the clause
    # ("La Banque africaine de développement (BAD) a annoncé le 5 août l'approbation d'un prêt").
    nearest = before[-1]
    if not funder_like(doc, nearest):
        # "En fonction de la vision du Niger, l'UE a débloqué": the funder of the clause, not a place in it.
        funder = next((m for m in reversed(before) if funder_like(doc, m)), None)
        nearest = funder or nearest
    return acting(doc, nearest)


def _united_nations_body(doc: Doc, mention: Mention) -> bool:
    entry = doc.gazetteer.get(mention.key)
    return entry is not None and any(p.endswith("/organisation/un") for p in entry.parents)


def _agreement_roles(doc: Doc, sentence: Sentence, lex: Locale, act: Act) -> tuple[list[Mention], list[Mention]]:
    keys = agreement_parties(doc, sentence, act.end, lex, group=True)
    signed_with: list[Mention] = []
    if len(keys) < 2:
        # "وقعت موريتانيا والبنك الإسلامي للتنمية اتفاقية تمويل": the parties are the subjects.
        parties = _coordinated_before(doc, sentence, lex, act.start)
        partner = re.search(rf"(?<!\w)(?:{lex.text('grammar', 'with_word')})(?!\w)", sentence.text)
        if partner:
            signed_with = orgs_after(doc, sentence.start + partner.end(), sentence, lex, states=True)
            parties += signed_with
    else:
        by_key = {m.key: m for m in (acting(doc, m) for m in actors(doc, sentence))}
        parties = [by_key[k] for k in keys if k in by_key]
    unique: dict[str, Mention] = {}
    for m in parties:
        unique.setdefault(m.key, m)
    parties = list(unique.values())
    funders = [m for m in parties if funder_like(doc, m)]
    others = [m for m in parties if m not in funders]
    if len(funders) > 1 and not others:
        # "وقع الاتحاد الأوروبي ومنظمة الأمم المتحدة للطفولة اتفاق شراكة … بقيمة 3.6 ملايين يورو": between a
        # donor and a United Nations agency, the agency carries the work out and receives.
        others = [m for m in funders if _united_nations_body(doc, m)]
        funders = [m for m in funders if m not in others]
    if len(funders) == 1 and not others and funders[0] in signed_with:
        # "Le deuxième accord de prêt, signé avec le Fonds Saoudien pour le Développement, est d'une valeur de
        # 40 millions": the one party signed with is a funder; the other side goes unsaid.
        return funders, []
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
    doc: Doc, sentence: Sentence, lex: Locale, money: Quantity | None, act: Act, funders: list[Mention], acts: list[Act]
) -> str | None:
    funder_keys = {f.key for f in funders}
    if act.form == "receive":
        before = org_before(doc, sentence, act.start)
        if before is not None and acting(doc, before).key not in funder_keys:
            return acting(doc, before).key
    agreements = (
        [act] if act.form == "agreement" else [a for a in find_acts(doc, sentence, lex) if a.form == "agreement"]
    )
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
        # "… un accord de prêt de 15 millions de dollars avec l'Ouganda": the state the figure's agreement is with;
        # "La BID financera à hauteur de 50 millions de dollars la Mauritanie": the state the verb finances.
        if money is not None and m.start >= money.end and _stands_for_a_state(doc, m) and \
                acting(doc, m).key not in funder_keys and (
                    re.fullmatch(rf"\s*(?:{lex.text('grammar', 'with_word')})\s+{_ARTICLE}", doc.text[money.end : m.start])
                    or (re.fullmatch(r"\s*(?:la\s+|le\s+|l['’]|les\s+)", doc.text[money.end : m.start])
                        and _financed_at(doc, sentence, lex, money))):  # fmt: skip
            return acting(doc, m).key
    # ("تقديم مساعدات مالية إلى ليبيا بأكثر من 6 ملايين يورو": the recipient may stand before the figure, and
    # before the nouns that name it: "accordé au gouvernement du Niger, un prêt concessionnel d'un montant de".)
    lower = min(anchor, _first_of_chain(doc, acts, act), money.start if money is not None else anchor) - 40
    for m in actors(doc, sentence):
        if m.start < lower or m.start - anchor > WINDOW:
            continue
        if markers.search(doc.text[max(sentence.start, m.start - 40) : m.start]) or (
            lex.code == "ar" and doc.text[m.start] == "ل" and _stands_for_a_state(doc, m)
        ):
            key = acting(doc, m).key
            if key not in funder_keys:
                return key
    return None


def _first_of_chain(doc: Doc, acts: list[Act], act: Act) -> int:
    """Where the money nouns that end at the act begin ("un prêt concessionnel d'un montant de")."""
    first = act.start
    for other in sorted(acts, key=lambda a: a.start, reverse=True):
        if other.form == "noun" and other.end <= first and re.fullmatch(r"[\s,]*(?:d['’]un|d['’]une|de|of|worth)?\s*",
                                                                          doc.text[other.end : first]):  # fmt: skip
            first = other.start
    return first


def _financed_at(doc: Doc, sentence: Sentence, lex: Locale, money: Quantity) -> bool:
    """Whether a financing verb governs the figure as "à hauteur de" ("financera à hauteur de 50 millions")."""
    verbs = lex.pattern("fundings", "object_verbs")
    return any(a.form == "act" and 0 <= money.start - a.end <= 40 and verbs.fullmatch(doc.text[a.start : a.end].strip())
               for a in find_acts(doc, sentence, lex))  # fmt: skip


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
    if funded is not None and doc.is_agreement(funded) and recipient is not None:
        funded = recipient  # the money of an agreement goes to its other party, not to the agreement
    if funded == funder.key:
        funded = None
    if recipient == funder.key:
        recipient = None
    evidence = doc.sentence_evidence(sentence, method, 0.8 if funded and funded in doc.projects else 0.7)
    doc.fundings.append(FundingEvent(funder.key, funded, recipient, amount, kind, [evidence], index))
