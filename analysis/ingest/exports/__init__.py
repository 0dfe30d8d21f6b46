"""News-database exports: one file (Factiva, Nexis Uni, ProQuest), many articles.

:func:`read_export` looks at a file's lines for the marks each database leaves (Factiva's
"Document <id>" lines or field codes, Nexis Uni's "End of Document" and "Body" lines,
ProQuest's "Document N of M" lines). A file without such marks is not an export and is
read as one document. A file with them is split into its articles, each with the
export's own fields as metadata; when nothing can be split, :class:`SkipFile` says why.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from analysis.ingest.exports.factiva import looks_like_factiva, split_factiva
from analysis.ingest.exports.fields import NotAnExport, clean_lines
from analysis.ingest.exports.nexis import looks_like_nexis, split_nexis
from analysis.ingest.exports.proquest import looks_like_proquest, split_proquest
from analysis.ingest.readers import RawItem, SkipFile, decode_or_skip

__all__ = ["read_export", "EXPORT_SUFFIXES", "EXPORT_FORMATS"]

#: Suffixes an export can have (.rtf is read only here; the others are sniffed first).
EXPORT_SUFFIXES = (".txt", ".rtf", ".html", ".htm", ".docx", ".pdf")
#: (name, looks_like, split) per database, tried in this order.
EXPORT_FORMATS = (("Factiva", looks_like_factiva, split_factiva),
                  ("Nexis Uni", looks_like_nexis, split_nexis),
                  ("ProQuest", looks_like_proquest, split_proquest))
# Cheap byte-level marks: a file without any of them is never converted twice.
_MARKS = re.compile(rb"Document\s+[A-Za-z0-9]{20,32}|End of Document|Document\s+\d+\s+of\s+\d+"
                    rb"|ProQuest document ID|\bHD\b|Load-Date")
# A word each of those marks contains: the regular expression runs only on a file that
# has one (a byte search is many times faster).
_MARK_WORDS = (b"Document", b"ProQuest document ID", b"HD", b"Load-Date")


def _lines(path: Path, data: bytes) -> tuple[list[str], str, bool] | None:
    """The file's lines, its encoding and whether lines are hard-wrapped; None when the
    file has no export marks (checked cheaply before any conversion)."""
    from analysis.ingest.exports import carriers
    from analysis.ingest.readers import read_docx, read_pdf

    # Word and PDF files are read by the document readers (one place for their limits
    # and damage reports); only the first PDF pages are read to look for marks.
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        try:
            first = "\n".join(carriers.pdf_pages(data, max_pages=3))
        except Exception:  # a damaged PDF: the document reader reports why
            return None
        if not _any_marks(clean_lines(first)):
            return None
        pages = read_pdf(path, data)[0]
        return clean_lines("\n".join(carriers.strip_page_numbers(p) for p in pages)), "", True
    if suffix == ".docx":
        return clean_lines(read_docx(path, data)[0][0]), "", False
    if suffix != ".rtf":
        # UTF-16 text hides its marks from a byte search: decode it first.
        probe = decode_or_skip(data)[0].encode("utf-8") if b"\x00" in data[:4096] else data
        if not (any(word in probe for word in _MARK_WORDS) and _MARKS.search(probe)):
            return None
    if suffix == ".rtf":
        try:
            return clean_lines(carriers.rtf_text(data)), "rtf", False
        except ValueError as exc:
            raise SkipFile(str(exc)) from exc
    text, enc = decode_or_skip(data)
    if suffix in (".html", ".htm"):
        from analysis.ingest.webpage import page_text

        text = page_text(text)
    return clean_lines(text), enc, None


def _any_marks(lines: list[str]) -> bool:
    return any(looks(lines) for _name, looks, _split in EXPORT_FORMATS)


def read_export(path: Path, data: bytes) -> list[RawItem] | None:
    """The articles of a news-database export, or None when the file is not one.

    Raises :class:`SkipFile` (with the format and the reason) for a file that has the
    marks of an export but from which no article could be split.
    """
    if path.suffix.lower() not in EXPORT_SUFFIXES:
        return None
    read = _lines(path, data)
    if read is None:
        return None
    lines, enc, wrapped = read
    for name, looks, split in EXPORT_FORMATS:
        marks = looks(lines)
        if not marks:
            continue
        try:
            articles = split(lines)
        except NotAnExport as exc:
            raise SkipFile(f"looks like a {name} export ({marks}), but {exc}") from exc
        items = []
        for n, article in enumerate(articles, 1):
            body = "\n".join(article.body)
            meta = {**article.meta, "export": name}
            items.append(RawItem(
                pages=[body], source=f"{path}#article {n}", encoding=enc, wrapped=wrapped,
                sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(), meta=meta, row=n,
                doc_id=f"{path.stem}_{n}",
                error=f"{name} article {n}: {article.error}" if article.error else ""))
        return items
    return None  # marks of no database: an ordinary document
