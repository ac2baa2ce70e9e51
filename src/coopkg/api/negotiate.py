"""Content negotiation: Accept headers with q-values, and the ?format= override."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from coopkg.errors import NotAcceptableError

RESULTS_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "trig": "application/trig",
    "nquads": "application/n-quads",
}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if "/" not in pieces[0]:
            continue
        main, _, sub = pieces[0].lower().partition("/")
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(main, sub, q))
    return ranges or [MediaRange("*", "*", 1.0)]


def quality(media_type: str, ranges: list[MediaRange]) -> float:
    """The q-value the most specific matching range gives ``media_type`` (0 if none)."""
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0
    return max(matching, key=lambda r: r.specificity).q


def choose(accept: str | None, offered: list[str]) -> str:
    """The offered media type the client prefers; ties go to the server's order."""
    chosen = _choose(accept, tuple(offered))
    if chosen is None:
        raise NotAcceptableError(f"none of {', '.join(offered)} is acceptable (Accept: {accept})")
    return chosen


@lru_cache(maxsize=512)
def _choose(accept: str | None, offered: tuple[str, ...]) -> str | None:
    # Clients send few distinct Accept headers: the answer is cached per header (and offer).
    ranges = parse_accept(accept)
    best = max((quality(t, ranges), -i, t) for i, t in enumerate(offered))
    return best[2] if best[0] > 0 else None


def choose_encoding(header: str | None, offered: list[str]) -> str:
    """The content coding to send (RFC 9110 §12.5.3): the first of ``offered`` the client accepts.

    No header: any coding is acceptable. ``identity`` is acceptable unless refused by name or by
    ``*;q=0``."""
    if header is None:
        return offered[0]
    weights: dict[str, float] = {}
    for part in header.split(","):
        name, *params = (p.strip() for p in part.split(";"))
        if not name:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        weights[name.lower()] = q
    for coding in offered:
        q = weights.get(coding, weights.get("*", 1.0 if coding == "identity" else 0.0))
        if q > 0:
            return coding
    raise NotAcceptableError(
        f"none of the content codings {', '.join(offered)} is acceptable (Accept-Encoding: {header})"
    )


def prefers_html(accept: str | None) -> bool:
    """A browser: text/html ranks at least as high as JSON and is explicitly listed."""
    if not accept or "text/html" not in accept:
        return False
    ranges = parse_accept(accept)
    return quality("text/html", ranges) >= quality("application/json", ranges) and quality("text/html", ranges) > 0


def by_format_name(name: str, table: dict[str, str]) -> str:
    key = name.lower()
    if key in table:
        return table[key]
    if key in table.values():
        return key
    raise NotAcceptableError(f"unknown format {name!r}; use one of {', '.join(sorted(set(table)))}")
