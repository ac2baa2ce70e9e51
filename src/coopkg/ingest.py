"""Documents into the store: extract, validate against the shapes, write one named graph each.

One document goes through :func:`prepare` (read, extract, validate: no store write) and is then
written; :class:`Ingestor` does both in process (the service, small ingests), and
:mod:`coopkg.corpus` runs :func:`prepare` in worker processes and writes batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, Triple

from coopkg.errors import CoopkgError, DocumentError, NotFoundError, ValidationFailed
from coopkg.extract.pipeline import Extractor
from coopkg.extract.reader import SUPPORTED_SUFFIXES, read_bytes
from coopkg.facts import Extraction, ntriples
from coopkg.iris import IriMinter, document_id_for, valid_document_id
from coopkg.reference import install, is_installed
from coopkg.store.base import Repository
from coopkg.validate import Describes, ValidationReport, ValidationResult, document_context, validate_document


@dataclass
class Outcome:
    """What happened to one document."""

    source: str
    doc_id: str | None
    status: str  # "written", "rejected" (shapes) or "failed" (unreadable)
    message: str = ""
    extraction: Extraction | None = None
    report: ValidationReport | None = None
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Prepared:
    """One document read, extracted and validated: its graph ready to write, or why it cannot be.

    Small and picklable: worker processes send it to the writer.
    """

    source: str
    doc_id: str | None
    status: str  # "ready", "rejected" (the shapes) or "failed" (unreadable, a bad document)
    message: str = ""
    ntriples: bytes = b""  # the document's graph, written by the engine
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)  # the first few, for reports
    empty: bool = False  # no cooperation facts found
    reason: str = ""  # what the message says without the document's name: for grouping in summaries


def document_files(paths: Iterable[Path]) -> list[Path]:
    """The supported files named, or found under the folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES))
        elif path.exists():
            found.append(path)
        else:
            raise NotFoundError(f"{path}: no such file or folder")
    return found


def extract_bytes(
    extractor: Extractor, data: bytes, *, source: str, doc_id: str | None = None, is_html: bool = False,
    max_bytes: int = 5_000_000,
) -> Extraction:  # fmt: skip
    doc_id = doc_id or document_id_for(source)
    if not valid_document_id(doc_id):
        raise DocumentError(f"invalid document id {doc_id!r}: use letters, digits, '.', '_' and '-'")
    text = read_bytes(data, is_html=is_html, name=source, max_bytes=max_bytes)
    return extractor.extract_text(text.text, source=source, doc_id=doc_id, title=text.title)


