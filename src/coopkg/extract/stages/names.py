"""Stage 3: names of organisations and places, from the gazetteer and from the shape of names.

A name the reference data lists is linked to its entry. A name it does not list is recognised by
its shape in each language: "Full Name (ACR)" where the acronym's letters are the name's initials;
a head word (Agence, Ministry, وزارة…) with its complements; English capitalised words around a
head ("Red River College", "Aga Khan Foundation Canada"); an Arabic head with its construct chain;
an unknown acronym listed among organisations. States acting through their government ("le
gouvernement tunisien", "the Government of Canada", "الحكومة الأردنية") are in :mod:`.states`.
"""

from __future__ import annotations

import re
from functools import cache

from coopkg.extract.doc import ORGANISATION, PROJECT, REGION, Doc, Mention, capitalise
from coopkg.extract.gazetteer import Entry
from coopkg.extract.lexicon import Locale, locale
from coopkg.extract.stages import arabic_names, states
from coopkg.extract.text import FUNCTION_WORDS, Sentence, Token, fold, tokenize

ACRONYM = r"[A-Z][A-Za-z0-9&]*[A-Z0-9](?:[-/][A-Z0-9][A-Za-z0-9]*)*"
_ACRONYM_RE = re.compile(ACRONYM)
_ADJECTIVE = re.compile(
    r"[a-zéèêàçï]+(?:al|ale|aux|ales|ionale?|ionales|iens?|iennes?|ique|iques|aire|aires|ive?|ives|ée?s?|ais|aise|aises|ois|oise|ain|aine|aines|ains|ien|ienne)"
)
_NAME_BREAK = ',;:()«»"“”.'


def names(doc: Doc) -> Doc:
    spelled = _spelled_out(doc)
    for index, sentence in enumerate(doc.sentences):
        _gazetteer_mentions(doc, index, sentence, spelled)
    for index, sentence in enumerate(doc.sentences):
        states.state_mentions(doc, index, sentence)
        if sentence.language == "ar":
            arabic_names.arabic_organisations(doc, index, sentence)
        else:
            _acronym_names(doc, index, sentence)
            _acronym_first_names(doc, index, sentence)
            if sentence.language == "en":
                _english_names(doc, index, sentence)  # heads anywhere: "Red River College", "Ministry of Health"
            else:
                _head_word_names(doc, index, sentence)
    _subdivisions_of_named_countries(doc)
    return doc


_SPELLED = re.compile(
    r"((?:[A-Z][\w’'-]*\s+(?:(?:of|for|and|the|de|du|des|la|le|pour|et|d['’])\s*)*){2,})\((?P<acr>[A-Z]{2,8})\)"
)


def _spelled_out(doc: Doc) -> dict[str, str]:
    """Acronyms the document spells out ("the Asian Development Fund (ADF)"), by acronym: the name as written."""
    spelled: dict[str, str] = {}
    for match in _SPELLED.finditer(doc.text):
        name = re.sub(r"^(?:The|Le|La|Les|L['’])\s*", "", match.group(1).strip())
        initials = "".join(w[0] for w in re.findall(r"[A-Z][\w’'-]*", name))
        if initials == match.group("acr"):
            spelled.setdefault(match.group("acr"), name)
    return spelled


def _content(name: str) -> str:
    return " ".join(w for w in fold(name).split() if w not in FUNCTION_WORDS)


def _labels(entry: Entry) -> set[str]:
    return {_content(label) for label in entry.labels.values()} | {_content(label) for label, _ in entry.alt_labels}


def _gazetteer_mentions(doc: Doc, index: int, sentence: Sentence, spelled: dict[str, str]) -> None:
    for match in doc.gazetteer.find(sentence.tokens):
        acronym = match.last_token - match.first_token == 1 and sentence.tokens[match.first_token].is_upper
        written = spelled.get(sentence.tokens[match.first_token].text) if acronym else None
        if written is not None and match.entry.kind == ORGANISATION and _content(written) not in _labels(match.entry):
            continue  # "ADF" is the African Development Fund, but this text spells it the Asian Development Fund
        doc.known(match.entry)
        doc.mention(
            Mention(match.entry.iri, match.entry.kind, match.start, match.end, index,
                    "gazetteer-acronym" if acronym else "gazetteer", 0.9 if acronym else 0.95)
        )  # fmt: skip


