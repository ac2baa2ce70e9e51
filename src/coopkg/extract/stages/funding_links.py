"""Fundings across sentences: a later sentence that names what the money is for, the one project a document
is about, a state paying through its agency, and the same money stated twice merged into one funding."""

from __future__ import annotations

import re
from decimal import Decimal

from coopkg.extract.doc import ORGANISATION, PROJECT, REGION, Doc, FundingEvent
from coopkg.extract.numbers import Quantity, qualifier_before
from coopkg.extract.stages.coreference import acting
from coopkg.extract.stages.funded import phrase_project, purpose_undertaking

_REFER_BACK = 6  # sentences after a funding within which "Le prêt de la Banque mondiale vise à appuyer …" may follow


def refer_back(doc: Doc) -> None:
    """ "Ce financement soutiendra le Projet …": a later sentence names what the money is for."""
    # (A project a part of a total goes to is that part's: "… 205 milliards …, soit 147,5 milliards, est
    # destiné au projet …".)
    taken = _parts_projects(doc)
    for event in doc.fundings:
        if event.funded in doc.projects or (event.funded is None and _for_many(doc, event)):
            continue  # (money for several projects is for none of those named later: see below)
        for index in range(event.sentence, min(event.sentence + _REFER_BACK, len(doc.sentences))):
            sentence = doc.sentences[index]
            lex = doc.lex(sentence)
            refer = lex.pattern("fundings", "money_anaphora").search(sentence.text)
            if index > event.sentence and (refer is None or _other_sum_in(doc, event, index)):
                continue
            start = sentence.start + (refer.end() if refer else 0)
            # (Nor one written after another figure: "This loan … is complemented by a $6.05 million grant
            # from the European Union's Nexus Energy and Water Programme" names the grant's programme.)
            figures = [q.start for q in doc.money.get(index, []) if index > event.sentence and q.start >= start]
            named = [m for m in doc.in_sentence(sentence, PROJECT)
                     if m.start >= start and not doc.is_agreement(m.key) and doc.resolve(m) not in taken
                     and not any(f < m.start for f in figures)]  # fmt: skip
            if index > event.sentence and not named:
                # "Ces fonds sont destinés à la construction d'une École …": what follows the purpose cue.
                cue = (
                    lex.pattern("fundings", "purpose_markers").search(doc.text, start, sentence.end) if refer else None
                )
                phrase = phrase_project(doc, index, sentence, lex, cue.end() if cue else start) if refer else None
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
        if event.funded is None and _for_many(doc, event):
            # "grant assistance for seven projects … totaling US$ 628,390 … in Bangladesh", "SFD has financed six
            # development projects and programs through concessional loans exceeding $131 million", "Le Burkina
            # a ainsi atteint … 253 millions de dollars comme financements cumulés accordés par la BADEA": several
            # projects or years of them, none of them the one the document is about; the country they are in.
            # (A total over the years names its country as it likes: "Le Burkina a ainsi atteint …".)
            # (Or in the sentence before, when either tells of years: "… SFD’s longstanding development engagement
            # in Chad since 1976. SFD has financed six development projects …".)
            cumulative = _cumulative(doc, event.sentence)
            before = (
                event.sentence - 1
                if event.sentence > 0 and (cumulative or _cumulative(doc, event.sentence - 1))
                else None
            )
            event.funded = (event.recipient or _country_of_sentence(doc, event, placed=not cumulative)
                            or _funders_recipient(doc, event)
                            or (_country_of_sentence(doc, event, placed=False, index=before) if before is not None else None))  # fmt: skip
            if event.funded is not None:
                continue
            # ("La Commission Européenne a adopté … 13 programmes d’un montant total de 274,2 millions €": money for
            # many is not the one project the document names later.)
            continue
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
            # (A project a part of a total goes to is not what the document is about.)
            salient = doc.salient_project()
            salient = None if salient in taken or (salient and doc.is_agreement(salient)) else salient
            event.funded = event.recipient or salient or _country_of_sentence(doc, event)
    purposes: dict[str, str] = {}  # funder -> the undertaking its money's purpose named
    in_sentence: dict[int, str] = {}  # sentence -> the same, for the other funders it names
    for event in doc.fundings:
        # Last: money given to nothing named, with no other statement of the same sum that names where it goes; the
        # funder's other sums with no purpose of their own go to the same undertaking.
        if (
            event.funded is None
            and event.amount is not None
            and not _for_many(doc, event)
            and not any(
                e.funded is not None and e.funder == event.funder and _same_sum(e.amount, event.amount)
                for e in doc.fundings
            )
        ):
            # (And the co-funders in its sentence: "… وهو البرنامج الذي يستلزم غلافا ماليا يقدر بـ310 مليون أورو، ويقتضي
            # مساهمة مؤسسات أخرى كالبنك الدولي الذي سيساهم بـ100 مليون أورو".)
            event.funded = (purpose_undertaking(doc, event.sentence, event.amount.end) or purposes.get(event.funder)
                            or in_sentence.get(event.sentence))  # fmt: skip
            if event.funded is not None:
                purposes.setdefault(event.funder, event.funded)
                in_sentence.setdefault(event.sentence, event.funded)
    for event in doc.fundings:
        if event.funded is not None and doc.is_agreement(event.funded):
            # "KOICA signed a memorandum of understanding (MoU) stating that it would provide Rs 550 million grant to
            # enhance the TVET in Nepal": the paper the money is promised in is not what it funds; who receives it.
            # (Or, with neither, what the agreement is for: "… وقعت مع بنك الائتمان لإعادة التنمية الألمانية، اتفاقية لتطوير
            # مراكز الكفاءة فى مدارس التكنولوجيا التطبيقية … بقيمة 41.5 مليون يورو".)
            purpose = _agreement_purpose(doc, event)
            event.funded = event.recipient or _country_of_sentence(doc, event) or purpose or event.funded
    doc.fundings = [e for e in doc.fundings if e.funded is not None and e.funded != e.funder]


