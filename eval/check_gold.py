#!/usr/bin/env python3
"""Check gold annotations against their texts and the conventions' format.

usage: check_gold.py BATCH_DIR   (BATCH_DIR/docs/*.txt paired with BATCH_DIR/gold/*.json)
Exits 1 and lists the problems when any is found.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ORG_TYPES = {"government", "development-agency", "development-bank", "international-organisation", "public-agency",
             "university", "association", "network", "company", "other"}  # fmt: skip
REGION_TYPES = {"country", "region", "province", "city", "supranational"}
ROLES = {"funder", "implementer", "partner", "beneficiary", "lead"}
LANGS = {"fr", "ar", "en"}


def problems(text: str, gold: dict, name: str) -> list[str]:
    out: list[str] = []
    say = out.append
    for key in ("document", "language", "source", "organisations", "projects", "fundings", "regions", "indicators"):
        if key not in gold:
            say(f"missing key {key}")
    if gold.get("document") != name:
        say(f"document is {gold.get('document')!r}, expected {name!r}")
    if gold.get("language") not in LANGS:
        say(f"language {gold.get('language')!r}")
    if not str(gold.get("source", "")).startswith("http"):
        say("source is not an address")
    names: dict[str, set[str]] = {}
    for kind, types in (("organisations", ORG_TYPES), ("projects", None), ("regions", REGION_TYPES)):
        names[kind] = set()
        for item in gold.get(kind, []):
            if not item.get("name"):
                say(f"{kind}: an item without a name")
                continue
            names[kind].add(item["name"])
            if types is not None and item.get("type") not in types:
                say(f"{kind}: {item['name']!r} has type {item.get('type')!r}")
            for alias in item.get("aliases", []):
                if alias not in text:
                    say(f"{kind}: alias {alias!r} of {item['name']!r} does not occur in the text")
    for project in gold.get("projects", []):
        for region in project.get("regions", []):
            if region not in names["regions"]:
                say(f"project {project['name']!r}: region {region!r} is not an entry of regions")
        for part in project.get("participants", []):
            if part.get("organisation") not in names["organisations"]:
                say(f"project {project['name']!r}: participant {part.get('organisation')!r} is not an organisation")
            if part.get("role") not in ROLES:
                say(f"project {project['name']!r}: role {part.get('role')!r}")
    for funding in gold.get("fundings", []):
        if funding.get("funder") not in names["organisations"]:
            say(f"funding: funder {funding.get('funder')!r} is not an organisation")
        if funding.get("funded") not in names["organisations"] | names["projects"]:
            say(f"funding: funded {funding.get('funded')!r} is neither a project nor an organisation")
        if funding.get("amount") is not None and not isinstance(funding["amount"], int | float):
            say(f"funding: amount {funding['amount']!r} is not a number")
        if funding.get("amount") is not None and not funding.get("currency"):
            say("funding: an amount without a currency")
        if funding.get("evidence", "") not in text:
            say(f"funding: evidence {funding.get('evidence')!r} is not an exact quote")
    for indicator in gold.get("indicators", []):
        if indicator.get("about") not in names["organisations"] | names["projects"]:
            say(f"indicator: about {indicator.get('about')!r} is neither a project nor an organisation")
        if not isinstance(indicator.get("value"), int | float):
            say(f"indicator: value {indicator.get('value')!r} is not a number")
        if indicator.get("evidence", "") not in text:
            say(f"indicator: evidence {indicator.get('evidence')!r} is not an exact quote")
    return out


def main() -> int:
    batch = Path(sys.argv[1])
    bad = 0
    for doc in sorted((batch / "docs").glob("*.txt")):
        gold_path = batch / "gold" / (doc.stem + ".json")
        if not gold_path.exists():
            print(f"{doc.name}: no gold file")
            bad += 1
            continue
        found = problems(doc.read_text(encoding="utf-8"), json.loads(gold_path.read_text(encoding="utf-8")), doc.name)
        for line in found:
            print(f"{doc.name}: {line}")
        bad += bool(found)
    for gold_path in sorted((batch / "gold").glob("*.json")):
        if not (batch / "docs" / (gold_path.stem + ".txt")).exists():
            print(f"{gold_path.name}: no text file")
            bad += 1
    print(f"{bad} file(s) with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