def _subdivisions_of_named_countries(doc: Doc) -> None:
    """A region or province counts only in a document that names its country (or another of its places):
    "Nord", "Centre-Ouest", "Lacs", "Western" are subdivisions of some country and words of every article."""

    def country(iri: str) -> str | None:
        seen: set[str] = set()
        while iri not in seen:
            seen.add(iri)
            entry = doc.gazetteer.get(iri)
            if entry is None:
                return None
            if entry.type == "Country":
                return iri
            if not entry.broader:
                return None
            iri = entry.broader[0]
        return None

    places = [m for m in doc.mentions if m.kind == REGION]
    named = {country(m.key) for m in places if doc.entity_type(m.key) in ("Country", "City")}
    named |= {doc.minter.region(e.country).value for e in doc.entities.values() if e.country}
    doc.mentions = [
        m for m in doc.mentions
        if m.kind != REGION or doc.entity_type(m.key) not in ("AdministrativeRegion", "Province")
        or not _generic_place_name(doc.text[m.start : m.end]) or country(m.key) in named
    ]  # fmt: skip


_GENERIC_PLACE_WORDS = frozenset(fold(w) for w in (
    "nord", "sud", "est", "ouest", "centre", "central", "centrale", "north", "south", "east", "west", "western",
    "eastern", "northern", "southern", "upper", "lower", "haut", "hauts", "haute", "bas", "basse", "plateau",
    "plateaux", "lacs", "lac", "montagnes", "savanes", "lagunes", "littoral", "maritime", "cascades", "collines",
    "sahel", "coast", "coastal", "lakes", "lake", "mountains", "highlands", "oriental", "orientale", "occidental",
    "occidentale", "boucle", "delta", "river", "vallee", "valley", "capitale", "capital", "grand", "grande", "du",
    "de", "des", "la", "le", "region", "province", "sahara", "islands", "iles", "ile", "atlantique", "atlantic",
))  # fmt: skip


def _generic_place_name(surface: str) -> bool:
    """ "Nord", "Centre-Ouest", "Western", "Lacs": a name made of words that also describe any place."""
    words = [fold(w) for w in re.findall(r"[^\W\d_]+", surface)]
    return bool(words) and (all(w in _GENERIC_PLACE_WORDS for w in words) or (len(words) == 1 and len(words[0]) <= 3))


def add_organisation(
    doc: Doc, index: int, start: int, end: int, lang: str, method: str, confidence: float,
    acronym: str | None = None, *, key: str | None = None,
) -> None:  # fmt: skip
    """A new organisation named by ``text[start:end]``; a gazetteer match inside it gives way to it."""
    if any(q.start <= start and end <= q.end for q in doc.money.get(index, [])):
        return  # "3.380.000 UC (unités de compte)": a unit of money spelt out, no organisation
    name = doc.text[start:end]
    inside = [m for m in doc.mentions if m.kind in (ORGANISATION, REGION) and start <= m.start and m.end <= end
              and (m.start, m.end) != (start, end)]  # fmt: skip
    if any(m.kind == ORGANISATION and (m.start, m.end) == (start, end) for m in doc.mentions):
        return
    doc.mentions = [m for m in doc.mentions if m not in inside or m.kind == REGION]
    entity = doc.new_entity(ORGANISATION, name, lang, organisation_type(name), acronym, key=key)
    doc.mention(Mention(entity.key, ORGANISATION, start, end, index, method, confidence))


