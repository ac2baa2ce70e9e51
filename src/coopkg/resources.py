"""Where the ontology, shapes, queries and reference data live at run time."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def resource_root() -> Path:
    """The folder holding ``ontology/``, ``shapes/``, ``queries/`` and ``data/reference/``.

    A wheel carries them in ``coopkg/_resources``; an editable install reads the checkout.
    """
    packaged = Path(__file__).parent / "_resources"
    if (packaged / "ontology").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def resource(relative: str) -> Path:
    path = resource_root() / relative
    if not path.exists():
        raise FileNotFoundError(f"coopkg resource missing: {path}")
    return path


def ontology_file() -> Path:
    return resource("ontology/coopkg.ttl")


def shapes_files() -> list[Path]:
    return sorted(resource("shapes").glob("*.ttl"))


def queries_dir() -> Path:
    return resource("queries")


def reference_files() -> list[Path]:
    return sorted(resource("data/reference").glob("*.ttl"))
