"""ProQuest TXT exports: split into articles with their labelled fields.

Documents are separated by a rule of underscores and open with "Document N of M"; the
title follows, then labelled fields ("Author:", "Publication info:", "Abstract:",
"Full text:" with the text, then "Subject:", "Title:", "Publication title:",
"Publication date:", "Section:", "Language of publication:", "ProQuest document ID:",
"Document URL:" ...).
"""
from __future__ import annotations

import re

from analysis.ingest.exports.fields import (
    ExportArticle,
    NotAnExport,
    language_code,
    person_name,
    word_count,
)
from analysis.ingest.metadata import parse_date

__all__ = ["looks_like_proquest", "split_proquest"]

_DOC = re.compile(r"^\s*Document\s+(\d+)\s+of\s+(\d+)\s*$", re.I)
_RULE = re.compile(r"^\s*_{10,}\s*$")
_FIELDS = ("Author", "Publication info", "Abstract", "Full text", "Subject", "Location",
           "People", "Company / organization", "Identifier / keyword", "Title",
           "Publication title", "Volume", "Issue", "Pages", "Number of pages",
           "Publication year", "Publication date", "Year", "Section", "Publisher",
           "Place of publication", "Country of publication", "Publication subject", "ISSN",
           "Source type", "Language of publication", "Document type", "ProQuest document ID",
           "Document URL", "Copyright", "Last updated", "Database", "Credit", "Illustration",
           "Caption", "Dateline", "Word count", "Links", "Update", "Accession number")
_FIELD = re.compile(rf"^\s*({'|'.join(re.escape(f) for f in _FIELDS)})\s*:\s*(.*)$")


def looks_like_proquest(lines: list[str]) -> str:
    """Why the lines look like a ProQuest export ("" when they do not)."""
    docs = sum(1 for line in lines if _DOC.match(line))
    if docs:
        return f"{docs} 'Document N of M' line(s)"
    if any(line.startswith("ProQuest document ID:") for line in lines):
        return "'ProQuest document ID:' fields"
    return ""


def split_proquest(lines: list[str]) -> list[ExportArticle]:
    """The documents of a ProQuest export. Raises :class:`NotAnExport` when none is
    found."""
    chunks: list[list[str]] = []
    for line in lines:
        if _DOC.match(line):
            chunks.append([])
        elif chunks and not _RULE.match(line):
            chunks[-1].append(line)
    if not chunks and any(line.startswith("ProQuest document ID:") for line in lines):
        chunks = [lines]
    articles = [_parse(chunk) for chunk in chunks]
    if not any(not a.error for a in articles):
        raise NotAnExport("no document in it has a 'Full text:' field with text")
    return articles


def _parse(chunk: list[str]) -> ExportArticle:
    fields: dict[str, list[str]] = {}
    first_line = ""
    name = ""
    for line in chunk:
        m = _FIELD.match(line)
        if m:
            name = m.group(1)
            fields.setdefault(name, [])
            if m.group(2).strip():
                fields[name].append(m.group(2).strip())
        elif name:
            fields[name].append(line.strip())
        elif line.strip() and not first_line:
            first_line = line.strip()

    def one(key: str) -> str:
        return " ".join(x for x in fields.get(key, []) if x).strip()

    info = one("Publication info")
    meta = {"title": one("Title") or first_line,
            "author": person_name(one("Author")) if one("Author") else "",
            "outlet": one("Publication title") or info.split(";")[0].split(":")[0].strip(),
            "date": parse_date(one("Publication date")) or parse_date(info),
            "section": one("Section"),
            "language": language_code(one("Language of publication"))
            if one("Language of publication") else "",
            "export_id": one("ProQuest document ID"), "url": one("Document URL")}
    body = fields.get("Full text", [])
    meta["word_count"] = word_count(one("Word count"))
    meta = {k: v for k, v in meta.items() if v}
    if not any(x.strip() for x in body):
        return ExportArticle([], meta, error="no 'Full text:' field with text")
    return ExportArticle(body, meta)
