"""Nexis Uni exports (DOCX, RTF, PDF; one or many documents): split into articles.

Each document prints its title, the publication, the date line ("March 12, 2026
Thursday") and a copyright line; then labelled fields ("Section:", "Length: 523 words",
"Byline:", "Dateline:"); a line "Body" before the text; after it "Classification" with
"Language:", "Publication-Type:", "Subject:", "Load-Date:"; and a last line "End of
Document". A multi-document export may open with a cover page listing the documents.
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

__all__ = ["looks_like_nexis", "split_nexis"]

_END = re.compile(r"^\s*End of Document\s*$", re.I)
_BODY = re.compile(r"^\s*Body\s*$")
_HEAD_FIELD = re.compile(r"^\s*(Section|Length|Byline|Dateline|Highlight|Series|Edition|"
                         r"Type|Name|Correction-Date|Correction|Author)\s*:\s*(.*)$")
_AFTER_BODY = re.compile(r"^\s*(?:Classification|Graphic|Notes|Load-Date\s*:|Language\s*:|"
                         r"Publication-Type\s*:|Subject\s*:|Link to Image|End of Document)",
                         re.I)
_TAIL_FIELD = re.compile(r"^\s*(Language|Publication-Type|Load-Date|Subject|Geographic|"
                         r"Industry|Organization|Person|Journal Code|Document-Type)\s*:\s*(.*)$")
_COPYRIGHT = re.compile(r"^\s*(?:copyright\b|©|\(c\))", re.I)


def looks_like_nexis(lines: list[str]) -> str:
    """Why the lines look like a Nexis Uni export ("" when they do not)."""
    ends = sum(1 for line in lines if _END.match(line))
    if ends:
        return f"{ends} 'End of Document' line(s)"
    if any(_BODY.match(line) for line in lines) and \
            any(re.match(r"^\s*Length:\s*[\d,]+\s+words", line) for line in lines) and \
            any(re.match(r"^\s*Load-Date:", line) for line in lines):
        return "Nexis Uni fields (Length:, Body, Load-Date:)"
    return ""


def split_nexis(lines: list[str]) -> list[ExportArticle]:
    """The documents of a Nexis Uni export. Raises :class:`NotAnExport` when none is
    found."""
    chunks, chunk = [], []
    for line in lines:
        if _END.match(line):
            chunks.append(chunk)
            chunk = []
        else:
            chunk.append(line)
    if any(_BODY.match(line) for line in chunk):  # a last document without its end line
        chunks.append(chunk)
    articles = [a for a in map(_parse, chunks) if a is not None]
    if not any(not a.error for a in articles):
        raise NotAnExport("no document in it has a title, a date line and a 'Body' line "
                          "followed by text")
    return articles


def _parse(chunk: list[str]) -> ExportArticle | None:
    text = [line.strip() for line in chunk]
    if not any(text):
        return None
    body_at = next((i for i, line in enumerate(text) if _BODY.match(line)), None)
    if body_at is None:
        first = next(line for line in text if line)
        return ExportArticle([], {"title": first}, error="no 'Body' line")
    meta: dict[str, str] = {}
    header_end = body_at
    for i in range(body_at - 1, -1, -1):
        m = _HEAD_FIELD.match(text[i])
        if m:
            header_end = i
            _head_field(meta, m.group(1), m.group(2))
        elif text[i]:
            break
    head = [line for line in text[:header_end] if line and not _COPYRIGHT.match(line)]
    date_at = next((i for i in range(len(head) - 1, -1, -1)
                    if len(head[i]) < 60 and parse_date(head[i])), None)
    if date_at is None or date_at < 2:
        return ExportArticle([], {"title": head[0] if head else ""},
                             error="no title, publication and date line above 'Body'")
    meta.update(title=head[date_at - 2], outlet=head[date_at - 1],
                date=parse_date(head[date_at]))
    body = []
    for line in text[body_at + 1:]:
        if _AFTER_BODY.match(line):
            break
        if line != meta["title"]:  # the running header of PDF pages
            body.append(line)
    for line in text[body_at + 1:]:
        m = _TAIL_FIELD.match(line)
        if m and m.group(1) == "Language":
            meta["language"] = language_code(m.group(2))
    if not any(body):
        return ExportArticle([], meta, error="no text after 'Body'")
    return ExportArticle(body, meta)


def _head_field(meta: dict[str, str], name: str, value: str) -> None:
    value = value.strip()
    if name == "Section":
        meta["section"] = re.split(r";\s*Pg\.", value)[0].strip()
    elif name == "Length":
        meta["word_count"] = word_count(value)
    elif name in ("Byline", "Author"):
        meta["author"] = person_name(value)
    elif name == "Dateline":
        meta["dateline"] = value
