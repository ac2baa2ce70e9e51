"""Stores: one repository interface, an embedded and a remote implementation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coopkg.errors import BadInputError
from coopkg.iris import IriMinter
from coopkg.store.base import GraphStats, QueryResult, Repository, rdf_format, rdf_format_for_path
from coopkg.store.embedded import EmbeddedRepository

if TYPE_CHECKING:
    from coopkg.settings import Settings
    from coopkg.store.remote import RemoteRepository
    from coopkg.store.sparql_http import Credentials


def __getattr__(name: str) -> Any:
    # The remote backend (httpx) is imported when used: ingest workers and the embedded
    # backend never need it, and it was a quarter of a worker's start-up.
    if name == "RemoteRepository":
        from coopkg.store.remote import RemoteRepository

        return RemoteRepository
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def remote_credentials(settings: Settings) -> Credentials:
    """The endpoint's credentials from the settings (secrets unwrapped only here)."""
    from coopkg.store.sparql_http import Credentials

    return Credentials(
        user=settings.remote_user,
        password=settings.remote_password.get_secret_value() if settings.remote_password else None,
        scheme=settings.remote_auth,
        token=settings.remote_token.get_secret_value() if settings.remote_token else None,
    )


def open_repository(settings: Settings, *, read_only: bool = False) -> Repository:
    """The repository the settings describe."""
    if settings.backend == "remote":
        if not settings.query_url or not settings.update_url:
            raise BadInputError("the remote backend needs COOPKG_QUERY_URL and COOPKG_UPDATE_URL")
        from coopkg.store.changelog import ChangeLog
        from coopkg.store.remote import RemoteRepository

        # Every write through coopkg records itself in the store's change log: other processes follow it.
        log = ChangeLog(IriMinter(settings.base_iri).changes_graph)
        return RemoteRepository(settings.query_url, settings.update_url, gsp_url=settings.gsp_url,
                                timeout=settings.remote_timeout, change_log=log, credentials=remote_credentials(settings),
                                engine=settings.engine, max_rows=settings.remote_max_rows,
                                skolem_prefix=f"{settings.base_iri}.well-known/genid/")  # fmt: skip
    return EmbeddedRepository(settings.store, read_only=read_only)
