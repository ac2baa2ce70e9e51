"""From a file's bytes to the document text the offsets of the evidence refer to."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from coopkg.errors import DocumentError, TooLargeError

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class SourceText:
    text: str
    title: str | None
    media_type: str


def read_path(path: Path, max_bytes: int) -> SourceText:
    if not path.is_file():
        raise DocumentError(f"{path}: not a file")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"{path}: unsupported file type {path.suffix or '(none)'}; use .txt, .md or .html")
    size = path.stat().st_size
    if size > max_bytes:
        raise TooLargeError(f"{path}: {size:,} bytes is over the {max_bytes:,}-byte limit (COOPKG_MAX_DOCUMENT_BYTES)")
    is_html = path.suffix.lower() in {".html", ".htm"}
    return read_bytes(path.read_bytes(), is_html=is_html, name=str(path), max_bytes=max_bytes)


def read_bytes(data: bytes, *, is_html: bool = False, name: str = "document", max_bytes: int = 5_000_000) -> SourceText:
    if len(data) > max_bytes:
        raise TooLargeError(f"{name}: {len(data):,} bytes is over the {max_bytes:,}-byte limit")
    text = decode(data, name)
    if is_html or _looks_like_html(text):
        title, text = html_to_text(text)
        media_type = "text/html"
    else:
        title, media_type = None, "text/plain"
    text = normalise_text(text)
    if not text.strip():
        raise DocumentError(f"{name}: no text in the document")
    return SourceText(text, title, media_type)


def decode(data: bytes, name: str = "document") -> str:
    if not data.strip():
        raise DocumentError(f"{name}: the document is empty")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding)
    if b"\x00" in data[:4096]:
        raise DocumentError(f"{name}: binary content (NUL bytes); expected UTF-8 text or HTML")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        text = _legacy_decode(data)
        if text is None:
            raise DocumentError(
                f"{name}: not valid UTF-8 (byte {error.start}) and not recognisably Windows-1252 or -1256 text; "
                "convert it to UTF-8"
            ) from error
    controls = len(_CONTROL.findall(text[:20000]))
    if controls > max(8, len(text[:20000]) // 100):
        raise DocumentError(f"{name}: binary content ({controls} control characters); expected text")
    return text


def _legacy_decode(data: bytes) -> str | None:
    """Windows-1256 (Arabic) or Windows-1252 (French) when the letters make sense in that code page."""
    for encoding, letters in (("cp1256", r"[\u0621-\u064a]"), ("cp1252", r"[A-Za-zéèàçêôùâî]")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        letter_share = len(re.findall(letters, text)) / max(1, len(text))
        if letter_share > 0.5 and not _CONTROL.search(text):
            return text
    return None


def normalise_text(text: str) -> str:
    """NFC, Unix newlines, no zero-width or bidi marks: offsets are counted on this text."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]", "", text)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in text)


_SKIP = {
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "svg",
    "button",
    "template",
    "iframe",
}
_BLOCK = {
    "p", "div", "section", "article", "main", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "tr", "table", "blockquote", "figcaption", "dd", "dt", "pre",
}  # fmt: skip


class _ArticleParser(HTMLParser):
    """Keeps the article's text: inside <article> or <main> when the page has one, without navigation."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.parts: list[str] = []
        self.article_parts: list[str] = []
        self.article_depth = 0
        self.title: str | None = None
        self._in_title = False
        self._h1: str | None = None
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag in {"article", "main"}:
            self.article_depth += 1
        if tag == "title":
            self._in_title = True
        if tag == "h1":
            self._in_h1 = True
        if tag in _BLOCK:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skip_depth:
            self.skip_depth -= 1
        elif tag in {"article", "main"} and self.article_depth:
            self.article_depth -= 1
        if tag == "title":
            self._in_title = False
        if tag == "h1":
            self._in_h1 = False
        if tag in _BLOCK:
            self._emit("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data
            return
        if self.skip_depth:
            return
        if self._in_h1:
            self._h1 = (self._h1 or "") + data
        self._emit(data)

    def _emit(self, data: str) -> None:
        self.parts.append(data)
        if self.article_depth:
            self.article_parts.append(data)


def html_to_text(html: str) -> tuple[str | None, str]:
    parser = _ArticleParser()
    parser.feed(html)
    parser.close()
    body = "".join(parser.article_parts) if "".join(parser.article_parts).strip() else "".join(parser.parts)
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in body.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    title = (parser._h1 or parser.title or "").strip() or None
    return (re.sub(r"\s+", " ", title) if title else None), text
