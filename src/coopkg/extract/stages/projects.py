"""Stage 4: projects, programmes and agreements, and the words that refer back to them.

A project noun followed by a quoted name («Jumelage Institutionnel»), a proper name (projet Kafaat
Liljamia, مشروع THAMM), a name closed by its acronym (Programme d'innovation entrepreneuriale (PIE)),
a descriptive name (Projet multisectoriel d'appui au développement des compétences, مشروع تطوير
التكوين المهني وتشغيل الشباب), or English capitalised words ending with a project noun (the
Employability and Land Compact; the Young Africa Works strategy). Agreements between named
organisations (convention de partenariat, اتفاقية شراكة, memorandum of understanding) are projects
named from their parties. "Ce programme", "the project", "المشروع" are anaphora.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from coopkg.extract.doc import ORGANISATION, PROJECT, REGION, Doc, Entity, Mention, ProjectFacts, capitalise, clean_name
from coopkg.extract.lexicon import Locale
from coopkg.extract.stages.names import ACRONYM, _subsequence
from coopkg.extract.text import FUNCTION_WORDS, Sentence, Token, fold, is_arabic, key_form, tokenize
from coopkg.iris import slugify

_QUOTED = re.compile(r"[«“\"]\s*(?P<name>[^«“»”\"\n]{3,160}?)\s*[»”\"]")
_PROPER = re.compile(
    r"\s*(?P<name>(?:[A-Z][\w’'-]*|[A-Z0-9][A-Z0-9-]+)(?:\s+(?:[A-Z][\w’'.-]*|[A-Z0-9][A-Z0-9-]+|\d+(?:\.\d+)?|de|d['’]|des|du|la|for|of|the|and|pour|et|in|to))*?)"
    r"(?=\s*(?:\(|,|\.|;|:|$|\s[a-zà-ÿ\u0600-\u06ff]|\s+[«\"]))"
)
_TRAILING_GLUE = re.compile(r"\s+(?:de|d['’]|des|du|la|for|of|the|and|pour|et|in|to)$")
_COMMON = {
    "le",
    "la",
    "les",
    "ce",
    "cette",
    "un",
    "une",
    "des",
    "the",
    "this",
    "a",
    "an",
    "its",
    "their",
    # persons' titles after "Programme": "Programme Manager à Enabel"
    "manager",
    "officer",
    "director",
    "coordinator",
    "coordinateur",
    "coordonnateur",
    "directeur",
    "specialist",
    "assistant",
    "analyst",
    "lead",
    "head",
}
_EN_TAIL = re.compile(
    r"(?P<name>(?:(?:[A-Z][\w’'-]+|[A-Z0-9]{2,})\s+(?:(?:and|for|of|the|in|&|to|through|on|towards)\s+)?){1,8})"
    r"(?P<tail>Project|Programme|Program|Initiative|Compact|Operation|Plan|Strategy|Fund|Facility|project|programme|program|initiative|strategy|plan)\b"
)
_DETERMINERS = {"the", "a", "an", "this", "its", "their", "our"}
_CAPITAL_TAILS = {"Project", "Programme", "Program", "Initiative", "Compact", "Operation"}
_PROGRAMME = re.compile(r"\s*(?:programmes?|programs?|برنامج|البرنامج)", re.IGNORECASE)
_AGREEMENT_KINDS = {"fr": "Convention de partenariat", "ar": "اتفاقية شراكة", "en": "Partnership agreement"}


def projects(doc: Doc) -> Doc:
    for index, sentence in enumerate(doc.sentences):
        _named_projects(doc, index, sentence)
    _aliases(doc)
    for index, sentence in enumerate(doc.sentences):
        _agreements(doc, index, sentence)
    for index, sentence in enumerate(doc.sentences):
        _anaphora(doc, index, sentence)
    return doc


_LEADING_PREPOSITION = re.compile(
    r"(?:Since|At|In|On|From|With|By|Under|Through|During|After|Before|Within|Among|Following|According\s+to)\s+(?:the\s+)?"
)


def add_project(
    doc: Doc, index: int, sentence: Sentence, start: int, end: int, acronym: str | None, method: str,
    confidence: float, *, label: str | None = None,
) -> Entity:  # fmt: skip
    if sentence.language == "ar" and doc.text[start : start + 3] in ("وال", "ولل"):
        start += 1  # "والبرنامج السعودي …": the conjunction is not part of the name
    lead = _LEADING_PREPOSITION.match(doc.text, start, end) if sentence.language == "en" else None
    if lead is not None and end - lead.end() > 3:
        start = lead.end()  # "Since the APTC program began …": a sentence's opening preposition is no part of a name
    name = label or capitalise(doc.text[start:end])
    # ("Le projet de renforcement du système …" and "le programme de renforcement du système …": one undertaking.)
    same = _same_but_noun(doc, sentence, name)
    entity = doc.new_entity(PROJECT, name, sentence.language, "Project", acronym, key=same)
    if _PROGRAMME.match(doc.text[max(0, start - 14) : start + 12]) and entity.type == "Project":
        entity.type = "Programme"
    doc.mentions = [m for m in doc.mentions if not (m.kind == ORGANISATION and start <= m.start and m.end <= end
                                                      and m.method.startswith("pattern"))]  # fmt: skip
    doc.mention(Mention(entity.key, PROJECT, start, end, index, method, confidence))
    named = re.match(rf"\S+\s+(?:{doc.lex(sentence).text('projects', 'naming_words')})\s+[«“\"]?\s*(?P<name>.+?)\s*[»”\"]?$",
                     entity.label, re.IGNORECASE)  # fmt: skip
    if named is not None and len(tokenize(named.group("name"))) >= 2:
        # "Programme dénommé Formation professionnelle renforcement de capacités pour l’emploi": also the name.
        entity.also_named(capitalise(named.group("name")))
    longer = _with_place_after(doc, sentence, end)
    if longer is not None:
        # "مشروع يعالج العمل الاستغلالي بين الشباب في أوغندا": also named with the place written after it.
        entity.also_named(capitalise(doc.text[start:longer]))
    entity.also_named(_before_place(doc, sentence, start, end))
    for name in [entity.label, *(n for n, _ in entity.alt)]:
        entity.also_named(_without_head(doc, sentence, name))
    if acronym:
        a_start = doc.text.find(acronym, end)
        if a_start != -1 and a_start - end < 6:
            doc.mention(Mention(entity.key, PROJECT, a_start, a_start + len(acronym), index, method, confidence))
    return entity


_HEAD_LINK = re.compile(r"\s*(?:(?:de|d['’]|du|des|pour|of|for)\s*(?:the\s+)?)?", re.IGNORECASE)


def _without_head(doc: Doc, sentence: Sentence, name: str) -> str | None:
    """ "Projet de création de centres de formation …", "Project of the construction of a dormitory …", "مشروع تطوير
    البنية التحتية": the undertaking is also named without the project noun that heads it, when what follows is
    an action ("création", "construction", "تطوير")."""
    lex = doc.lex(sentence)
    head = lex.pattern("projects", "nouns").match(name)
    if head is None:
        return None
    rest = name[_HEAD_LINK.match(name, head.end()).end() :]
    first = rest.split(" ", 1)[0]
    action = lex.text("projects", "action_nouns")
    if sum(1 for w in rest.split()[1:] if w[:1].isupper()) >= 2:
        return None  # "Programme d'Appui aux Coopératives Féminines": a title, named whole
    if len(tokenize(rest)) < 2 or not (
        re.fullmatch(action, first, re.IGNORECASE) or (first[:2] == "ال" and re.fullmatch(action, first[2:]))
    ):
        return None
    return capitalise(rest)


def _same_but_noun(doc: Doc, sentence: Sentence, name: str) -> str | None:
    """The project already named the same after another project noun ("Projet de X" for "Programme de X")."""
    nouns = doc.lex(sentence).pattern("projects", "nouns")
    head = nouns.match(name)
    if head is None or len(tokenize(name[head.end() :])) < 3:
        return None
    rest = fold(name[head.end() :])
    # ("a project of the construction of a dormitory for the … Centreā" after "the construction of a dormitory for the
    # … Centre": the undertaking named before, with its project noun now.)
    bare = fold(name[_HEAD_LINK.match(name, head.end()).end() :])
    for entity in doc.entities.values():
        if entity.kind != PROJECT:
            continue
        other = nouns.match(entity.label)
        if other is not None and fold(entity.label[other.end() :]) == rest:
            return entity.key
        if other is None and len(bare) > 30 and SequenceMatcher(None, fold(entity.label), bare).ratio() >= 0.97:
            return entity.key
    return None


def _with_place_after(doc: Doc, sentence: Sentence, end: int) -> int | None:
    """Where the place a name is followed by ends ("… بين الشباب في أوغندا", "… au Niger"), if a few words and a
    preposition lead to it."""
    ahead = doc.lex(sentence).pattern("places", "locative_ahead").match(doc.text, end, sentence.end)
    if ahead is None:
        return None
    place = next((m for m in doc.in_sentence(sentence, REGION) if m.start == ahead.end()), None)
    return place.end if place is not None else None


def _before_place(doc: Doc, sentence: Sentence, start: int, end: int) -> str | None:
    """ "Construction de 11 écoles primaires dans la capitale Bangui …" is also called "Construction de 11 écoles
    primaires": the name before the place it is located in."""
    places = [m for m in doc.in_sentence(sentence, REGION) if start < m.start and m.end <= end]
    lex = doc.lex(sentence)
    if not places:
        # "un projet d'amélioration … de l'accès à l'eau potable dans les provinces du Nord"
        area = lex.pattern("places", "area_tail").search(doc.text, start, end)
        short = clean_name(doc.text[start : area.start()]) if area is not None else ""
        return capitalise(short) if len(tokenize(short)) >= 2 else None
    # (The first place the name is located at: "Programme d'urgence pour le Sahel au Burkina Faso" names the Sahel
    # as a part of the name, then where it is.)
    for place in sorted(places, key=lambda m: m.start):
        head = doc.text[start : place.start]
        cue = lex.pattern("places", "cue").search(head)
        if cue is not None:
            head = head[: cue.start()]  # "… in the northern Mozambican provinces of Niassa"
        at = _last_locative(lex.pattern("places", "locative_word"), head)
        if at is not None:
            break
    else:
        return None
    short = re.sub(r"\s+(?:et|and|de|of|و)$", "", clean_name(head[: at.start()]))
    # ("… barrage Tamalout sur l'oued Ansegmir dans la province de Khénifra": and the river it is on.)
    short = lex.pattern("places", "on_feature").sub("", short)
    return capitalise(short) if len(tokenize(short)) >= 2 else None


