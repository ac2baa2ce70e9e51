"""coopkg: a knowledge graph of development-cooperation facts, with evidence."""

__version__ = "0.1.0"
