"""Synthetic datasets for benchmarks: conforming to the shapes, deterministic from a seed.

Each synthetic document is a short French text stating its projects' fundings, implementers
and results; the facts are built with the same model and graph writer as real extractions,
so their evidence offsets point into that text and the graphs pass the shapes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from pyoxigraph import Quad, RdfFormat, serialize

from coopkg.extract.gazetteer import Entry, Gazetteer
from coopkg.facts import (
    DocumentInfo,
    Evidence,
    Extraction,
    Funding,
    Indicator,
    Organisation,
    Project,
    Region,
    Unit,
    fact_id,
)
from coopkg.iris import IriMinter
from coopkg.reference import reference_triples
from coopkg.store.base import Repository

_CURRENCIES = (("EUR", "euros"), ("MAD", "dirhams"), ("USD", "dollars"))
_FUNDER_TYPES = {"DevelopmentAgency", "DevelopmentBank", "InternationalOrganisation"}
_THEMES = (
    "formation professionnelle", "emploi des jeunes", "énergies renouvelables", "eau potable", "santé maternelle",
    "agriculture durable", "inclusion financière", "numérique", "tourisme rural", "gouvernance locale",
)  # fmt: skip
_NEW_ORG_HEADS = ("Association", "Fondation", "Coopérative", "Institut", "Centre")


class _Writer:
    """Builds one document's text while recording the spans of what it states."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> Evidence:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return Evidence(start, self.length, text, "synthetic", 1.0)

    def text(self) -> str:
        return "".join(self.parts)