def _agreement_purpose(doc: Doc, event: FundingEvent) -> str | None:
    """The action an agreement of the event's sentence is for, written right after its noun."""
    mention = next((m for m in doc.mentions if m.key == event.funded and m.kind == PROJECT), None)
    sentence = doc.sentences[event.sentence]
    agreement = doc.lex(sentence).pattern("projects", "agreement_nouns")
    for match in agreement.finditer(sentence.text):
        end = sentence.start + match.end()
        if mention is not None and mention.start <= end < mention.end:
            continue  # inside the agreement's own name
        found = purpose_undertaking(doc, event.sentence, end, within=4)
        if found is not None:
            return found
    return None


def _same_sum(a: Quantity | None, b: Quantity | None) -> bool:
    return a is not None and b is not None and (a.value, a.currency) == (b.value, b.currency)


def _for_counted_projects(doc: Doc, event: FundingEvent) -> bool:
    sentence = doc.sentences[event.sentence]
    return doc.lex(sentence).pattern("projects", "counted").search(sentence.text) is not None


def _cumulative(doc: Doc, index: int) -> bool:
    """Whether sentence ``index`` tells of a funder's money over the years (a portfolio's total)."""
    sentence = doc.sentences[index]
    return doc.lex(sentence).pattern("fundings", "cumulative").search(sentence.text) is not None


def _for_many(doc: Doc, event: FundingEvent) -> bool:
    return _cumulative(doc, event.sentence) or _for_counted_projects(doc, event)


def _funders_recipient(doc: Doc, event: FundingEvent) -> str | None:
    """The state another of the funder's fundings in the document goes to, when there is one."""
    states = {
        e.recipient for e in doc.fundings if e.funder == event.funder and e.recipient and _state_of(doc, e.recipient)
    }
    return states.pop() if len(states) == 1 else None


def _other_sum_in(doc: Doc, event: FundingEvent, index: int) -> bool:
    """Whether sentence ``index`` states a funding of another sum: what it names is that sum's ("Deux accords
    de prêt de 46 milliards …. Il porte sur un montant de 30 milliards FCFA et vise « le financement … du
    projet … »")."""
    mine = (event.amount.value, event.amount.currency) if event.amount is not None else None
    return any(
        e is not event and e.sentence == index and e.amount is not None
        and (e.amount.value, e.amount.currency) != mine
        for e in doc.fundings
    )  # fmt: skip


def _parts_projects(doc: Doc) -> set[str | None]:
    return {e.funded for e in doc.fundings if e.evidence[0].method.startswith("event:part")}


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
    named = {k for k in named if doc.entities[k].type != "PartnershipAgreement" and not _among_sectors(doc, k)}
    return next(iter(named)) if len(named) == 1 else None


def _among_sectors(doc: Doc, key: str) -> bool:
    """Whether the project is only ever named in a list of sectors the money is spread over ("القروض تستهدف تنمية
    قطاعات الكهرباء والطاقة، التعليم، …، ومشروع استكمال الصوامع"): the document is not about it."""
    mentions = [m for m in doc.mentions if m.key == key and m.kind == PROJECT]
    for m in mentions:
        sentence = next((s for s in doc.sentences if s.start <= m.start < s.end), None)
        if sentence is None or not doc.lex(sentence).pattern("fundings", "sectors").search(
            doc.text, sentence.start, m.start
        ):
            return False
    return bool(mentions)


