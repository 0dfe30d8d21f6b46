"""Paragraphs, sentences, tokens and n-grams that survive news prose.

Contract with ingest: a document's text has one paragraph per line (hard-wrapped PDF
lines are re-joined at import), so a newline always ends a sentence.

Speed: these functions run over every word of tens of thousands of articles, so they
avoid a Python object per token where they can: words are found with one regular
expression pass per text or phrase chunk, each distinct raw word is normalised once
(a bounded cache), and :class:`Segmented` builds its :class:`Token` objects only when
asked for. tests/analysis/test_text_tokens.py proves the token table equals reading each
sentence on its own.

Languages: Chinese text is split into sentences at 。！？；and …… (with any closing
quote) and into words by jieba; Russian words are counted by lemma, so "партнёрства" and
"партнёрству" are one word (the surface form stays at the token's offsets). The language
is the document's stored one when the caller passes it, else guessed from the script
(:func:`analysis.lang.text_language`); other languages are tokenised as before.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate, chain, repeat
from typing import NamedTuple

from analysis.lang import LEMMATISED, SEGMENTED, match_key, resolve_language, zh_words

__all__ = ["Sentence", "Token", "Segmented", "segment", "split_sentences", "tokenize",
           "words", "phrase_chunks", "ngrams", "normalise_token"]

# Abbreviations after which a full stop does not end a sentence (lower case, no dot).
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev st jr sr sr inc ltd co corp
jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
no nos vol vols pp p fig figs approx est dept univ assn bros vs etc al e.g i.e cf ca
u.s u.k u.n e.u u.s.a p.r.c d.c a.m p.m
г гг им ул т.е т.к т.н см
""".split())
# Country-style abbreviations ("U.S.") end a sentence only when a typical sentence
# opener follows: "the U.S. The next day" splits, "the U.S. President" does not.
_OPENERS = frozenset("""
the a an this that these those it its he she they we i but and or so yet however
in on at for as if when while after before since although though there here such
meanwhile moreover still then thus also both neither many most some no not one two
""".split())
_INITIAL = re.compile(r"(?:^|[\s(\[“\"«])(?:[A-ZА-ЯЁ]\.)+$")
# Candidate boundary: terminal punctuation, optional closing quotes/brackets, then space;
# or Chinese terminal punctuation (。！？；or ……) with any closing quote, space or not.
# Plainly, the alternation [.!?…]+[closers]*(?=\s+)|(?:[。！？；]|……)+[closers]*. Written
# to open with one set of every stop, the regex engine skips to the next stop instead
# of trying both branches at every character (half of split_sentences' time). The stop
# read first then picks its branch by look-behind, "…" trying the Latin branch before
# "……" as the alternation does: the same matches (tests/analysis/test_text.py).
_BOUNDARY = re.compile(r"[.!?…。！？；](?:(?<=[.!?…])[.!?…]*[\"'”’)\]»]*(?=\s+)"
                       r"|(?<=[。！？；])(?:[。！？；]|……)*[”’」』）》\"']*"
                       r"|(?<=…)…(?:[。！？；]|……)*[”’」』）》\"']*)")
