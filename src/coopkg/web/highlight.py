"""A document's text cut at every quote's offsets, so each extracted fact is highlighted in place."""

from __future__ import annotations

import itertools
from typing import Any


def segments(text: str, quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive pieces of ``text``; each knows the quotes covering it and the quotes starting at it.

    Quotes nest and overlap (a funding's sentence holds the names it links), so a piece is
    marked with every quote that covers it; ``anchors`` are the ``c{start}-{end}`` ids that
    links to a passage point at.
    """
    spans = [(max(0, q["start"]), min(len(text), q["end"]), q) for q in quotes if q["end"] > q["start"]]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    starting: dict[int, list[str]] = {}
    for start, end, _ in sorted(spans, key=lambda s: (s[0], -s[1])):
        ident = f"c{start}-{end}"
        if ident not in starting.setdefault(start, []):
            starting[start].append(ident)
    out: list[dict[str, Any]] = []
    for a, b in itertools.pairwise(cuts):
        covering = [q for s, e, q in spans if s <= a and e >= b]
        out.append({
            "text": text[a:b],
            "anchors": starting.pop(a, []),
            "kinds": sorted({q["kind"] for q in covering}),
            "ids": sorted({f"c{q['start']}-{q['end']}" for q in covering}),
            "titles": sorted({f"{q['kindName']}: {q['label']}" for q in covering}),
        })  # fmt: skip
    return out
