"""HTML for browsers: Jinja2 templates, links rewritten so the site can be browsed locally."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    return env


def local_link(iri: str, base: str) -> str:
    """An IRI minted here becomes a path on this server; others stay as they are."""
    if iri.startswith(base):
        return "/" + iri[len(base) :].replace("#", "%23")
    if iri.startswith("https://w3id.org/coopkg/ontology"):
        return "/ontology" + ("#" + iri.split("#", 1)[1] if "#" in iri else "")
    return iri


def render(template: str, request: Request, **context: Any) -> str:
    services = getattr(request.app.state, "services", None)
    base = services.settings.base_iri if services is not None else ""
    env = environment()
    return env.get_template(template).render(request=request, base=base, link=lambda i: local_link(i, base), **context)
