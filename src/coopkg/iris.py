"""Minting of stable IRIs under the configured base IRI."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

from pyoxigraph import NamedNode

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def slugify(text: str) -> str:
    """Lower-case ASCII slug; Arabic text (which has no ASCII form) is hashed instead."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    slug = _NON_SLUG.sub("-", ascii_text).strip("-")
    if not slug or (_ARABIC.search(text) and len(slug) < 3):
        return "h" + digest(text)[:12]
    return slug[:80].rstrip("-")


# What a minted key may hold as it is: RFC 3986 unreserved characters, and "/" between segments.
_KEY = re.compile(r"^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$")


def iri_key(key: str) -> str:
    """A key as it goes into a minted IRI: each segment that is not plain ASCII goes through the slug
    rules, keeping a hash of what it was when letters were dropped, so two keys stay two IRIs."""
    if _KEY.match(key):
        return key
    segments = []
    for segment in key.split("/"):
        if _KEY.match(segment):
            segments.append(segment)
            continue
        slug = slugify(segment)
        hashed = slug == "h" + digest(segment)[:12]  # already stands for the whole segment
        segments.append(slug if hashed else f"{slug}-{digest(segment)[:8]}")
    return "/".join(segments)


def iri_to_uri(iri: str) -> str:
    """RFC 3987 §3.1: an IRI as a URI, non-ASCII characters as percent-encoded UTF-8 (for HTTP headers)."""
    return quote(iri, safe="/:?#[]@!$&'()*+,;=%~-._")


def digest(*parts: object) -> str:
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


class IriMinter:
    """Mints the IRIs of one deployment: ``{base}id/{kind}/{key}`` and ``{base}graph/...``."""

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri

    def entity(self, kind: str, key: str) -> NamedNode:
        return NamedNode(f"{self.base}id/{kind}/{iri_key(key)}")

    def organisation(self, name: str) -> NamedNode:
        return self.entity("organisation", slugify(name))

    def project(self, name: str) -> NamedNode:
        return self.entity("project", slugify(name))

    def region(self, key: str) -> NamedNode:
        return self.entity("region", key)

    def unit(self, name: str) -> NamedNode:
        return self.entity("unit", slugify(name))

    def hashed(self, kind: str, *parts: object) -> NamedNode:
        return self.entity(kind, digest(*parts)[:16])

    def document(self, doc_id: str) -> NamedNode:
        return self.entity("document", doc_id)

    def is_document_part(self, iri: str) -> bool:
        """Whether ``iri`` names a document or a node minted under it (its evidence): never reference data."""
        return iri.startswith(f"{self.base}id/document/")

    def evidence(self, doc_id: str, *parts: object) -> NamedNode:
        return NamedNode(f"{self.base}id/document/{doc_id}/evidence/{digest(*parts)[:16]}")

    # Graph names
    def document_graph(self, doc_id: str) -> NamedNode:
        return NamedNode(f"{self.base}graph/document/{doc_id}")

    @property
    def ontology_graph(self) -> NamedNode:
        return NamedNode(f"{self.base}graph/ontology")

    @property
    def reference_graph(self) -> NamedNode:
        return NamedNode(f"{self.base}graph/reference")

    @property
    def changes_graph(self) -> NamedNode:
        """The change log of the remote backend (``coopkg.store.changelog``): not a document, not counted."""
        return NamedNode(f"{self.base}graph/changes")

    def document_id_of_graph(self, graph: str) -> str | None:
        prefix = f"{self.base}graph/document/"
        return graph[len(prefix) :] if graph.startswith(prefix) else None


_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def valid_document_id(doc_id: str) -> bool:
    return bool(_DOC_ID.fullmatch(doc_id))  # fullmatch: "$" would accept a final line feed


def document_id_for(name: str) -> str:
    """A document id from a file name: its stem, slugified, kept readable."""
    stem = name.rsplit("/", 1)[-1]
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._")
    return cleaned[:128] if cleaned else "doc-" + digest(name)[:12]