def _acronym_names(doc: Doc, index: int, sentence: Sentence) -> None:
    """ "Full Name (ACR)": the acronym's capitals follow the initials of the words before it."""
    lex = doc.lex(sentence)
    heads = {fold(h) for h in lex.organisation_heads}
    for match in re.finditer(rf"\((?P<acr>{ACRONYM})\)", sentence.text):
        acronym = match.group("acr")
        abs_start = sentence.start + match.start()
        tokens = [t for t in sentence.tokens if t.end <= abs_start][-16:]
        found = name_before_acronym(tokens, acronym, heads)
        if found is None:
            continue
        first, last = found
        start, end = first.start, last.end
        existing = doc.overlapping(start, end, (ORGANISATION,))
        if existing is not None and not (start <= existing.start and existing.end <= end):
            continue
        window = [t for t in tokens if start <= t.start and t.end <= end]
        content = [t for t in window if t.folded not in FUNCTION_WORDS]
        nouns = lex.pattern("projects", "nouns")
        if content and (nouns.fullmatch(content[0].text) or nouns.fullmatch(content[-1].text)):
            continue  # "le projet d'Appui à l'Employabilité des Jeunes (PAEJ)": a project (see projects)
        if nouns.match(doc.text, sentence.start + match.end() + 1) or re.match(
            rf"\s+(?:{lex.text('projects', 'nouns')})\b", doc.text[sentence.start + match.end() :], re.IGNORECASE
        ):
            # "the Higher Education for Economic Transformation (HEET) programme": a project's name.
            from coopkg.extract.stages.projects import add_project

            if not doc.overlapping(start, end, (PROJECT,)):
                add_project(doc, index, sentence, start, end, acronym, "pattern:name-acronym-project", 0.8)
            continue
        if existing is not None and (existing.start, existing.end) == (start, end):
            entity = doc.entities[existing.key]
            if acronym not in {a for a, _ in entity.alt} and acronym != entity.label:
                entity.alt.append((acronym, sentence.language))
            entity.acronym = entity.acronym or acronym  # "L'Union européenne (Ue)": later, "l'Ue" is it
            doc.mention(Mention(existing.key, ORGANISATION, abs_start + 1, abs_start + 1 + len(acronym), index,
                                "pattern:name-acronym", 0.85))  # fmt: skip
            continue
        add_organisation(doc, index, start, end, sentence.language, "pattern:name-acronym", 0.85, acronym)
        key = next((m.key for m in doc.mentions if m.start == start and m.end == end and m.kind == ORGANISATION), None)
        if key is None:
            continue  # not an organisation (a unit of money spelt out)
        doc.mention(Mention(key, ORGANISATION, abs_start + 1, abs_start + 1 + len(acronym), index,
                            "pattern:name-acronym", 0.85))  # fmt: skip


_ACRONYM_FIRST = re.compile(rf"(?<![\w])(?P<acr>{ACRONYM})\s*\((?P<name>[^()\n]{{5,120}})\)")


def _acronym_first_names(doc: Doc, index: int, sentence: Sentence) -> None:
    """ "l'IDA (Association Internationale de Développement)": the acronym, then the name it stands for."""
    for match in _ACRONYM_FIRST.finditer(sentence.text):
        acronym, name = match.group("acr"), match.group("name").strip()
        letters = [c.lower() for c in acronym if c.isupper()]
        words = [fold(w) for w in re.findall(r"[^\W\d_]+", name)]
        initials = [w[0] for w in words if w not in FUNCTION_WORDS]
        # The acronym may be the name's in another language: "IDA (Association Internationale de Développement)".
        same_letters = sorted(letters) == sorted(initials)
        if (
            len(letters) < 2
            or not initials
            or not (same_letters or (initials[0] == letters[0] and _subsequence(letters, initials)))
        ):
            continue
        start = sentence.start + match.start("name") + match.group("name").index(name)
        end = start + len(name)
        a_start = sentence.start + match.start("acr")
        existing = doc.overlapping(start, end, (ORGANISATION, PROJECT))
        if existing is not None and existing.kind == PROJECT:
            continue
        if existing is not None and not (start <= existing.start and existing.end <= end):
            continue
        if existing is not None and (existing.start, existing.end) == (start, end):
            entity = doc.entities[existing.key]
            if acronym != entity.label and acronym not in {a for a, _ in entity.alt}:
                entity.alt.append((acronym, sentence.language))
            entity.acronym = entity.acronym or acronym
            key = existing.key
        else:
            add_organisation(doc, index, start, end, sentence.language, "pattern:acronym-name", 0.85, acronym)
            found = next(
                (m.key for m in doc.mentions if (m.start, m.end) == (start, end) and m.kind == ORGANISATION), None
            )
            if found is None:
                continue  # not an organisation (a unit of money spelt out)
            key = found
        if not doc.overlapping(a_start, a_start + len(acronym), (ORGANISATION,)):
            doc.mention(
                Mention(key, ORGANISATION, a_start, a_start + len(acronym), index, "pattern:acronym-name", 0.85)
            )


