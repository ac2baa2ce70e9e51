"""The dataset description (VoID and DCAT) at its IRIs, and the dump.

``/.well-known/void`` is where crawlers look; the dataset, its distribution, its service and its
class partitions are minted under the base IRI (``{base}dataset…``) and answer with the same
description. The dump is N-Quads, gzip-encoded when the client accepts it.
"""

from __future__ import annotations

import gzip
import tempfile
from collections.abc import Iterator
from typing import IO

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pyoxigraph import RdfFormat

from coopkg.api.deps import ServicesDep
from coopkg.api.negotiate import choose_encoding
from coopkg.api.resources import _media_type, description_page, rdf_response
from coopkg.describe import DUMP_MEDIA_TYPE, dataset_description, dataset_iris
from coopkg.errors import NotFoundError
from coopkg.service import Services

router = APIRouter(tags=["Linked data"])


async def _description(request: Request, services: Services, iri: str) -> Response:
    media_type = _media_type(request)
    triples = await services.read(lambda: dataset_description(services.repo, services.minter, str(request.base_url)))
    if not any(t.subject.value == iri for t in triples):  # a string: a path may hold what no IRI can
        raise NotFoundError(f"the dataset description says nothing of <{iri}>")
    html = description_page(request, iri, triples) if media_type == "text/html" else None
    return rdf_response(request, triples, media_type, html=html)


@router.get("/.well-known/void", summary="Dataset description (VoID and DCAT) with counts and the dump")
async def void(request: Request, services: ServicesDep) -> Response:
    return await _description(request, services, dataset_iris(services.minter)["dataset"].value)


@router.get("/dataset", summary="The dataset: its VoID/DCAT description")
async def dataset(request: Request, services: ServicesDep) -> Response:
    return await _description(request, services, dataset_iris(services.minter)["dataset"].value)


@router.get("/dataset/{part:path}", summary="A part of the dataset description: distribution, service, class partition")
async def dataset_part(part: str, request: Request, services: ServicesDep) -> Response:
    return await _description(request, services, f"{services.minter.base}dataset/{part}")


@router.get(
    "/dump", summary="The whole dataset as N-Quads (gzip-encoded when accepted)", response_class=StreamingResponse
)
async def dump(request: Request, services: ServicesDep) -> StreamingResponse:
    # RFC 9110 §12.5.3: no Accept-Encoding means any coding; "identity" means none.
    encoding = choose_encoding(request.headers.get("accept-encoding"), ["gzip", "identity"])
    spool = await run_in_threadpool(_spooled_dump, services, encoding == "gzip")
    headers = {"Content-Disposition": 'attachment; filename="coopkg.nq"', "Vary": "Accept-Encoding"}
    if encoding == "gzip":
        headers["Content-Encoding"] = "gzip"
    return StreamingResponse(_chunks(spool), media_type=DUMP_MEDIA_TYPE, headers=headers)


def _spooled_dump(services: Services, compressed: bool) -> tempfile.SpooledTemporaryFile:  # type: ignore[type-arg]
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - closed by _chunks
    if compressed:
        with gzip.GzipFile(fileobj=spool, mode="wb", compresslevel=6) as stream:
            services.repo.export(stream, RdfFormat.N_QUADS)  # type: ignore[arg-type]
    else:
        services.repo.export(spool, RdfFormat.N_QUADS)  # type: ignore[arg-type]
    spool.seek(0)
    return spool


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := spool.read(64 * 1024):
            yield chunk
    finally:
        spool.close()
