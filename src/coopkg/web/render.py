"""Templates: Jinja2 with the reader's language and direction, links made local, safe URLs only."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from coopkg.web import i18n

TEMPLATES = Path(__file__).parent / "templates"
ONTOLOGY = "https://w3id.org/coopkg/ontology"


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["amount"] = lambda value, lang: i18n.amount(value, lang)
    return env


_SAFE_SCHEMES = ("http://", "https://")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def local_link(iri: str, base: str) -> str | None:
    """An IRI minted here becomes a path on this server; other http(s) or relative IRIs stay as
    they are; any other scheme (``javascript:``, ``data:``, ``urn:``…) is no link at all (None)."""
    if _SCHEME.match(iri) and not iri.lower().startswith(_SAFE_SCHEMES):
        return None
    if base and iri.startswith(base):
        return "/" + iri[len(base) :].replace("#", "%23")
    if iri.startswith(ONTOLOGY):
        return "/ontology" + ("#" + iri.split("#", 1)[1] if "#" in iri else "")
    return iri


def href_of(iri: str, base: str, fragment: str = "") -> Markup:
    """`` href="…"`` for an anchor to ``iri`` (and ``fragment``), or nothing: an ``<a>`` without
    href is text, not a link."""
    link = local_link(iri, base)
    return Markup("") if link is None else Markup(' href="{}"').format(link + fragment)


def render(template: str, request: Request, **context: Any) -> str:
    services = getattr(request.app.state, "services", None)
    base = services.settings.base_iri if services is not None else ""
    lang = context.pop("lang", None) or i18n.choose_language(request)
    params = dict(request.query_params)

    def with_params(**changes: Any) -> str:
        """This page's query string with some parameters changed (None removes one)."""
        merged = {**params, **{k: v for k, v in changes.items()}}
        return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})

    return (
        environment()
        .get_template(template)
        .render(
            request=request,
            base=base,
            link=lambda i: local_link(i, base),
            href=lambda i, fragment="": href_of(i, base, fragment),
            lang=lang,
            dir="rtl" if lang in i18n.RTL else "ltr",
            t=i18n.words(lang),
            languages=i18n.NATIVE,
            with_params=with_params,
            path=request.url.path,
            **context,
        )
    )


def page(template: str, request: Request, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A rendered page; ``?lang=`` is remembered in a cookie so the next pages keep the language."""
    response = HTMLResponse(render(template, request, **context), status_code=status_code)
    asked = request.query_params.get("lang")
    if asked in i18n.LANGUAGES and request.cookies.get(i18n.COOKIE) != asked:
        response.set_cookie(i18n.COOKIE, asked, max_age=365 * 86400, samesite="lax")
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    response.headers["Content-Language"] = context.get("lang") or i18n.choose_language(request)
    return response