def name_before_acronym(tokens: list[Token], acronym: str, heads: set[str]) -> tuple[Token, Token] | None:
    """The tokens of the full name an acronym abbreviates, ending right before '(ACR)'."""
    if not tokens:
        return None
    letters = [c.lower() for c in acronym if c.isupper()] or [c.lower() for c in acronym if c.isalpha()]
    # First the window whose words' initials are the acronym's letters exactly ("le Maroc et le Millenium
    # Challenge Corporation (MCC)" is the Corporation), then the longest that contains them in order.
    for size in range(1, min(len(tokens), 14) + 1):
        window = tokens[-size:]
        content = [t for t in window if t.folded not in FUNCTION_WORDS]
        if window[0].folded in FUNCTION_WORDS or not window[0].text[:1].isupper() or len(content) < 2:
            continue
        if any(c in _NAME_BREAK for t in window[:-1] for c in t.after):
            break
        initials = [t.folded[0] for t in content]
        # (Or the name's in another language: "l’Agence internationale du développement (IDA)".)
        if initials == letters or (len(letters) >= 3 and sorted(initials) == sorted(letters)):
            return window[0], window[-1]
    for size in range(min(len(tokens), 14), 0, -1):
        window = tokens[-size:]
        if window[0].folded in FUNCTION_WORDS:
            continue  # "L'Union européenne (UE)": the article is not part of the name
        if any(c in _NAME_BREAK for t in window[:-1] for c in t.after):
            continue
        if not (window[0].text[:1].isupper() or window[0].folded in heads):
            continue
        content = [t for t in window if t.folded not in FUNCTION_WORDS]
        initials = [t.folded[0] for t in content]
        if not content or content[0].folded[0] != letters[0]:
            continue
        if (
            _subsequence(letters, initials)
            and len(content) >= 2
            and (window[0].folded in heads or len(content) <= len(letters) + 2)
        ):
            return window[0], window[-1]
    return None


# Words that make "à …" an adverbial phrase, not a name's complement ("à hauteur de", "à travers", "au titre de").
_ADVERBIAL = frozenset({"hauteur", "travers", "titre", "raison", "partir", "compter", "cause", "cet", "cette", "ce"})


def _head_word_names(doc: Doc, index: int, sentence: Sentence) -> None:
    """ "la Direction Nationale de la Formation Professionnelle", "université de Koudougou",
    "Bureau des Nations Unies pour les services d'appui aux projets": a head word and its complements."""
    lex = doc.lex(sentence)
    heads = {fold(h) for h in lex.organisation_heads}
    lower_heads = lex.words("organisations", "lower_heads")
    nouns = lex.pattern("projects", "nouns")
    tokens = sentence.tokens
    text = doc.text
    i = 0
    while i < len(tokens):
        token = tokens[i]
        # "the World Bank's Board of Directors" is the Bank; "Jordan's Ministry of Labour" is a ministry.
        possessive = text[max(0, token.start - 3) : token.start] in {"'s ", "’s "} and any(
            m.kind == ORGANISATION and m.end == token.start - 3 for m in doc.mentions
        )
        capital = token.is_capitalised
        lower = not capital and token.folded in lower_heads and sentence.language == "fr"
        if not (token.folded in heads and (capital or lower)) or _is_plural(token.text) or possessive:
            i += 1
            continue
        j, content, capitals = i + 1, 1, 0
        last = cut = i
        cut_content, cut_capitals = 1, 0
        ministry = token.folded in {"ministere", "ministry"}
        while j < len(tokens):
            gap = text[tokens[j - 1].end : tokens[j].start]
            listing = ministry and gap.strip() == "," and tokens[j].is_capitalised
            if (any(c in gap for c in _NAME_BREAK) and not listing) or gap.count(" ") > 1 or "\n" in gap:
                break  # a ministry's name may list its remits: "Ministry of Training, Apprenticeship and …"
            word = tokens[j]
            if word.text == "a" or (
                capitals and lower and not word.is_capitalised and word.folded not in FUNCTION_WORDS
            ):
                break  # "la délégation de l'OFPPT a eu": a verb; after a capitalised word the name is over
            if lower and j == i + 1 and word.folded not in {"de", "des", "du", "d", "pour", "charge", "delegue"} \
                    and not _ADJECTIVE.fullmatch(word.text):  # fmt: skip
                break  # "le ministère sur Facebook": a lower-case head takes its complement at once
            if word.folded in {"a", "en", "au", "aux"} and (
                j + 1 < len(tokens) and (tokens[j + 1].text[:1].isdigit() or _is_place(doc, tokens[j + 1]))
            ):
                break  # "la Banque à Francfort", "Groupe de la Banque à 74 millions": a place or a figure follows
            if word.folded in {"a", "au", "aux"} and j + 1 < len(tokens) and tokens[j + 1].folded in _ADVERBIAL:
                break  # "Financé par l’Ambassade du Japon à hauteur de 86 885 euros": an adverbial phrase begins
            if nouns.fullmatch(word.text):
                # "Ministry of Employment for the Youth Inclusion Project": the project is not in the name.
                last, content, capitals = cut, cut_content, cut_capitals
                break
            if j == i + 1 and _ADJECTIVE.fullmatch(word.text):
                content += 1  # "Conseil régional de Béni Mellal-Khénifra", "Coopération italienne"
                last = j
            elif word.is_capitalised or (word.text.isdigit() and content > 1):
                content += 1
                capitals += 1
                last = j
            elif word.folded in FUNCTION_WORDS:
                if last == j - 1:
                    cut, cut_content, cut_capitals = last, content, capitals
            elif lower or (capitals and sentence.language == "fr" and _lower_complement(tokens, j)):
                content += 1  # "Bureau des Nations Unies pour les services d'appui aux projets"
                last = j
            else:
                break
            j += 1
        if content >= 2 and (capital or capitals):
            start, end = token.start, tokens[last].end
            free = not doc.overlapping(start, end, (PROJECT,)) and doc.overlapping(start, end, (ORGANISATION,)) is None
            # "la Banque islamique" after "la Banque islamique de développement": a short form, not a new name.
            short = last - i <= 2 and _starts_a_known_name(doc, text[start:end])
            if free and not short and not _is_project_context(doc, sentence, start):
                add_organisation(doc, index, start, end, sentence.language, "pattern:head-word", 0.65)
            i = last + 1
            continue
        i += 1


