"""What a funding is for: the project after a purpose cue, the object of a financing verb or noun, the owner's
fund, an undertaking described by a noun phrase, else the nearest project of the sentence."""

from __future__ import annotations

import re

from coopkg.extract.doc import ORGANISATION, PROJECT, REGION, Doc, Mention
from coopkg.extract.lexicon import Locale
from coopkg.extract.stages.coreference import actors
from coopkg.extract.stages.funding_acts import WINDOW, Act, find_acts
from coopkg.extract.stages.projects import add_project, chunk_end
from coopkg.extract.text import Sentence, tokenize


def funded_in_sentence(
    doc: Doc, index: int, sentence: Sentence, lex: Locale, position: int, act: Act, recipient: str | None
) -> str | None:
    """The project the money is for, in this sentence: the owner's fund, the object of a financing verb, what
    follows a purpose cue, the object of a financing noun, else the nearest project."""
    for rule in (_possessed, _object_of_verb, _after_purpose, _object_of_noun, _destined):
        found = rule(doc, index, sentence, lex, position)
        if found is not None:
            return found
    mentions = doc.in_sentence(sentence, PROJECT)
    # (A project written right after another figure of the sentence is that figure's: "21 millions … à des
    # projets de villes vertes … et 17 millions pour …".)
    others = [q.end for q in doc.money.get(index, []) if q.end != position]
    mentions = [m for m in mentions
                if not any(o <= m.start and m.start - o < abs(m.start - position) for o in others)]  # fmt: skip
    # (Nor the programme the money comes from: "from the European Union's Nexus Energy and Water Programme".)
    mentions = [m for m in mentions if not _from_owner(doc, sentence, m)]
    # ("اتفاقية تجديد مشروع تحسين سبل العيش للمزارعين بقيمة 4 ملايين يورو": the project the agreement is about.)
    undertakings = [m for m in mentions if not doc.is_agreement(doc.resolve(m))]
    mentions = undertakings or mentions
    if mentions:
        nearest = min(mentions, key=lambda m: abs(m.start - act.start))
        return doc.resolve(nearest)
    return recipient or _channel_fund(doc, sentence, lex, position)


def _channel_fund(doc: Doc, sentence: Sentence, lex: Locale, position: int) -> str | None:
    """ "… five million Euros … to support … Mozambique's Education Sector Strategic Plan, through the Education
    Sector Support Fund (FASE)": the fund the money goes through is what it goes to."""
    channel, fund = lex.pattern("fundings", "channel"), lex.pattern("fundings", "fund_names")
    for m in actors(doc, sentence, states=False):
        if m.start > position and channel.search(doc.text[max(sentence.start, m.start - 25) : m.start]) and \
                fund.search(doc.entities[m.key].label if m.key in doc.entities else doc.text[m.start : m.end]):  # fmt: skip
            return m.key
    return None


def _after_purpose(doc: Doc, index: int, sentence: Sentence, lex: Locale, position: int) -> str | None:
    """ "… pour financer le Projet …", "destinée à la construction de 11 écoles": what a purpose cue introduces."""
    # A cue after the next figure is that figure's ("205 milliards … destinés à …, soit 147,5 milliards, destiné au
    # projet …").
    end = min((q.start for q in doc.money.get(index, []) if q.start > position), default=sentence.end)
    for cue in lex.pattern("fundings", "purpose_markers").finditer(doc.text[position:end]):
        start = position + cue.end()
        project = doc.project_near(sentence, start, before=False)
        named = [m for m in doc.in_sentence(sentence, PROJECT) if m.start >= start]
        if project is not None and named and named[0].start - start <= 40:
            return project
        phrase = phrase_project(doc, index, sentence, lex, start)
        if phrase is not None:
            return phrase
    return None


def _object_of_verb(doc: Doc, index: int, sentence: Sentence, lex: Locale, position: int) -> str | None:
    """ "la BADEA financera la construction des lycées … pour un montant de 30 millions", "…, avec une enveloppe
    de 20 millions $, se chargera de financer la construction du lycée technique de Daloa": the undertaking a
    financing verb near the figure takes as its object."""
    verbs = lex.pattern("fundings", "object_verbs")
    for act in find_acts(doc, sentence, lex):
        if (
            act.form != "act"
            or abs(act.start - position) > WINDOW
            or not verbs.fullmatch(doc.text[act.start : act.end].strip())
        ):
            continue
        phrase = phrase_project(doc, index, sentence, lex, act.end)
        if phrase is not None:
            return phrase
    return None


def _object_of_noun(doc: Doc, index: int, sentence: Sentence, lex: Locale, position: int) -> str | None:
    """ "… une enveloppe de 30 millions de dollars le financement de la construction de centres …": the
    undertaking a financing noun near the figure names."""
    for noun in lex.pattern("fundings", "object_of_noun").finditer(sentence.text):
        if abs(sentence.start + noun.start() - position) <= WINDOW:
            phrase = phrase_project(doc, index, sentence, lex, sentence.start + noun.end())
            if phrase is not None:
                return phrase
    return None


def _destined(doc: Doc, index: int, sentence: Sentence, lex: Locale, position: int) -> str | None:
    """ "Le premier accord de crédit d'un montant de 9 millions d'euros, est destiné au financement du fonds
    d'investissement pour la valorisation des déchets": the noun phrase the money is destined to, when no project
    or undertaking heads it."""
    cue = lex.pattern("fundings", "destination_markers").search(doc.text, position, min(sentence.end, position + 60))
    if cue is None or any(position < q.start < cue.start() for q in doc.money.get(index, [])):
        return None
    start = cue.end()
    if not re.match(r"[^\W\d_A-Z]", doc.text[start : start + 1]) or doc.overlapping(
        start, start + 1, (ORGANISATION, PROJECT)
    ):
        return None  # a name (an organisation's, a project's) is read by the other rules
    end = chunk_end(doc, sentence, start, lex, limit=12)
    if end is None or len(tokenize(doc.text[start:end])) < 2 or _counted(lex, doc.text[start:end]):
        return None
    return add_project(doc, index, sentence, start, end, None, "pattern:destined-phrase", 0.6).key