def prepare(path: Path, extractor: Extractor, minter: IriMinter, context: Describes, max_bytes: int) -> Prepared:
    """Read, extract and validate one file; ``context`` gives the reference data it points to."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(f"{path.name}: {size:,} bytes is over the {max_bytes:,}-byte limit")
        extraction = extract_bytes(
            extractor, path.read_bytes(), source=path.name, is_html=path.suffix.lower() in {".html", ".htm"},
            max_bytes=max_bytes,
        )  # fmt: skip
    except CoopkgError as error:
        return Prepared(path.name, None, "failed", error.message, reason=_without_name(error.message, path.name))
    except OSError as error:
        message = f"{path}: cannot read: {error.strerror or error}"
        return Prepared(path.name, None, "failed", message, reason=f"cannot read: {error.strerror or error}")
    terms = extraction.to_terms(minter)
    report = validate_document(terms, document_context(context, minter, terms))
    prepared = Prepared(
        path.name, extraction.document.id, "ready", counts=extraction.summary(), triples=len(terms),
        empty=extraction.is_empty(), warnings=[r.line() for r in report.warnings],
    )  # fmt: skip
    if not report.conforms:
        prepared.status = "rejected"
        prepared.message = report.failure(f"document {prepared.doc_id}")
        prepared.violations = [r.line() for r in report.violations[:20]]
        prepared.reason = report.violations[0].message
    else:
        prepared.ntriples = ntriples(terms)
    return prepared


def _without_name(message: str, name: str) -> str:
    return message[len(name) + 2 :] if message.startswith(name + ": ") else message


class Ingestor:
    """Writes documents' graphs; the store is made ready (ontology, reference data) on first use."""

    def __init__(
        self, repo: Repository, minter: IriMinter, extractor: Extractor, *, max_bytes: int = 5_000_000
    ) -> None:
        self.repo = repo
        self.minter = minter
        self.extractor = extractor
        self.max_bytes = max_bytes
        # Where documents' context comes from: the repository, unless given a faster equivalent.
        self.context_source: Callable[[], Describes] = lambda: self.repo

    def ensure_ready(self) -> bool:
        """Load the ontology and the reference data into an empty store; True if it did."""
        if is_installed(self.repo, self.minter):
            return False
        install(self.repo, self.minter)
        return True

    def extract_bytes(
        self, data: bytes, *, source: str, doc_id: str | None = None, is_html: bool = False
    ) -> Extraction:
        return extract_bytes(
            self.extractor, data, source=source, doc_id=doc_id, is_html=is_html, max_bytes=self.max_bytes
        )

    def check(self, extraction: Extraction) -> tuple[list[Triple], ValidationReport]:
        """The document's triples and their validation report (with the reference data they point to)."""
        terms = extraction.to_terms(self.minter)
        report = validate_document(terms, document_context(self.context_source(), self.minter, terms))
        return [Triple(*t) for t in terms], report

    def write(self, extraction: Extraction, *, into: Repository | None = None) -> Outcome:
        """Validate and write one document's graph atomically; nothing is written if it does not conform.

        ``into``: where to write, when it is not the repository read for validation (the service
        validates on its snapshot and writes to the store).
        """
        triples, report = self.check(extraction)
        doc_id = extraction.document.id
        report.raise_for_violations(f"document {doc_id}")
        (into or self.repo).replace_graph(self.minter.document_graph(doc_id), triples)
        return Outcome(
            extraction.document.source,
            doc_id,
            "written",
            extraction=extraction,
            report=report,
            triples=len(triples),
            counts=extraction.summary(),
        )

    def ingest_file(self, path: Path) -> Outcome:
        try:
            if path.stat().st_size > self.max_bytes:
                raise DocumentError(
                    f"{path.name}: {path.stat().st_size:,} bytes is over the {self.max_bytes:,}-byte limit"
                )
            extraction = self.extract_bytes(
                path.read_bytes(), source=path.name, is_html=path.suffix.lower() in {".html", ".htm"}
            )
            return self.write(extraction)
        except ValidationFailed as error:
            return Outcome(path.name, document_id_for(path.name), "rejected", error.message, report=_report_of(error))
        except CoopkgError as error:
            return Outcome(path.name, None, "failed", error.message)
        except OSError as error:
            return Outcome(path.name, None, "failed", f"{path}: cannot read: {error.strerror or error}")
        except Exception as error:  # noqa: BLE001 - a bug on one document must not stop the batch: it is reported
            return Outcome(path.name, None, "failed", f"internal error: {type(error).__name__}: {error}")

    def ingest(self, paths: Iterable[Path], on_done: Callable[[Outcome], None] | None = None) -> Iterator[Outcome]:
        self.ensure_ready()
        for path in document_files(paths):
            outcome = self.ingest_file(path)
            if on_done is not None:
                on_done(outcome)
            yield outcome

    def drop(self, doc_id: str) -> None:
        if not self.repo.drop_graph(self.minter.document_graph(doc_id)):
            raise NotFoundError(f"no document {doc_id!r} in the store")

    def document_graph(self, doc_id: str) -> NamedNode:
        return self.minter.document_graph(doc_id)


def _report_of(error: ValidationFailed) -> ValidationReport | None:
    details = error.details if isinstance(error.details, dict) else None
    if not details:
        return None
    return ValidationReport([ValidationResult(**r) for r in details.get("results", [])])
