"""Scoring the pipeline against hand-made gold annotations (``tests/gold``).

Gold entities are lists of names; a predicted entity matches when one of its labels equals
one of the names after case, accent, article and Arabic-clitic normalisation. Items marked
``optional`` count neither as misses nor as false alarms. Fundings match on (funder, funded,
amount, currency), indicators on (value, unit).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coopkg.extract.pipeline import Extractor
from coopkg.extract.text import key_form, match_forms, name_tokens, tokenize
from coopkg.terms import local_name

FACT_TYPES = ("organisations", "projects", "fundings", "regions", "indicators")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
        }


def _tokens(name: str) -> tuple[str, ...]:
    return name_tokens(name)


def names_match(a: str, b: str) -> bool:
    """Equal after normalisation; an Arabic first word may carry clitics on either side."""
    ta, tb = _tokens(a), _tokens(b)
    if ta == tb:
        return True
    if len(ta) != len(tb) or not ta:
        return False
    raw_a, raw_b = [t.text for t in tokenize(a)], [t.text for t in tokenize(b)]
    if len(raw_a) != len(ta) or len(raw_b) != len(tb):
        return False
    for x, y, rx, ry in zip(ta, tb, raw_a, raw_b, strict=True):
        if x != y and x not in match_forms(ry) and y not in match_forms(rx) and key_form(rx) not in match_forms(ry):
            return False
    return True


def _labels(item: dict[str, Any]) -> list[str]:
    """Its labels and the words the document used for it (an annotator writes down the latter)."""
    quotes = [e["quote"] for e in item.get("evidence", []) if len(e.get("quote", "")) <= 120]
    return [item.get("label") or "", *item.get("altLabels", []), *quotes]


def _match_entities(
    predicted: list[dict[str, Any]], gold: list[dict[str, Any]], kind: str, keys: dict[str, str] | None = None
) -> tuple[Score, dict[str, str]]:
    """One-to-one matching; returns the score and predicted id → gold key.

    An agreement in the gold may be given by its parties: it matches a predicted partnership
    agreement whose participants include them.
    """
    score = Score()
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for p in predicted:
        pid_local = local_name(p["id"])
        found = None
        for g in gold:
            if g["key"] in used and not g.get("optional"):
                continue
            by_code = kind == "regions" and pid_local == g["key"]
            by_parties = (
                bool(g.get("parties"))
                and p.get("type") == "PartnershipAgreement"
                and set(g["parties"]) <= {(keys or {}).get(x["organisation"]) for x in p.get("participants", [])}
            )
            if by_code or by_parties or any(names_match(label, name) for label in _labels(p) for name in g["names"]):
                found = g
                break
        if found is None:
            score.fp += 1
            score.errors.append(f"false alarm: {p.get('label')}")
            continue
        mapping[p["id"]] = found["key"]
        if found["key"] in used:
            continue  # a second prediction for an optional or already matched entity: neutral
        used.add(found["key"])
        if not found.get("optional"):
            score.tp += 1
    for g in gold:
        if g["key"] not in used and not g.get("optional"):
            score.fn += 1
            score.errors.append(f"missed: {g['names'][0]}")
    return score, mapping


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 0.005 * max(abs(a), abs(b), 1)


def _pair_off(
    predicted: list[dict[str, Any]],
    gold: list[dict[str, Any]],
    fits: Callable[[dict[str, Any], dict[str, Any]], bool],
    describe: Callable[[dict[str, Any]], str],
) -> Score:
    """Each prediction takes the first gold item it fits; optional gold items count neither way."""
    score = Score()
    remaining = list(gold)
    for p in predicted:
        hit = next((g for g in remaining if fits(p, g)), None)
        if hit is None:
            score.fp += 1
            score.errors.append(f"false alarm: {describe(p)}")
            continue
        remaining.remove(hit)
        if not hit.get("optional"):
            score.tp += 1
    for g in remaining:
        if not g.get("optional"):
            score.fn += 1
            score.errors.append(f"missed: {describe(g)}")
    return score


def _match_fundings(predicted: list[dict[str, Any]], gold: list[dict[str, Any]], keys: dict[str, str]) -> Score:
    def as_gold(p: dict[str, Any]) -> dict[str, Any]:
        return {**p, "funder": keys.get(p["funder"], p["funder"]), "funded": keys.get(p["funded"], p["funded"])}

    def fits(p: dict[str, Any], g: dict[str, Any]) -> bool:
        p = as_gold(p)
        return (
            g["funder"] == p["funder"]
            and g["funded"] == p["funded"]
            and _close(p.get("amount"), g.get("amount"))
            and (p.get("currency") or None) == (g.get("currency") or None)
        )

    def describe(f: dict[str, Any]) -> str:
        f = as_gold(f)
        return f"{f['funder']} → {f['funded']} {f.get('amount')} {f.get('currency')}"

    return _pair_off(predicted, gold, fits, describe)


def _match_indicators(predicted: list[dict[str, Any]], gold: list[dict[str, Any]], reference_units: set[str]) -> Score:
    reference_keys = {local_name(u) for u in reference_units}

    def fits(p: dict[str, Any], g: dict[str, Any]) -> bool:
        if not _close(float(p["value"]), float(g["value"])):
            return False
        unit_id = p.get("unitId") or ""
        # A unit outside the reference list matches any gold unit that is outside it too (names differ by language).
        return g["unit"] == local_name(unit_id) or (unit_id not in reference_units and g["unit"] not in reference_keys)

    return _pair_off(predicted, gold, fits, lambda i: f"{i['value']} {i.get('unit')}")


def evaluate_document(extractor: Extractor, document: Path, gold: dict[str, Any]) -> dict[str, Score]:
    found = extractor.extract_path(document).to_json()
    reference_units = {e.iri for e in extractor.gazetteer.units()}
    scores: dict[str, Score] = {}
    keys: dict[str, str] = {}
    for kind in ("organisations", "projects", "regions"):
        scores[kind], mapping = _match_entities(found[kind], gold.get(kind, []), kind, keys)
        keys.update(mapping)
    scores["fundings"] = _match_fundings(found["fundings"], gold.get("fundings", []), keys)
    scores["indicators"] = _match_indicators(found["indicators"], gold.get("indicators", []), reference_units)
    return scores


def evaluate_folder(gold_dir: Path, docs_dir: Path, extractor: Extractor) -> dict[str, Any]:
    overall = {kind: Score() for kind in FACT_TYPES}
    by_language: dict[str, dict[str, Score]] = defaultdict(lambda: {kind: Score() for kind in FACT_TYPES})
    documents: dict[str, Any] = {}
    gold_files = sorted(gold_dir.glob("*.json"))
    if not gold_files:
        from coopkg.errors import NotFoundError

        raise NotFoundError(f"no gold .json files in {gold_dir}")
    for path in gold_files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        document = docs_dir / gold["document"]
        scores = evaluate_document(extractor, document, gold)
        language = gold.get("language", "und")
        documents[gold["document"]] = {
            kind: {**score.to_dict(), "errors": score.errors} for kind, score in scores.items()
        } | {"language": language}
        for kind, score in scores.items():
            overall[kind].add(score)
            by_language[language][kind].add(score)
    return {
        "overall": {kind: score.to_dict() for kind, score in overall.items()},
        "by_language": {
            lang: {k: s.to_dict() for k, s in kinds.items()} for lang, kinds in sorted(by_language.items())
        },
        "documents": documents,
    }


def render_table(report: dict[str, Any]) -> str:
    lines = [f"{'':14}{'fact type':14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for scope, kinds in [("all", report["overall"]), *report["by_language"].items()]:
        for kind, s in kinds.items():
            lines.append(
                f"{scope:14}{kind:14}{s['precision']:7.3f}{s['recall']:7.3f}{s['f1']:7.3f}{s['tp']:5}{s['fp']:5}{s['fn']:5}"
            )
    return "\n".join(lines)
