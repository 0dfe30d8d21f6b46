"""The optimised analysis.text gives exactly the outputs of the original implementation.

The original (straightforward) implementation is kept below, frozen, as the reference:
every public function of :mod:`analysis.text` is compared with it on our own tricky
sentences, on random texts built from tricky fragments, and on the seed articles.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache

import pytest

from analysis import text as fast

# ---- frozen reference implementation (the engine's text.py before optimisation) -------

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


# ---- the comparison -------------------------------------------------------------------

OWN_TEXTS = [
    "",
    "   \n\n  \t ",
    "The U.S. and the E.U. met on Feb. 8 in Brussels. The talks ended at 5 p.m. sharp.",
    "It moved to the U.S. The next day Mr. Putin left. Dr. J. Smith stayed in the U.K.",
    "“[We] must act now,” said Gen. Li. ‘Not yet’, replied Sen. Brown! Who knows?",
    "China’s ties with Russia’s leaders grew. The partners’ trade rose 12.5% in 2023.",
    "A no-limits partnership - as officials say - is a well-known, long-term goal; right?",
    "He said... then stopped… Then: (a U.S.-China deal) [with] {braces} «quotes» — dash – en.",
    "中国和俄罗斯加强合作。Россия и Китай подписали соглашение. Москва, 8 февраля.",
    "No. 2 of the list was No. 3 last year. Vol. 4 appeared pp. 12-14 etc. and more.",
    "AT&T and Johnson & Johnson, e.g. large firms, i.e. groups, ca. 1990 vs. 2020.",
    "İstanbul ß Straße ǅemal ÆSIR. ΣΊΣΥΦΟΣ ran. _under_score__ and __ alone _ here.",
    "Line one without stop\nLine two. Line three!\n\n\nLast line?  ",
    "U.S.A. officials left. P.R.C. officials stayed. D.C. was quiet. The U.N. Then what?",
    "Prices fell 3.5 per cent. 4. Point four. A. B. Charles said it’s ‘fine’.",
    "'Quoted' words, \"double\" ones, and rock'n'roll's fans' cheers.",
    "Ellipsis at end...\nand a lower-case start. ?!? Odd punctuation!!! Really?!",
    "Xinhua reported on Sept. 30 that Mr. Xi met Mrs. Li (of Co. Ltd.) at 9 a.m. Monday.",
]

_FRAGMENTS = [
    "U.S.", "U.K.", "E.U.", "Feb.", "Sept.", "Mr.", "No.", "J.", "etc.", "e.g.", "p.m.",
    "U.S.A.", "8", "12.5", "2023", ".", "..", "...", "…", "?", "!", "?!", ",", ";", ":",
    "(", ")", "[", "]", "“", "”", "‘", "’", "'", '"', "«", "»", "—", "–", "-", " - ", "&",
    "’s", "'s", "_", "__", "The", "the", "we", "We", "must", "China", "Russia’s",
    "no-limits", "rock'n'roll", "AT&T", "中国", "合作", "Россия", "Москва", "İstanbul",
    "Straße", "ǅ", "Σ", "1st", "²", "٣", " ", " ", " ", " ", "  ", "\t", "\n", "\n\n",
    "\u00a0", "\u2009", "partnership", "and", "however", "A", "a", "Then",
]


def _random_texts(n: int, seed: int = 20261123) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        k = rng.randint(0, 60)
        parts = []
        for _ in range(k):
            parts.append(rng.choice(_FRAGMENTS))
            if rng.random() < 0.6:
                parts.append(" ")
        out.append("".join(parts))
    return out


def _sentences(ss) -> list[tuple]:
    return [(s.index, s.start, s.end, s.paragraph, s.text) for s in ss]


def _tokens(ts) -> list[tuple]:
    return [(t.norm, t.start, t.end, t.sentence) for t in ts]


def _assert_same(text: str) -> None:
    assert _sentences(fast.split_sentences(text)) == _sentences(split_sentences(text)), text
    assert fast.words(text) == words(text), text
    assert fast.phrase_chunks(text) == phrase_chunks(text), text
    assert fast.ngrams(text) == ngrams(text), text
    for n_max in (0, 1, 2, 4):
        assert fast.ngrams(text, n_max) == ngrams(text, n_max), text
    assert _tokens(fast.tokenize(text, 5, 2)) == _tokens(tokenize(text, 5, 2)), text
    new, old = fast.segment(text), segment.__wrapped__(text)
    assert new.text == old.text
    assert _sentences(new.sentences) == _sentences(old.sentences), text
    assert _tokens(new.tokens) == _tokens(old.tokens), text
    assert list(new.norms) == [t.norm for t in old.tokens]
    assert list(new.token_starts) == [t.start for t in old.tokens]
    assert list(new.token_ends) == [t.end for t in old.tokens]
    assert list(new.token_sentences) == [t.sentence for t in old.tokens]
    assert new.n_words == old.n_words
    assert fast.segment.__wrapped__(text).n_words == old.n_words  # without the table
    assert new.n_paragraphs == old.n_paragraphs
    for s in old.sentences:
        assert _tokens(new.sentence_tokens(s.index)) == _tokens(old.sentence_tokens(s.index))


@pytest.mark.parametrize("text", OWN_TEXTS)
def test_same_output_on_tricky_sentences(text):
    _assert_same(text)


def test_same_output_on_random_fragment_texts():
    for text in _random_texts(600):
        _assert_same(text)


def test_same_output_on_all_own_texts_joined():
    _assert_same("\n".join(OWN_TEXTS))
    _assert_same(" ".join(OWN_TEXTS))


def test_same_normalised_tokens():
    for raw in ["China’s", "U.S.", "its", "it’s", "ÆSIR", "İstanbul", "Ǆemal", "boss's",
                "Xi's", "AT&T", "ΣΊΣΥΦΟΣ", "’s", "a’s"]:
        assert fast.normalise_token(raw) == normalise_token(raw), raw


def test_same_output_on_seed_articles(seeds_dir):
    files = sorted(seeds_dir.glob("*.txt"))
    assert files
    for path in files:
        _assert_same(path.read_text(encoding="utf-8"))
