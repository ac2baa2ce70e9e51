"""The HTTP side of the remote backend: SPARQL 1.1 Protocol and Graph Store Protocol over httpx.

One kept-alive client for queries, updates and graph-store requests, with the endpoint's
credentials (HTTP Basic or Digest, or a bearer token) given by the settings. Credentials are
never put in a message: errors name the endpoint by its URL, which may not carry a user or a
password (:func:`check_endpoint_url`). The engine's dialect is the one configured, or read from
the ``Server`` header of a first ``ASK {}`` (:mod:`coopkg.store.engines`).
"""

from __future__ import annotations

import random
import threading
import time
import urllib.parse
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass

import httpx

from coopkg.errors import BadInputError, QueryTimeoutError, StoreError
from coopkg.store.engines import DIALECTS, GRAPH_STORE, Dialect, dialect_for_server

FORM = "application/x-www-form-urlencoded"
UPDATE = "application/sparql-update"
RETRIES = 6  # attempts at a request the engine rolled back for a deadlock


class BearerAuth(httpx.Auth):
    """``Authorization: Bearer <token>`` on every request (the token never appears in a repr)."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(***)"


@dataclass(frozen=True)
class Credentials:
    """How the remote backend authenticates to the endpoint (all three URLs alike)."""

    user: str | None = None
    password: str | None = None
    scheme: str = "basic"  # basic or digest
    token: str | None = None

    def auth(self) -> httpx.Auth | None:
        if self.token:
            return BearerAuth(self.token)
        if self.user is None:
            return None
        if self.scheme == "digest":
            return httpx.DigestAuth(self.user, self.password or "")
        return httpx.BasicAuth(self.user, self.password or "")

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, scheme={self.scheme!r}, password=***, token=***)"


def check_endpoint_url(url: str) -> str:
    """An endpoint URL without credentials in it (they belong in the settings, out of every message)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise BadInputError(f"an endpoint URL must be http(s)://host/…, got {parts.scheme}://{parts.hostname or ''}")
    if parts.username is not None or parts.password is not None:
        raise BadInputError(
            "an endpoint URL may not carry a user or password: use COOPKG_REMOTE_USER and COOPKG_REMOTE_PASSWORD"
        )
    return url


