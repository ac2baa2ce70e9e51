"""The pages people read: the fundings explorer, reading pages of every kind of thing, the SPARQL
editor and the API documentation. Templates, static assets and their routes live here; they read
through the same core as the JSON API (:mod:`coopkg.views`, :mod:`coopkg.explore`), never SPARQL.

Third-party assets (YASGUI, d3, world-atlas, swagger-ui, Redoc) are built from
``assets/package-lock.json`` into ``static/vendor`` by ``make assets``; nothing is loaded from
another server.
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).parent / "static"
VENDOR = STATIC / "vendor"
