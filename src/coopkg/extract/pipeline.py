"""The extraction pipeline: one document's text in, its evidenced facts out.

Like a spaCy pipeline, it is a list of stages that each take and return one document object
(:class:`~coopkg.extract.doc.Doc`); the data passed between them is the document's fields (sentences,
quantities, mentions, entities, events). The words of each language are data
(``languages/*.yaml``, read by :class:`~coopkg.extract.lexicon.Locale`), so no stage names one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from coopkg.extract.doc import Doc
from coopkg.extract.gazetteer import Gazetteer
from coopkg.extract.reader import read_path
from coopkg.extract.stages.assemble import assemble
from coopkg.extract.stages.coreference import coreference
from coopkg.extract.stages.fundings import fundings
from coopkg.extract.stages.indicators import indicators
from coopkg.extract.stages.names import names
from coopkg.extract.stages.projects import projects
from coopkg.extract.stages.quantities import quantities
from coopkg.extract.stages.relations import relations
from coopkg.extract.stages.segment import segment
from coopkg.facts import Extraction
from coopkg.iris import IriMinter, document_id_for
from coopkg.reference import reference_triples

Stage = Callable[[Doc], Doc]

# text → sentences → quantities → names → projects → coreference → events → relations → indicators
STAGES: tuple[Stage, ...] = (segment, quantities, names, projects, coreference, fundings, relations, indicators)


class Extractor:
    """Reusable: load the gazetteer once, then extract many documents."""

    def __init__(self, gazetteer: Gazetteer, minter: IriMinter, stages: Sequence[Stage] = STAGES) -> None:
        self.gazetteer = gazetteer
        self.minter = minter
        self.stages = tuple(stages)

    @classmethod
    def from_reference(cls, minter: IriMinter) -> Extractor:
        return cls(Gazetteer.from_triples(reference_triples(minter)), minter)

    def extract_path(self, path: Path, *, doc_id: str | None = None, max_bytes: int = 5_000_000) -> Extraction:
        source = read_path(path, max_bytes)
        return self.extract_text(
            source.text, source=path.name, doc_id=doc_id or document_id_for(path.name), title=source.title
        )

    def extract_text(self, text: str, *, source: str, doc_id: str, title: str | None = None) -> Extraction:
        doc = Doc(text, source, doc_id, title, self.gazetteer, self.minter)
        for stage in self.stages:
            doc = stage(doc)
        return assemble(doc)