def _starts_a_known_name(doc: Doc, name: str) -> bool:
    """The words begin a longer name of an organisation: one of its labels, or how the document wrote it."""
    words = [fold(t.text) for t in tokenize(name)]
    labels = [
        label for e in doc.entities.values() if e.kind == ORGANISATION for label in (e.label, *(a for a, _ in e.alt))
    ]
    labels += [doc.text[m.start : m.end] for m in doc.mentions if m.kind == ORGANISATION]
    for label in labels:
        other = [fold(t.text) for t in tokenize(label)]
        if len(other) > len(words) and other[: len(words)] == words:
            return True
    return False


def _is_place(doc: Doc, token: Token) -> bool:
    return any(m.kind == REGION and m.start <= token.start < m.end for m in doc.mentions)


def _lower_complement(tokens: list[Token], j: int) -> bool:
    """A lower-case word inside a name: it follows a function word and more of the name comes after."""
    return j + 1 < len(tokens) and tokens[j - 1].folded in FUNCTION_WORDS and len(tokens[j].text) > 3


# English names: capitalised words around a head noun, with "of", "for", "and", "the", "&" between.
_EN_HEADS = (
    "Bank|Fund|Agency|Corporation|Foundation|Organization|Organisation|Institute|University|Council|Authority|"
    "Commission|College|Polytechnic|Center|Centre|Ministry|Department|Office|Association|Federation|Union|"
    "Network|Alliance|Trust|Society|Group|Company|Facility|Academy|School|Chamber|Secretariat|Board|Institution|"
    "Consortium|Forum|Coalition|Hub|Platform|Directorate|Embassy|Delegation|Cooperative|Charity"
)
_EN_WORD = r"(?:[A-Z][\w’'&.-]*|[A-Z0-9]{2,})"
_EN_NAME = re.compile(
    rf"(?<![\w’'])(?P<name>(?:{_EN_WORD}\s+(?:(?:of|for|and|the|&|de|du|des)\s+(?:the\s+)?)?)*?"
    rf"(?:{_EN_HEADS})(?:\s+(?:(?:of|for)\s+(?:the\s+)?)?{_EN_WORD})*)(?![\w’'])"
)
# "Department of Foreign Affairs, Trade and Development": a ministry's name lists its remits.
_EN_REMITS = re.compile(r"(?:,\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)*,?\s+and\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*")
# (And a capitalised preposition opening a sentence: "KATHMANDU: At the Ministry of Finance in Kathmandu …".)
_EN_SKIP_FIRST = {"The", "A", "An", "This", "Its", "These", "Their", "His", "Her", "Our", "Mr", "Mrs", "Ms", "Dr",
                  "At", "In", "On", "From", "With", "By", "Under", "Through", "During", "After", "Before", "Within",
                  "Among", "Via", "Following", "According", "Since"}  # fmt: skip


