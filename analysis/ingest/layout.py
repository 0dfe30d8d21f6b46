"""Normalise extracted text into one paragraph per line, marking page furniture on the way.

The contract with :mod:`analysis.text` is that a newline ends a sentence, so hard-wrapped
lines (PDF text, e-mails, text wrapped at 72 columns) are re-joined into paragraphs, while
headings and bullets keep their own lines. Page numbers and running headers found on
page boundaries stay in the text but are returned as spans to remove (reason
``"page furniture"``), so the removal is recorded and reversible.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

__all__ = ["normalise_chars", "build_text", "PAGE_FURNITURE"]

PAGE_FURNITURE = "page furniture"

# Characters that carry no text: zero-width spaces/joiners, BOMs, soft hyphens.
_INVISIBLE: dict[int, str | None] = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Typographic ligatures that PDF text layers often contain ("ﬁnancial" -> "financial").
_INVISIBLE.update({0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl",
                   0xFB05: "st", 0xFB06: "st"})
_HAS_INVISIBLE = re.compile("[" + "".join(map(chr, _INVISIBLE)) + "]")
_SPACE = r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
# Runs of spaces that are not already one plain space: matching every gap between two
# words (as "one or more spaces" did) cost half the time of normalising a text.
_SPACES = re.compile(f" {_SPACE}+|(?! ){_SPACE}+")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$"
    r"|^(?=[ivxlc])(?:c[d]|d?c{0,3})(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3})$",  # roman numerals
    re.IGNORECASE)
_BULLET = re.compile(r"^(?:[•·▪◦●○■□‣⁃*+-]\s|\d{1,2}[.)]\s|[a-z][.)]\s|[IVX]{1,5}\.\s|[A-H]\.\s)")
_TERMINAL = re.compile(r"[.!?…:;。！？”’\"')\]]$")
_ENDS_OPEN = re.compile(r"[\w,\-–—(“‘]$")


def normalise_chars(text: str) -> str:
    """NFC, ``\\n`` line endings, no invisible characters or ligatures, single spaces, no
    trailing blanks.

    Curly quotes and dashes are kept: quotation detection relies on them.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n").replace("\v", "\n")
    if _HAS_INVISIBLE.search(text):  # translate with a dict is slow; most texts have none
        text = text.translate(_INVISIBLE)
    return "\n".join([line.strip() for line in _SPACES.sub(" ", text).split("\n")])


def _key(line: str) -> str:
    """A line with its digits blanked, so "Journal 2021, p. 3" repeats as a header."""
    return re.sub(r"\d+", "#", line.lower()).strip()


def _furniture_lines(pages: list[list[str]]) -> set[tuple[int, int]]:
    """(page, line) positions of page numbers and running headers/footers.

    Only the first and last two non-empty lines of a page are candidates. A line is a
    running header when its digit-blanked form recurs on at least 3 pages and on at least
    40% of them (on both pages of a two-page document); a bare number (or "Page 3 of 9") there is a page number.
    """
    edges: list[list[int]] = []
    for lines in pages:
        filled = [i for i, ln in enumerate(lines) if ln]
        edges.append(sorted(set(filled[:2] + filled[-2:])))
    counts = Counter(_key(pages[p][i]) for p, idx in enumerate(edges) for i in set(idx))
    need = 2 if len(pages) == 2 else max(3, int(0.4 * len(pages) + 0.999))
    found: set[tuple[int, int]] = set()
    for p, idx in enumerate(edges):
        for i in idx:
            line = pages[p][i]
            if _PAGE_NUMBER.match(line) or (len(line) < 120 and counts[_key(line)] >= need):
                found.add((p, i))
    return found


