"""The ``coopkg`` command line. Errors end with a one-line message and a documented exit code."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import click
import typer
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, serialize
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from coopkg.errors import EXIT_CODES, BadInputError, CoopkgError, NotFoundError, StoreError
from coopkg.iris import IriMinter, valid_document_id
from coopkg.progress import ProgressDisplay
from coopkg.settings import Settings, get_settings
from coopkg.store import open_repository, rdf_format, rdf_format_for_path
from coopkg.store.base import RESULT_FORMATS, QueryResult
from coopkg.store.snapshots import Change, Generations, WriteSession
from coopkg.terms import PREFIXES

if TYPE_CHECKING:
    from coopkg.corpus import Summary
    from coopkg.ingest import Prepared

app = typer.Typer(
    name="coopkg",
    help="A knowledge graph of who funds what in development cooperation, with evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    epilog="Exit codes: " + "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES.items()),
)
out = Console()
err = Console(stderr=True)


@contextmanager
def _repository(settings: Settings, *, read_only: bool = False):
    if settings.backend == "embedded" and not read_only and Generations.exist_for(settings.store):
        # A service reads this store's snapshots: write under its lock and publish a generation,
        # so that the running service sees the change at once.
        with Generations(settings.store).writing(Change(everything=True)) as writable:
            yield writable
        return
    repo = open_repository(settings, read_only=read_only)
    try:
        yield repo
    finally:
        repo.close()


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _parse_params(params: list[str]) -> dict[str, str]:
    values = {}
    for item in params:
        if "=" not in item:
            raise BadInputError(f"--param expects NAME=VALUE, got {item!r}")
        name, value = item.split("=", 1)
        values[name.strip()] = value
    return values


# ---------------------------------------------------------------------------------------------
# store set-up and content


@app.command()
def init(force: Annotated[bool, typer.Option(help="Reload even if already installed.")] = False) -> None:
    """Load the ontology and the reference data into the store (done by `ingest` on an empty store)."""
    from coopkg.reference import install, is_installed

    settings = get_settings()
    minter = IriMinter(settings.base_iri)
    with _repository(settings) as repo:
        if is_installed(repo, minter) and not force:
            out.print("ontology and reference data already installed (use --force to reload)")
            return
        ontology, reference = install(repo, minter)
    out.print(f"installed {ontology} ontology triples and {reference} reference triples")


@app.command()
def load(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="RDF file.")],
    graph: Annotated[str | None, typer.Option("--graph", help="Target named graph IRI (not for TriG/N-Quads).")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="turtle, trig, ntriples, nquads, jsonld, rdfxml.")] = None,
    replace: Annotated[bool, typer.Option(help="Replace the graph atomically instead of adding to it.")] = False,
    validate: Annotated[bool, typer.Option(help="Check the data against the shapes before writing.")] = True,
    progress_every: Annotated[
        float, typer.Option(help="Seconds between progress lines when standard error is not a terminal.")
    ] = 10.0,
) -> None:
    """Load an RDF file (bulk load; --replace swaps the graph atomically); each graph is validated first."""
    from pyoxigraph import parse

    from coopkg.loading import check_file
    from coopkg.reference import install, is_installed

    settings = get_settings()
    minter = IriMinter(settings.base_iri)
    rdf = rdf_format(fmt) if fmt else rdf_format_for_path(file)
    target = NamedNode(graph) if graph else None
    if target is None and not rdf.supports_datasets:
        raise BadInputError(f"{rdf.name} holds triples only: give --graph IRI")
    if target is None and replace:
        raise BadInputError("--replace needs --graph")
    started = time.perf_counter()
    with _write_session(settings) as session:
        repo = session.repo
        if not is_installed(repo, minter):
            # The data points at the reference data (funders, places, units): it must be there first.
            install(repo, minter)
            session.commit(Change(everything=True))
            err.print("empty store: loaded the ontology and the reference data first")
        if validate:
            with ProgressDisplay(err, file.stat().st_size, f"validating {file.name}", "bytes", progress_every) as bar:
                check = check_file(repo, minter, file, rdf, target=target, base_iri=settings.base_iri,
                                   on_read=bar.advance)  # fmt: skip
            warnings = f", {_plural(check.warnings, 'warning')}" if check.warnings else ""
            err.print(f"{file.name}: {_plural(check.graphs, 'graph')} conform ({check.triples:,} triples{warnings})")
        with ProgressDisplay(err, None, f"loading {file.name}", "triples", progress_every):
            if replace and target is not None:
                try:
                    triples = [q.triple for q in parse(path=str(file), format=rdf, base_iri=settings.base_iri)]
                except SyntaxError as error:
                    raise BadInputError(f"cannot parse {file} as {rdf.name}: {error}") from error
                count = repo.replace_graph(target, triples)
            else:
                count = repo.load_file(file, target, fmt=rdf, base_iri=settings.base_iri)
        session.commit(Change(everything=True))
    elapsed = time.perf_counter() - started
    out.print(f"loaded {count:,} triples into {graph or 'the graphs of the file'} in {elapsed:.1f} s")


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="A SPARQL query, or the path of a .rq file.")] = None,
    name: Annotated[str | None, typer.Option("--name", "-n", help="Run a saved query (see `coopkg queries`).")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE for a saved query.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, xml, csv, tsv; turtle, ntriples…")] = "table",
) -> None:
    """Run a SPARQL query (text, .rq file or saved query) over the union of all graphs."""
    from coopkg.queries import saved_query

    settings = get_settings()
    if name:
        saved = saved_query(name)
        text, bindings = saved.text, saved.bindings(_parse_params(param or []))
    elif sparql:
        path = Path(sparql)
        text = path.read_text(encoding="utf-8") if sparql.endswith(".rq") and path.is_file() else sparql
        bindings = {}
        if param:
            raise BadInputError("--param only applies to saved queries (--name)")
    else:
        raise BadInputError("give a SPARQL query, a .rq file, or --name SAVED_QUERY")
    with _repository(settings) as repo:
        result = repo.query(text, bindings=bindings)
        _print_result(result, fmt, IriMinter(settings.base_iri))


def _print_result(result: QueryResult, fmt: str, minter: IriMinter) -> None:
    if fmt == "table":
        if result.kind == "boolean":
            out.print("true" if result.answer() else "false")
            return
        if result.kind == "graph":
            sys.stdout.write(serialize(result.graph(), format=RdfFormat.TURTLE, prefixes=PREFIXES).decode())
            return
        # A column with a label column beside it ("funder" and "funderLabel") shows only the label.
        shown = [v for v in result.variables if f"{v}Label" not in result.variables and v != "lang"]
        table = Table(*shown, show_lines=False, header_style="bold")
        rows = 0
        for row in result.rows():
            table.add_row(*(_cell(row.get(v), minter) for v in shown))
            rows += 1
        out.print(table)
        out.print(f"{rows} row{'s' * (rows != 1)}", style="dim")
        return
    if result.kind == "graph":
        data = result.serialize(rdf_format(fmt))
    else:
        if fmt.lower() not in RESULT_FORMATS:
            raise BadInputError(f"unknown results format {fmt!r}; use table, {', '.join(sorted(RESULT_FORMATS))}")
        data = result.serialize(RESULT_FORMATS[fmt.lower()])
    sys.stdout.buffer.write(data or b"")
    if data and not data.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")


def _cell(term: NamedNode | BlankNode | Literal | None, minter: IriMinter) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        if term.value.startswith(minter.base):
            return term.value[len(minter.base) :]
        for prefix, iri in PREFIXES.items():
            if term.value.startswith(iri):
                return f"{prefix}:{term.value[len(iri) :]}"
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value


@app.command("queries")
def list_queries() -> None:
    """List the saved queries and their parameters."""
    from coopkg.queries import saved_queries

    table = Table("name", "summary", "parameters", header_style="bold")
    for q in saved_queries().values():
        params = ", ".join(f"{p.name}:{p.type}{'*' if p.required else ''}" for p in q.params)
        table.add_row(q.name, q.summary, params)
    out.print(table)


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="trig, nquads (datasets); turtle, ntriples… (union).")
    ] = "trig",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: standard output).")
    ] = None,
) -> None:
    """Write the whole dataset: every named graph (TriG, N-Quads) or their union (triple formats)."""
    settings = get_settings()
    rdf = rdf_format(fmt)
    with _repository(settings) as repo:
        if output is None:
            repo.export(sys.stdout.buffer, rdf)
        else:
            with output.open("wb") as stream:
                repo.export(stream, rdf)
            err.print(f"wrote {output} ({output.stat().st_size:,} bytes)")


@app.command()
def validate() -> None:
    """Validate the whole store (the union of its graphs) against the shapes."""
    from coopkg.errors import ValidationFailed
    from coopkg.validate import validate_store

    settings = get_settings()
    with _repository(settings) as repo, _progress() as progress:
        progress.add_task("validating the store", total=None)
        report = validate_store(repo)
    if report.results:
        out.print(report.text(limit=50))
    out.print(f"{len(report.violations)} violations, {len(report.warnings)} warnings")
    if not report.conforms:
        raise ValidationFailed(f"the store does not conform: {len(report.violations)} violations")


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False) -> None:
    """Triples, documents, organisations, projects and fundings, per graph."""
    from coopkg.stats import store_stats

    settings = get_settings()
    with _repository(settings) as repo:
        rows = store_stats(repo)
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    minter = IriMinter(settings.base_iri)
    columns = ("triples", "documents", "organisations", "projects", "fundings", "regions", "indicators")
    table = Table("graph", *columns, header_style="bold")
    for row in rows:
        graph = row["graph"]
        label = graph[len(minter.base) :] if graph.startswith(minter.base) else graph
        table.add_row(label, *(f"{row[c]:,}" for c in columns), style="bold" if graph == "(all)" else None)
    out.print(table)


@app.command()
def drop(
    document: Annotated[str | None, typer.Option("--document", "-d", help="Document id (file stem).")] = None,
    graph: Annotated[str | None, typer.Option("--graph", help="Any named graph IRI.")] = None,
) -> None:
    """Remove a document's graph (all its facts and evidence) or any named graph."""
    settings = get_settings()
    minter = IriMinter(settings.base_iri)
    if (document is None) == (graph is None):
        raise BadInputError("give exactly one of --document ID or --graph IRI")
    if document is not None and not valid_document_id(document):
        raise BadInputError(f"invalid document id {document!r}")
    target = minter.document_graph(document) if document else NamedNode(str(graph))
    with _repository(settings) as repo:
        if not repo.drop_graph(target):
            raise NotFoundError(f"no graph {target.value} in the store")
    out.print(f"dropped {target.value}")


