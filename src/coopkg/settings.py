"""One settings object, read from ``COOPKG_*`` environment variables when asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration of coopkg. Every field is the environment variable ``COOPKG_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="COOPKG_", env_file=None, extra="ignore")

    backend: Literal["embedded", "remote"] = Field(
        "embedded", description="Store implementation: embedded pyoxigraph on disk, or a remote SPARQL endpoint."
    )
    store: Path = Field(Path("data/store"), description="Directory of the embedded store.")
    base_iri: str = Field(
        "http://127.0.0.1:8000/",
        description="Namespace under which coopkg mints the IRIs of documents, facts and reference data.",
    )
    query_url: str | None = Field(None, description="Remote backend: SPARQL 1.1 query endpoint.")
    update_url: str | None = Field(None, description="Remote backend: SPARQL 1.1 update endpoint.")
    gsp_url: str | None = Field(
        None, description="Remote backend: Graph Store Protocol endpoint, used for bulk loads where offered."
    )
    remote_timeout: float = Field(60.0, description="Remote backend: HTTP timeout in seconds.")
    engine: Literal["auto", "oxigraph", "virtuoso", "jena", "generic"] = Field(
        "auto",
        description="Remote backend: the engine behind the endpoint, for what it does differently (limits, "
        "transactions, blank nodes, truncated answers, its own graphs). auto: read from the endpoint's Server header.",
    )
    remote_user: str | None = Field(None, description="Remote backend: user for HTTP Basic or Digest authentication.")
    remote_password: SecretStr | None = Field(
        None, description="Remote backend: password of COOPKG_REMOTE_USER (never logged nor shown)."
    )
    remote_auth: Literal["basic", "digest"] = Field(
        "basic", description="Remote backend: HTTP authentication scheme for COOPKG_REMOTE_USER (Virtuoso: digest)."
    )
    remote_token: SecretStr | None = Field(
        None, description="Remote backend: bearer token sent to the endpoint instead of a user (never logged)."
    )
    remote_max_rows: int | None = Field(
        None,
        description="Remote backend: the most rows the engine answers (Virtuoso's ResultSetMaxRows, 10000 by "
        "default); an answer that long is read again in pages. Unset: the engine's known default, if any.",
    )
    query_timeout: float = Field(30.0, description="Upper limit on any query's run time, in seconds.")
    write_token: str | None = Field(None, description="Bearer token for writes over HTTP; unset = writes disabled.")
    max_document_bytes: int = Field(5_000_000, description="Largest document the extractor accepts, in bytes.")
    max_body_bytes: int = Field(10_000_000, description="Largest HTTP request body, in bytes (413 past it).")
    max_result_bytes: int = Field(50_000_000, description="Largest query result, in bytes (413 past it).")
    max_query_bytes: int = Field(1_000_000, description="Longest SPARQL query, in bytes (413 past it).")
    max_query_depth: int = Field(
        100, description="Deepest nesting of brackets, braces and parentheses in a query or update (400 past it)."
    )
    network_sandbox: bool = Field(
        True,
        description="`coopkg serve` workers over the embedded store cannot open network sockets (seccomp, Linux).",
    )
    query_threads: int = Field(4, description="Queries one worker process evaluates at once (embedded store).")
    supervised: bool = Field(
        False,
        description="Set by `coopkg serve` for its workers: a worker whose query overran its limit exits (freeing "
        "the CPU) and the supervisor replaces it. Unset, the query runs on after its 503.",
    )
    min_worker_lifetime: float = Field(
        20.0,
        description="Seconds a supervised worker serves before a query past the server's limit may make it exit "
        "(so that no client can make the workers cycle faster).",
    )
    writer_socket: Path | None = Field(
        None,
        description="Set by `coopkg serve` for its workers: the Unix socket of the writer that holds the store "
        "read-write and commits their writes (unset: each write opens the store itself).",
    )
    allocator: str = Field(
        "auto",
        description="Memory allocator of `coopkg serve`'s workers: `auto` (jemalloc if installed, e.g. Debian's "
        "libjemalloc2: ~12-20% faster queries), `system`, or the path of a malloc library to preload.",
    )
    telemetry: bool = Field(
        False, description="FastAPI's OpenTelemetry tracing, metrics and logs (off: they cost ~25 µs per request)."
    )
    follow_changes: bool = Field(
        True,
        description="Remote backend: before a request that reads the views, read the store's change log "
        "(one small query) and apply what other processes wrote. false: the views follow this process's own writes "
        "only (one process alone on an endpoint; bench/freshness.py measures the check with and without).",
    )
    allow_service: bool = Field(
        False, description="Allow SPARQL SERVICE and LOAD, which fetch URLs (off: the service never fetches one)."
    )
    cors_origins: str = Field("", description="Comma-separated origins allowed by CORS ('*' for any); empty = no CORS.")
    corpus: Path = Field(Path("data/corpus"), description="Folder `make run` ingests.")

    @field_validator("base_iri")
    @classmethod
    def _base_ends_with_separator(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("base IRI must be an http(s) IRI")
        return value if value.endswith(("/", "#")) else value + "/"


def get_settings(**overrides: object) -> Settings:
    """Read the environment now (never at import time) and apply explicit overrides."""
    return Settings(**overrides)  # type: ignore[arg-type]