def _quoted_funds(doc: Doc, index: int, sentence: Sentence) -> None:
    """ "le fonds «Education sans délai», créé par les Nations unies": a fund's noun in lower case and its quoted
    name; a fund money goes into, which the conventions count as a project (a capitalised "Fonds …" is a funder's
    name, found among the organisations)."""
    fund = doc.lex(sentence).pattern("fundings", "fund_names")
    for match in fund.finditer(sentence.text):
        if not match.group(0)[:1].islower():
            continue
        space = re.compile(r"\s*").match(sentence.text, match.end())
        quoted = _QUOTED.match(sentence.text, space.end()) if space is not None else None
        if quoted is None:
            continue
        start, end = sentence.start + quoted.start("name"), sentence.start + quoted.end("name")
        if not doc.overlapping(start, end, (PROJECT, ORGANISATION)):
            add_project(doc, index, sentence, start, end, None, "pattern:quoted-fund", 0.8)


def _last_locative(pattern: re.Pattern[str], head: str) -> re.Match[str] | None:
    """The locative nearest the place ("… dans le secteur automobile à Kénitra": "à", not "dans")."""
    found = pattern.search(head)
    while found is not None:
        closer = pattern.search(head, found.start() + 1)
        if closer is None:
            return found
        found = closer
    return None


