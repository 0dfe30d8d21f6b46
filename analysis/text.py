"""Paragraphs, sentences, tokens and n-grams that survive news prose.

Contract with ingest: a document's text has one paragraph per line (hard-wrapped PDF
lines are re-joined at import), so a newline always ends a sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Sentence", "Token", "Segmented", "segment", "split_sentences", "tokenize",
           "words", "phrase_chunks", "ngrams", "normalise_token"]

# Abbreviations after which a full stop does not end a sentence (lower case, no dot).
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev st jr sr sr inc ltd co corp
jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
no nos vol vols pp p fig figs approx est dept univ assn bros vs etc al e.g i.e cf ca
u.s u.k u.n e.u u.s.a p.r.c d.c a.m p.m
""".split())
# Country-style abbreviations ("U.S.") end a sentence only when a typical sentence
# opener follows: "the U.S. The next day" splits, "the U.S. President" does not.
_OPENERS = frozenset("""
the a an this that these those it its he she they we i but and or so yet however
in on at for as if when while after before since although though there here such
meanwhile moreover still then thus also both neither many most some no not one two
""".split())
_INITIAL = re.compile(r"(?:^|[\s(\[“\"])(?:[A-Z]\.)+$")
# Candidate boundary: terminal punctuation, optional closing quotes/brackets, then space.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")
_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]*([\w.-]+)")
_TOKEN = re.compile(r"\w+(?:[-'’.&]\w+)*", re.UNICODE)
# Punctuation that breaks a phrase: n-grams never span it.
_PHRASE_BREAK = re.compile(r"[,;:()\[\]{}\"“”«»—–]|\s-\s|\.{3}|…")
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: ``start``/``end`` are offsets into the document text."""

    index: int
    start: int
    end: int
    paragraph: int
    text: str


@dataclass(frozen=True, slots=True)
class Token:
    """A word token: ``norm`` is its lower-cased, quote-folded form; offsets into the text."""

    norm: str
    start: int
    end: int
    sentence: int


@dataclass(frozen=True)
class Segmented:
    """A text split into sentences and tokens, computed once and shared by analyzers."""

    text: str
    sentences: tuple[Sentence, ...]
    tokens: tuple[Token, ...]

    @property
    def n_words(self) -> int:
        return len(self.tokens)

    @property
    def n_paragraphs(self) -> int:
        return len({s.paragraph for s in self.sentences})

    def sentence_tokens(self, index: int) -> list[Token]:
        return [t for t in self.tokens if t.sentence == index]


def normalise_token(raw: str) -> str:
    """Lower-case, fold curly apostrophes, drop a possessive 's ("China’s" -> "china")."""
    norm = raw.lower().replace("’", "'")
    if len(norm) > 3:
        norm = _POSSESSIVE.sub("", norm)
    return norm


def _is_false_boundary(text: str, match: re.Match[str]) -> bool:
    punct = match.group(0)
    if not punct.startswith(".") or punct.startswith(".."):
        return False
    before = text[max(0, match.start() - 12):match.start()]
    word = re.search(r"([\w.]+)$", before)
    if not word:
        return False
    w = word.group(1).lower()
    nxt = _NEXT_WORD.match(text, match.end())
    next_word = nxt.group(1) if nxt else ""
    if re.fullmatch(r"\d+", w) and next_word[:1].islower():
        return True  # "No. 2 of the list", a decimal split by space is rare
    if w in _ABBREVIATIONS or (("." in w) and w.rstrip(".") in _ABBREVIATIONS):
        if w.rstrip(".") in {"u.s", "u.k", "u.n", "e.u", "u.s.a", "p.r.c", "d.c", "etc"}:
            # Only a capitalised opener starts a new sentence: "the U.S. and the EU" is one.
            return not (next_word[:1].isupper() and next_word.lower() in _OPENERS)
        return True
    if _INITIAL.search(before + "."):
        # A single capital initial ("J. Smith"), unless the sentence plainly ends.
        return next_word[:1].isupper() and len(w) == 1
    if next_word[:1].islower():
        return True  # a full stop followed by a lower-case word is not a boundary
    return False


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with character offsets.

    Newlines end paragraphs; within a line, a full stop, question or exclamation mark
    (with any closing quote or bracket) followed by white space ends a sentence, unless it
    closes a known abbreviation ("Feb.", "Mr."), an initial, or is followed by a
    lower-case word. Empty and whitespace-only stretches are skipped.
    """
    sentences: list[Sentence] = []
    paragraph = -1
    for line in re.finditer(r"[^\n]+", text):
        line_text = line.group(0)
        if not line_text.strip():
            continue
        paragraph += 1
        base = line.start()
        start = 0
        for m in _BOUNDARY.finditer(line_text):
            if _is_false_boundary(line_text, m):
                continue
            _append(sentences, text, base + start, base + m.end(), paragraph)
            start = m.end()
        _append(sentences, text, base + start, base + len(line_text), paragraph)
    return sentences


def _append(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and any(ch.isalnum() for ch in text[start:end]):
        out.append(Sentence(len(out), start, end, paragraph, text[start:end]))


def tokenize(text: str, offset: int = 0, sentence: int = 0) -> list[Token]:
    """Word tokens of ``text`` (offsets shifted by ``offset``)."""
    return [Token(normalise_token(m.group(0)), offset + m.start(), offset + m.end(), sentence)
            for m in _TOKEN.finditer(text)]


def words(text: str) -> list[str]:
    """The normalised word tokens of ``text``."""
    return [normalise_token(m.group(0)) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=65536)
def segment(text: str) -> Segmented:
    """Sentences and tokens of a text. Cached: every analyzer segments the same texts."""
    sentences = split_sentences(text)
    tokens: list[Token] = []
    for s in sentences:
        tokens.extend(tokenize(s.text, s.start, s.index))
    return Segmented(text, tuple(sentences), tuple(tokens))


def ngrams(text: str, n_max: int = 3) -> list[str]:
    """All 1..``n_max``-grams of normalised words in ``text``, space-joined.

    N-grams never span a sentence end or phrase-breaking punctuation (commas, colons,
    brackets, quotation marks, dashes), so "no-limits partnership" is one bigram but
    "Russia, China" is not.
    """
    grams: list[str] = []
    for toks in phrase_chunks(text):
        for n in range(1, n_max + 1):
            for i in range(len(toks) - n + 1):
                grams.append(" ".join(toks[i:i + n]))
    return grams


def phrase_chunks(text: str) -> list[list[str]]:
    """The normalised words of ``text`` in runs that a phrase may not cross.

    A run ends at a sentence end or phrase-breaking punctuation (see :func:`ngrams`);
    empty runs are left out.
    """
    chunks: list[list[str]] = []
    for s in split_sentences(text):
        for chunk in _PHRASE_BREAK.split(s.text):
            toks = words(chunk)
            if toks:
                chunks.append(toks)
    return chunks