@app.command()
def synth(
    projects: Annotated[int, typer.Option("--projects", min=1, help="Number of synthetic projects.")],
    output: Annotated[Path, typer.Option("--out", "-o", help="N-Quads (.nq) or TriG (.trig) file to write.")],
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same file.")] = 7,
    per_document: Annotated[int, typer.Option(help="Projects per synthetic document (graph).")] = 10,
) -> None:
    """Write a synthetic dataset that conforms to the shapes, for benchmarks."""
    from coopkg.synth import write_synthetic

    settings = get_settings()
    rdf = rdf_format_for_path(output)
    if not rdf.supports_datasets:
        raise BadInputError("synth writes one graph per document: use a .nq or .trig file")
    with _progress() as progress:
        task = progress.add_task("generating", total=projects)
        counts = write_synthetic(
            output,
            IriMinter(settings.base_iri),
            projects=projects,
            seed=seed,
            per_document=per_document,
            fmt=rdf,
            progress=lambda n: progress.update(task, completed=n),
        )
    out.print(f"wrote {output}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))


@app.command()
def codelists() -> None:
    """Regenerate the ISO 3166 reference places and the ISO 4217 currency shape from pycountry."""
    from coopkg.codelists import write_all

    for path in write_all():
        out.print(f"wrote {path}")


# ---------------------------------------------------------------------------------------------
# extraction


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="A .txt, .md or .html document.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or turtle (or any RDF format).")] = "json",
) -> None:
    """Print what the pipeline finds in one document, without touching the store."""
    from coopkg.extract.pipeline import Extractor

    settings = get_settings()
    minter = IriMinter(settings.base_iri)
    if not file.exists():
        raise NotFoundError(f"{file}: no such file")
    extraction = Extractor.from_reference(minter).extract_path(file, max_bytes=settings.max_document_bytes)
    if fmt == "json":
        sys.stdout.write(json.dumps(extraction.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        rdf = rdf_format(fmt)
        sys.stdout.write(serialize(extraction.to_triples(minter), format=rdf, prefixes=PREFIXES).decode("utf-8"))


@contextmanager
def _write_session(settings: Settings) -> Iterator[WriteSession]:
    """The store held for a sequence of commits; with a service's snapshots, each commit is published."""
    if settings.backend == "embedded" and Generations.exist_for(settings.store):
        with Generations(settings.store).session() as session:
            yield session
        return
    repo = open_repository(settings)
    try:
        yield WriteSession(repo)
    finally:
        repo.close()


SMALL_INGEST = 16  # fewer documents than this are prepared in process: starting workers would cost more


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of .txt, .md and .html documents.")],
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing if the store already holds documents.")
    ] = False,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes extracting and validating (default: one per core).")
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents written per transaction (at most).")] = 256,
    report: Annotated[Path | None, typer.Option(help="Write one JSON line per document to this file.")] = None,
    progress_every: Annotated[
        float, typer.Option(help="Seconds between progress lines when standard error is not a terminal.")
    ] = 10.0,
) -> None:
    """Extract, validate and write one named graph per document; bad documents are reported and skipped."""
    from coopkg.corpus import CorpusIngest, default_workers, reference_settings
    from coopkg.ingest import document_files
    from coopkg.reference import install, is_installed

    settings = get_settings()
    minter = IriMinter(settings.base_iri)
    files = document_files(paths)
    if not files:
        raise BadInputError("no .txt, .md or .html documents found in " + ", ".join(map(str, paths)))
    if workers is None:
        workers = 1 if len(files) < SMALL_INGEST else default_workers()
    if workers < 1:
        raise BadInputError("--workers must be at least 1")
    with _write_session(settings) as session, _report_file(report) as lines:
        repo = session.repo
        if if_empty:
            held = sum(minter.document_id_of_graph(g.value) is not None for g in repo.named_graphs())
            if held:
                out.print(
                    f"the store already holds {held} documents: nothing to do (remove {settings.store} to rebuild)"
                )
                return
        if not is_installed(repo, minter):
            install(repo, minter)
            session.commit(Change(everything=True))
            err.print("empty store: loaded the ontology and the reference data")
        with ProgressDisplay(err, len(files), "ingesting", "documents", progress_every) as progress:

            def done(prepared: Prepared, status: str) -> None:
                progress.advance()
                if lines is not None:
                    lines.write(json.dumps(_report_line(prepared, status), ensure_ascii=False) + "\n")

            runner = CorpusIngest(
                session, minter, reference_settings(repo, minter, settings.max_document_bytes),
                workers=workers, batch_size=batch_size, on_done=done,
            )  # fmt: skip
            summary = runner.run(files)
    _print_summary(summary)
    if summary.aborted:
        raise StoreError(f"ingest stopped: {summary.aborted}")
    if summary.written == 0:
        raise CoopkgError("no document could be ingested")