def _named_projects(doc: Doc, index: int, sentence: Sentence) -> None:
    lex = doc.lex(sentence)
    text = sentence.text
    _quoted_funds(doc, index, sentence)
    nouns = re.compile(rf"(?<![\w])(?P<noun>{lex.text('projects', 'nouns')})(?![\w])", re.IGNORECASE)
    for noun in nouns.finditer(text):
        after = text[noun.end() :]
        noun_start = sentence.start + noun.start()
        if doc.overlapping(noun_start, sentence.start + noun.end(), (PROJECT,)):
            continue
        before = re.search(r"([A-Z][\w’'-]*)\s+$", text[: noun.start()]) if sentence.language == "en" else None
        if noun.group("noun")[0].isupper() and before and fold(before.group(1)) not in FUNCTION_WORDS | _DETERMINERS:
            continue  # "the Nigeria State Education Program Investment Project": a word inside a longer name
        if _plural(noun.group("noun")) and len(_QUOTED.findall(after)) >= 2:
            # "deux projets stratégiques : «l'éducation et formation pour l'employabilité» et la «Productivité
            # du foncier»": each quoted name of the list is a project.
            for quoted in _QUOTED.finditer(after):
                q_start = sentence.start + noun.end() + quoted.start("name")
                q_end = sentence.start + noun.end() + quoted.end("name")
                if not doc.overlapping(q_start, q_end, (PROJECT,)):
                    add_project(doc, index, sentence, q_start, q_end, None, "pattern:quoted-project", 0.8)
            continue
        quoted = _QUOTED.search(after[:120])
        proper_first = _PROPER.match(after) if re.match(r"\s*[A-Z]", after) else None
        if quoted and proper_first and re.fullmatch(r"\s*\(\s*", after[proper_first.end("name") : quoted.start()]):
            quoted = None  # "le Projet Mosala (« Travail »)": the name, then its translation
        if quoted and lex.pattern("grammar", "phrase_stops").match(after.lstrip()):
            quoted = None  # "Ce projet vise … « des quartiers défavorisés »": a verb after the noun, no name
        if quoted and not re.search(r"[.;]", after[: quoted.start()]):
            start = sentence.start + noun.end() + quoted.start("name")
            end = sentence.start + noun.end() + quoted.end("name")
            described = after[: quoted.start()].strip()
            if len(tokenize(described)) >= 2 and not re.search(r"[«“\",،]", described):
                # "مشروع تحديث التعليم والمهارات “مسار”", "le Programme d'appui … « PAJE »": the name and its short name.
                long_end = sentence.start + noun.end() + len(after[: quoted.start()].rstrip())
                entity = add_project(doc, index, sentence, sentence.start + noun.start(), long_end, None,
                                     "pattern:named-project", 0.8)  # fmt: skip
                entity.alt.append((doc.text[start:end], sentence.language))
                doc.mention(Mention(entity.key, PROJECT, start, end, index, "pattern:quoted-project", 0.85))
            else:
                add_project(doc, index, sentence, start, end, None, "pattern:quoted-project", 0.85)
            continue
        proper = _PROPER.match(after) if not is_arabic(noun.group()) or re.match(r"\s*[A-Z]", after) else None
        if proper:
            raw = _TRAILING_GLUE.sub("", proper.group("name").strip())
            start = sentence.start + noun.end() + proper.start("name")
            end = start + len(raw)
            if re.fullmatch(r"[IVX]{1,4}|\d{1,2}", raw):
                start = sentence.start + noun.start()  # "Compact II", "Phase 2": the noun is part of the name
            documents = lex.text("projects", "documents")
            if (
                raw
                and fold(raw) not in _COMMON
                and not re.fullmatch(rf"(?:{documents})", raw.split()[-1], re.IGNORECASE)
                and not re.fullmatch(r"[\d\s./-]+", raw)
                and not doc.overlapping(start, end, (ORGANISATION, REGION))
            ):
                add_project(doc, index, sentence, start, end, acronym_after(doc, end), "pattern:named-project", 0.85)
                continue
        closing = re.match(rf"(?P<rest>[^()\n.;,]{{0,100}}?)\s*\((?P<acr>{ACRONYM})\)", after)
        if closing and _with_acronym(doc, index, sentence, noun, closing):
            continue
        _described(doc, index, sentence, noun, lex)
    _quoted_title(doc, index, sentence, lex)
    if sentence.language == "en":
        _english_quoted(doc, index, sentence, lex)
        _english_tail(doc, index, sentence)
        _english_described(doc, index, sentence, lex)
        _english_purposed(doc, index, sentence, lex)