_EN_CONNECTORS = {"of", "for", "the", "and", "&", "de", "du", "des", "on"}
# Persons' titles end a run of capitalised words: "Planning Minister Imad Fakhoury and Member of the
# Executive Council of the German Development Bank" names a person, then the Bank.
_EN_TITLES = {"minister", "ministers", "member", "members", "director", "directors", "secretary", "general",
              "ambassador", "president", "vice", "chairman", "chairperson", "chair", "ceo", "commissioner",
              "governor", "deputy", "head", "chief", "officer", "manager", "representative", "coordinator", "mr",
              "mrs", "ms", "dr", "prof", "professor", "excellency", "envoy", "spokesperson", "executive"}  # fmt: skip


_MINISTRY = re.compile(r"(?:Ministry|Department)\b")


def _english_runs(sentence: Sentence, text: str) -> list[tuple[int, int]]:
    """Spans of capitalised words and the connectors between them ("Kenya Institute of Highways and
    Building Technology"), cut at punctuation; a ministry may list its remits after commas."""
    runs: list[tuple[int, int]] = []
    tokens = sentence.tokens
    times = locale("en").words("grammar", "time_words")
    i = 0
    while i < len(tokens):
        if not tokens[i].text[:1].isupper() or tokens[i].text.lower() in _EN_TITLES:
            i += 1
            continue
        j = i
        last = i
        while j + 1 < len(tokens):
            gap = text[tokens[j].end : tokens[j + 1].start]
            nxt = tokens[j + 1]
            remits = gap == ", " and _MINISTRY.match(text, tokens[i].start) and nxt.is_capitalised
            if gap not in (" ", "-", "’s ", "'s ", " & ") and not remits:
                break
            if nxt.text.lower() in _EN_TITLES or fold(nxt.text) in times:
                break
            if nxt.text[:1].isupper() or (nxt.text[:1].isdigit() and last == j):
                last = j + 1
            elif nxt.text.lower() not in _EN_CONNECTORS:
                break
            j += 1
        runs.append((tokens[i].start, tokens[last].end))
        i = last + 1
    return runs


def _english_names(doc: Doc, index: int, sentence: Sentence) -> None:
    """ "the West African Development Bank", "Red River College", "Aga Khan Foundation Canada",
    "Department of Foreign Affairs, Trade and Development": capitalised words around a head noun; a
    longer name replaces a shorter reference one inside it (the African Development Bank in the West
    African one)."""
    lex = locale("en")
    nouns = lex.pattern("projects", "nouns")
    words = re.findall(r"[A-Za-z][\w’'-]*", sentence.text)
    if len(words) >= 5 and sum(w[0].isupper() for w in words) >= 0.7 * len(words):
        return  # a Title Case headline: every word looks like a name ("AfDB Group Approves USD 108 million …")
    heads = re.compile(rf"\b(?:{_EN_HEADS})\b")
    for run_start, run_end in _english_runs(sentence, doc.text):
        start, raw = run_start, doc.text[run_start:run_end]
        owner = re.search(r"['’]s\s", raw)
        if owner is not None:
            # "the African Development Bank Group’s Board": the owner is the organisation.
            before, after = raw[: owner.start()], raw[owner.end() :]
            start = start if heads.search(before) else start + owner.end()
            raw = before if heads.search(before) else after
        if not heads.search(raw):
            continue
        known = {m.start for m in doc.mentions if m.kind in (REGION, ORGANISATION)}
        orgs = {(m.start, m.end) for m in doc.mentions if m.kind == ORGANISATION}
        for part_start, part in _split_coordinated(start, raw, known, orgs):
            words = part.split()
            while words and (words[0] in _EN_SKIP_FIRST or fold(words[0]) in FUNCTION_WORDS):
                part_start += len(words[0]) + 1
                words = words[1:]
            while words and fold(words[-1].rstrip(".,")) in FUNCTION_WORDS:
                words = words[:-1]
            name = " ".join(words).rstrip(",")
            if name.endswith(".") and not re.search(r"\b(?:[A-Z]\.){2,}$", name):
                name = name[:-1]
            if heads.search(name):
                _english_name(doc, index, sentence, part_start, name, nouns)