@contextmanager
def _report_file(path: Path | None) -> Iterator[IO[str] | None]:
    if path is None:
        yield None
        return
    try:
        stream = path.open("w", encoding="utf-8")
    except OSError as error:
        raise BadInputError(f"cannot write the report to {path}: {error.strerror or error}") from error
    with stream:
        yield stream


def _report_line(prepared: Prepared, status: str) -> dict[str, object]:
    return {"source": prepared.source, "id": prepared.doc_id, "status": status, "message": prepared.message,
            "triples": prepared.triples, "counts": prepared.counts, "warnings": prepared.warnings,
            "violations": prepared.violations}  # fmt: skip


def _print_summary(summary: Summary) -> None:
    if summary.total <= len(summary.outcomes) and summary.total <= 20:
        _print_documents(summary.outcomes)
    else:
        table = Table("status", "documents", "reason", "examples", header_style="bold")
        table.add_row("written", f"{summary.written:,}",
                      f"{summary.empty:,} without cooperation facts, {summary.warnings:,} with warnings", "")  # fmt: skip
        for (status, reason), count in summary.reason_counts.most_common():
            style = "yellow" if status == "rejected" else "red"
            examples = ", ".join(summary.reasons[(status, reason)])
            table.add_row(status, f"{count:,}", reason, examples, style=style)
        out.print(table)
    rate = f"{summary.rate():.1f} documents/s" if summary.elapsed > 0 else ""
    out.print(
        f"{summary.written:,} of {summary.total:,} documents written ({summary.rejected:,} rejected, "
        f"{summary.failed:,} failed) in {summary.elapsed:.1f} s: {rate}, {_plural(summary.workers, 'worker')}, "
        f"{summary.batches:,} batch{'es' * (summary.batches != 1)}"
    )