def acronym_after(doc: Doc, position: int) -> str | None:
    match = re.match(rf"\s*\((?P<acr>{ACRONYM})\)", doc.text[position : position + 24])
    return match.group("acr") if match else None


def _with_acronym(doc: Doc, index: int, sentence: Sentence, noun: re.Match[str], closing: re.Match[str]) -> bool:
    """ "Programme d'innovation entrepreneuriale (PIE)": the acronym's letters are the name's initials."""
    acronym = closing.group("acr")
    rest_start = sentence.start + noun.end()
    rest_end = rest_start + len(closing.group("rest"))
    rest_tokens = [t for t in sentence.tokens if rest_start <= t.start < rest_end]
    initials = [t.folded[0] for t in rest_tokens if t.folded not in FUNCTION_WORDS]
    letters = [c.lower() for c in acronym if c.isupper()]
    with_noun = [fold(noun.group("noun"))[0], *initials]
    if not letters or not initials:
        return False
    if letters[0] == initials[0] and _subsequence(letters, initials):
        start = rest_tokens[0].start
    elif letters[0] == with_noun[0] and _subsequence(letters, with_noun):
        start = sentence.start + noun.start()
    elif (
        len(letters) >= 3
        and len(initials) >= 3
        and not _plural(noun.group("noun"))
        and re.match(r"\s*(?:d['’]|de\s|du\s|des\s|of\s|for\s)", closing.group("rest"))
    ):
        # "projet de développement inclusif grâce à l’accès à l’électricité (IDEA)": a noun and its complement
        # closed by the acronym of the name in another language.
        start = sentence.start + noun.start()
    else:
        return False
    end = sentence.start + noun.end() + len(closing.group("rest").rstrip())
    inside = doc.overlapping(start, end, (ORGANISATION,))
    if inside is not None and inside.start > start:
        return False  # "a support programme to the National Planning Commission (NPC)": the organisation's acronym
    add_project(doc, index, sentence, start, end, acronym, "pattern:project-acronym", 0.85)
    return True