# The same stops found in a whole text at once, as _BOUNDARY finds them line by line: no
# part of it matches a line break, and "white space follows" becomes "white space other
# than a line break follows" (a line's end is the end of what _BOUNDARY reads). Split
# with it, a text is its pieces and its stops in turn, with no match object per stop.
_STOPS = re.compile("(" + _BOUNDARY.pattern.replace(r"(?=\s+)", r"(?=[^\S\n])") + ")")
assert _STOPS.pattern != "(" + _BOUNDARY.pattern + ")"
_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]*([\w.-]+)")
# Possessive (``++``, ``*+``): no part of a word is given back, which could never make a
# match anyway (a word is followed by a non-word character or the end), and the regex
# engine then keeps no backtracking state: the same matches, about 15 % faster.
_TOKEN = re.compile(r"\w++(?:[-'’.&]\w++)*+", re.UNICODE)
# Split with it, a text is its gaps and its words in turn (gap, word, gap, ..., gap).
_WORD_SPLIT = re.compile(f"({_TOKEN.pattern})")
# Punctuation that breaks a phrase: n-grams never span it.
_PHRASE_BREAK = re.compile(r"[,;:()\[\]{}\"“”«»—–，、：；（）《》「」『』【】。！？]|\s-\s|\.{3}|…")
_WORD_OR_BREAK = re.compile(f"({_TOKEN.pattern})|{_PHRASE_BREAK.pattern}")
_POSSESSIVE = re.compile(r"['’]s$")
_LINE = re.compile(r"[^\n]+")
_LAST_WORD = re.compile(r"([\w.]+)$")
_DIGITS = re.compile(r"\d+")
# An alphanumeric character: \w is str.isalnum() plus "_", so this is exactly isalnum().
_ALNUM = re.compile(r"[^\W_]")
_COUNTRY_ABBREVIATIONS = frozenset({"u.s", "u.k", "u.n", "e.u", "u.s.a", "p.r.c", "d.c", "etc"})
_NORM_CACHE_MAX = 200_000
_INT = "l" if array("i").itemsize < 4 else "i"  # a C int of at least 32 bits


class Sentence(NamedTuple):
    """A sentence: ``start``/``end`` are offsets into the document text.

    A named tuple rather than a dataclass: a large corpus has millions of sentences and
    a tuple is several times cheaper to create.
    """

    index: int
    start: int
    end: int
    paragraph: int
    text: str


class Token(NamedTuple):
    """A word token: ``norm`` is its lower-cased, quote-folded form; offsets into the text."""

    norm: str
    start: int
    end: int
    sentence: int


# Builds a named tuple from a tuple without the Python-level __new__ (hot loops only).
_tuple_new = tuple.__new__


class _TokenView(Sequence):
    """Read-only sequence of :class:`Token` built on access from the token table.

    A Token per word held for a whole corpus would cost ~90 bytes a word; the view keeps
    only the compact table and makes each Token when it is read.
    """

    __slots__ = ("_norms", "_starts", "_ends", "_sentences")

    def __init__(self, norms: tuple[str, ...], starts: array, ends: array,
                 sentences: array) -> None:
        self._norms, self._starts, self._ends, self._sentences = norms, starts, ends, sentences

    def __len__(self) -> int:
        return len(self._norms)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple([self[j] for j in range(*i.indices(len(self._norms)))])
        return _tuple_new(Token, (self._norms[i], self._starts[i], self._ends[i],
                                  self._sentences[i]))

    def __iter__(self) -> Iterator[Token]:
        for row in zip(self._norms, self._starts, self._ends, self._sentences, strict=True):
            yield _tuple_new(Token, row)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (_TokenView, tuple, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                          strict=True))
        return NotImplemented

    __hash__ = None  # mutable-looking sequences compare by value and are not hashable

    def __repr__(self) -> str:
        return f"<{len(self)} tokens>"


