"""Stores: one repository interface, an embedded and a remote implementation."""

from __future__ import annotations

from coopkg.errors import BadInputError
from coopkg.iris import IriMinter
from coopkg.settings import Settings
from coopkg.store.base import GraphStats, QueryResult, Repository, rdf_format, rdf_format_for_path
from coopkg.store.changelog import ChangeLog
from coopkg.store.embedded import EmbeddedRepository
from coopkg.store.remote import RemoteRepository

__all__ = [
    "EmbeddedRepository",
    "GraphStats",
    "QueryResult",
    "RemoteRepository",
    "Repository",
    "open_repository",
    "rdf_format",
    "rdf_format_for_path",
]


def open_repository(settings: Settings, *, read_only: bool = False) -> Repository:
    """The repository the settings describe."""
    if settings.backend == "remote":
        if not settings.query_url or not settings.update_url:
            raise BadInputError("the remote backend needs COOPKG_QUERY_URL and COOPKG_UPDATE_URL")
        # Every write through coopkg records itself in the store's change log: other processes follow it.
        log = ChangeLog(IriMinter(settings.base_iri).changes_graph)
        return RemoteRepository(settings.query_url, settings.update_url, gsp_url=settings.gsp_url,
                                timeout=settings.remote_timeout, change_log=log)  # fmt: skip
    return EmbeddedRepository(settings.store, read_only=read_only)