def _described(doc: Doc, index: int, sentence: Sentence, noun: re.Match[str], lex: Locale) -> None:
    """A descriptive name: "Projet multisectoriel d'appui au développement des compétences pour la
    résilience", "le projet de construction et d'équipement d'infrastructures scolaires", "مشروع
    تطوير التكوين المهني وتشغيل الشباب". A capitalised or indefinite head, and a complement."""
    word = noun.group("noun")
    start = sentence.start + noun.start()
    if any(m.kind == ORGANISATION and m.start <= start + 1 < m.end for m in doc.mentions):
        return  # "برنامج الأمم المتحدة الإنمائي", "Programme des Nations unies": the noun opens an organisation's name
    end = chunk_end(doc, sentence, sentence.start + noun.end(), lex, limit=30)
    if end is None:
        return
    words = tokenize(doc.text[start:end])
    if sentence.language == "ar":
        # "مشروع تطوير التكوين المهني", "برنامج لتطوير منظومة التدريب": an indefinite مشروع or برنامج heading a
        # construct chain ("وهي مبادرة إقليمية أطلقتها" is a predicate, not a name).
        second = words[1].text if len(words) > 1 else ""
        action = re.fullmatch(lex.text("projects", "action_nouns"), second, re.IGNORECASE) or (
            second[:1] == "ل" and re.fullmatch(lex.text("projects", "action_nouns"), second[1:], re.IGNORECASE)
        )
        head = fold(word)
        head = head[1:] if head[:1] in "وفبل" and head[1:] in {"مشروع", "برنامج"} else head
        if head not in {"مشروع", "برنامج"} or len(words) < 3 or not (_construct(words[1:3]) or action):
            return
        if head != fold(word):
            start += 1  # "وبرنامج لتطوير …": the conjunction is not part of the name
    else:
        first = words[1].text if len(words) > 1 else ""
        capital = word[:1].isupper()
        # "Projet fonds commun pour l'éducation de base": a capitalised head may take a noun before its complement.
        links = {"d", "de", "du", "des", "pour", "au", "aux"}
        linked = fold(first) in links or (capital and any(w.folded in links for w in words[2:4])) or bool(re.match(
            r"[a-zéèêàç]+(?:al|ale|el|elle|if|ive|aire|ique|iel|ielle|ional|ionale|é|ée)s?$", first))  # fmt: skip
        complement = re.search(rf"(?:{lex.text('projects', 'action_nouns')})", doc.text[start:end], re.IGNORECASE)
        linked = linked or (capital and bool(re.fullmatch(lex.text("projects", "action_nouns"), first, re.IGNORECASE)))
        infinitive = fold(first) in {"pour", "to"} and len(words) > 2 and re.search(r"(?:er|ir|re)$", words[2].text)
        if len(words) < 3 or not linked or not (capital or complement) or (_plural(word) and not capital) or infinitive:
            return
    if doc.overlapping(start, end, (PROJECT,)):
        return
    add_project(doc, index, sentence, start, end, acronym_after(doc, end), "pattern:described-project", 0.7)


def _construct(words: list[Token]) -> bool:
    """Two words that continue an Arabic construct state: a definite noun, or an indefinite one and a definite."""
    first, second = (w.folded for w in words)
    return first.startswith("ال") or (second.startswith(("ال", "لل")) and not first.startswith(("و", "ب")))


def _plural(word: str) -> bool:
    return fold(word).endswith(("s", "x")) and fold(word) not in {"plans"}


def chunk_end(doc: Doc, sentence: Sentence, position: int, lex: Locale, *, limit: int = 16) -> int | None:
    """Where the noun phrase going on at ``position`` ends: before punctuation, a verb or relative,
    money, a date, or a named organisation that is not part of it; None when nothing follows."""
    tokens = [t for t in sentence.tokens if t.start >= position]
    stops = lex.pattern("grammar", "phrase_stops")
    aims = lex.words("grammar", "aim_verbs")
    blocked = [(q.start, q.end) for q in doc.money.get(_index(doc, sentence), [])]
    blocked += [(d.start, d.end) for d in doc.dates.get(_index(doc, sentence), ())]
    end = None
    last_content = None
    previous = position
    for count, token in enumerate(tokens):
        gap = doc.text[previous : token.start]
        if re.search(r"[,;:()«»\"“”.!?،؛\n]", gap) or gap.count(" ") > 1:
            break
        aimed = count == 1 and tokens[0].folded in aims  # ("مشروع يهدف إلى …": the head is "مشروع", before it)
        stop = stops.match(doc.text, token.start - (1 if is_arabic(token.text) else 0)) if count > 0 else None
        if (stop or stops.match(doc.text, token.start)) and not aimed:
            break
        if any(a <= token.start < b for a, b in blocked):
            break  # money and dates end a phrase; a count inside it ("la construction de 22 écoles") does not
        if count >= limit:
            break  # a long phrase is cut, not dropped
        if token.folded not in FUNCTION_WORDS:
            last_content = token
        end = token.end
        previous = token.end
    if end is None or last_content is None:
        return None
    return last_content.end


def _index(doc: Doc, sentence: Sentence) -> int:
    return doc.sentences.index(sentence)


def _english_quoted(doc: Doc, index: int, sentence: Sentence, lex: Locale) -> None:
    """ "“Bangladesh COVID- 19 school Sector Response” project will be jointly implemented": a quoted name
    right before a project noun."""
    nouns = re.compile(rf"\s*(?:{lex.text('projects', 'nouns')})(?![\w])", re.IGNORECASE)
    for quoted in _QUOTED.finditer(sentence.text):
        if not nouns.match(sentence.text, quoted.end()):
            continue
        start, end = sentence.start + quoted.start("name"), sentence.start + quoted.end("name")
        if not doc.overlapping(start, end, (PROJECT,)):
            add_project(doc, index, sentence, start, end, None, "pattern:quoted-project", 0.85)


