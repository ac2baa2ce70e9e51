"""Stage 1: paragraphs, sentences and the language of each, boilerplate set aside."""

from __future__ import annotations

from collections import Counter

from coopkg.errors import DocumentError
from coopkg.extract.doc import Doc
from coopkg.extract.lexicon import SUPPORTED
from coopkg.extract.text import Paragraph, detect_language, paragraphs, sentences


def segment(doc: Doc) -> Doc:
    doc.paragraphs = paragraphs(doc.text)
    doc.language = document_language(doc.paragraphs)
    if doc.language not in SUPPORTED:
        name = {"und": "an undetermined language"}.get(doc.language, f"'{doc.language}'")
        raise DocumentError(f"{doc.source}: written in {name}; coopkg reads French, Arabic and English")
    for sentence in sentences(doc.text, doc.paragraphs):
        if sentence.boilerplate:
            continue
        if sentence.language not in SUPPORTED:
            sentence.language = doc.language  # a line of names or figures reads as the document does
        doc.sentences.append(sentence)
    return doc


def document_language(paras: list[Paragraph]) -> str:
    weights: Counter[str] = Counter()
    for para in paras:
        if not para.boilerplate:
            weights[para.language] += len(para.text)
    if not weights:
        return detect_language(" ".join(p.text for p in paras))
    return weights.most_common(1)[0][0]
