"""Factiva exports (RTF, TXT, HTML): split into articles with their header fields.

Two layouts are read. The "article" format prints each article's header one field per
line (headline; "By" byline; section; "523 words"; date; time; source name; source code;
language; copyright), then the text, and ends it with "Document <25-character id>". The
"full article/report plus indexing" format labels every field with a code (HD headline,
BY byline, SE section, WC word count, PD date, SN source name, LA language, LP lead
paragraph, TD text, AN accession number).
"""
from __future__ import annotations

import re

from analysis.ingest.exports.fields import (
    LANGUAGE_LINE,
    ExportArticle,
    NotAnExport,
    language_code,
    person_name,
    word_count,
)
from analysis.ingest.metadata import parse_date

__all__ = ["looks_like_factiva", "split_factiva"]

_DOC_ID = re.compile(r"^\s*Document\s+([A-Za-z0-9]{20,32})\s*$")
_WORDS = re.compile(r"^\s*[\d,.]+\s+words\s*$", re.I)
_TIME = re.compile(r"^\s*\d{1,2}:\d{2}(?:\s*(?:GMT|UTC|[AP]M|[A-Z]{2,4}))?\s*$")
_COPYRIGHT = re.compile(r"^\s*(?:\(c\)|©|copyright\b)", re.I)
_CODES = ("HD", "CR", "BY", "SE", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "LA", "CY", "LP",
          "TD", "CT", "RF", "CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN", "CLM", "VOL",
          "ART", "NGC")
_CODE_LINE = re.compile(rf"^\s*({'|'.join(_CODES)})(?:\s*\|\s*|\s+|$)(.*)$")


def looks_like_factiva(lines: list[str]) -> str:
    """Why the lines look like a Factiva export ("" when they do not)."""
    ids = sum(1 for line in lines if _DOC_ID.match(line))
    if ids:
        return f"{ids} 'Document <id>' line(s)"
    codes = {m.group(1) for line in lines if (m := _CODE_LINE.match(line))}
    if "HD" in codes and len(codes & {"LP", "TD", "AN", "SN", "WC", "PD"}) >= 2:
        return "Factiva field codes (HD, TD, AN ...)"
    return ""


def split_factiva(lines: list[str]) -> list[ExportArticle]:
    """The articles of a Factiva export. Raises :class:`NotAnExport` when none is found."""
    if any(_DOC_ID.match(line) for line in lines) and not _has_coded_articles(lines):
        articles = _split_article_format(lines)
    else:
        articles = _split_coded(lines)
    if not any(not a.error for a in articles):
        raise NotAnExport("no article in it has a headline, an 'N words' line, a date and "
                          "text before its 'Document' line")
    return articles


def _has_coded_articles(lines: list[str]) -> bool:
    return any((m := _CODE_LINE.match(line)) and m.group(1) == "HD" for line in lines)


def _split_article_format(lines: list[str]) -> list[ExportArticle]:
    articles, chunk = [], []
    for line in lines:
        m = _DOC_ID.match(line)
        if m:
            article = _parse_article(chunk)
            if article is not None:
                article.meta["export_id"] = m.group(1)
                articles.append(article)
            chunk = []
        else:
            chunk.append(line)
    return articles  # a trailing part without a 'Document' line is a search summary


def _parse_article(chunk: list[str]) -> ExportArticle | None:
    text = [line.strip() for line in chunk]
    while text and not text[0]:
        text.pop(0)
    if not any(text):
        return None
    head = [(i, line) for i, line in enumerate(text[:20]) if line]
    wc = next((i for i, line in head if _WORDS.match(line)), None)
    if wc is None:
        return ExportArticle([], {"title": head[0][1]},
                             error="no 'N words' line in the article's header")
    meta = {"word_count": word_count(text[wc])}
    # Before it: headline, "By" byline, section; anything earlier is a page's preamble.
    before = [line for i, line in head if i < wc]
    by = next((i for i, line in enumerate(before) if re.match(r"^by\s+\S", line, re.I)), None)
    if by is not None:
        meta["author"] = person_name(before[by])
        titles, sections = before[:by], before[by + 1:]
    else:
        titles, sections = before[:-1] or before, before[-1:] if len(before) > 1 else []
    meta["title"] = titles[-1] if titles else ""
    if sections:
        meta["section"] = sections[-1]
    # After the word count: date, time?, source name, source code, language, copyright.
    after = [(i, line) for i, line in head if i > wc]
    body_start = wc + 1
    fields: list[str] = []
    for i, line in after:
        if _COPYRIGHT.match(line):
            body_start = i + 1
            break
        fields.append(line)
        body_start = i + 1
        if LANGUAGE_LINE.match(line):
            meta["language"] = language_code(line)
            if not any(_COPYRIGHT.match(x) for _, x in after):
                break
    for line in fields:
        if "date" not in meta and parse_date(line):
            meta["date"] = parse_date(line)
        elif "date" in meta and "outlet" not in meta and not _TIME.match(line):
            meta["outlet"] = line
    body = [line for line in text[body_start:]]
    if not meta.get("date") or not any(body):
        return ExportArticle([], meta, error="no date or no text after the article's header")
    return ExportArticle(body, meta)


def _split_coded(lines: list[str]) -> list[ExportArticle]:
    """Articles of the indexed format: fields run from their code to the next code."""
    records: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    code = ""
    for line in lines:
        m = _CODE_LINE.match(line)
        if m:
            code = m.group(1)
            if code == "HD":
                current = {}
                records.append(current)
            if current is not None:
                current.setdefault(code, [])
                if m.group(2).strip():
                    current[code].append(m.group(2).strip())
        elif current is not None and code:
            current[code].append(line.strip())
    articles = []
    for rec in records:
        def one(key: str, rec=rec) -> str:
            return " ".join(x for x in rec.get(key, []) if x).strip()
        body = [*rec.get("LP", []), "", *rec.get("TD", [])]
        meta = {"title": one("HD"), "author": person_name(one("BY")) if one("BY") else "",
                "section": one("SE"), "word_count": word_count(one("WC")),
                "date": parse_date(one("PD")), "outlet": one("SN"),
                "language": language_code(one("LA")) if one("LA") else "",
                "export_id": re.sub(r"^Document\s+", "", one("AN"))}
        meta = {k: v for k, v in meta.items() if v}
        if not any(x.strip() for x in body):
            articles.append(ExportArticle([], meta, error="no LP/TD text fields"))
        else:
            articles.append(ExportArticle(body, meta))
    return articles
