"""The gazetteer: reference organisations, places and units, matched in text through
case, accents, Arabic letter variants and clitics."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Triple

from coopkg.extract.text import Token, fold, is_arabic, key_form, match_forms, name_tokens
from coopkg.terms import COOPKG, ORG, ORGANISATION_TYPES, RDF, REGION_TYPES, SKOS, local_name

ORGANISATION_CLASSES = frozenset(ORGANISATION_TYPES)
REGION_CLASSES = frozenset(REGION_TYPES)
# When one name fits several entries, the more specific reading wins.
_PRIORITY = {
    "organisation": 0,
    "Country": 1,
    "City": 2,  # "Bamako", "Tunis": the city, not the district or governorate of the same name
    "AdministrativeRegion": 3,
    "SupranationalRegion": 4,
    "Province": 5,
    "Region": 6,
}


@dataclass
class Entry:
    iri: str
    kind: str  # "organisation", "region" or "unit"
    type: str
    labels: dict[str, str] = field(default_factory=dict)  # language → preferred label
    alt_labels: list[tuple[str, str]] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    based_in: str | None = None
    parents: list[str] = field(default_factory=list)  # org:subOrganizationOf

    def label(self, language: str) -> tuple[str, str]:
        for lang in (language, "fr", "en", "ar"):
            if lang in self.labels:
                return self.labels[lang], lang
        if self.labels:
            lang, text = next(iter(self.labels.items()))
            return text, lang
        return local_name(self.iri), "en"

    @property
    def priority(self) -> int:
        return _PRIORITY.get("organisation" if self.kind == "organisation" else self.type, 9)


@dataclass(frozen=True)
class Match:
    entry: Entry
    start: int  # character offsets in the document
    end: int
    first_token: int  # token indices in the sentence, end exclusive
    last_token: int
    surface: str


# French articles before an acronym written as a word: "l’Ue", "la Bad", "le Fida", "l’Unicef".
_ARTICLES = frozenset({"l", "la", "le", "du", "au"})


def _as_a_word(tokens: list[Token], i: int) -> bool:
    """An organisation's acronym the French press writes as a word, capital first ("l’Ue a débloqué", "la Bad"),
    after an article."""
    text = tokens[i].text
    return i > 0 and len(text) >= 2 and text[0].isupper() and text[1:].islower() and tokens[i - 1].folded in _ARTICLES


def _is_acronym(label: str) -> bool:
    letters = [c for c in label if c.isalpha()]
    return (
        bool(letters)
        and len(label) <= 12
        and " " not in label
        and sum(c.isupper() for c in letters) >= 2
        and all(c.isupper() or c.isdigit() or not c.isalpha() for c in label)
    )


class _Trie:
    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.entries: list[tuple[Entry, bool, str]] = []  # (entry, case-sensitive acronym, label)

    def insert(self, keys: tuple[str, ...], entry: Entry, acronym: bool, label: str) -> None:
        node = self
        for key in keys:
            node = node.children.setdefault(key, _Trie())
        if all(e.iri != entry.iri for e, _, _ in node.entries):
            node.entries.append((entry, acronym, label))


# Arabic single words that are also common words ("مالي" is Mali and "financial"): they
# only count as places after a preposition or a word for country.
_ARABIC_AMBIGUOUS = {
    "مالي", "عمان", "الجديدة", "العيون", "الداخلة", "بركان", "تازة", "جدة", "الساحل", "المتوسط", "الشرق", "الوسط",
    "المضيق", "المحمدية",
}  # fmt: skip
_ARABIC_PLACE_CUES = {"في", "دولة", "جمهورية", "الى", "الي", "من", "بين", "بدولة", "وفي", "مدينة", "بمدينة", "جهة",
                      "بجهة", "إقليم", "باقليم", "منطقة", "بمنطقة", "عاصمة"}  # fmt: skip


_AMBIGUOUS_KEYS = {key_form(a) for a in _ARABIC_AMBIGUOUS}
_SEPARATOR = re.compile(r"[,;:.()«»\"“”،؛]")  # not "/": "hommes/jours" is one unit
_CUE_KEYS = {key_form(c) for c in _ARABIC_PLACE_CUES}


class Gazetteer:
    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: dict[str, Entry] = {}
        self._names = _Trie()
        self._units = _Trie()
        self.unit_forms: dict[str, Entry] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: Entry) -> None:
        self.entries[entry.iri] = entry
        trie = self._units if entry.kind == "unit" else self._names
        labels = list(entry.labels.items())
        labels += [(lang, text) for text, lang in entry.alt_labels]
        for _lang, text in labels:
            keys = name_tokens(text)
            if not keys:
                continue
            trie.insert(keys, entry, _is_acronym(text), text)
            if entry.kind == "unit" and len(keys) == 1:
                for form in unit_stems(keys[0]):
                    self.unit_forms.setdefault(form, entry)

    @classmethod
    def from_triples(cls, triples: Iterable[Triple]) -> Gazetteer:
        by_subject: dict[str, Entry] = {}
        props: dict[str, list[tuple[str, NamedNode | Literal]]] = defaultdict(list)
        for t in triples:
            if isinstance(t.subject, NamedNode):
                props[t.subject.value].append((t.predicate.value, t.object))  # type: ignore[arg-type]
        for subject, pairs in props.items():
            types = [local_name(o.value) for p, o in pairs if p == RDF.type.value and isinstance(o, NamedNode)]
            kind, etype = _kind(types)
            if kind is None:
                continue
            entry = Entry(subject, kind, etype)
            for p, o in pairs:
                if p == SKOS.prefLabel.value and isinstance(o, Literal) and o.language:
                    entry.labels[o.language] = o.value
                elif p == SKOS.altLabel.value and isinstance(o, Literal):
                    entry.alt_labels.append((o.value, o.language or "und"))
                elif p == SKOS.broader.value and isinstance(o, NamedNode):
                    entry.broader.append(o.value)
                elif p == COOPKG.basedIn.value and isinstance(o, NamedNode):
                    entry.based_in = o.value
                elif p == ORG.subOrganizationOf.value and isinstance(o, NamedNode):
                    entry.parents.append(o.value)
            by_subject[subject] = entry
        return cls(by_subject.values())

    # -- lookups -------------------------------------------------------------------------

    def find(self, tokens: list[Token], text: str | None = None) -> list[Match]:
        """Longest, non-overlapping matches of organisations and places, left to right."""
        matches: list[Match] = []
        i = 0
        while i < len(tokens):
            found = self._longest(self._names, tokens, i)
            if found is None:
                i += 1
                continue
            entry, j, label = found
            if not self._plausible(entry, label, tokens, i, j):
                i += 1
                continue
            matches.append(Match(entry, tokens[i].start, tokens[j - 1].end, i, j, label))
            i = j
        return matches

    def find_unit(self, tokens: list[Token], start: int, max_tokens: int = 4) -> tuple[Entry, int] | None:
        """The unit named by the tokens at ``start`` (after a number): entry and end token index."""
        found = self._longest(self._units, tokens[: start + max_tokens], start, stem_first=True)
        if found is not None:
            return found[0], found[1]
        if start < len(tokens):
            for form in unit_stems(key_form(tokens[start].text)):
                if form in self.unit_forms:
                    return self.unit_forms[form], start + 1
        return None

    def _longest(
        self, trie: _Trie, tokens: list[Token], i: int, *, stem_first: bool = False
    ) -> tuple[Entry, int, str] | None:
        """The longest entry starting at token ``i``; between equally long ones, the reading that strips
        fewer letters from the first word ("وجدة" is Oujda before it is و + Jeddah)."""
        best: tuple[Entry, int, str] | None = None
        best_rank = (0, 0)
        frontier: list[tuple[_Trie, int, int]] = [(trie, i, 0)]
        while frontier:
            node, j, stripped = frontier.pop()
            if node.entries and j > i:
                candidate = self._pick(node, tokens, i, j)
                rank = (j, -stripped)
                if candidate is not None and (best is None or rank > best_rank):
                    best, best_rank = (candidate[0], j, candidate[1]), rank
            if j >= len(tokens):
                continue
            initial = (
                len(tokens[j - 1].text) == 1 and tokens[j - 1].text.isupper() and tokens[j - 1].after.strip() == "."
            )
            if j > i and _SEPARATOR.search(tokens[j - 1].after) and not initial:
                continue  # "Fès, Meknès" is two cities, not the region Fès-Meknès ("U.S. Agency" is one name)
            forms = match_forms(tokens[j].text) if j == i else _inner_forms(tokens[j].text)
            if stem_first and j == i:
                # "12 مركزا للتكوين", "3 centres de formation": the unit's head word in any number or case.
                forms = tuple(dict.fromkeys(f for form in forms for f in unit_stems(form)))
            for rank_of_form, form in enumerate(forms):
                child = node.children.get(form)
                if child is not None:
                    frontier.append((child, j + 1, stripped + (rank_of_form if j == i else 0)))
        return best

    @staticmethod
    def _pick(node: _Trie, tokens: list[Token], i: int, j: int) -> tuple[Entry, str] | None:
        options = []
        for entry, acronym, label in node.entries:
            if (
                acronym
                and j - i == 1
                and not (
                    tokens[i].is_upper
                    or tokens[i].text == label
                    or (entry.kind == "organisation" and _as_a_word(tokens, i))
                )
            ):
                continue
            options.append((entry.priority, entry.iri, entry, label))
        if not options:
            return None
        options.sort(key=lambda o: (o[0], o[1]))
        return options[0][2], options[0][3]

    @staticmethod
    def _plausible(entry: Entry, label: str, tokens: list[Token], i: int, j: int) -> bool:
        first = tokens[i]
        if j - i == 1 and first.is_upper and j < len(tokens) and tokens[j].text[:1].isdigit() and \
                first.after.strip() == "":  # fmt: skip
            return False  # "UA 70 million": a unit of account before its figure, not the African Union
        if not is_arabic(first.text):
            # Proper names start with a capital in Latin script ("l'Oriental", not "le Maroc oriental"), but the
            # press writes "la banque mondiale", "l'union européenne": a name of two words or more is a name.
            return first.text[:1].isupper() or first.text[:1].isdigit() or not label[:1].isupper() or j - i >= 2
        if j - i == 1 and (
            key_form(first.text) in _AMBIGUOUS_KEYS
            or (
                entry.type == "City"
                and entry.broader[:1] != []
                and entry.iri.count("/region/") == 1
                and _generated_city(entry)
            )
        ):
            # A place only with a cue: a preposition attached ("بالعيون") or a word before ("في", "مدينة").
            attached = fold(first.text)[:1] in "بل" and key_form(first.text) != name_tokens(label)[0]
            before = i > 0 and key_form(tokens[i - 1].text) in _CUE_KEYS
            return attached or before
        return True

    def get(self, iri: str) -> Entry | None:
        return self.entries.get(iri)

    def organisations(self) -> Iterator[Entry]:
        return (e for e in self.entries.values() if e.kind == "organisation")

    def regions(self) -> Iterator[Entry]:
        return (e for e in self.entries.values() if e.kind == "region")

    def units(self) -> Iterator[Entry]:
        return (e for e in self.entries.values() if e.kind == "unit")


def _generated_city(entry: Entry) -> bool:
    """A city of the generated list (``cities.ttl``, no French label): a one-word Arabic name needs a cue."""
    return "fr" not in entry.labels


def _kind(types: list[str]) -> tuple[str | None, str]:
    for t in types:
        if t in ORGANISATION_CLASSES:
            return "organisation", t
    for t in sorted(types, key=lambda t: _PRIORITY.get(t, 9)):
        if t in REGION_CLASSES:
            return "region", t
    if "Unit" in types:
        return "unit", "Unit"
    return None, ""


def _inner_forms(token: str) -> tuple[str, ...]:
    """Inside a name only the article and the conjunction attach (منظمة العمل الدولية, وإنعاش)."""
    forms = match_forms(token)
    return forms[:4] if is_arabic(token) else forms


_LATIN_PLURAL = ("aux", "s", "x")
_ARABIC_SUFFIXES = ("ين", "ون", "ا", "ه")  # not "ات": مكونات is "components", not trainers


def unit_stems(form: str) -> tuple[str, ...]:
    """Singular-ish stems of a folded unit word: formateurs → formateur, متدربين → متدرب, متدربا → متدرب."""
    stems = [form]
    if is_arabic(form):
        for suffix in _ARABIC_SUFFIXES:
            if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                stems.append(form[: -len(suffix)])
    else:
        if form.endswith("aux") and len(form) > 4:
            stems.append(form[:-3] + "al")
        for suffix in _LATIN_PLURAL:
            if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                stems.append(form[: -len(suffix)])
    return tuple(dict.fromkeys(stems))