def _split_coordinated(
    start: int, name: str, known: set[int] = frozenset(), orgs: set[tuple[int, int]] = frozenset()
) -> list[tuple[int, str]]:
    """ "Government of Canada and Aga Khan Foundation Canada" is two names: cut at "and" when both
    sides have a head noun, or when a known place or organisation starts the right side ("KfW
    Development Bank and South Africa's department") or a whole known organisation is the left one ("USAID and the Inter-American …")."""
    heads = re.compile(rf"\b(?:{_EN_HEADS}|Government)\b")
    for cut in re.finditer(r"\s+(?:and|&)\s+", name):
        left, right = name[: cut.start()], name[cut.end() :]
        lead = re.match(r"(?:the\s+)?", right)
        # ("co-funded by USAID and the Inter-American Development Bank": a known name on the left is one too.)
        if (heads.search(left) or ((start, start + cut.start()) in orgs and heads.search(right))) and (
            heads.search(right) or start + cut.end() + lead.end() in known
        ):
            return [(start, left), *_split_coordinated(start + cut.end(), right, known, orgs)]
    return [(start, name)]


_EN_HEAD_WORDS = frozenset(fold(h) for h in _EN_HEADS.split("|"))


_BODY_OF = re.compile(r"(?:Executive\s+|Governing\s+)?(?:Council|Board|Committee)\s+of\s+(?:the\s+)?")


def _english_name(doc: Doc, index: int, sentence: Sentence, start: int, name: str, nouns: re.Pattern[str]) -> None:
    body = _BODY_OF.match(name)
    if body is not None and re.search(rf"\b(?:{_EN_HEADS})$", name[body.end() :]):
        # "Member of the Executive Council of the German Development Bank (K f W)": a body of the Bank, which acts.
        start, name = start + body.end(), name[body.end() :]
    part = re.fullmatch(r"(?P<part>.+?)\s+of\s+the\s+(?:Bank|Fund|Agency|Organi[sz]ation|Commission)", name)
    if part is not None and not re.search(rf"\b(?:{_EN_HEADS})\b", part.group("part"), re.IGNORECASE):
        return  # "Communication Associate, Africa Region of the Bank": a part of the bank named before
    words = name.split()
    if len(words) < 2 or (nouns.search(words[-1]) and words[-1][:1].isupper()):
        return
    if all(fold(w) in _EN_HEAD_WORDS | FUNCTION_WORDS for w in words):
        return  # "the Bank Group": a description, not a name
    end = start + len(name)
    if doc.text[start:end] != name:
        return
    if "," in name and doc.overlapping(start, end, (ORGANISATION,)) is not None:
        return
    if doc.overlapping(start, end, (PROJECT,)):
        return
    inside = [m for m in doc.mentions if m.kind == ORGANISATION and m.start < end and start < m.end]
    if any(m.start == start and m.end == end for m in inside):
        return
    if any(not (start <= m.start and m.end <= end) for m in inside):
        return  # it would cut through a name found already
    if any(m.method.startswith("gazetteer") and " of " in doc.text[start : m.start] for m in inside):
        return  # "the Executive Council of the German Development Bank": a body of a known organisation
    if any(m.method.startswith("gazetteer") and re.search(r"\s(?:and|&)\s+(?:the\s+)?$", doc.text[start : m.start])
           for m in inside):  # fmt: skip
        return  # "Planning and Investment and the Japan International Cooperation Agency": two, coordinated
    if any(m.kind == REGION and m.start == start and m.end == end for m in doc.mentions):
        return
    if any(m.method.startswith("gazetteer") and m.start == start and re.fullmatch(rf"\s+{ACRONYM}", doc.text[m.end : end])
           for m in inside):  # fmt: skip
        return  # "a World Bank IDA credit of $500m": a known name and an acronym, no third organisation
    acronym = re.match(rf"\s*\((?P<acr>{ACRONYM})\)", doc.text[end : end + 20])
    add_organisation(doc, index, start, end, "en", "pattern:en-name", 0.7, acronym.group("acr") if acronym else None)


