"""Find web furniture, contact blocks and page furniture; remove them reversibly.

Every removal is a :class:`analysis.corpus.Removal` with offsets into the document's
``raw_text`` and a reason, so the app can show what was taken out and :func:`restore` can
put any of it back. The rules are conservative: they match whole short lines of a known
shape (a share bar, an e-mail line, a page number), never sentences of article prose.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from analysis.corpus import Document, Removal

__all__ = ["find_boilerplate", "line_span", "apply_removals", "restore",
           "WEB", "CONTACT", "PAGE", "LINK", "BYLINE"]

WEB, CONTACT, PAGE, LINK, BYLINE = ("web furniture", "contact", "page furniture", "link",
                                    "byline")

_I = re.IGNORECASE
# Whole lines of web page furniture (matched against a stripped line under 120 chars).
_WEB_LINES = re.compile(r"""^(?:
    (?:adjust\s+)?(?:font|text)\s+size\b.*
  | (?:leave|post|add|write)\s+an?\s+(?:reply|comment)\b.*
  | (?:\d+\s+)?comments?\s*(?:\(\d+\))?:?
  | you\s+(?:might|may)\s+(?:also\s+)?like\b.*
  | (?:related|recommended|more)\s+(?:articles?|stories|posts|news|reading|from\s+.+)\s*:?
  | related\s*:?|recommended\s*:?|read\s+more\b.*|most\s+(?:read|popular|viewed)\b.*
  | (?:click|tap)\s+here\b.{0,60}
  | share(?:\s+(?:this|on|via|to|with)\b.{0,40})?\s*:?
  | (?:print|e-?mail|tweet|whatsapp|telegram|facebook|twitter|linkedin|reddit|weibo|wechat
     |copy\s+link|share)(?:[\s|/,·•]+(?:print|e-?mail|tweet|whatsapp|telegram|facebook
     |twitter|linkedin|reddit|weibo|wechat|copy\s+link|share|this\s+(?:article|page|story)))*
     (?:\s+this\s+(?:article|page|story))?\s*:?
  | subscribe\b.{0,80}|sign\s+up\b.{0,80}|follow\s+us\b.{0,80}|newsletter\b.{0,60}
  | (?:advertisement|sponsored(?:\s+content)?|skip\s+to\s+(?:main\s+)?content|back\s+to\s+top
     |top\s+of\s+page|loading\.*|tags?\s*:.{0,100}|keywords?\s*:.{0,200}|editor\s*:.{0,60}
     |责任?编辑?\s*[:：].{0,40}|打印|关闭窗口|分享到.{0,40})
  | (?:copyright\s*)?©.{0,100}|copyright\s+\d{4}.{0,100}|.{0,80}all\s+rights\s+reserved\.?
)$""", _I | re.VERBOSE)
_COOKIE = re.compile(r"\b(?:we|(?:this|our)\s+(?:web)?site)\s+uses?\s+cookies\b"
                     r"|\baccept(?:\s+all)?\s+cookies\b|\buse\s+of\s+cookies\b"
                     r"|\bcookies?\s+(?:policy|settings|consent|preferences|notice)\b", _I)
# Every cookie notice above names cookies: a line without the word skips that search.
_COOKIE_WORD = re.compile("cookie", _I)
_CONTACT_LINES = re.compile(r"""^(?:
    (?:e-?mail|email\s+address|contact(?:\s+(?:us|information|details))?|电子邮件|邮箱)\s*[:：]
  | (?:tel|telephone|phone|ph|fax|mob|mobile|cell|电话|传真|手机)\.?\s*(?:no\.?)?\s*[:：.]
  | (?:postal\s+|mailing\s+|postcode\s*)?(?:address|add|地址|邮编)\.?\s*[:：]
  | orcid\b|research\s*gate\b|google\s+scholar\s*:|scopus\s+author\s+id\b
)""", _I | re.VERBOSE)
_CONTACT_ANYWHERE = re.compile(r"orcid\.org/|researchgate\.net/|\b\d{4}-\d{4}-\d{4}-\d{3}[\dX]\b",
                               _I)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_ONLY = re.compile(r"^\+?\(?\d[\d\s().-]{6,22}\d$")
_URL_ONLY = re.compile(r"^<?(?:https?://|www\.)\S+?>?$", _I)
_PAGE_LINE = re.compile(r"^(?:page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]"
                        r"|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})$", _I)


def line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen the line ``text[start:end]`` to take its line break with it, so removing it
    leaves no blank line: the following newline, or the preceding one on the last line."""
    if end < len(text) and text[end] == "\n":
        return start, end + 1
    if start > 0 and text[start - 1] == "\n":
        return start - 1, end
    return start, end


