"""RTF text and PDF pages of news-database exports (Word, HTML and plain text are read
by the document readers and :mod:`analysis.ingest.webpage`)."""
from __future__ import annotations

import io
import re

__all__ = ["rtf_text", "pdf_pages", "strip_page_numbers", "rtf_document"]

# Nexis prints "Page N of M" on every page; text extraction may run it into a line.
_PAGE_OF = re.compile(r"^\s*Page\s+\d+\s+of\s+\d+\s*|\s*Page\s+\d+\s+of\s+\d+\s*$")


def rtf_text(data: bytes) -> str:
    """Plain text of an RTF file (striprtf), in the code page the file declares."""
    from striprtf.striprtf import rtf_to_text

    head = data[:2048]
    if not head.lstrip().startswith(b"{\\rtf"):
        raise ValueError("not an RTF file (no {\\rtf header)")
    m = re.search(rb"\\ansicpg(\d+)", head)
    encoding = f"cp{int(m.group(1))}" if m else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    # RTF is 7-bit text with \'xx and \uN escapes; latin-1 maps every byte one to one.
    return rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")


def rtf_document(path, data: bytes) -> tuple[list[str], dict[str, str], str, bool | None]:
    """An RTF file that is not an export, read as one document (reader contract of
    :mod:`analysis.ingest.readers`)."""
    from analysis.ingest.readers import SkipFile

    try:
        text = rtf_text(data)
    except ValueError as exc:
        raise SkipFile(str(exc)) from exc
    return [text], {}, "rtf", False


def pdf_pages(data: bytes, max_pages: int | None = None) -> list[str]:
    """Text of the PDF's pages (the first ``max_pages`` only, when given), without
    "Page N of M" footers."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # as read_pdf: no file text to stderr
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        return []
    pages = reader.pages if max_pages is None else reader.pages[:max_pages]
    out = []
    for page in pages:
        text = page.extract_text() or ""
        out.append(strip_page_numbers(text))
    return out


def strip_page_numbers(page: str) -> str:
    """A page's text without its "Page N of M" footer."""
    return "\n".join(_PAGE_OF.sub("", line) for line in page.splitlines())
