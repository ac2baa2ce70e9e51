"""What the views hold about one thing, and how it is read from the store's rows and kept as JSON."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from coopkg.terms import local_name


@dataclass
class IndexedFunding:
    id: str
    funder: str
    funded: str
    amount: Decimal | None
    currency: str | None
    amount_id: str | None  # the coopkg:MonetaryAmount node, when it has an IRI
    kind: str
    year: int | None
    date: str | None
    graphs: set[str] = field(default_factory=set)  # filled when one funding is read by its IRI


@dataclass
class FundingQuery:
    funder: str | None = None
    funded: str | None = None
    region: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    currency: str | None = None
    sort: str = "-amount"  # amount, -amount, date, -date
    limit: int = 20
    offset: int = 0


@dataclass
class Named:
    id: str
    type: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    alt: list[str] = field(default_factory=list)
    alt_by_lang: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def label(self, lang: str = "fr") -> str:
        for key in (lang, "fr", "en", "ar", ""):
            if key in self.labels:
                return self.labels[key]
        return next(iter(self.labels.values()), local_name(self.id))

    def to_json(self) -> str:
        return json.dumps([self.type, self.labels, self.alt, self.alt_by_lang, self.extra], ensure_ascii=False)

    @classmethod
    def from_json(cls, iri: str, text: str) -> Named:
        kind, labels, alt, alt_by_lang, extra = json.loads(text)
        return cls(iri, kind, labels, alt, alt_by_lang, extra)


def named_from_rows(rows: Iterable[Any], var: str) -> dict[str, Named]:
    """Organisations or projects (``var``: the row's variable) with their most specific type and labels."""
    found: dict[str, Named] = {}
    types: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        iri = row[var].value
        item = found.setdefault(iri, Named(iri))
        types[iri].add(local_name(row["type"].value))
        _read_names(item, row)
    for iri, item in found.items():
        specific = sorted(types[iri] - {"Organisation", "Project"}) or sorted(types[iri])
        item.type = specific[0] if specific else ""
    return found


def _read_names(item: Named, row: Any) -> None:
    """One row's preferred label, alternative label and start date, added to ``item``."""
    if "pref" in row:
        item.labels[row["pref"].language or ""] = row["pref"].value
    if "alt" in row and row["alt"].value not in item.alt_by_lang.get(row["alt"].language or "", []):
        item.alt_by_lang.setdefault(row["alt"].language or "", []).append(row["alt"].value)
        if row["alt"].value not in item.alt:
            item.alt.append(row["alt"].value)
    if "start" in row:
        item.extra["start"] = row["start"].value


def named_from_parts(types: Iterable[tuple[str, str]], names: Iterable[Any]) -> dict[str, Named]:
    """The same from two reads: (thing, type IRI) pairs, then rows of ``entity-names`` (pref, alt, start)."""
    typed: dict[str, set[str]] = defaultdict(set)
    for iri, kind in types:
        typed[iri].add(kind)
    rows = [{"entity": row["entity"], "type": None, **{k: row[k] for k in ("pref", "alt", "start") if k in row}}
            for row in names if row["entity"].value in typed]  # fmt: skip
    found: dict[str, Named] = {iri: Named(iri) for iri in typed}
    for row in rows:
        _read_names(found[row["entity"].value], row)
    for iri, item in found.items():
        kinds = {local_name(t) for t in typed[iri]}
        specific = sorted(kinds - {"Organisation", "Project"}) or sorted(kinds)
        item.type = specific[0] if specific else ""
    return found


def places_from_rows(rows: Iterable[Any]) -> dict[str, Named]:
    """Places (rows of ``places`` or ``regions``): labels, type, ``isoCode``, ``broader``."""
    found: dict[str, Named] = {}
    for row in rows:
        iri = row["region"].value
        item = found.setdefault(iri, Named(iri))
        kind = local_name(row["type"].value)
        if kind != "Region" or not item.type:
            item.type = kind
        if "pref" in row:
            item.labels[row["pref"].language or ""] = row["pref"].value
        if "code" in row:
            item.extra["isoCode"] = row["code"].value
        if "broader" in row and row["broader"].value not in item.extra.setdefault("broader", []):
            item.extra["broader"].append(row["broader"].value)
    return found


def search_names(item: Named) -> list[tuple[str, bool]]:
    """The (text, is preferred) names an item is searched by: its labels, then its other names."""
    return [(label, True) for label in item.labels.values()] + [(alt, False) for alt in item.alt]


def amount_key(amount: Decimal) -> str:
    """A text that sorts (bytewise) as ``amount`` does numerically; equal amounts give equal texts.

    Sign, then the decimal exponent of the first digit (offset, fixed width), then the digits:
    for negative numbers every part is complemented so that larger magnitudes sort first.
    """
    if amount.is_zero():
        return "1"
    sign, digits, exponent = amount.normalize().as_tuple()
    assert isinstance(exponent, int)
    magnitude = len(digits) + exponent  # position of the first digit
    text = "".join(map(str, digits))
    if sign == 0:
        return f"2{magnitude + 50_000:06d}{text}"
    return f"0{949_999 - magnitude:06d}{''.join(str(9 - int(d)) for d in text)}~"