def _country_of_sentence(doc: Doc, event: FundingEvent, *, placed: bool = True, index: int | None = None) -> str | None:
    """The one country the sentence places the money in ("في الصومال", "in Chad", "au Niger"), if it is not the
    funder's own (with ``placed`` false: the one such country the sentence names)."""
    funder = doc.entities.get(event.funder)
    entry = doc.gazetteer.get(event.funder)
    own = (funder.country if funder is not None else None) or (
        entry.based_in.rsplit("/", 1)[-1] if entry is not None and entry.based_in else None
    )
    sentence = doc.sentences[event.sentence if index is None else index]
    lex = doc.lex(sentence)
    locative, owner = lex.pattern("places", "locative"), lex.pattern("places", "possessor")
    # (Or whose thing the money improves: "a USD 30 million loan to improve Bhutan’s technical and vocational
    # education and training (TVET) system".)
    placed = [m for m in doc.in_sentence(sentence, REGION) if doc.is_state(m.key) and m.key.rsplit("/", 1)[-1] != own
              and (not placed or locative.search(doc.text[max(sentence.start, m.start - 12) : m.start])
                   or owner.match(doc.text, m.end))]  # fmt: skip
    if len({m.key for m in placed}) != 1:
        return None
    return acting(doc, placed[0]).key


def merge(doc: Doc) -> None:
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
        many = _for_many(doc, event) and event.funded is not None and event.funded not in doc.projects
        if many and twin.funded in doc.projects and not _for_many(doc, twin):
            # ("World Bank okays $450m for Job, Education in Nigeria" and "… has approved $450 million for two
            # projects": the money of several projects is their country's, whatever the headline was given.)
            twin.funded = event.funded
        elif twin.funded not in doc.projects and event.funded in doc.projects and not _for_many(doc, twin):
            twin.recipient = twin.recipient or (twin.funded if twin.funded != event.funded else None)
            twin.funded = event.funded
        if twin.kind == "unspecified":
            twin.kind = event.kind
        twin.recipient = twin.recipient or event.recipient
        known = {(e.start, e.end) for e in twin.evidence}
        twin.evidence += [e for e in event.evidence if (e.start, e.end) not in known]
    doc.fundings = merged


def state_through_agency(doc: Doc) -> None:
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
    # (Or the sum of the agency's parts: "موريتانيا وفرنسا توقعان اتفاقيات تمويل بـ43 مليون يورو" and the French
    # agency's "40 مليون يورو … كقرض" and "منحة بقيمة 3 ملايين يورو".)
    parts: dict[tuple[str, str | None], Decimal] = {}
    for b in doc.fundings:
        if b.amount is not None and _agency_country(doc, b.funder):
            parts[(b.funder, b.amount.currency)] = parts.get((b.funder, b.amount.currency), Decimal(0)) + b.amount.value
    for a in doc.fundings:
        code = _state_of(doc, a.funder)
        if code and a.amount is not None:
            for (agency, currency), total in parts.items():
                if currency == a.amount.currency and total == a.amount.value and _agency_country(doc, agency) == code:
                    through.setdefault(a.funder, set()).add(agency)
    for event in doc.fundings:
        # ("… de la Corée du Sud …, par le biais de l’Agence coréenne de Coopération internationale (KOICA)")
        if (code := _state_of(doc, event.funder)) is not None and (agency := _channel_agency(doc, event, code)):
            through.setdefault(event.funder, set()).add(agency)
    for event in doc.fundings:
        agencies = through.get(event.funder, set())
        if len(agencies) == 1:
            event.funder = next(iter(agencies))


def _channel_agency(doc: Doc, event: FundingEvent, code: str) -> str | None:
    """ "Le Sénégal vient de bénéficier de la Corée du Sud d’une enveloppe de 21 millions de dollars US, … par le
    biais de l’Agence coréenne de Coopération internationale (KOICA)": the state's own agency it pays through."""
    sentence = doc.sentences[event.sentence]
    channel = doc.lex(sentence).pattern("fundings", "channel")
    for m in doc.in_sentence(sentence, ORGANISATION):
        if _agency_country(doc, m.key) == code and channel.search(
            doc.text[max(sentence.start, m.start - 40) : m.start]
        ):
            return m.key
    return None


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
    # ("US$ 160,000 for the construction of a dormitory …" and "grant aid of US$160,820 for a project of the
    # construction of a dormitory …": one project's money, rounded once.)
    near = abs(a.amount.value - b.amount.value) <= Decimal("0.01") * max(a.amount.value, b.amount.value)
    one_project = a.funded is not None and a.funded == b.funded and a.funded in doc.projects
    return close and (_approximate(doc, a.amount) or _approximate(doc, b.amount) or (near and one_project))


def _approximate(doc: Doc, amount: Quantity) -> bool:
    return qualifier_before(doc.text[: amount.start], amount.start)[0] in {"approximately", "more-than", "up-to"}