@dataclass(frozen=True)
class Segmented:
    """A text split into sentences and word tokens, computed once and shared by analyzers.

    Word tokens come as a compact table built on first use: ``norms`` (tuple of
    normalised words), ``token_starts`` / ``token_ends`` (arrays of offsets into
    ``text``) and ``token_sentences`` (array of sentence indices). ``tokens`` gives the
    same rows as :class:`Token` named tuples, made on access; on large corpora prefer
    the table, which is faster to read.

    ``lang`` is the language the words were found for: for "zh" the tokens are jieba
    words, for "ru" a token's ``norm`` is its lemma (``text[start:end]`` is the surface);
    "" for every other language (tokenised alike, see :func:`segment`).
    """

    text: str
    sentences: tuple[Sentence, ...]
    lang: str = ""
    #: The sentences are ``split_sentences(text)`` (as :func:`segment` makes them), so
    #: every token of the text lies in one (see :attr:`word_norms`).
    split: bool = field(default=False, compare=False, repr=False)

    @cached_property
    def _token_table(self) -> tuple[tuple[str, ...], array, array, array]:
        norms: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        sentence_ids: list[int] = []
        if self.lang in SEGMENTED:
            for s in self.sentences:
                for w, a, b in zh_words(s.text):
                    norms.append(_norm(w))
                    starts.append(s.start + a)
                    ends.append(s.start + b)
                    sentence_ids.append(s.index)
            return (tuple(norms), array(_INT, starts), array(_INT, ends),
                    array(_INT, sentence_ids))
        key = _key_function(self.lang)
        # One pass over the whole text, read with map() over the match methods (no Python
        # frame per word); each sentence then takes its run of words by bisect. A word
        # that does not lie wholly inside its sentence (not met in prose: sentences end
        # before white space) makes that sentence be read on its own, as it was before.
        found, all_starts, all_ends = _words_with_offsets(self.text)
        if self.split and "_" not in self.text:
            # Every word lies wholly inside one sentence (see word_norms), in order: a
            # sentence's words are those that start before its end and after the
            # previous sentence's words, so only each sentence's count is looked up.
            his = [bisect_left(all_starts, s.end) for s in self.sentences]
            counts = map(int.__sub__, his, [0, *his[:-1]])
            return (tuple(map(key, found)), array(_INT, all_starts), array(_INT, all_ends),
                    array(_INT, chain.from_iterable(map(repeat, range(len(his)), counts))))
        raw: list[str] = []
        for s in self.sentences:
            lo, hi = bisect_left(all_starts, s.start), bisect_left(all_starts, s.end)
            if (lo and all_ends[lo - 1] > s.start) or (hi > lo and all_ends[hi - 1] > s.end):
                own = list(_TOKEN.finditer(s.text))
                raw.extend(map(re.Match.group, own))
                starts.extend([s.start + m.start() for m in own])
                ends.extend([s.start + m.end() for m in own])
                sentence_ids.extend([s.index] * len(own))
            elif hi > lo:
                raw.extend(found[lo:hi])
                starts.extend(all_starts[lo:hi])
                ends.extend(all_ends[lo:hi])
                sentence_ids.extend([s.index] * (hi - lo))
        norms = list(map(key, raw))
        # Arrays of C ints: 4 bytes an offset instead of a 28-byte int object.
        return (tuple(norms), array(_INT, starts), array(_INT, ends),
                array(_INT, sentence_ids))

    @property
    def norms(self) -> tuple[str, ...]:
        """The normalised word of every token (see :func:`normalise_token`)."""
        return self._token_table[0]

    @property
    def token_starts(self) -> array:
        """Start offset of every token (``array`` of int, sorted: use with bisect)."""
        return self._token_table[1]

    @property
    def token_ends(self) -> array:
        return self._token_table[2]

    @property
    def token_sentences(self) -> array:
        """Sentence index of every token."""
        return self._token_table[3]

    @cached_property
    def tokens(self) -> Sequence[Token]:
        """Every token as a :class:`Token` (a read-only sequence; slices are tuples)."""
        return _TokenView(*self._token_table)

    @cached_property
    def word_norms(self) -> tuple[str, ...]:
        """:attr:`norms` without the offsets and sentences, for what only counts or
        compares the words (readability, the stance markers, the sizes).

        Read with one ``findall`` over the whole text, about half the cost of the table.
        That gives the same words when the sentences are ``split_sentences(text)``: no
        token crosses a sentence's edge (sentences end before white space or at a
        Chinese stop, neither inside a token), and the text left out of every sentence is
        white space and pieces without a letter or digit, whose only possible token is a
        run of "_" (so a text with "_" reads the table).
        """
        if (not self.split or self.lang in SEGMENTED or "_" in self.text
                or "_token_table" in self.__dict__):
            return self.norms
        return tuple(map(_key_function(self.lang), _TOKEN.findall(self.text)))

    @cached_property
    def n_words(self) -> int:
        if "_token_table" in self.__dict__ or self.lang in SEGMENTED:
            return len(self.norms)
        if self.split:
            return len(self.word_norms)
        findall = _TOKEN.findall
        return sum(len(findall(s.text)) for s in self.sentences)

    @property
    def n_paragraphs(self) -> int:
        return len({s.paragraph for s in self.sentences})

    def sentence_tokens(self, index: int) -> list[Token]:
        """The tokens of sentence ``index`` (empty for an index out of range)."""
        if 0 <= index < len(self.sentences):
            s = self.sentences[index]
            return tokenize(s.text, s.start, s.index, lang=self.lang)
        return []