def write_synthetic(
    path: Path,
    minter: IriMinter,
    *,
    projects: int,
    seed: int = 7,
    per_document: int = 10,
    fmt: RdfFormat = RdfFormat.N_QUADS,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    rng = random.Random(seed)
    gazetteer = Gazetteer.from_triples(reference_triples(minter))
    funders = sorted((e for e in gazetteer.organisations() if e.type in _FUNDER_TYPES), key=lambda e: e.iri)
    partners = sorted((e for e in gazetteer.organisations() if e.type not in _FUNDER_TYPES), key=lambda e: e.iri)
    regions = sorted(
        (e for e in gazetteer.regions() if e.type in {"AdministrativeRegion", "City", "Country"}), key=lambda e: e.iri
    )
    units = sorted(gazetteer.units(), key=lambda e: e.iri)
    if not (funders and partners and regions and units):
        raise RuntimeError("the reference data has no funders, partners, places or units to draw from")
    new_orgs = [f"{rng.choice(_NEW_ORG_HEADS)} Synthétique {i:05d}" for i in range(max(10, projects // 5))]
    counts = {"documents": 0, "projects": 0, "fundings": 0, "indicators": 0, "triples": 0}
    documents = math.ceil(projects / per_document)
    with path.open("wb") as stream:
        for d in range(documents):
            first = d * per_document
            size = min(per_document, projects - first)
            extraction = _document(d, first, size, rng, minter, funders, partners, regions, units, new_orgs)
            graph = minter.document_graph(extraction.document.id)
            triples = extraction.to_triples(minter)
            serialize((Quad(t.subject, t.predicate, t.object, graph) for t in triples), stream, format=fmt)
            counts["documents"] += 1
            counts["projects"] += size
            counts["fundings"] += len(extraction.fundings)
            counts["indicators"] += len(extraction.indicators)
            counts["triples"] += len(triples)
            if progress is not None:
                progress(first + size)
    return counts


def _document(
    number: int,
    first: int,
    size: int,
    rng: random.Random,
    minter: IriMinter,
    funders: list[Entry],
    partners: list[Entry],
    regions: list[Entry],
    units: list[Entry],
    new_orgs: list[str],
) -> Extraction:
    doc_id = f"synthetic-{number:07d}"
    writer = _Writer()
    orgs: dict[str, Organisation] = {}
    places: dict[str, Region] = {}
    unit_nodes: dict[str, Unit] = {}
    found = Extraction(DocumentInfo(doc_id, minter.document(doc_id).value, f"{doc_id}.txt", "fr", None, ""))

    def org_mention(entry: Entry | None, name: str | None) -> tuple[str, Evidence]:
        if entry is not None:
            label = entry.label("fr")[0]
            evidence = writer.add(label)
            org = orgs.setdefault(entry.iri, Organisation(entry.iri, label=label, type=entry.type, known=True))
        else:
            assert name is not None
            evidence = writer.add(name)
            iri = minter.organisation(name).value
            org = orgs.setdefault(iri, Organisation(iri, label=name, type="CivilSocietyOrganisation"))
        org.add_evidence(evidence)
        return org.id, evidence

    for k in range(first, first + size):
        theme = rng.choice(_THEMES)
        name = f"Projet synthétique {k:07d} ({theme})"
        start_year = rng.randint(2005, 2024)
        months = rng.choice((12, 18, 24, 36, 48, 60))
        sentence_start = writer.length
        writer.add("Le projet ")
        name_evidence = writer.add(name)
        writer.add(", mené à ")
        place = rng.choice(regions)
        place_label = place.label("fr")[0]
        place_evidence = writer.add(place_label)
        places.setdefault(place.iri, Region(place.iri, label=place_label, type=place.type, known=True)).add_evidence(
            place_evidence
        )
        writer.add(f" de {start_year} à {start_year + months // 12}, est financé par ")
        funder, _ = org_mention(rng.choice(funders), None)
        currency, word = rng.choice(_CURRENCIES)
        amount = Decimal(rng.randint(50, 50_000)) * 1000
        writer.add(f" à hauteur de {amount} {word}")
        funding_evidence = Evidence(sentence_start, writer.length, writer.text()[sentence_start:], "synthetic", 1.0)
        writer.add(". Il est mis en œuvre par ")
        implementer, implementer_evidence = org_mention(
            rng.choice(partners) if rng.random() < 0.7 else None, rng.choice(new_orgs)
        )
        writer.add(". Il a permis de former ")
        value = rng.randint(10, 20_000)
        unit = rng.choice(units)
        unit_label = unit.label("fr")[0]
        indicator_evidence = writer.add(f"{value} {unit_label}")
        writer.add(".\n")

        project = Project(
            minter.project(name).value,
            label=name,
            start=str(start_year),
            end=str(start_year + months // 12),
            duration_months=months,
            regions=[place.iri],
        )
        project.add_evidence(name_evidence)
        project.add_participant(funder, "funder", [funding_evidence])
        project.add_participant(implementer, "implementer", [implementer_evidence])
        found.projects.append(project)
        funding = Funding(
            fact_id(minter, "funding", funder, project.id, amount, currency),
            funder=funder,
            funded=project.id,
            amount=amount,
            currency=currency,
            kind=rng.choice(("grant", "loan", "unspecified")),
        )
        funding.add_evidence(funding_evidence)
        found.fundings.append(funding)
        unit_nodes.setdefault(unit.iri, Unit(unit.iri, label=unit_label, known=True))
        indicator = Indicator(
            fact_id(minter, "indicator", project.id, value, unit.iri, None),
            about=project.id,
            value=Decimal(value),
            unit=unit.iri,
        )
        indicator.add_evidence(indicator_evidence)
        found.indicators.append(indicator)
    found.document.text = writer.text()
    found.organisations = list(orgs.values())
    found.regions = list(places.values())
    found.units = list(unit_nodes.values())
    return found


def copies_of_documents(repo: Repository, minter: IriMinter, copies: int, scratch: Path) -> int:
    """Write ``copies`` more graphs for each document graph of ``repo``, under new document ids.

    The same facts stated in many documents, as when several articles report the same money:
    facts keep their IRIs, each copy has its own document, evidence and graph. They go in by one
    bulk load of an N-Quads file written to ``scratch``. Returns the number of graphs written.
    """
    written = 0
    with scratch.open("w", encoding="utf-8") as out:
        for graph in [g for g in repo.named_graphs() if minter.document_id_of_graph(g.value)]:
            doc_id = minter.document_id_of_graph(graph.value) or ""
            old = minter.document(doc_id).value
            text = serialize(repo.graph_triples(graph), format=RdfFormat.N_TRIPLES).decode("utf-8")
            for copy in range(1, copies + 1):
                new_id = f"{doc_id}-copy{copy}"
                new = minter.document(new_id).value
                moved = text.replace(f"<{old}>", f"<{new}>").replace(f"<{old}/", f"<{new}/")
                moved = moved.replace(f'"{doc_id}"', f'"{new_id}"')
                name = f" <{minter.document_graph(new_id).value}> .\n"
                out.writelines(line[: line.rindex(" .")] + name for line in moved.splitlines() if line)
                written += 1
    repo.load_file(scratch, None, fmt=RdfFormat.N_QUADS)
    return written
