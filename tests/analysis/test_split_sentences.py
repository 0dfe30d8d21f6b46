"""split_sentences, which finds the stops of a whole text at once, equals the former
implementation (kept here as the reference), which read each line with its own
``finditer``: the same sentences, offsets and paragraphs."""
from __future__ import annotations

import random
import re

from analysis import text as T
from analysis.resources import resource_path
from analysis.text import Sentence, split_sentences

_BOUNDARY = re.compile(r"[.!?…。！？；](?:(?<=[.!?…])[.!?…]*[\"'”’)\]»]*(?=\s+)"
                       r"|(?<=[。！？；])(?:[。！？；]|……)*[”’」』）》\"']*"
                       r"|(?<=…)…(?:[。！？；]|……)*[”’」』）》\"']*)")
_LINE = re.compile(r"[^\n]+")
_ALNUM = re.compile(r"[^\W_]")


def _is_false_boundary(text: str, match: re.Match[str]) -> bool:
    punct = match.group(0)
    if punct[0] != "." or punct.startswith(".."):
        return False
    before = text[max(0, match.start() - 12):match.start()]
    word = T._LAST_WORD.search(before)
    if not word:
        return False
    w = word.group(1).lower()
    nxt = T._NEXT_WORD.match(text, match.end())
    next_word = nxt.group(1) if nxt else ""
    if T._HEADING_NUMBER.fullmatch(before + "."):
        return True
    if T._DIGITS.fullmatch(w) and next_word[:1].islower():
        return True
    if w in T._ABBREVIATIONS or (("." in w) and w.rstrip(".") in T._ABBREVIATIONS):
        if w.rstrip(".") in T._COUNTRY_ABBREVIATIONS or w in T._COMPANY_SUFFIXES:
            return not (next_word[:1].isupper() and next_word.lower() in T._OPENERS)
        return True
    if T._INITIAL.search(before + "."):
        return next_word[:1].isupper() and (len(w) == 1 or not w.isascii())
    if next_word[:1].islower():
        return True
    return False


def _append(out: list, piece: str, start: int, paragraph: int) -> None:
    left = piece.lstrip()
    body = left.rstrip()
    if body and _ALNUM.search(body):
        begin = start + len(piece) - len(left)
        out.append(Sentence(len(out), begin, begin + len(body), paragraph, body))


def _reference(text: str) -> list[Sentence]:
    """The former split_sentences: each line read on its own."""
    sentences: list[Sentence] = []
    paragraph = -1
    for line in _LINE.finditer(text):
        line_text = line.group(0)
        if line_text.isspace():
            continue
        paragraph += 1
        base = line.start()
        start = 0
        for m in _BOUNDARY.finditer(line_text):
            if _is_false_boundary(line_text, m):
                continue
            _append(sentences, line_text[start:m.end()], base + start, paragraph)
            start = m.end()
        _append(sentences, line_text[start:], base + start, paragraph)
    return sentences


def _same(text: str) -> None:
    got = split_sentences(text)
    assert got == _reference(text), repr(text)
    assert all(type(s) is Sentence for s in got)


def test_the_reference_boundary_is_the_modules():
    # The whole-text stops are derived from the module's line stops: if those change,
    # this reference must change with them.
    assert T._BOUNDARY.pattern == _BOUNDARY.pattern


def test_split_equals_reading_each_line_on_random_text():
    """Random strings of words, every kind of stop (at a line's end too), closing quotes,
    abbreviations, initials, heading numbers, line breaks of several kinds, white space
    before and after a line break, and odd Unicode."""
    alphabet = (list("ab Z9_-'’.&,;!?…\n\t\u00a0\r\"”»)’」』）》") +
                [". ", "! ", "? ", ".” ", ".\n", "!\n", "?”\n", "…\n", "……\n", "。", "……",
                 "！", "？", "；", "。”", "U.S. ", "U.S.\n", "Mr. ", "J. ", "В.В. ", "No. 2",
                 " the ", "The ", " and ", "II. ", "\nII. ", "3. ", "Co. Ltd. ", "e.g. ",
                 "é", "中", "Я", "ё", "\u200b", "\u2028", "\u3000", "Ⅻ", "²", "ß", "😀", "___",
                 "\r\n", "\n\n", " \n ", "\t\n", ".\t\n", "?\u00a0\n"])
    rng = random.Random(62)
    for _ in range(20000):
        _same("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))))


def test_split_equals_reading_each_line_on_the_demo_and_seed_articles(seeds_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8")
              for p in sorted(resource_path("demo").glob("*.txt"))]
    assert len(texts) > 5
    for text in texts:
        _same(text)
        # The same text hard-wrapped and with blank lines, as an unnormalised import.
        _same(text.replace(". ", ".\n").replace(", ", ",\n\n"))
