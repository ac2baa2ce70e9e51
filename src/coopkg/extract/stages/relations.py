"""Stage 7: who plays which part in a project, when it runs, where it takes place.

Roles follow their cues ("mis en œuvre par", "in partnership with", "لفائدة"); a participant is
also who "participe" or "contributes to" the project. Periods: a range ("2012 – 2014", "ما بين 2024
و2028"), a date after a launch cue, a duration ("36 mois", "four-year"). Places: after a locative
cue ("à", "dans la région de", "في", an attached "ب"), and those listed after them.
"""

from __future__ import annotations

import re

from coopkg.extract.dates import months_between
from coopkg.extract.doc import PROJECT, REGION, Doc
from coopkg.extract.stages.coreference import acting, org_before, orgs_after
from coopkg.extract.text import Sentence


def relations(doc: Doc) -> Doc:
    for index, sentence in enumerate(doc.sentences):
        _acting_states(doc, sentence)
        _roles(doc, sentence)
        _periods(doc, index, sentence)
        _places(doc, sentence)
    return doc


def _acting_states(doc: Doc, sentence: Sentence) -> None:
    """A country that signs, funds, receives or partners is also an organisation (its government):
    "en faveur du Burkina Faso", "La Guinée et l'IDA signent", "بالشراكة مع أيرلندا وفنلندا"."""
    lex = doc.lex(sentence)
    before, after = lex.pattern("organisations", "acting_before"), lex.pattern("organisations", "acting_after")
    glue = re.compile(rf"^(?:{lex.text('grammar', 'coordination')})(?:{lex.text('grammar', 'determiners')}\s*)?$",
                      re.IGNORECASE)  # fmt: skip
    orgs = doc.in_sentence(sentence, "organisation")
    countries = [m for m in doc.in_sentence(sentence, REGION) if doc.is_state(m.key)]
    acting_spans: list[tuple[int, int]] = []
    for m in countries:
        left = doc.text[max(sentence.start, m.start - 50) : m.start]
        right = doc.text[m.end : min(sentence.end, m.end + 40)]
        beside = any(glue.match(doc.text[o.end : m.start]) or glue.match(doc.text[m.end : o.start])
                     for o in orgs if o.end <= m.start or m.end <= o.start)  # fmt: skip
        listed = any(
            glue.match(doc.text[a[1] : m.start]) or (lex.code == "ar" and not doc.text[a[1] : m.start].strip()
                                                     and doc.text[m.start] == "و")
            for a in acting_spans
        )  # fmt: skip
        if before.search(left) or after.search(right) or beside or listed:
            acting(doc, m)
            acting_spans.append((m.start, m.end))


def _roles(doc: Doc, sentence: Sentence) -> None:
    lex = doc.lex(sentence)
    for role, pattern in lex.role_cues():
        for m in pattern.finditer(sentence.text):
            start, end = sentence.start + m.start(), sentence.start + m.end()
            # A state takes part as a partner or a beneficiary; "lancé par le Maroc" is rarely about a project.
            orgs = orgs_after(doc, end, sentence, lex, states=role in {"partner", "beneficiary"})
            if not orgs:
                continue
            project = doc.project_near(sentence, start) or doc.project_near(sentence, end, before=False)
            if project is None:
                continue
            evidence = doc.sentence_evidence(sentence, f"pattern:role:{lex.code}", 0.8)
            for org in orgs:
                doc.participate(project, org.key, role, evidence)
    for m in lex.pattern("roles", "participates").finditer(sentence.text):
        start = sentence.start + m.start()
        org = org_before(doc, sentence, start, states=False) or next(
            (o for o in doc.in_sentence(sentence, "organisation") if o.start >= start and o.start - start < 40), None
        )
        project = doc.project_near(sentence, sentence.start + m.end(), before=False)
        if org is not None and project is not None:
            evidence = doc.sentence_evidence(sentence, f"pattern:participates:{lex.code}", 0.7)
            doc.participate(project, acting(doc, org).key, "partner", evidence)


def _sentence_project(doc: Doc, sentence: Sentence) -> str | None:
    named = doc.in_sentence(sentence, PROJECT)
    if not named:
        return None
    mention = next((m for m in named if not m.anaphor), named[0])
    key = doc.resolve(mention)
    return key if key in doc.projects else None


def _periods(doc: Doc, index: int, sentence: Sentence) -> None:
    key = _sentence_project(doc, sentence)
    if key is None:
        return
    lex = doc.lex(sentence)
    facts = doc.projects[key]
    dates = doc.dates.get(index, ())
    for date in dates:
        if date.kind != "range":
            continue
        point = re.search(
            r"(?:\b(?:en|in|au\s+titre\s+de|for)|سنة|خلال\s+سنة)\s*$", doc.text[sentence.start : date.start]
        )
        if facts.start is None and facts.end is None and not point:
            facts.start, facts.end = date.begin, date.until
    start_cues = lex.pattern("dates", "start_cues")
    for date in dates:
        if date.kind != "date" or not date.begin:
            continue
        if not start_cues.search(doc.text[max(sentence.start, date.start - 45) : date.start]):
            continue
        # A launch date refines a coarser start ("lancé en septembre 2019" within "2019 – 2022").
        if facts.start is None or (date.begin.startswith(facts.start) and len(date.begin) > len(facts.start)):
            facts.start = date.begin
    for duration in doc.durations.get(index, ()):
        if facts.months is None:
            facts.months = duration.months
    if facts.months is None and facts.start and facts.end and len(facts.start) >= 7 and len(facts.end) >= 7:
        facts.months = months_between(facts.start, facts.end)


def _places(doc: Doc, sentence: Sentence) -> None:
    regions = doc.in_sentence(sentence, REGION)
    key = _sentence_project(doc, sentence) if regions else None
    if key is None:
        return
    lex = doc.lex(sentence)
    locative = lex.pattern("places", "locative")
    coordination, determiners = lex.text("grammar", "coordination"), lex.text("grammar", "determiners")
    glue = re.compile(
        rf"^(?:{coordination}|\s+)(?:(?:{determiners})\s*)?(?:(?:la\s+)?(?:région|ville|province)\s+(?:de|du|des)\s*(?:l['’])?)?$",
        re.IGNORECASE,
    )
    located = False
    previous_end = None
    for region in regions:
        before = doc.text[max(sentence.start, region.start - 40) : region.start]
        clitic = sentence.language == "ar" and doc.text[region.start] in "ب"
        if (
            locative.search(before)
            or clitic
            or (located and previous_end is not None and glue.match(doc.text[previous_end : region.start]))
        ):
            located = True
            doc.projects[key].regions.setdefault(region.key, []).append(
                doc.sentence_evidence(sentence, "pattern:project-place", 0.7)
            )
        else:
            located = False
        previous_end = region.end
