"""Read one document file (.txt, .md, .html, .pdf, .docx) into text pages and metadata.

Parsers for PDF and Word are imported only when such a file appears, so importing a
folder of plain text (and starting the CLI) stays fast.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis.ingest.decode import DecodeError, decode_bytes
from analysis.ingest.limits import MAX_PDF_CONTENT_BYTES, html_problem, mb

__all__ = ["RawItem", "SkipFile", "read_document", "decode_or_skip", "DOCUMENT_READERS"]


class SkipFile(Exception):
    """A file (or table row) that cannot be imported; the message is the reason."""


@dataclass
class RawItem:
    """Extracted text of one article before normalisation.

    ``pages`` are page texts (one element unless the format has pages); ``wrapped`` says
    whether lines are hard-wrapped (``None``: guess); ``meta`` holds metadata the format
    itself carries (HTML meta tags, table columns); ``error`` marks a table row to skip.
    """

    pages: list[str]
    source: str
    sha256: str
    encoding: str = ""
    wrapped: bool | None = None
    meta: dict[str, str] = field(default_factory=dict)
    row: int | None = None
    doc_id: str = ""
    error: str = ""
    article: str | None = None  # a web page's article text (see analysis.ingest.webpage)


def decode_or_skip(data: bytes) -> tuple[str, str]:
    """Decoded text and encoding name; :class:`SkipFile` for empty or binary data."""
    if not data.strip():
        raise SkipFile("empty file")
    try:
        return decode_bytes(data)
    except DecodeError as exc:
        raise SkipFile(str(exc)) from exc


def read_text(path: Path, data: bytes) -> tuple[list[str], dict[str, str], str, bool | None]:
    text, enc = decode_or_skip(data)
    return [text], {}, enc, None


# No inner part may cross the next "[" / "(" / "*": otherwise a line of "![![![..." or
# "**a **a ..." makes every attempt scan to the end of the line (quadratic: 40,000 "!["
# took 37 s).
_MD_LINK = re.compile(r"!\[[^\][]*\]\([^()]*\)|\[([^\][]+)\]\([^()]*\)")
_MD_EMPH = re.compile(r"\*\*([^*\n]+)\*\*|__([^_\n]+)__|(?<![\w*])\*(?!\s)([^*\n]+?)\*(?!\w)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$|>])")


def read_markdown(path: Path, data: bytes) -> tuple[list[str], dict[str, str], str, bool | None]:
    """Markdown to plain lines: headings lose their ``#``, links keep their text, list
    items become "• " bullets; YAML front matter fills title/author/date."""
    text, enc = decode_or_skip(data)
    meta: dict[str, str] = {}
    front = re.match(r"^---\n(.*?)\n---\n", text.replace("\r\n", "\n"), re.S)
    if front:
        for line in front.group(1).splitlines():
            m = re.match(r"^(title|author|date|outlet|group|language)\s*:\s*(.+)$", line, re.I)
            if m:
                meta[m.group(1).lower()] = m.group(2).strip().strip("\"'")
        text = text.replace("\r\n", "\n")[front.end():]
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", r"\1", line)
        line = re.sub(r"^\s*[-*+]\s+", "• ", line)
        line = re.sub(r"^\s*>\s?", "", line)
        line = _MD_LINK.sub(lambda m: m.group(1) or "", line)
        line = _MD_EMPH.sub(lambda m: m.group(1) or m.group(2) or m.group(3) or "", line)
        lines.append(_MD_ESCAPE.sub(r"\1", line))
    return ["\n".join(lines)], meta, enc, None


_BLOCK_TAGS = ("p", "div", "section", "article", "header", "footer", "main", "li", "ul", "ol",
               "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "dd",
               "dt", "figcaption", "address", "hr", "td", "th")
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "nav", "aside", "form",
              "button", "iframe", "head")


def read_html(path: Path, data: bytes) -> tuple[list[str], dict[str, str], str, bool | None]:
    """HTML to one line per block element; scripts, navigation and forms dropped; title,
    author, date, site name and URL read from ``<meta>`` tags."""
    from bs4 import BeautifulSoup, NavigableString

    text, enc = decode_or_skip(data)
    problem = html_problem(text)  # before parsing: a deep tree costs quadratic time
    if problem:
        raise SkipFile(problem)
    soup = BeautifulSoup(text, "html.parser")
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or "").lower()
        value = (tag.get("content") or "").strip()
        target = {"og:site_name": "outlet", "author": "author", "article:author": "author",
                  "article:published_time": "date", "date": "date", "pubdate": "date",
                  "dc.date": "date", "og:title": "title", "og:url": "url",
                  "citation_doi": "doi", "dc.identifier": "doi"}.get(key)
        if target and value and target not in meta:
            meta[target] = value
    link = soup.find("link", rel="canonical")
    if link and link.get("href") and "url" not in meta:
        meta["url"] = link["href"].strip()
    h1 = soup.find("h1")
    head_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for s in soup.find_all(string=True):
        if not isinstance(s, NavigableString) or s.find_parent("pre"):
            continue
        s.replace_with(re.sub(r"\s+", " ", str(s)))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(_BLOCK_TAGS):
        if tag.name == "li":
            tag.insert(0, "• ")
        tag.insert_before("\n")
        tag.insert_after("\n")
    body = soup.get_text()
    title = h1.get_text(" ", strip=True) if h1 else ""
    meta.setdefault("title", title or head_title)
    if not meta["title"]:
        del meta["title"]
    return [body], meta, enc, False


def read_pdf(path: Path, data: bytes) -> tuple[list[str], dict[str, str], str, bool | None]:
    """PDF pages via pypdf (hard-wrapped: lines are re-joined later)."""
    import logging

    from pypdf import PdfReader

    # pypdf logs every repair, quoting names from the file (escape sequences and all) to
    # stderr; a damaged file gets one reason instead.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SkipFile("encrypted PDF needs a password")
        pages, content = [], 0
        for page in reader.pages:
            # Measured before extraction: pypdf needs about a minute per 16 MB of content.
            stream = page.get_contents()
            content += len(stream.get_data()) if stream is not None else 0
            if content > MAX_PDF_CONTENT_BYTES:
                raise SkipFile(f"page contents expand to more than "
                               f"{mb(MAX_PDF_CONTENT_BYTES)} (PDF content limit)")
            pages.append(page.extract_text() or "")
        info = reader.metadata or {}
        title = str(info.get("/Title") or "").strip()
    except SkipFile:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise SkipFile(f"cannot read PDF ({type(exc).__name__}: {exc})") from exc
    if not any(p.strip() for p in pages):
        raise SkipFile(f"PDF with {len(pages)} page(s) but no extractable text "
                       "(a scan? run OCR first)")
    meta = {}
    # Producer-made titles ("Microsoft Word - draft3.docx", "untitled") are not titles.
    if len(title.split()) >= 2 and not re.search(r"\.\w{2,4}$|untitled|microsoft", title, re.I):
        meta["title"] = title
    return pages, meta, "", True


def read_docx(path: Path, data: bytes) -> tuple[list[str], dict[str, str], str, bool | None]:
    """Word paragraphs (list paragraphs as bullets) and table rows; core title."""
    import docx

    try:
        return _docx_text(docx.Document(io.BytesIO(data)))
    except Exception as exc:  # python-docx raises zipfile/KeyError/ValueError/... types,
        # also while reading a damaged part after the document opened
        raise SkipFile(f"cannot read Word file ({type(exc).__name__}: {exc})") from exc


def _docx_text(document) -> tuple[list[str], dict[str, str], str, bool | None]:
    lines = []
    for para in document.paragraphs:
        style = (para.style.name if para.style is not None else "") or ""
        text = para.text
        if text.strip() and style.lower().startswith("list"):
            text = "• " + text
        lines.append(text)
        lines.append("")  # a Word paragraph is a paragraph
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    meta = {}
    title = (document.core_properties.title or "").strip()
    if title:
        meta["title"] = title
    return ["\n".join(lines)], meta, "", False


def read_rtf(path: Path, data: bytes) -> tuple[list[str], dict[str, str], str, bool | None]:
    """An RTF document (one that is not a news-database export)."""
    from analysis.ingest.exports.carriers import rtf_document

    return rtf_document(path, data)


DOCUMENT_READERS = {
    ".txt": read_text, ".text": read_text, ".md": read_markdown, ".markdown": read_markdown,
    ".html": read_html, ".htm": read_html, ".xhtml": read_html, ".pdf": read_pdf,
    ".docx": read_docx, ".rtf": read_rtf,
}


def read_document(path: Path, data: bytes, sha256: str) -> RawItem:
    """Read one document file already loaded as ``data``. Raises :class:`SkipFile`."""
    from analysis.ingest.webpage import WEB_SUFFIXES, read_webpage

    if path.suffix.lower() in WEB_SUFFIXES:
        return read_webpage(path, data, sha256)
    pages, meta, enc, wrapped = DOCUMENT_READERS[path.suffix.lower()](path, data)
    return RawItem(pages=pages, source=str(path), sha256=sha256, encoding=enc,
                   wrapped=wrapped, meta=meta)
