"""Scoring against gold annotations in the shared format (``eval/README.md``).

The matching is the shared scorer's (``../shared/extraction/score.py``), so that both give the
same figures: entities by any of their names (a prediction's label, alternative labels and the
words its evidence quotes) after case, accent, article, clitic and Arabic-letter normalisation
with a 0.9 similarity allowance; fundings when funder and funded match; amounts when the funding
matches and the amount is within 0.5 % in the same currency; indicators by value and similar unit.
Each miss and false alarm is reported, so that a batch's errors can be read.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

KINDS = ("organisations", "projects", "regions", "fundings", "amounts", "indicators")

_ARABIC_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARTICLES = re.compile(r"^(l'|l’|la |le |les |the |d'|d’|de la |de l'|du |des |de )")


def norm(text: object) -> str:
    value = unicodedata.normalize("NFKC", str(text or ""))
    value = _ARABIC_DIACRITICS.sub("", value)
    value = re.sub("[أإآٱ]", "ا", value).replace("ة", "ه").replace("ى", "ي")
    value = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    value = value.casefold().replace("’", "'")
    value = re.sub(r"[«»\"“”()\[\],.;:]", " ", value)
    value = re.sub(r"\s+", " ", value).strip()
    value = _ARTICLES.sub("", value)
    value = re.sub(r"^(و|ب|ل|ف)?ال(?=\S{3,})", "", value)
    return value.strip()


def gold_names(item: dict[str, Any]) -> set[str]:
    return _normalised([item.get("name", ""), *(item.get("aliases") or [])])


def predicted_names(item: dict[str, Any]) -> set[str]:
    label = item.get("label", "")
    names = list(label.values()) if isinstance(label, dict) else [label]
    names += list(item.get("altLabels") or [])
    names += [e.get("quote", "") for e in item.get("evidence") or [] if len(e.get("quote") or "") <= 120]
    return _normalised(names)


def _normalised(names: Iterable[object]) -> set[str]:
    return {n for n in (norm(x) for x in names if isinstance(x, str)) if n}


def same_entity(a: set[str], b: set[str]) -> bool:
    if a & b:
        return True
    return any(len(x) >= 4 and len(y) >= 4 and SequenceMatcher(None, x, y).ratio() >= 0.9 for x in a for y in b)


@dataclass
class Tally:
    matched: int = 0
    gold: int = 0
    predicted: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.matched += other.matched
        self.gold += other.gold
        self.predicted += other.predicted

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else (1.0 if self.gold == 0 else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
                "matched": self.matched, "gold": self.gold, "predicted": self.predicted}  # fmt: skip


def _match(
    gold: list[Any], predicted: list[Any], eq: Callable[[Any, Any], bool], show_g: Callable[[Any], str],
    show_p: Callable[[Any], str],
) -> Tally:  # fmt: skip
    """Greedy one-to-one matching in gold order, as the shared scorer does."""
    used: set[int] = set()
    tally = Tally(gold=len(gold), predicted=len(predicted))
    for g in gold:
        hit = next((i for i, p in enumerate(predicted) if i not in used and eq(g, p)), None)
        if hit is None:
            tally.missed.append(show_g(g))
        else:
            used.add(hit)
            tally.matched += 1
    tally.false_alarms = [show_p(p) for i, p in enumerate(predicted) if i not in used]
    return tally


def _number(x: object) -> float | None:
    try:
        return float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def score_document(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, Tally]:
    out: dict[str, Tally] = {}
    index: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for kind in ("organisations", "projects", "regions"):
        for p in pred.get(kind) or []:
            index[p.get("id")] = predicted_names(p)
            label = p.get("label")
            labels[p.get("id")] = next(iter(label.values()), "") if isinstance(label, dict) else str(label)
    by_name: dict[str, set[str]] = {}
    for kind in ("organisations", "projects", "regions"):
        for g in gold.get(kind) or []:
            by_name[norm(g["name"])] = gold_names(g)

    def names_for(name: str) -> set[str]:
        return by_name.get(norm(name), {norm(name)})

    for kind in ("organisations", "projects", "regions"):
        out[kind] = _match(
            gold.get(kind) or [],
            pred.get(kind) or [],
            lambda g, p: same_entity(gold_names(g), predicted_names(p)),
            lambda g: str(g["name"]),
            lambda p: str(p.get("label")),
        )
    fundings_gold = gold.get("fundings") or []
    fundings_pred = pred.get("fundings") or []

    def f_eq(g: dict[str, Any], p: dict[str, Any]) -> bool:
        return same_entity(names_for(g["funder"]), index.get(p.get("funder"), set())) and same_entity(
            names_for(g["funded"]), index.get(p.get("funded"), set())
        )

    def a_eq(g: dict[str, Any], p: dict[str, Any]) -> bool:
        pa, ga = _number(p.get("amount")), _number(g.get("amount"))
        return (
            f_eq(g, p)
            and pa is not None
            and ga is not None
            and abs(pa - ga) <= 0.005 * abs(ga)
            and (not g.get("currency") or (p.get("currency") or "").upper() == g["currency"].upper())
        )

    def show_gf(g: dict[str, Any]) -> str:
        return f"{g['funder']} → {g['funded']} {g.get('amount')} {g.get('currency')}"

    def show_pf(p: dict[str, Any]) -> str:
        return f"{labels.get(p.get('funder'), p.get('funder'))} → {labels.get(p.get('funded'), p.get('funded'))} " \
               f"{p.get('amount')} {p.get('currency')}"  # fmt: skip

    out["fundings"] = _match(fundings_gold, fundings_pred, f_eq, show_gf, show_pf)
    out["amounts"] = _match(
        [g for g in fundings_gold if g.get("amount") is not None],
        [p for p in fundings_pred if p.get("amount") is not None],
        a_eq, show_gf, show_pf,
    )  # fmt: skip
    # The shared scorer matches amounts against every predicted funding; only those with an amount can match.

    def i_eq(g: dict[str, Any], p: dict[str, Any]) -> bool:
        gv, pv = _number(g.get("value")), _number(p.get("value"))
        if gv is None or pv is None or abs(gv - pv) > 1e-6:
            return False
        unit = p.get("unit")
        gu, pu = norm(g.get("unit")), norm(unit.get("label") if isinstance(unit, dict) else unit)
        return bool(gu and pu) and (gu[:4] in pu or pu[:4] in gu or SequenceMatcher(None, gu, pu).ratio() >= 0.6)

    out["indicators"] = _match(
        gold.get("indicators") or [], pred.get("indicators") or [], i_eq,
        lambda g: f"{g.get('value')} {g.get('unit')}", lambda p: f"{p.get('value')} {p.get('unit')}",
    )  # fmt: skip
    return out


@dataclass
class Report:
    overall: dict[str, Tally]
    by_language: dict[str, dict[str, Tally]]
    documents: dict[str, dict[str, Tally]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": {k: t.to_dict() for k, t in self.overall.items()},
            "by_language": {
                lang: {k: t.to_dict() for k, t in kinds.items()} for lang, kinds in self.by_language.items()
            },
            "documents": {
                doc: {k: {**t.to_dict(), "missed": t.missed, "false_alarms": t.false_alarms} for k, t in kinds.items()}
                for doc, kinds in self.documents.items()
            },
        }


def score_folder(gold_dir: Path, predict: Callable[[dict[str, Any]], dict[str, Any] | None]) -> Report:
    """Score ``predict(gold)`` (the extraction JSON of the gold's document, or None) for every gold file."""
    overall = {k: Tally() for k in KINDS}
    by_language: dict[str, dict[str, Tally]] = {}
    documents: dict[str, dict[str, Tally]] = {}
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        pred = predict(gold) or {}
        scores = score_document(gold, pred)
        documents[path.stem] = scores
        lang = by_language.setdefault(gold.get("language", "?"), {k: Tally() for k in KINDS})
        for kind, tally in scores.items():
            overall[kind].add(tally)
            lang[kind].add(tally)
    return Report(overall, dict(sorted(by_language.items())), documents)


def render(report: Report, *, details: bool = False) -> str:
    lines = [f"{'':6}{'fact type':14}{'P':>7}{'R':>7}{'F1':>7}{'match':>7}{'gold':>6}{'pred':>6}"]
    for scope, kinds in [("all", report.overall), *report.by_language.items()]:
        for kind, t in kinds.items():
            lines.append(
                f"{scope:6}{kind:14}{t.precision:7.2f}{t.recall:7.2f}{t.f1:7.2f}{t.matched:7}{t.gold:6}{t.predicted:6}"
            )
    if details:
        for doc, kinds in report.documents.items():
            errors = [(k, "missed", x) for k, t in kinds.items() for x in t.missed]
            errors += [(k, "false alarm", x) for k, t in kinds.items() for x in t.false_alarms]
            if errors:
                lines.append(f"\n{doc}")
                lines += [f"  {kind:13} {what:11} {item}" for kind, what, item in errors]
    return "\n".join(lines)


def is_shared_format(gold: dict[str, Any]) -> bool:
    items = [i for kind in ("organisations", "projects", "regions") for i in gold.get(kind) or []]
    return not items or "name" in items[0]