def _quoted_title(doc: Doc, index: int, sentence: Sentence, lex: Locale) -> None:
    """ "US$90,158 for “The Project for Rehabilitating Roung Damrey Irrigation”": a quoted title that opens
    with a project noun and what it is for is a project's name (a title, so it carries the capitals)."""
    title = re.compile(rf"(?:the\s+)?(?:{lex.text('projects', 'nouns')})\s+(?:for|of|on|de|d['’]|du|des|pour)\s*\S",
                       re.IGNORECASE)  # fmt: skip
    for quoted in _QUOTED.finditer(sentence.text):
        name = quoted.group("name")
        if not title.match(name) or not any(w[:1].isupper() for w in name.split()[2:]):
            continue
        start, end = sentence.start + quoted.start("name"), sentence.start + quoted.end("name")
        if not doc.overlapping(start, end, (PROJECT,)):
            add_project(doc, index, sentence, start, end, None, "pattern:quoted-title", 0.85)


def _english_tail(doc: Doc, index: int, sentence: Sentence) -> None:
    """ "the Employability and Land Compact", "its Young Africa Works strategy": capitalised words
    ending with a project noun; a lower-case noun is not part of the name."""
    for match in _EN_TAIL.finditer(sentence.text):
        name, tail = match.group("name").strip(), match.group("tail")
        # "Sierra Leone’s BIG FIVE program", "KOICA’s Rwanda program": the owner is not part of the name.
        owner = re.search(r"^.*['’]s\s+", name)
        name = name[owner.end() :] if owner else name
        if re.search(r"['’]s$", name):
            continue
        words = name.split()
        while words and (fold(words[0]) in _DETERMINERS or fold(words[0]) in FUNCTION_WORDS
                         or _LEADING_PREPOSITION.fullmatch(words[0] + " ")):  # fmt: skip
            words = words[1:]
        money = [i for i, w in enumerate(words) if re.fullmatch(r"[$€£]?\d[\d.,]*\w*|(?:[Mm]illion|[Bb]illion)s?", w)]
        if money:
            # "SFD Signs $50 Million Development Loan for Chad Cardiac Center Project": the money is no part of it.
            linked = [i for i, w in enumerate(words) if i > money[-1] and w in {"for", "to", "of"}]
            words = words[linked[-1] + 1 :] if linked else []
        tail_lower = tail not in _CAPITAL_TAILS
        while tail_lower and words and fold(words[-1]) in FUNCTION_WORDS:
            words = words[:-1]  # "Presenting the project": no name before "the"
        if not words or re.fullmatch(r"(?:\w+-(?:year|month)|USD|US\$|EUR|\d[\d.,]*\s*\w*)", " ".join(words), re.I):
            continue  # "a Four-year project", "58 mln USD project": a description, not a name
        name = " ".join(words)
        start = sentence.start + match.start("name") + match.group("name").index(name)
        end = start + len(name)
        bare = None
        if tail in _CAPITAL_TAILS:
            end = sentence.start + match.end("tail")
            # ("its Small Development Programme Scheme": a second noun of the kind ends the name.)
            more = re.match(
                r"\s+(?:Scheme|Project|Programme|Program|Initiative|Fund|Facility)\b", doc.text[end : sentence.end]
            )
            end += more.end() if more is not None else 0
        elif tail in {"programme", "program", "project", "fund"}:
            # "the Social Cash Transfer programme": the press writes the noun with the name; the name alone too.
            bare = doc.text[start:end]
            end = sentence.start + match.end("tail")
        elif tail[0].isupper() or len(words) < 2:
            continue  # "the Saudi Fund", "the World Bank Facility": an organisation's word
        if len(tokenize(doc.text[start:end])) < 2 or doc.overlapping(start, end, (PROJECT,)):
            continue
        inside = doc.overlapping(start, end, (ORGANISATION,))
        if inside is not None and (inside.start, inside.end) == (start, end):
            continue
        entity = add_project(doc, index, sentence, start, end, acronym_after(doc, end), "pattern:named-project", 0.8)
        if bare and (bare, sentence.language) not in entity.alt:
            entity.alt.append((bare, sentence.language))


_EN_DESCRIBED = re.compile(
    r"\b(?:[Aa]|[Aa]n|[Tt]he|[Ii]ts|[Tt]heir|[Tt]his|[Nn]ew)\s+"
    r"(?P<name>(?:[A-Z][\w-]+\s+)?(?:[a-z][\w-]+\s+){1,4}(?:program|programme|project|initiative)s?)"
    r"(?P<more>\s+(?:for|in|to|on|of)\s+)?"
)