def _words_with_offsets(text: str) -> tuple[list[str], list[int], list[int]]:
    """The words of ``text`` (as ``_TOKEN.findall``) with their start and end offsets.

    Why not ``finditer``: a match object per word cost more than finding the words.
    Split by ``_WORD_SPLIT``, the text is its gaps and words alternately in one list (a
    ``findall`` of gap and word pairs made a tuple per word, about a quarter more CPU), so
    the offsets are the running sum of the pieces' lengths: word k starts where piece
    2k ends and ends where piece 2k + 1 ends.
    """
    parts = _WORD_SPLIT.split(text)
    ends = list(accumulate(map(len, parts)))
    return parts[1::2], ends[0:-1:2], ends[1::2]


def _normalise(raw: str) -> str:
    norm = raw.lower().replace("’", "'")
    if len(norm) > 3:
        norm = _POSSESSIVE.sub("", norm)
    return norm


class _NormCache(dict):
    """raw word -> normalised word; news vocabulary is small, so most words are hits."""

    def __missing__(self, raw: str) -> str:
        if len(self) >= _NORM_CACHE_MAX:
            self.clear()  # bounded: a long-running app must not grow without limit
        norm = self[raw] = _normalise(raw)
        return norm


_NORMS = _NormCache()
_norm = _NORMS.__getitem__


def normalise_token(raw: str, lang: str = "") -> str:
    """Lower-case, fold curly apostrophes, drop a possessive 's ("China’s" -> "china");
    for a lemmatised language ("ru"), the lemma (see :func:`analysis.lang.match_key`)."""
    return _key_function(lang)(raw)


def _ru_key(raw: str) -> str:
    return match_key(_norm(raw), "ru")


def _key_function(lang: str):
    """raw word -> counted form for a text of language ``lang``."""
    return _ru_key if lang in LEMMATISED else _norm


# A roman or arabic section number at the start of a line ("II.", "3.") is a heading
# number, not a sentence.
_HEADING_NUMBER = re.compile(r"\s*(?:[IVXLC]{1,6}|\d{1,2})\.")
# Company suffixes often end a sentence ("... signed with Sinopec Co. Ltd. The deal ..."):
# like "U.S.", they end one only before a capitalised sentence opener.
_COMPANY_SUFFIXES = frozenset({"ltd", "inc", "corp", "co"})


