"""HTML for browsers: Jinja2 templates, links rewritten so the site can be browsed locally."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    return env


_SAFE_SCHEMES = ("http://", "https://")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def local_link(iri: str, base: str) -> str | None:
    """An IRI minted here becomes a path on this server; other http(s) or relative IRIs stay as
    they are; any other scheme (``javascript:``, ``data:``…) is no link at all (None)."""
    if _SCHEME.match(iri) and not iri.lower().startswith(_SAFE_SCHEMES):
        return None
    if iri.startswith(base):
        return "/" + iri[len(base) :].replace("#", "%23")
    if iri.startswith("https://w3id.org/coopkg/ontology"):
        return "/ontology" + ("#" + iri.split("#", 1)[1] if "#" in iri else "")
    return iri


def render(template: str, request: Request, **context: Any) -> str:
    services = getattr(request.app.state, "services", None)
    base = services.settings.base_iri if services is not None else ""
    env = environment()
    return env.get_template(template).render(
        request=request,
        base=base,
        link=lambda i: local_link(i, base),
        href=lambda i: href_of(i, base),
        **context,
    )


def href_of(iri: str, base: str) -> Markup:
    """`` href="…"`` for an anchor to ``iri``, or nothing: an ``<a>`` without href is text, not a link."""
    link = local_link(iri, base)
    return Markup("") if link is None else Markup(' href="{}"').format(link)
