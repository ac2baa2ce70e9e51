"""Documents: POST runs extraction, validation and write; GET lists and reads back; DELETE drops."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from coopkg import jsonld, views
from coopkg.api.common import Limit, Offset, page, respond
from coopkg.api.deps import DocumentWriterDep, ServicesDep, WriterDep
from coopkg.errors import BadInputError
from coopkg.iris import valid_document_id

router = APIRouter(prefix="/api/documents", tags=["Documents"])


class DocumentIn(BaseModel):
    """A document sent as JSON."""

    text: Annotated[str, Field(min_length=1, description="The article's text (plain text, or HTML with html=true)")]
    id: Annotated[
        str | None, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", description="Document id; default: a hash")
    ] = None
    source: Annotated[str | None, Field(description="Where it comes from (file name or URL)")] = None
    html: bool = False

    model_config = {"json_schema_extra": {"examples": [{
        "id": "eu-ofppt-2024", "source": "https://example.org/article",
        "text": "Le projet Kafaat Liljamia est financé par l'Union européenne à hauteur de 5 millions d'euros.",
    }]}}  # fmt: skip


@router.post(
    "",
    summary="Extract, validate and store a document; answers the `coopkg extract` JSON",
    dependencies=[WriterDep],
    status_code=201,
    openapi_extra={"requestBody": {"content": {
        "application/json": {"schema": DocumentIn.model_json_schema()},
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"}, "id": {"type": "string"}, "source": {"type": "string"}}}},
        "text/plain": {"schema": {"type": "string"}},
    }}},
)  # fmt: skip
async def create_document(request: Request, services: DocumentWriterDep) -> JSONResponse:
    data, source, doc_id, is_html = await _read_document(request)
    if doc_id is not None and not valid_document_id(doc_id):
        raise BadInputError(f"invalid document id {doc_id!r}")

    def work() -> dict[str, Any]:
        import hashlib

        name = source or "document.txt"
        identity = doc_id or "doc-" + hashlib.sha256(data).hexdigest()[:16]
        extraction = services.ingestor.extract_bytes(data, source=name, doc_id=identity, is_html=is_html)
        outcome = services.write_document(extraction)
        body = extraction.to_json()
        body["warnings"] = [r.line() for r in outcome.report.warnings] if outcome.report else []
        return body

    body = await run_in_threadpool(work)
    location = str(request.url_for("get_document", doc_id=body["document"]["id"].rsplit("/", 1)[-1]))
    return JSONResponse(body, status_code=201, headers={"Location": location})


async def _read_document(request: Request) -> tuple[bytes, str | None, str | None, bool]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            payload = DocumentIn.model_validate(json.loads(await request.body()))
        except RecursionError:
            raise BadInputError("invalid document JSON: nested too deeply") from None
        except (ValueError, TypeError) as error:
            raise BadInputError(f"invalid document JSON: {error}") from error
        return payload.text.encode("utf-8"), payload.source, payload.id, payload.html
    if content_type == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise BadInputError("multipart upload needs a 'file' part")
        data = await upload.read()
        name = str(form.get("source") or upload.filename or "upload.txt")
        doc_id = form.get("id")
        return data, name, str(doc_id) if doc_id else None, name.lower().endswith((".html", ".htm"))
    if content_type in {"text/plain", "text/html", "text/markdown"}:
        return (
            await request.body(),
            request.query_params.get("source"),
            request.query_params.get("id"),
            content_type == "text/html",
        )
    raise BadInputError(
        f"unsupported Content-Type {content_type or '(none)'}: send JSON, a multipart file or text/plain"
    )


@router.get("", summary="Documents in the store")
async def list_documents(
    request: Request, services: ServicesDep, limit: Limit = 50, offset: Offset = 0
) -> JSONResponse:
    def answer() -> dict[str, Any]:
        items = [
            {**item, "url": str(request.url_for("get_document", doc_id=item["identifier"]))}
            for item in views.documents(services)
        ]
        return page(items[offset : offset + limit], len(items), limit, offset)

    return respond(request, await services.read(answer), jsonld.page(jsonld.document))


@router.get("/{doc_id}", summary="A document's facts, in the `coopkg extract` JSON shape", name="get_document")
async def get_document(doc_id: str, request: Request, services: ServicesDep) -> JSONResponse:
    if not valid_document_id(doc_id):
        raise BadInputError(f"invalid document id {doc_id!r}")
    return respond(request, await services.read(lambda: services.document_json(doc_id)), jsonld.extraction)


@router.delete("/{doc_id}", summary="Drop a document's graph", dependencies=[WriterDep], status_code=204)
async def delete_document(doc_id: str, services: ServicesDep) -> Response:
    if not valid_document_id(doc_id):
        raise BadInputError(f"invalid document id {doc_id!r}")
    await run_in_threadpool(services.delete_document, doc_id)
    return Response(status_code=204)