def _is_false_boundary(text: str, begin: int, end: int, line_start: int,
                       line_end: int) -> bool:
    """Whether the stop at ``text[begin:end]``, which opens with one full stop (not
    "..": :func:`split_sentences` tests that first), in the line
    ``text[line_start:line_end]``, does not end a sentence. Reads only that line."""
    # The word before the stop, read from at most 12 characters back (``$`` matches at
    # the end position, so no slice is made for the common case).
    lo = begin - 12 if begin - 12 > line_start else line_start
    word = _LAST_WORD.search(text, lo, begin)
    if not word:
        return False
    w = word.group(1).lower()
    nxt = _NEXT_WORD.match(text, end, line_end)
    next_word = nxt.group(1) if nxt else ""
    last = text[begin - 1]  # the word's last character: a word was found before begin
    capital = "A" <= last <= "Z" or "А" <= last <= "Я" or last == "Ё"
    # A heading number and a number end in a digit or a capital (I, V, X, L, C); most
    # stops follow a word's small letter, which is neither, so skip their two tests.
    if capital or not last.isalpha():
        if _HEADING_NUMBER.fullmatch(text[lo:begin] + "."):
            return True  # a section number opening the line: "II. Economic cooperation"
        if _DIGITS.fullmatch(w) and next_word[:1].islower():
            return True  # "No. 2 of the list", a decimal split by space is rare
    if w in _ABBREVIATIONS or (("." in w) and w.rstrip(".") in _ABBREVIATIONS):
        if w.rstrip(".") in _COUNTRY_ABBREVIATIONS or w in _COMPANY_SUFFIXES:
            # Only a capitalised opener starts a new sentence: "the U.S. and the EU" is one.
            return not (next_word[:1].isupper() and next_word.lower() in _OPENERS)
        return True
    # _INITIAL needs a capital right before the full stop: tested cheaply first.
    if capital and _INITIAL.search(text[lo:begin] + "."):
        # A single capital initial ("J. Smith"), unless the sentence plainly ends.
        # Russian names carry two initials ("В.В. Путин"), so any Cyrillic initials do too.
        return next_word[:1].isupper() and (len(w) == 1 or not w.isascii())
    # A full stop followed by a lower-case word is not a boundary.
    return next_word[:1].islower()


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with character offsets.

    Newlines end paragraphs; within a line, a full stop, question or exclamation mark
    (with any closing quote or bracket) followed by white space ends a sentence, unless it
    closes a known abbreviation ("Feb.", "Mr."), an initial, or is followed by a
    lower-case word. Empty and whitespace-only stretches are skipped.

    Speed: the candidate stops of the whole text come from one ``split`` (with their
    offsets as the running sum of the pieces' lengths). A ``finditer`` per line was about
    a third of this function's time, mostly its scanner per line and match object per
    stop; the split takes less than half of that. Each line then takes its run of stops;
    the result equals reading each line on its own (tests/analysis/test_split_sentences.py).
    A stop that does not open with a single full stop always ends a sentence, so only
    the others are read by :func:`_is_false_boundary`; each sentence is added in the
    loop itself (a function call per sentence was a tenth of the time).
    """
    sentences: list[Sentence] = []
    append = sentences.append
    parts = _STOPS.split(text)
    # parts[k] for odd k is a stop; it starts at offsets[k - 1] and ends at offsets[k].
    offsets = list(accumulate(map(len, parts)))
    k, n = 1, len(parts)
    paragraph = -1
    for line in _LINE.finditer(text):
        line_start, line_end = line.span()
        if line.group(0).isspace():
            continue  # holds no stop: a stop is not white space
        paragraph += 1
        start = line_start
        while True:
            if k < n and offsets[k - 1] < line_end:
                end = offsets[k]
                stop = parts[k]
                k += 2
                if (stop[0] == "." and stop[1:2] != "."
                        and _is_false_boundary(text, end - len(stop), end, line_start,
                                               line_end)):
                    continue
            else:
                end = line_end
            # The piece without its surrounding white space, if it has an alphanumeric
            # character (the first one, mostly: tested before the regex).
            piece = text[start:end]
            left = piece.lstrip()
            body = left.rstrip()
            if body and (body[0].isalnum() or _ALNUM.search(body)):
                begin = start + len(piece) - len(left)
                append(_tuple_new(Sentence, (len(sentences), begin, begin + len(body),
                                             paragraph, body)))
            if end == line_end:
                break
            start = end
    return sentences


def tokenize(text: str, offset: int = 0, sentence: int = 0,
             lang: str | None = None) -> list[Token]:
    """Word tokens of ``text`` (offsets shifted by ``offset``); see :func:`segment` for
    ``lang``."""
    lang = resolve_language(text, lang)
    if lang in SEGMENTED:
        return [_tuple_new(Token, (_norm(w), offset + a, offset + b, sentence))
                for w, a, b in zh_words(text)]
    key = _key_function(lang)
    return [_tuple_new(Token, (key(m.group()), offset + m.start(), offset + m.end(), sentence))
            for m in _TOKEN.finditer(text)]


def words(text: str, lang: str | None = None) -> list[str]:
    """The normalised word tokens of ``text`` (Chinese words, Russian lemmas)."""
    lang = resolve_language(text, lang)
    if lang in SEGMENTED:
        return [_norm(w) for w, _, _ in zh_words(text)]
    return list(map(_key_function(lang), _TOKEN.findall(text)))


def segment(text: str, lang: str | None = None) -> Segmented:
    """Sentences (and, on demand, tokens) of a text. Cached: every analyzer segments the
    same texts.

    ``lang`` is the document's stored language ("zh", "ru", "en"...); None guesses it
    from the script, which is what analyzers that only hold the text get.
    """
    lang = resolve_language(text, lang)
    # Every language other than the lemmatised and segmented ones is split and tokenised
    # alike: one cache entry serves them, so an analyzer that passes the stored "en" and
    # one that passes nothing (guessed "") share the work instead of segmenting twice.
    return _segment(text, lang if lang in LEMMATISED or lang in SEGMENTED else "")


# Bounded by memory: a segmented text with its tokens is about 30 KB (600 words), so
# 8,192 of them are about 250 MB; 65,536 were 2 GB on a 100,000-article corpus.
@lru_cache(maxsize=8192)
def _segment(text: str, lang: str) -> Segmented:
    return Segmented(text, tuple(split_sentences(text)), lang, split=True)


# Workers and benchmarks empty the cache between chunks or runs through segment itself.
segment.cache_clear = _segment.cache_clear  # type: ignore[attr-defined]


def ngrams(text: str, n_max: int = 3, lang: str | None = None) -> list[str]:
    """All 1..``n_max``-grams of normalised words in ``text``, space-joined.

    N-grams never span a sentence end or phrase-breaking punctuation (commas, colons,
    brackets, quotation marks, dashes), so "no-limits partnership" is one bigram but
    "Russia, China" is not.
    """
    grams: list[str] = []
    join = " ".join
    for toks in phrase_chunks(text, lang):
        if n_max >= 1:
            grams += toks
        for n in range(2, n_max + 1):
            grams += [join(toks[i:i + n]) for i in range(len(toks) - n + 1)]
    return grams


def phrase_chunks(text: str, lang: str | None = None) -> list[list[str]]:
    """The normalised words of ``text`` in runs that a phrase may not cross.

    A run ends at a sentence end or phrase-breaking punctuation (see :func:`ngrams`);
    empty runs are left out. Uses the cached :func:`segment` of ``text``.
    """
    seg = segment(text, lang)
    if seg.lang in SEGMENTED:
        return _segmented_chunks(seg)
    norm = _key_function(seg.lang)
    # One regex pass over the sentences joined by ";" (itself a phrase break, and no
    # word or longer break can include it): a word comes back as itself, a break as "".
    found = _WORD_OR_BREAK.findall(";".join([s.text for s in seg.sentences]))
    chunks: list[list[str]] = []
    run: list[str] = []
    for tok in found:
        if tok:
            run.append(tok)
        elif run:
            chunks.append(list(map(norm, run)))
            run = []
    if run:
        chunks.append(list(map(norm, run)))
    return chunks


def _segmented_chunks(seg: Segmented) -> list[list[str]]:
    """Phrase runs of a segmented (Chinese) text: words are jieba's, and a run ends where
    a sentence ends or a break mark (，、：《》...) stands between two words."""
    chunks: list[list[str]] = []
    run: list[str] = []
    text, norms, starts, ends, sents = (seg.text, seg.norms, seg.token_starts,
                                         seg.token_ends, seg.token_sentences)
    for i, norm in enumerate(norms):
        if run and (sents[i] != sents[i - 1]
                    or _PHRASE_BREAK.search(text, ends[i - 1], starts[i])):
            chunks.append(run)
            run = []
        run.append(norm)
    if run:
        chunks.append(run)
    return chunks