_VERBISH = re.compile(
    r"^(?:said|says|is|was|were|has|have|had|will|would|can|could|that|which|who|with|its)$|(?:ed|ly)$"
)


_EN_PURPOSED = re.compile(
    r"\b(?:[Aa]|[Aa]n|[Tt]he)\s+(?:(?:new|four-year|five-year|three-year|two-year|\w+-year)\s+)?"
    r"(?P<noun>program|programme|project|initiative)\s+(?P<link>on|to|for|destined\s+to|aimed\s+(?:at|to)|aiming\s+to|"
    r"designed\s+to|intended\s+to|that\s+aims\s+to)\s+"
)


def _english_purposed(doc: Doc, index: int, sentence: Sentence, lex: Locale) -> None:
    """ "a program on improving access to employment through vocational training", "a project destined to
    ensure the sustainability … of access to drinking water": a project named by what it is for."""
    for match in _EN_PURPOSED.finditer(sentence.text):
        start = sentence.start + match.start("noun")
        end = chunk_end(doc, sentence, sentence.start + match.end(), lex, limit=20)
        if end is None or doc.overlapping(start, end, (PROJECT,)):
            continue
        if _DEFINITE_DURATION.search(doc.text[max(sentence.start, start - 24) : start]):
            continue  # "the three-year project to support the vulnerable Lebanese": the one named before
        add_project(doc, index, sentence, start, end, None, "pattern:described-project", 0.6)


# "the successful project", "the proposed programme": a word that judges or points, not a name's.
_NOT_A_NAME_FIRST = frozenset({
    "new", "first", "second", "third", "other", "same", "next", "last", "pilot", "successful", "whole", "entire",
    "overall", "said", "current", "previous", "proposed", "planned", "additional", "ambitious", "important",
    "major", "flagship", "joint", "ongoing", "existing", "former", "latest", "initial", "final", "two", "three",
    "total", "full", "combined",
})  # fmt: skip
# "the project cost", "the programme budget": the project noun modifies another noun.
_MODIFIED_NOUN = re.compile(
    r"\s+(?:costs?|budgets?|funding|financing|documents?|teams?|areas?|sites?|managers?|management)\b"
)


_DURATION_WORD = r"(?:[\w]+-)?(?:year|month|week)s?(?:-long)?"  # "four-year", "multi-year", "12-month"
_DURATION = re.compile(rf"{_DURATION_WORD}$")
_DEFINITE_DURATION = re.compile(rf"\b(?:the|this|that)\s+{_DURATION_WORD}\s+$", re.I)
_GENERIC = frozenset({"support", "development", "assistance", "aid", "cooperation", "funding", "grant", "loan"})


def _english_described(doc: Doc, index: int, sentence: Sentence, lex: Locale) -> None:
    """ "a skills development program for youth in Aswan", "the job creation project": a lower-case
    compound naming a project, with its complement."""
    for match in _EN_DESCRIBED.finditer(sentence.text):
        start = sentence.start + match.start("name")
        end = sentence.start + match.end("name")
        words = [w for w in match.group("name").split()[:-1] if fold(w) not in FUNCTION_WORDS]
        if any(w[:1].isupper() for w in words) and not any(w[:1].islower() for w in words):
            continue  # "the World Bank project" is the tail rule's, or an organisation's
        if len(words) != len(match.group("name").split()) - 1 or any(_VERBISH.search(w) for w in words):
            continue  # "the Board expressed satisfaction with the project": a clause, not a compound
        if not words or any(fold(w) in _NOT_A_NAME_FIRST for w in words[:1]) or _MODIFIED_NOUN.match(doc.text, end):
            continue
        generic = all(_DURATION.match(fold(w)) or fold(w) in _GENERIC for w in words)
        definite = re.search(r"\b(?:the|this|that)\s+$", doc.text[max(sentence.start, start - 6) : start], re.I)
        if generic and (not match.group("more") or definite):
            # "a four-year project", "the support program": no name; "the three-year project to support the
            # vulnerable Lebanese": the one named before.
            continue
        if match.group("more"):
            end = chunk_end(doc, sentence, sentence.start + match.end("more"), lex, limit=8) or end
        if doc.overlapping(start, end, (PROJECT, ORGANISATION)):
            continue
        add_project(doc, index, sentence, start, end, None, "pattern:described-project", 0.6)