def _is_project_context(doc: Doc, sentence: Sentence, start: int) -> bool:
    before = doc.text[max(sentence.start, start - 25) : start]
    nouns = doc.lex(sentence).text("projects", "nouns")
    return bool(re.search(rf"(?:{nouns})\s*[«\"“]?\s*$", before, re.IGNORECASE))


def _is_plural(word: str) -> bool:
    folded = fold(word)
    return folded.endswith(("s", "x")) and folded not in {"fonds", "office", "nations", "affaires", "bureaux"}


def _subsequence(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(c == h for h in it) for c in needle)


_TYPES = (
    (("ministere", "ministry", "departement", "department", "direction", "directorate", "office", "delegation",
      "ambassade", "embassy", "secretariat", "haut", "agence nationale", "gouvernement", "government", "وزاره",
      "مديريه", "مندوبيه", "كتابه", "مكتب", "سفاره", "حكومه", "اداره", "ديوان"), "GovernmentBody"),
    (("universite", "university", "institut", "institute", "ecole", "school", "academie", "academy", "college",
      "polytechnic", "polytechnique", "lycee", "cite", "جامعه", "معهد", "مدرسه", "اكاديميه", "مدينه", "كليه"),
     "EducationInstitution"),
    (("banque", "bank", "بنك"), "DevelopmentBank"),
    (("association", "federation", "confederation", "fondation", "foundation", "chambre", "chamber", "syndicat",
      "cooperative", "reseau", "network", "alliance", "charity", "جمعيه", "فيدراليه", "كونفدراليه", "غرفه", "تعاونيه",
      "شبكه", "مؤسسه"), "CivilSocietyOrganisation"),
    (("societe", "company", "corporation", "entreprise", "groupe", "group", "شركه"), "Company"),
    (("agence", "agency", "وكاله"), "DevelopmentAgency"),
    (("organisation", "organization", "منظمه", "union", "اتحاد"), "InternationalOrganisation"),
)  # fmt: skip


@cache
def organisation_type(name: str) -> str:
    words = [fold(w) for w in re.findall(r"[^\W\d_]+", name)]
    folded = " ".join(words)
    candidates = [w.removeprefix("ال") if w.startswith("ال") and len(w) > 4 else w for w in words[:1]]
    for heads, etype in _TYPES:
        if any(c in heads for c in candidates) or any(folded.startswith(h + " ") for h in heads if " " in h):
            if etype == "DevelopmentAgency" and re.search(r"\bnationale?\b|\bmarocaine\b", folded):
                return "GovernmentBody"
            return etype
    if words and any(w in {"bank", "university", "college", "polytechnic", "foundation", "institute"} for w in words):
        return organisation_type(next(w for w in reversed(words) if w in {"bank", "university", "college",
                                                                           "polytechnic", "foundation", "institute"}))  # fmt: skip
    return "Organisation"


def project_label(text: str) -> str:
    return capitalise(text)


def listed_acronyms(doc: Doc, index: int, sentence: Sentence, lex: Locale) -> None:
    """ "entre le MENEFP, l'OFPPT et l'AMCI": an unknown acronym coordinated with organisations is one."""
    orgs = [m for m in doc.in_sentence(sentence, ORGANISATION)]
    if not orgs:
        return
    glue = re.compile(rf"^{lex.text('grammar', 'coordination')}(?:{lex.text('grammar', 'determiners')}\s*)?$",
                      re.IGNORECASE)  # fmt: skip
    for token in sentence.tokens:
        if not (token.is_upper and 2 <= len(token.text) <= 10 and _ACRONYM_RE.fullmatch(token.text)):
            continue
        if doc.overlapping(token.start, token.end, (ORGANISATION, REGION, PROJECT)):
            continue
        if any(q.start <= token.start < q.end for q in doc.money.get(index, [])):
            continue  # "… 8,9 milliards de francs CFA, et la Banque …": the currency of a sum
        if re.search(rf"(?:\b[a-z][\w-]*\s+){{2}}\({re.escape(token.text)}\)", doc.text):
            continue  # "two requests for applications (RFA) …. Under the 2nd RFA, USADF …": a thing, lower-case
        if any(glue.match(doc.text[token.end : m.start]) or glue.match(doc.text[m.end : token.start]) for m in orgs):
            entity = doc.new_entity(ORGANISATION, token.text, sentence.language, "Organisation", token.text)
            doc.mention(Mention(entity.key, ORGANISATION, token.start, token.end, index, "pattern:listed-acronym", 0.6))