def _sentence_like(line: str) -> bool:
    """A full sentence ("Share prices fell sharply on Monday.") is prose, not a share bar."""
    low = line.lower()
    return (len(line.split()) >= 6 and line.rstrip().endswith((".", "!", "?", "”", '"'))
            and "©" not in line and "rights reserved" not in low)


def _classify(line: str) -> str | None:
    if len(line) <= 120:
        if _WEB_LINES.match(line) and not _sentence_like(line):
            return WEB
        if _CONTACT_LINES.match(line) or _CONTACT_ANYWHERE.search(line):
            return CONTACT
        if "@" in line and EMAIL.search(line) and len(line) < 100 and len(line.split()) <= 8:
            return CONTACT
        if _PHONE_ONLY.match(line) and sum(ch.isdigit() for ch in line) >= 7:
            return CONTACT
        if _URL_ONLY.match(line):
            return LINK
        if _PAGE_LINE.match(line):
            return PAGE
    if len(line) <= 400 and _COOKIE_WORD.search(line) and _COOKIE.search(line):
        return WEB
    return None


def _affiliation_lines(lines: list[tuple[int, int, str, str | None]]) -> set[int]:
    """Indexes of the author-affiliation lines just above a contact block at the top of an
    article ("East China Normal University", "Associate Professor"): short lines without
    a full stop, never the first line (the title)."""
    found: set[int] = set()
    for i, (_s, _e, _line, reason) in enumerate(lines[:25]):
        if reason != CONTACT or (i > 0 and lines[i - 1][3] == CONTACT):
            continue
        j = i - 1
        while j >= 1 and lines[j][3] is None and len(lines[j][2]) < 80 \
                and not lines[j][2].rstrip().endswith((".", ":", "?", "!", "”", '"')):
            found.add(j)
            j -= 1
    return found


def find_boilerplate(text: str) -> list[Removal]:
    """Removals for furniture lines in ``text`` (one paragraph per line).

    Whole lines are removed for web furniture (share bars, "Adjust font size", "leave a
    reply:", "You might also like", subscribe and cookie notices, copyright lines),
    contact lines (e-mail, phone, fax, postal address, ORCID, ResearchGate) with the
    affiliation lines just above them, bare links and bare page numbers. An e-mail address inside a prose line is removed on its own.
    """
    lines = [(m.start(), m.end(), m.group(0), _classify(m.group(0).strip()))
             for m in re.finditer(r"[^\n]+", text)]
    affiliation = _affiliation_lines(lines)
    found: list[Removal] = []
    for i, (start, end, line, reason) in enumerate(lines):
        if i in affiliation:
            reason = CONTACT
        if reason:
            s, t = line_span(text, start, end)
            found.append(Removal(s, t, text[s:t], reason))
        elif "@" in line:
            for e in EMAIL.finditer(line):
                s, t = start + e.start(), start + e.end()
                found.append(Removal(s, t, text[s:t], CONTACT))
    return found


def apply_removals(raw_text: str, removals: Iterable[Removal]
                   ) -> tuple[str, tuple[Removal, ...]]:
    """The text left after ``removals``, and the removals kept (sorted, no overlaps).

    Where removals overlap, the one starting first (the longer on a tie) keeps the shared
    characters and the other is trimmed, so every character is removed at most once and
    :func:`restore` is exact.
    """
    kept: list[Removal] = []
    for r in sorted(removals, key=lambda r: (r.start, -(r.end - r.start))):
        if kept and r.start < kept[-1].end:
            # Two line removals can share the line break between them: trim, don't drop.
            start = kept[-1].end
            r = Removal(start, r.end, raw_text[start:r.end], r.reason)
        if r.end > r.start:
            kept.append(r)
    pieces, pos = [], 0
    for r in kept:
        pieces.append(raw_text[pos:r.start])
        pos = r.end
    pieces.append(raw_text[pos:])
    return "".join(pieces), tuple(kept)


def restore(doc: Document, reasons: Iterable[str] | None = None) -> Document:
    """A copy of ``doc`` with removed passages put back.

    ``reasons=None`` restores everything (``text == raw_text``); otherwise only removals
    with one of the given reasons are restored and the others stay removed.
    """
    from dataclasses import replace

    wanted = None if reasons is None else set(reasons)
    still = tuple(r for r in doc.removed if wanted is not None and r.reason not in wanted)
    text, still = apply_removals(doc.raw_text, still)
    return replace(doc, text=text, removed=still)