_SOURCE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)


def _from_owner(doc: Doc, sentence: Sentence, mention: Mention) -> bool:
    """Whether ``mention`` is written "from (the) X's …": an owner's programme the money comes from."""
    before = doc.text[max(sentence.start, mention.start - 80) : mention.start]
    owner = re.search(r"\bfrom\s+(?:the\s+)?[^,;.]{2,60}['’]s\s+$", before, re.IGNORECASE)
    return owner is not None


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
        if _SOURCE.search(doc.text[max(sentence.start, m.start - 12) : m.start]):
            return None  # "a grant from the European Union's Nexus Energy and Water Programme": where it comes from
        start = m.end + tail.end()
        head = re.match(rf"(?:[\w-]+\s+){{0,3}}?(?:fund|trust\s+fund|facility|{lex.text('projects', 'nouns')})\b",
                        doc.text[start : sentence.end], re.IGNORECASE)  # fmt: skip
        if head is None:
            return None
        end = chunk_end(doc, sentence, start + head.end(), lex, limit=8) or start + head.end()
        return add_project(doc, index, sentence, start, end, None, "pattern:possessed-fund", 0.6).key
    return None


def funded_before(doc: Doc, index: int, sentence: Sentence, lex: Locale, act: Act) -> str | None:
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


def phrase_project(doc: Doc, index: int, sentence: Sentence, lex: Locale, position: int) -> str | None:
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
    if lex.pattern("grammar", "demonstratives").match(doc.text, start):
        return None  # "dans ces projets de développement": the ones named before, no new one
    head = re.match(rf"(?:[\w-]+\s+){{0,3}}?(?:{lex.text('projects', 'nouns')}|{lex.text('projects', 'undertakings')})(?![\w])",
                    doc.text[start : sentence.end], re.IGNORECASE)  # fmt: skip
    if head is None:
        return None
    noun = re.search(rf"(?:{lex.text('projects', 'nouns')})$", head.group(), re.IGNORECASE)
    if lex.code == "en" and noun is not None and noun.group().endswith("s") and not noun.group()[:1].isupper():
        return None  # "the financing of new development projects in member and non-member countries": several
    inside = doc.overlapping(start, start + head.end(), (ORGANISATION, PROJECT))
    # ("destiné au projet d'interconnexion …": "au projet" read as an anaphor is the head of the phrase.)
    if inside is not None and not (inside.anaphor and _complemented(doc, inside)):
        return None
    end = chunk_end(doc, sentence, start + head.end(), lex, limit=24) or start + head.end()
    if len(tokenize(doc.text[start:end])) < 2 or _counted(lex, doc.text[start:end]):
        return None
    return add_project(doc, index, sentence, start, end, None, "pattern:purpose-phrase", 0.6).key


def _complemented(doc: Doc, mention: Mention) -> bool:
    """ "le projet d'interconnexion …", "the project for …": a noun with its complement refers to no earlier one."""
    return re.match(r"\s*(?:d['’]|de\s|des\s|du\s|of\s|for\s)", doc.text[mention.end : mention.end + 6]) is not None


def _counted(lex: Locale, phrase: str) -> bool:
    """ "financing of four projects", "plusieurs programmes": projects counted are no one project's name."""
    return lex.pattern("projects", "counted").search(phrase) is not None


def purpose_undertaking(doc: Doc, index: int, money_end: int, within: int = 80) -> str | None:
    """ "… اتفاقية منح قرض بقيمة 50 مليون أورو رفقة وزارة المالية من أجل دعم الشغل وتنمية الكفاءات": with no project,
    recipient or country to give the money to, the action its purpose cue names after the figure."""
    sentence = doc.sentences[index]
    lex = doc.lex(sentence)
    cue = lex.pattern("fundings", "purpose_markers").search(doc.text, money_end, sentence.end)
    if cue is None or cue.start() - money_end > within:
        return None
    action = lex.text("projects", "action_nouns")
    # ("لدعم قطاع التعليم", "to support …": the action may be the cue's own last word.)
    inner = re.search(rf"(?:{action})$", cue.group(0).removeprefix("ل"), re.IGNORECASE)
    start = cue.end() - len(inner.group(0)) if inner is not None else cue.end()
    start += len(doc.text[start:]) - len(doc.text[start:].lstrip())
    first = re.match(r"[^\W\d_][\w'’-]*", doc.text[start : sentence.end])
    if first is None or not re.fullmatch(action, first.group(0), re.IGNORECASE):
        return None
    end = chunk_end(doc, sentence, start, lex, limit=12)
    where = _WITHIN.match(doc.text, end) if end is not None else None
    if where is not None and not any(m.start == where.end() for m in doc.in_sentence(sentence, REGION)):
        # ("تطوير مراكز الكفاءة فى مدارس التكنولوجيا التطبيقية": the places of the action, not a country, are its own.)
        end = chunk_end(doc, sentence, where.end(), lex, limit=8) or end
    if end is None or len(tokenize(doc.text[start:end])) < 3 or doc.overlapping(start, end, (ORGANISATION, PROJECT)):
        return None
    return add_project(doc, index, sentence, start, end, None, "pattern:purpose-action", 0.5).key


_WITHIN = re.compile(r"\s+(?:في|فى|dans\s+les|in)\s+")