def _print_documents(outcomes: list[Prepared]) -> None:
    table = Table(
        "document", "status", "orgs", "projects", "fundings", "regions", "indicators", "note", header_style="bold"
    )
    for o in outcomes:
        c = o.counts
        note = o.message or (_plural(len(o.warnings), "warning") if o.warnings else "")
        if o.status == "written" and o.empty:
            note = "no cooperation facts found"
        style = {"written": None, "rejected": "yellow", "failed": "red"}[o.status]
        table.add_row(
            o.source,
            o.status,
            *(str(c.get(k, "")) for k in ("organisations", "projects", "fundings", "regions", "indicators")),
            note,
            style=style,
        )
    out.print(table)


@app.command()
def evaluate(
    gold: Annotated[
        Path, typer.Argument(help="A batch folder (gold/ and docs/ inside) or a folder of gold .json files.")
    ],
    docs: Annotated[
        Path | None, typer.Option(help="Folder of the documents (default: the batch's docs/, else data/corpus).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    details: Annotated[bool, typer.Option("--details", help="List every miss and false alarm, per document.")] = False,
) -> None:
    """Score the extraction against gold annotations: precision, recall, F1 per fact type and language.

    Gold in the shared format (eval/README.md) is scored as the shared scorer does; the older
    format of tests/gold (keys, optional items) by its own matcher.
    """
    from coopkg.extract import scoring
    from coopkg.extract.evaluate import evaluate_folder, render_table
    from coopkg.extract.pipeline import Extractor

    settings = get_settings()
    if (gold / "gold").is_dir():
        gold, docs = gold / "gold", docs or gold / "docs"
    files = sorted(gold.glob("*.json")) if gold.is_dir() else []
    if not files:
        raise NotFoundError(f"no gold .json files in {gold}")
    extractor = Extractor.from_reference(IriMinter(settings.base_iri))
    docs = docs or settings.corpus
    try:
        first = json.loads(files[0].read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInputError(f"{files[0]}: not a gold file ({exc})") from exc
    if not scoring.is_shared_format(first):
        report = evaluate_folder(gold, docs, extractor)
        if as_json:
            sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        else:
            out.print(render_table(report))
        return

    def predict(item: dict[str, object]) -> dict[str, object]:
        return extractor.extract_path(docs / str(item["document"]), max_bytes=settings.max_document_bytes).to_json()

    shared = scoring.score_folder(gold, predict)
    if as_json:
        sys.stdout.write(json.dumps(shared.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        out.print(scoring.render(shared, details=details), markup=False, highlight=False)


_JEMALLOC = ("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
             "/usr/lib64/libjemalloc.so.2", "/usr/local/lib/libjemalloc.so.2")  # fmt: skip


def _allocator(choice: str) -> str | None:
    """The malloc library the workers preload: None for the system's."""
    if choice == "system":
        return None
    if choice == "auto":
        return next((path for path in _JEMALLOC if Path(path).is_file()), None)
    if not Path(choice).is_file():
        raise BadInputError(f"COOPKG_ALLOCATOR: no library at {choice} (use auto, system or a path)")
    return choice


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes, each answering from the store's snapshots.")] = 2,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = False,
    any_base: Annotated[
        bool, typer.Option("--any-base", help="Serve even when COOPKG_BASE_IRI names another local address.")
    ] = False,
) -> None:
    """Serve the SPARQL endpoint, linked data and the JSON API (uvicorn workers under a supervisor)."""
    import uvicorn

    from coopkg.api.transport import CoopkgHttpProtocol
    from coopkg.supervisor import Supervisor

    if workers < 1:
        raise BadInputError("--workers must be at least 1")
    from coopkg.sandbox import deny_network
    from coopkg.store.writer import WriterService, socket_path_for

    settings = get_settings()
    problem = base_mismatch(settings.base_iri, host, port)
    if problem and not any_base:
        raise BadInputError(problem + " (or pass --any-base to serve anyway)")
    if problem or not _is_local(urlsplit(settings.base_iri).hostname or ""):
        err.print(f"[yellow]note:[/yellow] {problem or _proxied_note(settings.base_iri, host, port)}", highlight=False)
    allocator = _allocator(settings.allocator)
    writer = None
    if settings.backend == "embedded":
        generations = Generations(settings.store)
        generations.publish_if_stale()  # once here, rather than racing in every worker
        from coopkg.viewdb.files import Views

        if Views.beside(generations.root).generation() < generations.latest():
            # Once here, so that the workers find the views current and start in seconds.
            from coopkg.service import prepare_views

            err.print("bringing the views up to the store (a first build reads all of it)…", highlight=False)
            if prepare_views(settings):
                err.print("built the views of the store", highlight=False)
        # One writer for all workers, in this process: it holds the store while writes come.
        writer = WriterService(settings.store, socket_path_for(generations.root))
        writer.start()
        os.environ["COOPKG_WRITER_SOCKET"] = str(writer.socket_path)
    # The workers read their settings from the environment (the forkserver they are forked from starts
    # with the first worker, after these are set): tell them a supervisor replaces a worker that exits,
    # so one whose query overran may exit to stop it.
    os.environ["COOPKG_SUPERVISED"] = "1"
    if allocator:  # the engine allocates a lot: jemalloc makes its queries faster (docs/benchmarks.md)
        os.environ["LD_PRELOAD"] = " ".join(filter(None, [os.environ.get("LD_PRELOAD"), allocator]))
    config = uvicorn.Config(
        "coopkg.api.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=access_log,
        http=CoopkgHttpProtocol,  # heads joined to bodies, direct lookups (coopkg/api/transport.py)
        timeout_graceful_shutdown=2,
        # The supervisor kills a worker that does not answer its ping in time (5 s by default). A worker
        # starved of CPU by a loaded machine, or one still importing at start, is not hung: killing it
        # drops the requests it holds. A query past its limit is stopped by the worker itself. A worker
        # that has exited, or says it is exiting, is replaced at once (coopkg/supervisor.py).
        timeout_worker_healthcheck=HEALTHCHECK_SECONDS,
    )
    # Always supervised, even with one worker: the supervisor is what replaces a retired worker.
    try:
        sockets = [config.bind_socket()]
        if writer is not None and settings.network_sandbox:
            # The writer evaluates updates in this process: once the one socket it needs is bound,
            # this process is shut out of the network like the workers (the forkserver and the workers
            # it forks inherit the filter).
            why = deny_network()
            if why is not None:
                err.print(f"[yellow]note:[/yellow] no network sandbox for the writer ({why}): the query guard "
                          "alone applies", highlight=False)  # fmt: skip
        Supervisor(config, sockets=sockets).run()
    finally:
        if writer is not None:
            writer.stop()


_LOCAL = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::"}
HEALTHCHECK_SECONDS = 60  # a worker silent this long is hung: the supervisor replaces it


def _is_local(host: str) -> bool:
    return host in _LOCAL or host.startswith("127.")


def base_mismatch(base: str, host: str, port: int) -> str | None:
    """Why the data's IRIs would not resolve on this server, when the base IRI names a local address
    other than the one served (a public base is taken to be mapped here by a proxy); None if they do."""
    parts = urlsplit(base)
    base_host = parts.hostname or ""
    if not _is_local(base_host):
        return None
    base_port = parts.port or (443 if parts.scheme == "https" else 80)
    same_host = base_host == host or host in {"0.0.0.0", "::"} or {base_host, host} <= {"localhost", "127.0.0.1"}
    if base_port == port and same_host:
        return None
    served = f"http://{host}:{port}/"
    return (f"COOPKG_BASE_IRI is {base} but this server answers at {served}: the IRIs in the data would not "
            f"resolve here. Serve at the base ({'--host ' + base_host + ' ' if not same_host else ''}--port "
            f"{base_port}), or rebuild the store for this address: COOPKG_BASE_IRI={served} with a fresh store "
            f"(rm -r data/store data/store-snapshots && make run)")  # fmt: skip


def _proxied_note(base: str, host: str, port: int) -> str:
    return f"IRIs are minted under {base}: a proxy must map it to http://{host}:{port}/ for them to resolve"


# ---------------------------------------------------------------------------------------------


def main() -> None:
    """Entry point: run the app, turn errors into one line and a documented exit code."""
    try:
        app(standalone_mode=False)
    except CoopkgError as error:
        err.print(f"[red]error:[/red] {error.message}", highlight=False, soft_wrap=True)
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        err.print("aborted")
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as error:  # a bug: say so in one line, keep the traceback for COOPKG_DEBUG=1
        if os.environ.get("COOPKG_DEBUG"):
            raise
        err.print(f"[red]internal error:[/red] {type(error).__name__}: {error} (set COOPKG_DEBUG=1 for the traceback)")
        sys.exit(1)


if __name__ == "__main__":
    main()