def _aliases(doc: Doc) -> None:
    """Every other use of a project's name or acronym in the text is a mention too."""
    # Where each folded word stands, so that a name is looked for only where its first word is.
    where: dict[str, list[tuple[int, int]]] = {}
    for index, sentence in enumerate(doc.sentences):
        for i, token in enumerate(sentence.tokens):
            where.setdefault(token.folded, []).append((index, i))
    for entity in [e for e in doc.entities.values() if e.kind == PROJECT]:
        # Longest name first, so that a longer use is one mention, not a shorter name's (and the same in any process:
        # a set of strings iterates in the order of their hashes, which differ from one interpreter to the next).
        for name in sorted({entity.label, *(a for a, _ in entity.alt)}, key=lambda n: (-len(n), n)):
            keys = [fold(t.text) for t in tokenize(name)]
            if not keys:
                continue
            for index, i in where.get(keys[0], ()):
                toks = doc.sentences[index].tokens
                if i + len(keys) > len(toks):
                    continue
                # ("Nutrition", the bare name of the Nutrition programme, is not "the nutrition status".)
                if name[:1].isupper() and toks[i].text[:1].islower():
                    continue
                if all(_token_equals(toks[i + k], keys[k], name) for k in range(len(keys))):
                    start, end = toks[i].start, toks[i + len(keys) - 1].end
                    if not doc.overlapping(start, end, (PROJECT, ORGANISATION)):
                        doc.mention(Mention(entity.key, PROJECT, start, end, index, "alias", 0.85))


def _token_equals(token: Token, key: str, name: str) -> bool:
    if name.isupper() and len(name) <= 10:
        return token.text == name or (token.folded == key and token.is_upper)
    return token.folded == key


def _agreements(doc: Doc, index: int, sentence: Sentence) -> None:
    lex = doc.lex(sentence)
    pattern = re.compile(rf"(?<![\w])(?:{lex.text('projects', 'agreement_nouns')})(?![\w])", re.IGNORECASE)
    financing = lex.pattern("fundings", "agreements")
    for match in pattern.finditer(sentence.text):
        start, end = sentence.start + match.start(), sentence.start + match.end()
        if doc.overlapping(start, end, (PROJECT,)):
            continue
        if financing.match(doc.text, start) or financing.search(doc.text[start : end + 30]):
            continue  # a loan or financing agreement is a funding (see fundings), not a project
        parties = agreement_parties(doc, sentence, end, lex)
        if len(parties) < 2:
            continue
        names = [short_name(doc, p) for p in parties]
        label = f"{_AGREEMENT_KINDS.get(sentence.language, 'Agreement')} {' – '.join(names)}"
        noun = key_form(tokenize(match.group())[0].text)
        # Two agreements between the same parties ("une convention … et un accord spécifique") stay two.
        variant = (
            ""
            if noun in {"convention", "conventions", "اتفاقيه", "اتفاقيات", "agreement", "agreements"}
            else noun + "-"
        )
        key = (
            "project:agreement-"
            + variant
            + slugify("-".join(p.rsplit("/", 1)[-1].split(":")[-1] for p in sorted(parties)))
        )
        if key not in doc.entities:
            doc.entities[key] = Entity(key, PROJECT, label, sentence.language, "PartnershipAgreement", False)
        facts = doc.projects.setdefault(key, ProjectFacts())
        doc.mention(Mention(key, PROJECT, start, end, index, "pattern:agreement", 0.75))
        evidence = doc.sentence_evidence(sentence, "pattern:agreement", 0.75)
        for party in parties:
            facts.participants.setdefault((party, "partner"), []).append(evidence)
        dates = [d for d in doc.dates.get(index, ()) if d.kind == "date"]
        if dates and facts.start is None:
            facts.start = dates[0].begin


def agreement_parties(doc: Doc, sentence: Sentence, after: int, lex: Locale, *, group: bool = False) -> list[str]:
    """Organisations (and states) of an agreement: 'entre X, Y et Z', else those of the sentence
    (or, with ``group``, none: the caller reads the sentence's subjects)."""
    from coopkg.extract.stages.coreference import orgs_after

    between = lex.pattern("grammar", "between").search(doc.text[after : sentence.end])
    if between:
        listed = orgs_after(doc, after + between.end(), sentence, lex, states=True)
        if len(listed) >= 2:
            return [m.key for m in listed]
    if group:
        return []
    keys: list[str] = []
    for m in doc.in_sentence(sentence, ORGANISATION):
        if m.key not in keys:
            keys.append(m.key)
    return keys if len(keys) <= 4 else []


def short_name(doc: Doc, key: str) -> str:
    entity = doc.entities[key]
    entry = doc.gazetteer.get(key)
    alts = [a for a, _ in (entry.alt_labels if entry else entity.alt)]
    acronyms = sorted((a for a in alts if a.isupper() and " " not in a), key=len)
    return entity.acronym or (acronyms[0] if acronyms else entity.label)


def _anaphora(doc: Doc, index: int, sentence: Sentence) -> None:
    for match in doc.lex(sentence).pattern("projects", "anaphora").finditer(sentence.text):
        start, end = sentence.start + match.start(), sentence.start + match.end()
        if not doc.overlapping(start, end, (PROJECT,)):
            doc.mention(Mention("", PROJECT, start, end, index, "anaphora", 0.75, anaphor=True))