class SparqlClient:
    """Queries, updates and graph-store requests to one endpoint, with its errors classified."""

    def __init__(
        self,
        query_url: str,
        update_url: str,
        *,
        gsp_url: str | None = None,
        timeout: float = 60.0,
        credentials: Credentials | None = None,
        engine: str | None = None,
        max_rows: int | None = None,
    ) -> None:
        self.query_url = check_endpoint_url(query_url)
        self.update_url = check_endpoint_url(update_url)
        self.gsp_url = check_endpoint_url(gsp_url) if gsp_url else None
        self.timeout = timeout
        self._http = httpx.Client(timeout=timeout, auth=(credentials or Credentials()).auth())
        if engine not in (None, "auto") and engine not in DIALECTS:
            raise BadInputError(f"unknown engine {engine!r}; use one of auto, {', '.join(DIALECTS)}")
        self._dialect = DIALECTS[engine].with_max_rows(max_rows) if engine in DIALECTS else None
        self._max_rows = max_rows
        self._detect = threading.Lock()

    @property
    def dialect(self) -> Dialect:
        """The engine's dialect: configured, or detected once from the endpoint's ``Server`` header."""
        if self._dialect is None:
            with self._detect:
                if self._dialect is None:
                    ask = urllib.parse.urlencode([("query", "ASK {}")]).encode()
                    response = self._post(self.query_url, ask, "application/sparql-results+json")
                    self._raise_for(response, "query", self.query_url, detected=False)
                    found = dialect_for_server(response.headers.get("Server", ""))
                    self._dialect = found.with_max_rows(self._max_rows)
        return self._dialect

    def query(
        self, text: str, accept: str, *, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
    ) -> httpx.Response:
        form = [("query", text)]
        form += [("default-graph-uri", g) for g in default_graphs]
        form += [("named-graph-uri", g) for g in named_graphs]
        response = self._post(self.query_url, urllib.parse.urlencode(form).encode(), accept)
        self._raise_for(response, "query", self.query_url)
        return response

    def update(self, text: str) -> None:
        # Sent as the body (application/sparql-update): URL-encoding a bulk write costs ~1 s per 3 MB here.
        response = self._post(self.update_url, text.encode("utf-8"), "*/*", UPDATE)
        self._raise_for(response, "update", self.update_url)

    def post_graph(
        self,
        graph: str | None,
        data: bytes | Iterable[bytes],
        media_type: str,
        *,
        replace: bool = False,
        dataset: bool = False,
        bulk: bool = False,
        timeout: float | None = None,
    ) -> None:
        """Graph Store Protocol: add ``data`` to ``graph`` (POST; None: the default graph), or put it in its place (PUT).

        ``dataset``: the data is a dataset (N-Quads) posted to the store itself, each quad to its graph
        (Oxigraph). ``bulk``: through the engine's bulk loader, where its dialect names one. ``data`` as
        bytes is sent again when the engine rolled the request back for a deadlock (a POST adds a set of
        triples: twice is once); an iterable of bytes is streamed, once."""
        assert self.gsp_url is not None
        params = {} if dataset else {"graph": graph} if graph is not None else {"default": ""}
        if bulk and self.dialect.graph_store_bulk:
            params[self.dialect.graph_store_bulk] = ""
        method = "PUT" if replace else "POST"
        limit = httpx.Timeout(timeout) if timeout is not None else httpx.USE_CLIENT_DEFAULT
        for attempt in range(RETRIES if isinstance(data, bytes) else 1):
            try:
                response = self._http.request(method, self.gsp_url, params=params, content=data,
                                              headers={"Content-Type": media_type}, timeout=limit)  # fmt: skip
            except httpx.TimeoutException as error:
                raise QueryTimeoutError(f"the graph store at {self.gsp_url} did not answer in time") from error
            except httpx.HTTPError as error:
                raise StoreError(
                    f"the graph store at {self.gsp_url} cannot be reached: {type(error).__name__}"
                ) from error
            except httpx.StreamError as error:
                # A streamed body cannot be sent twice: the engine asked for credentials again (Digest) mid-load.
                raise StoreError(
                    f"the graph store at {self.gsp_url} refused a streamed load: {type(error).__name__}"
                ) from error
            if self._dialect is None or not self._dialect.is_retryable(response.status_code, response.text):
                break
            time.sleep(0.05 * 2**attempt * (1 + random.random()))
        self._raise_for(response, GRAPH_STORE, self.gsp_url)

    def _post(self, url: str, body: bytes, accept: str, content_type: str = FORM) -> httpx.Response:
        for attempt in range(RETRIES):
            try:
                # httpx's pool is shared by threads; each request takes an idle kept-alive connection or opens one.
                response = self._http.post(url, content=body, headers={"Accept": accept, "Content-Type": content_type})
            except httpx.TimeoutException as error:
                raise QueryTimeoutError(f"the endpoint {url} did not answer in time") from error
            except httpx.HTTPError as error:
                raise StoreError(f"the endpoint {url} cannot be reached: {type(error).__name__}: {error}") from error
            dialect = self._dialect
            if (
                attempt + 1 == RETRIES
                or dialect is None
                or not dialect.is_retryable(response.status_code, response.text)
            ):
                return response
            time.sleep(0.05 * 2**attempt * (1 + random.random()))  # the other transaction finishes meanwhile
        raise AssertionError("unreachable")

    def _raise_for(self, response: httpx.Response, what: str, url: str, *, detected: bool = True) -> None:
        if response.status_code < 300:
            return
        if response.status_code in {401, 403}:
            raise StoreError(
                f"the endpoint {url} refused the {what} (HTTP {response.status_code}): check the remote "
                "credentials (COOPKG_REMOTE_USER, COOPKG_REMOTE_PASSWORD, COOPKG_REMOTE_AUTH, COOPKG_REMOTE_TOKEN)"
            )
        dialect = self._dialect if detected and self._dialect is not None else dialect_for_server(
            response.headers.get("Server", "")
        )  # fmt: skip
        raise dialect.error(response.status_code, response.text, what, url)

    def close(self) -> None:
        self._http.close()
