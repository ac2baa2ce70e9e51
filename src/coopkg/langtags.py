"""Language tags that agree with the text they tag.

The extractor gives every label the language of the sentence it was found in; a Latin acronym
in an Arabic article ("THAMM", "STED-AMT") is then not Arabic text. The tag a label is written
with is decided here, from the scripts of its letters: a text keeps its language when it has
letters of that language's script; Arabic letters alone are Arabic; Latin letters alone, found
in an Arabic text, are of an undetermined language in Latin script (BCP 47 ``und-Latn``).
"""

from __future__ import annotations

import re

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_SCRIPT_OF = {"ar": "Arab", "fr": "Latn", "en": "Latn", "es": "Latn", "de": "Latn", "it": "Latn", "pt": "Latn"}


def scripts(text: str) -> set[str]:
    """The ISO 15924 codes of the scripts whose letters ``text`` holds (Arabic and Latin)."""
    found = set()
    if _ARABIC.search(text):
        found.add("Arab")
    if _LATIN.search(text):
        found.add("Latn")
    return found


def language_tag(text: str, language: str) -> str:
    """The BCP 47 tag to write ``text`` with, when the text around it is in ``language``."""
    found = scripts(text)
    expected = _SCRIPT_OF.get(language)
    if not found or expected is None or expected in found:
        return language
    if found == {"Arab"}:
        return "ar"
    return "und-" + sorted(found)[0]