def _is_hard_wrapped(lines: Sequence[str]) -> bool:
    """Plain text wrapped at a fixed width: most lines run on into a non-blank next line,
    and those lines have similar, moderate lengths."""
    run_on = [len(a) for a, b in zip(lines, lines[1:], strict=False) if a and b]
    filled = sum(1 for ln in lines if ln)
    if len(run_on) < 4 or len(run_on) < 0.5 * filled:
        return False
    run_on.sort()
    median = run_on[len(run_on) // 2]
    return 40 <= median <= 110


def _starts_block(line: str) -> bool:
    return bool(_BULLET.match(line))


def _joins(prev: str, line: str, width: int, blank_between: bool) -> bool:
    """Does ``line`` continue the paragraph that ``prev`` ends?"""
    if not prev or not line or _starts_block(line):
        return False
    first = line[0]
    if blank_between:
        # A paragraph split by a page break: long line cut mid-sentence, lower-case next.
        return len(prev) > 60 and bool(_ENDS_OPEN.search(prev)) and first.islower()
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and first.islower():
        return True
    short = len(prev) < 0.6 * width
    if _TERMINAL.search(prev) and len(prev) < 0.85 * width:
        return False  # a sentence that ends well short of the margin ends its paragraph
    if short and not prev.endswith((",", "-", "–")) and not first.islower():
        return False  # a short line followed by a capital: a heading or a list entry
    return True


def _join(prev: str, line: str) -> str:
    """Text that joins two wrapped lines: nothing after a hyphen or between CJK characters."""
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha():
        return ""
    if _is_cjk(prev[-1]) and _is_cjk(line[0]):
        return ""
    return " "


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def build_text(pages: Sequence[str], wrapped: bool | None = None
               ) -> tuple[str, list[tuple[int, int, str]]]:
    """Join pages of extracted text into one paragraph per line.

    Parameters
    ----------
    pages : sequence of str
        Page texts (one element for a text without pages; form feeds also split pages).
    wrapped : bool or None
        Whether lines are hard-wrapped (True for PDF text); ``None`` guesses from the text.

    Returns
    -------
    (text, furniture)
        The normalised text and ``(start, end, reason)`` spans of page furniture in it.
    """
    split: list[str] = []
    for page in pages:
        split.extend(page.split("\f"))
    page_lines = [normalise_chars(p).split("\n") for p in split]
    furniture = _furniture_lines(page_lines) if len(page_lines) > 1 else set()
    all_lines = [ln for lines in page_lines for ln in lines]
    if wrapped is None:
        wrapped = _is_hard_wrapped(all_lines)
    lengths = sorted(len(ln) for ln in all_lines if ln)
    # The wrap width: the 90th percentile of line lengths (the maximum for short texts).
    width = lengths[-(-9 * (len(lengths) - 1) // 10)] if lengths else 0

    out: list[str] = []          # pieces of the output text
    spans: list[tuple[int, int, str]] = []
    size = 0                     # characters emitted so far
    prev = ""                    # last body line emitted
    blank = False                # blank line(s) since prev
    pending: list[str] = []      # furniture lines waiting to be placed

    def emit(piece: str) -> None:
        nonlocal size
        out.append(piece)
        size += len(piece)

    for p, lines in enumerate(page_lines):
        for i, line in enumerate(lines):
            if (p, i) in furniture:
                pending.append(line)
                continue
            if not line:
                blank = True
                continue
            joining = bool(prev) and (_joins(prev, line, width, blank)
                                      if (wrapped or blank) else False)
            if pending:
                # Furniture keeps its own lines. When a paragraph runs across it, the
                # joining space comes after the span, so removing the span rejoins it.
                start = size
                if not out:
                    emit("\n".join(pending) + "\n")
                else:
                    emit("\n" + "\n".join(pending) + ("\n" if joining else ""))
                spans.append((start, size, PAGE_FURNITURE))
                pending = []
                if joining:
                    emit(_join(prev, line) + line)
                else:
                    emit(("\n" if start > 0 else "") + line)
            elif joining:
                emit(_join(prev, line) + line)
            else:
                emit(("\n" if out else "") + line)
            prev = line
            blank = False
    if pending:
        start = size
        emit(("\n" if out else "") + "\n".join(pending))
        spans.append((start, size, PAGE_FURNITURE))
    return "".join(out), spans
