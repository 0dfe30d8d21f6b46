"""Document features for the generic-frame detector: TF-IDF terms, codebook evidence and
the mean of word-piece vectors.

Terms are the words and word pairs of :func:`analysis.text.ngrams` (never across a
comma or sentence end). Codebook evidence is, per frame, the share of a document's
sentences that contain one of the frame's indicator phrases; the indicators follow the
Semetko & Valkenburg (2000) yes/no questions. The built-in indicator lists below are the
fallback; when the project's editable generic codebook (``analysis.frames``) is present,
its dictionaries can be passed in instead, so a user's edits reach the detector.
The word-piece mean (:class:`PieceMean`) reads the same word counts, cut into the shipped
encoder's word pieces, and averages one table row per piece; it depends on the document
alone, never on the rest of the corpus.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache, partial
from itertools import accumulate, compress, repeat
from operator import mul, not_

import numpy as np

# The script tests of text_language: a sentence without Han or Cyrillic letters is read
# as the document is, so only documents holding some need their sentences' guesses.
from analysis.lang import _HAN_OR_CYRILLIC, LEMMATISED, SEGMENTED, text_language
from analysis.models.data import FRAME_IDS

# The very regex and word key that analysis.text.phrase_chunks uses, so that the runs found
# here sentence by sentence are the runs it finds (tests/analysis/test_frame_detector_equal.py).
from analysis.text import (
    _WORD_OR_BREAK,
    Segmented,
    _key_function,
    ngrams,
    segment,
    split_sentences,
)

__all__ = ["DEFAULT_INDICATORS", "Codebook", "PieceMean", "DocumentTerms", "Vocabulary",
           "document_terms",
           "terms_by_sentence", "terms_of_texts", "codebook_features", "sentence_hits"]

#: Indicator phrases per frame (lower case; a trailing ``*`` matches any word ending).
DEFAULT_INDICATORS: dict[str, tuple[str, ...]] = {
    "conflict": (
        "disagree*", "dispute*", "conflict*", "clash*", "oppos*", "critic*", "attack*",
        "accus*", "blame*", "fight*", "battle*", "war", "rival*", "reject*", "denounc*",
        "slam*", "debate*", "versus", "against", "controvers*", "tension*", "protest*",
        "lawsuit*", "sue", "sued", "argu*", "skeptic*", "denier*", "hoax", "alarmist*",
        "winner*", "loser*", "partisan", "republicans", "democrats",
    ),
    "economic": (
        "cost*", "econom*", "financ*", "fund*", "money", "dollar*", "billion*", "million*",
        "tax*", "price*", "invest*", "market*", "jobs", "job", "industr*", "business*",
        "profit*", "spend*", "budget*", "gdp", "trade", "subsid*", "expens*", "afford*",
        "revenue*", "insurance", "bank*", "pay", "paid", "compan*",
    ),
    "human_interest": (
        "family", "families", "child*", "kids", "mother*", "father*", "daughter*", "son",
        "home*", "her life", "his life", "lives", "personal*", "story of", "suffer*",
        "victim*", "tragic*", "heartbreak*", "devastat*", "grief", "fear*", "hope*",
        "resident*", "farmer*", "died", "death*", "homeless", "emotional*", "told me",
        "i feel", "we feel", "grandchildren", "community", "communities",
    ),
    "morality": (
        "moral*", "ethic*", "god", "church", "faith", "relig*", "pope", "sin", "sinful",
        "duty", "obligation*", "responsib* to", "right thing", "wrong", "justice",
        "injustice", "fair*", "unfair*", "conscience", "sacred", "values", "shame*",
        "selfish*", "greed*", "evil", "virtue*", "should", "must", "generation*",
        "creation", "stewardship",
    ),
    "responsibility": (
        "solution*", "solve*", "mitigat*", "reduce*", "cut emissions", "policy", "policies",
        "plan*", "agreement*", "accord*", "target*", "commit*", "pledge*", "action",
        "act now", "urgent*", "govern*", "regulat*", "law*", "legislat*", "responsib*",
        "caused by", "blame*", "renewable*", "transition*", "carbon tax", "ban*",
        "initiative*", "deal", "measures",
    ),
}


class Codebook:
    """Indicator phrases per frame, compiled to one regular expression per frame.

    ``openings`` tells, for a word, which frames' patterns can match from its start
    (None when some indicator does not open with a plain ASCII word: see
    :func:`_opening_regex`); :func:`codebook_features` then tries the patterns only there.
    """

    def __init__(self, indicators: Mapping[str, Iterable[str]] | None = None):
        self.indicators = {f: tuple(dict.fromkeys(p.lower() for p in terms))
                           for f, terms in (indicators or DEFAULT_INDICATORS).items()}
        self.patterns = {f: _compile(terms) for f, terms in self.indicators.items() if terms}
        self.openings: _Openings | None = None
        openings = [_opening_regex(self.indicators.get(f, ())) for f in FRAME_IDS]
        self.token_openings: _TokenOpenings | None = None
        if all(o is not False for o in openings):
            self.openings = _Openings(openings)
            self.token_openings = _TokenOpenings(self.openings)

    def hits(self, text: str, frame: str) -> list[str]:
        """The indicator matches of ``frame`` in ``text`` (lower case, in order)."""
        pattern = self.patterns.get(frame)
        return [m.group(0).lower() for m in pattern.finditer(text)] if pattern else []


_WORD = re.compile(r"\w+")
_WORD_CHARACTER = re.compile(r"\w")
_ASCII_RUN = re.compile(r"[A-Za-z0-9_]+")
_OPENINGS_LIMIT = 500_000


def _opening_regex(terms: Sequence[str]) -> re.Pattern[str] | None | bool:
    r"""The words at whose start one of ``terms`` (as :func:`_to_regex` writes them) can
    match: a pattern to ``fullmatch`` a word (a run of ``\w``), None for no terms, and
    False when a term does not open with a run of ASCII word characters followed by an
    ASCII character or the end.

    A term's pattern opens with ``\b`` and a word character, so it can match only at the
    start of a word; then its leading run of word characters ``r`` is met by the whole
    word (``r\w*`` for a trailing ``*`` after ``r`` alone, else exactly ``r``, as the
    character after ``r`` is a ``\b`` or a non-word character). Case-insensitive matching
    maps an ASCII character only to characters of its own kind (word or not: checked by
    ``tests/analysis/test_frame_detector_equal.py`` over every code point), so the word
    test is exact.
    """
    alternatives = []
    for term in terms:
        body = term[:-1] if term.endswith("*") else term
        run = _ASCII_RUN.match(body)
        if not run or _WORD.match(body).end() != run.end() or not body[run.end():][:1].isascii():
            return False
        alternatives.append(re.escape(run.group()) + (r"\w*" if run.group() != term
                                                      and body == run.group() else ""))
    if not alternatives:
        return None
    return re.compile("(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


class _Openings(dict):
    """word -> indices (into :data:`FRAME_IDS`) of the frames whose pattern can match from
    its start; computed on first sight of a word (a news vocabulary is small), bounded."""

    def __init__(self, regexes: Sequence[re.Pattern[str] | None]) -> None:
        super().__init__()
        self._regexes = [(k, rx) for k, rx in enumerate(regexes) if rx is not None]

    def __missing__(self, word: str) -> tuple[int, ...]:
        if len(self) > _OPENINGS_LIMIT:
            self.clear()
        hit = self[word] = tuple(k for k, rx in self._regexes if rx.fullmatch(word))
        return hit


class _TokenOpenings(dict):
    r"""token (a word of ``analysis.text``, as found) -> its runs of ``\w`` at whose start
    a frame's pattern can match, each with those frames' indices (see :class:`_Openings`);
    computed on first sight of a token, bounded."""

    def __init__(self, openings: _Openings) -> None:
        super().__init__()
        self._openings = openings

    def __missing__(self, token: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
        if len(self) > _OPENINGS_LIMIT:
            self.clear()
        openings = self._openings
        hit = self[token] = tuple((w, openings[w]) for w in _WORD.findall(token) if openings[w])
        return hit


def _to_regex(term: str) -> str:
    if term.endswith("*"):
        return re.escape(term[:-1]) + r"\w*"
    return re.escape(term) + r"\b"


def _compile(terms: Sequence[str]) -> re.Pattern[str]:
    r"""One pattern finding any of ``terms`` at a word start: ``\b(?:t1|t2|...)``.

    Written grouped by first letter behind a look-ahead on the possible first letters,
    which finds the same matches about 2.5x faster: only terms that share a first letter
    can match at the same place, and each group keeps their order, so the alternative
    chosen at every place is the one the plain list chooses. A term whose first character
    is not a plain ASCII literal (two letters could then fold to the same character) keeps
    the plain list.
    """
    plain = r"\b(?:" + "|".join(_to_regex(t) for t in terms) + r")"
    groups: dict[str, list[str]] = {}
    for term in terms:
        if not term or term == "*" or not term[0].isascii():
            return re.compile(plain, re.IGNORECASE)
        groups.setdefault(term[0], []).append(_to_regex(term)[len(re.escape(term[0])):])
    first = "".join(re.escape(c) for c in groups)
    alternatives = "|".join(re.escape(c) + "(?:" + "|".join(rest) + ")"
                            for c, rest in groups.items())
    return re.compile(r"\b(?=[" + first + r"])(?:" + alternatives + ")", re.IGNORECASE)


def document_terms(text: str) -> Counter[str]:
    """Counts of the words and word pairs of a document (``analysis.text.ngrams``, n <= 2)."""
    return Counter(ngrams(text, n_max=2))


class DocumentTerms:
    """A document's terms from one pass: ``counts`` equals :func:`document_terms`, and
    ``grams`` holds the words and word pairs of every sentence of ``segmented``
    (``segment(text)``), sentence ``gram_sentences[k]`` holding ``grams[k]``: per sentence
    the same set as ``ngrams(sentence.text, n_max=2)``, in no particular order.
    ``words`` holds the sentences' words as found in their text, in order, with "" for a
    phrase break or a sentence's end (None for a segmented text): what
    :func:`codebook_features` can read instead of finding the words again.

    Read with a :class:`Vocabulary` (``names``: its :attr:`Vocabulary.names`), the terms
    are held as term ids: ``gram_terms`` of ``grams``, and ``term_counts`` (term id ->
    count, in the order of ``counts``); ``grams`` and ``counts`` are then made from them
    when first read (the detector reads only the ids)."""

    __slots__ = ("gram_sentences", "segmented", "words", "gram_terms", "term_counts",
                 "_counts", "_grams", "_names")

    def __init__(self, counts: Counter[str] | None, grams: list[str] | None,
                 gram_sentences: np.ndarray, segmented: Segmented,
                 words: list[str] | None = None, *, names: Sequence[str] | None = None,
                 gram_terms: np.ndarray | None = None,
                 term_counts: Counter[int] | None = None) -> None:
        self._counts, self._grams, self.gram_sentences = counts, grams, gram_sentences
        self.segmented, self.words, self._names = segmented, words, names
        self.gram_terms, self.term_counts = gram_terms, term_counts

    @property
    def counts(self) -> Counter[str]:
        if self._counts is None:
            self._counts = Counter(dict(zip(map(self._names.__getitem__, self.term_counts),
                                            self.term_counts.values(), strict=True)))
        return self._counts

    @property
    def grams(self) -> list[str]:
        if self._grams is None:
            self._grams = list(map(self._names.__getitem__, self.gram_terms.tolist()))
        return self._grams

    @property
    def sentences(self) -> tuple[list[str], ...]:
        """Per sentence of ``segmented``, its words and word pairs."""
        out: tuple[list[str], ...] = tuple([] for _ in self.segmented.sentences)
        for gram, r in zip(self.grams, self.gram_sentences, strict=True):
            out[r].append(gram)
        return out


class Vocabulary:
    """The words and word pairs a model knows, to keep only those of a document's terms.

    Each term has an id, its place in ``names`` (the order given: a model's columns). For
    :func:`terms_by_sentence` the words that can make a term are numbered too (``ids``),
    so that a document's words and word pairs are looked up as arrays of integers.
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self.names: tuple[str, ...] = tuple(dict.fromkeys(terms))
        self.terms = frozenset(self.names)
        self.index = {t: k for k, t in enumerate(self.names)}
        # No empty word: "" marks a phrase break in terms_by_sentence's word list.
        self.words = frozenset(t for t in self.terms if " " not in t and t)
        # Pairs as (word, word), so a document's word pairs are looked up without joining
        # them into strings first (only the few the model knows are joined).
        self.pairs = frozenset(p for p in (tuple(t.split(" ")) for t in self.terms
                                           if t.count(" ") == 1) if all(p))
        # Word ids: 0.. for the words of a term (alone or in a pair), then one id for
        # any other word and one for "" (a phrase break). A document's word ids index
        # word_terms (the term id of a word, -1 for none); see pairs_in for the pairs.
        known = sorted(self.words.union(*self.pairs))
        self.unknown, self.brk = len(known), len(known) + 1
        self.ids = {w: k for k, w in enumerate(known)}
        self.ids[""] = self.brk
        self.word_terms = np.full(len(known) + 2, -1, dtype=np.intp)
        for w in self.words:
            self.word_terms[self.ids[w]] = self.index[w]
        # A pair's code: its first word's place among the pairs' first words, times the
        # number of second words, plus its second word's place among those. A bitmap of
        # the codes (about 0.6 MB for a model's 9,000 pairs) tells which adjacent words
        # are a pair; the sorted codes then give its term id.
        firsts = sorted({a for a, _ in self.pairs})
        seconds = sorted({b for _, b in self.pairs})
        self._first = np.full(len(known) + 2, -1, dtype=np.int64)
        self._first[[self.ids[w] for w in firsts]] = np.arange(len(firsts))
        self._second = np.full(len(known) + 2, -1, dtype=np.int64)
        self._second[[self.ids[w] for w in seconds]] = np.arange(len(seconds))
        self._n_seconds = len(seconds)
        codes = {self._pair_code(a, b): self.index[a + " " + b] for a, b in self.pairs}
        self._pair_codes = np.asarray(sorted(codes), dtype=np.int64)
        self._pair_terms = np.asarray([codes[c] for c in self._pair_codes.tolist()],
                                      dtype=np.intp)
        self._pair_bits = np.zeros((len(firsts) * len(seconds) + 7) // 8, dtype=np.uint8)
        np.bitwise_or.at(self._pair_bits, self._pair_codes >> 3,
                         (1 << (self._pair_codes & 7)).astype(np.uint8))

    def _pair_code(self, a: str, b: str) -> int:
        return int(self._first[self.ids[a]]) * self._n_seconds + int(self._second[self.ids[b]])

    def pairs_in(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where in a list of word ids (``ids``) a word pair of the vocabulary starts, and
        its term id."""
        first, second = self._first[ids[:-1]], self._second[ids[1:]]
        maybe = np.flatnonzero((first >= 0) & (second >= 0))
        codes = first[maybe] * self._n_seconds + second[maybe]
        held = ((self._pair_bits[codes >> 3] >> (codes & 7).astype(np.uint8)) & 1).astype(bool)
        return (maybe[held],
                self._pair_terms[np.searchsorted(self._pair_codes, codes[held])])

    def __contains__(self, term: str) -> bool:
        return term in self.terms

    def term_ids(self, sentence: str) -> list[int]:
        """The term ids of the words and word pairs of ``sentence`` (``ngrams``) that
        are terms, in order."""
        index = self.index
        return [index[t] for t in ngrams(sentence, n_max=2) if t in index]


def terms_by_sentence(text: str, vocabulary: Vocabulary | None = None) -> DocumentTerms:
    """:class:`DocumentTerms` of ``text``: its phrase runs read sentence by sentence.

    ``phrase_chunks`` reads the sentences joined by a phrase break, so the runs of each
    sentence are the document's runs in order and ``counts`` equals
    :func:`document_terms`, in the same order. A sentence read alone is one sentence
    again, so its runs are the ones ``ngrams`` finds in it, unless its own script
    guess differs from the document's, or it follows no white space (as after "。"):
    such sentences, and every sentence of a segmented (Chinese) text, are read again by
    ``ngrams``.

    With a ``vocabulary``, ``counts`` and ``grams`` hold only its terms (``counts`` in
    the same order), which is all a model without the word-piece head reads: see
    :func:`terms_of_texts`.
    """
    if vocabulary is not None:
        return terms_of_texts([text], vocabulary)[0]
    seg = segment(text)
    if seg.lang in SEGMENTED:
        return _segmented_terms(text, seg, None)
    found, ends, again = _sentence_words(text, seg)
    tokens = list(map(_key_function(seg.lang), found))
    _lend_word_norms(seg, tokens, found)
    n = len(tokens)
    words = list(compress(range(n), tokens))
    lengths = list(map(len, tokens))
    pairs = list(compress(range(n - 1), map(mul, lengths, lengths[1:])))
    following = tokens[1:]
    grams = list(map(tokens.__getitem__, words))
    grams += map(" ".join, zip(map(tokens.__getitem__, pairs), map(following.__getitem__, pairs),
                               strict=True))
    # ngrams lists a run's words, then its word pairs, run after run: that order decides
    # the order of counts, and so the TF-IDF sums to the bit. Sort keys in that order: a
    # word at i is i * (n + 1); a pair at i comes after the last word of its run (the
    # word before the next "", at e - 1) and before the next run's first word.
    at = np.asarray(words + pairs, dtype=np.int64)
    keys = at * (n + 1)
    if pairs:
        breaks = np.asarray(list(compress(range(n), map(not_, tokens))), dtype=np.int64)
        keys[len(words):] = _pair_keys(breaks, at[len(words):], n)
    counts = Counter(map(grams.__getitem__, np.argsort(keys).tolist()))
    gram_sentences = np.searchsorted(np.asarray(ends, dtype=np.int64), at).astype(np.intp)
    if again:
        grams, gram_sentences = _read_again(seg, again, grams, gram_sentences,
                                            partial(ngrams, n_max=2))
    return DocumentTerms(counts, grams, gram_sentences, seg, found)


def _pair_keys(breaks: np.ndarray, pairs: np.ndarray, n: int) -> np.ndarray:
    """The sort keys of word pairs at ``pairs`` among ``n`` words with "" at ``breaks``
    (see :func:`terms_by_sentence`): after the last word of the pair's run (the one
    before the next break, at e - 1), before the next run's first word."""
    return (breaks[np.searchsorted(breaks, pairs, side="right")] - 1) * (n + 1) + 1 + pairs


def _sentence_words(text: str, seg: Segmented) -> tuple[list[str], list[int], list[int]]:
    """Every sentence's words (``_WORD_OR_BREAK``) in one list, a phrase break and each
    sentence's end as ""; where each sentence's "" is; and the sentences that ``ngrams``
    must read again (see :func:`terms_by_sentence`)."""
    findall = _WORD_OR_BREAK.findall
    mixed = seg.lang != "" or bool(_HAN_OR_CYRILLIC.search(text))
    found: list[str] = []
    ends: list[int] = []
    again: list[int] = []
    for r, s in enumerate(seg.sentences):
        found += findall(s.text)
        ends.append(len(found))
        found.append("")
        own_language = "" if not mixed or s.text.isascii() else text_language(s.text)
        if own_language != seg.lang or (s.start and not text[s.start - 1].isspace()):
            again.append(r)
    return found, ends, again


def _segmented_terms(text: str, seg: Segmented, vocabulary: Vocabulary | None) -> DocumentTerms:
    """:class:`DocumentTerms` of a segmented (Chinese) text, sentence by sentence."""
    counts = document_terms(text)
    sentences = [ngrams(s.text, n_max=2) for s in seg.sentences]
    if vocabulary is not None:
        counts = Counter({t: c for t, c in counts.items() if t in vocabulary})
        sentences = [[t for t in grams if t in vocabulary] for grams in sentences]
    grams = [t for grams in sentences for t in grams]
    gram_sentences = np.asarray([r for r, grams in enumerate(sentences) for _ in grams],
                                dtype=np.intp)
    if vocabulary is None:
        return DocumentTerms(counts, grams, gram_sentences, seg)
    index = vocabulary.index.__getitem__
    return DocumentTerms(counts, grams, gram_sentences, seg, names=vocabulary.names,
                         gram_terms=np.asarray(list(map(index, grams)), dtype=np.intp),
                         term_counts=Counter(dict(zip(map(index, counts), counts.values(),
                                                      strict=True))))


def terms_of_texts(texts: Sequence[str], vocabulary: Vocabulary) -> list[DocumentTerms]:
    """``terms_by_sentence(text, vocabulary)`` of each of ``texts``, the terms held as
    term ids (see :class:`DocumentTerms`).

    The words of many texts go into one list (each text's ends with the "" of its last
    sentence, so no word pair crosses texts) and are looked up together: each word's id
    by one dict look-up in C, then the known words and word pairs, their order and
    every text's counts in a few NumPy steps for all those texts at once (a few hundred
    texts at a time, so that the arrays stay small).
    """
    out: list[DocumentTerms] = []
    for a in range(0, len(texts), _TEXTS_AT_ONCE):
        out += _terms_of_block(texts[a:a + _TEXTS_AT_ONCE], vocabulary)
    return out


_TEXTS_AT_ONCE = 256


def _terms_of_block(texts: Sequence[str], vocabulary: Vocabulary) -> list[DocumentTerms]:
    """:func:`terms_of_texts` of a few hundred texts."""
    out: list[DocumentTerms | None] = [None] * len(texts)
    read = []  # per text read here: (its place, segment(text), its words, sentences again)
    tokens: list[str] = []
    starts: list[int] = []  # where each text's words start in tokens
    ends: list[int] = []  # the "" that ends each sentence, in tokens
    first_sentence: list[int] = []
    for i, text in enumerate(texts):
        seg = segment(text)
        if seg.lang in SEGMENTED:
            out[i] = _segmented_terms(text, seg, vocabulary)
            continue
        found, sentence_ends, again = _sentence_words(text, seg)
        own = list(map(_key_function(seg.lang), found))
        _lend_word_norms(seg, own, found)
        read.append((i, seg, found, again))
        starts.append(len(tokens))
        first_sentence.append(len(ends))
        ends += map(len(tokens).__add__, sentence_ends)
        tokens += own
    if not read:
        return out
    n = len(tokens)
    ids = np.fromiter(map(vocabulary.ids.get, tokens, repeat(vocabulary.unknown)),
                      dtype=np.int64, count=n)
    word_terms = vocabulary.word_terms[ids]
    words_at = np.flatnonzero(word_terms >= 0)
    pairs_at, pair_terms = vocabulary.pairs_in(ids)
    at = np.concatenate([words_at, pairs_at])
    gram_terms = np.concatenate([word_terms[words_at], pair_terms])
    # ngrams' order (see terms_by_sentence), text after text.
    keys = at * (n + 1)
    keys[len(words_at):] = _pair_keys(np.flatnonzero(ids == vocabulary.brk), pairs_at, n)
    order = np.argsort(keys)
    keys, at, gram_terms = keys[order], at[order], gram_terms[order]
    sentence = np.searchsorted(np.asarray(ends, dtype=np.int64), at)
    bounds = np.searchsorted(keys, np.asarray(starts + [n], dtype=np.int64) * (n + 1))
    # Each text's counts, by term id (its terms in ngrams' order: the counted order).
    counted = gram_terms.tolist()
    bounds = bounds.tolist()
    for k, (i, seg, found, again) in enumerate(read):
        a, b = bounds[k], bounds[k + 1]
        term_counts = Counter(counted[a:b])
        own_terms = gram_terms[a:b]
        gram_sentences = (sentence[a:b] - first_sentence[k]).astype(np.intp)
        if again:
            own_terms, gram_sentences = _read_again(seg, again, own_terms.tolist(),
                                                    gram_sentences, vocabulary.term_ids)
            own_terms = np.asarray(own_terms, dtype=np.intp)
        out[i] = DocumentTerms(None, None, gram_sentences, seg, found, names=vocabulary.names,
                               gram_terms=own_terms, term_counts=term_counts)
    return out


def _lend_word_norms(seg: Segmented, tokens: list[str], found: list[str]) -> None:
    """Leave ``seg.word_norms`` (what the stance markers, readability and the sizes read
    next) filled with the words just normalised, instead of a second ``findall`` over
    the text: ``found`` holds, sentence by sentence, every ``_TOKEN`` word of the
    sentences (a phrase break takes no word character) and ``tokens`` their keys. Only
    where ``word_norms`` itself would read the words by one ``findall`` over the whole
    text (see its doc): those are the same words, in order."""
    held = seg.__dict__
    if seg.split and "_" not in seg.text and "word_norms" not in held \
            and "_token_table" not in held:
        # A break is "" in found; the key of a word is never "" (see text._normalise),
        # only a lemma's might be.
        held["word_norms"] = tuple(compress(tokens, found) if seg.lang in LEMMATISED
                                   else filter(None, tokens))


def _read_again(seg: Segmented, again: list[int], grams: list, gram_sentences: np.ndarray,
                read: Callable[[str], list]) -> tuple[list, np.ndarray]:
    """``grams`` (terms or term ids) and ``gram_sentences`` with the terms of the
    sentences ``again`` read by ``read`` (``ngrams``) instead."""
    redo = set(again)
    kept = [k for k, r in enumerate(gram_sentences.tolist()) if r not in redo]
    grams = [grams[k] for k in kept]
    sentence_of = gram_sentences[kept].tolist()
    for r in again:
        found = read(seg.sentences[r].text)
        grams += found
        sentence_of += [r] * len(found)
    return grams, np.asarray(sentence_of, dtype=np.intp)


def sentence_hits(text: str, codebook: Codebook) -> dict[str, list[tuple[str, list[str]]]]:
    """Per frame, the sentences of ``text`` that hold an indicator, with the matches."""
    out: dict[str, list[tuple[str, list[str]]]] = {f: [] for f in FRAME_IDS}
    for s in split_sentences(text):
        for frame in FRAME_IDS:
            found = codebook.hits(s.text, frame)
            if found:
                out[frame].append((s.text, found))
    return out


def codebook_features(texts: Sequence[str], codebook: Codebook,
                      segmented: Sequence[Segmented] | None = None,
                      words: Sequence[list[str] | None] | None = None) -> list[dict[str, float]]:
    """Per document, ``cb:<frame>``: share of its sentences with an indicator of the frame,
    and ``cbn:<frame>``: log(1 + number of indicator matches). ``segmented``: the texts'
    ``segment(text)``, and ``words``: the :attr:`DocumentTerms.words` of those sentences,
    when already at hand."""
    rows = []
    for i, text in enumerate(texts):
        sentences = (segmented[i] if segmented is not None else segment(text)).sentences
        n = max(1, len(sentences))
        # One pass of each frame's pattern over every sentence at once: the sentences are
        # joined by a newline, which no indicator phrase can span, and each match is
        # placed in its sentence by offset (the same matches as sentence by sentence).
        pieces = [s.text for s in sentences]
        joined = "\n".join(pieces)
        starts = list(accumulate(map((1).__add__, map(len, pieces[:-1])), initial=0))
        feats: dict[str, float] = {}
        hits = (_pattern_starts(joined, codebook, words[i] if words is not None else None)
                if codebook.openings is not None else
                [[m.start() for m in codebook.patterns[f].finditer(joined)]
                 if f in codebook.patterns else [] for f in FRAME_IDS])
        for frame, found in zip(FRAME_IDS, hits, strict=True):
            feats["cb:" + frame] = len(set(map(bisect_right, repeat(starts), found))) / n
            feats["cbn:" + frame] = math.log1p(len(found)) / 3
        rows.append(feats)
    return rows


def _pattern_starts(text: str, codebook: Codebook, words: list[str] | None = None
                    ) -> list[list[int]]:
    r"""Per frame of :data:`FRAME_IDS`, where its pattern's matches start in ``text``: the
    matches ``finditer`` finds, with each pattern tried only at the words where it can
    match (one pass over the words for all frames).

    ``words``: the words of ``text``'s sentences as :func:`terms_by_sentence` found them
    (``text`` being those sentences joined by a newline). Each run of ``\w`` in ``text``
    lies in one of them, in order, so the runs where a pattern can match are found
    without reading ``text`` again: each is placed at the first whole run of ``\w``
    spelled alike after the one before it (an earlier one would be in ``words`` too).
    """
    openings, found = codebook.openings, [[] for _ in FRAME_IDS]
    patterns = [codebook.patterns.get(f) for f in FRAME_IDS]
    last_end = [0] * len(FRAME_IDS)
    if words is None:
        starts = [(word.start(), frames) for word in _WORD.finditer(text)
                  if (frames := openings[word.group()])]
    else:
        starts, at, find, is_word = [], 0, text.find, _WORD_CHARACTER.match
        for runs in filter(None, map(codebook.token_openings.__getitem__, words)):
            for run, frames in runs:
                pos = find(run, at)
                while pos >= 0 and (pos and is_word(text, pos - 1)
                                    or is_word(text, pos + len(run))):
                    pos = find(run, pos + 1)
                if pos < 0:
                    raise ValueError(f"{run!r} is not a word of the text")
                at = pos + len(run)
                starts.append((pos, frames))
    for pos, frames in starts:
        for k in frames:
            if pos >= last_end[k]:
                m = patterns[k].match(text, pos)
                if m:
                    last_end[k] = m.end()
                    found[k].append(pos)
    return found


class PieceMean:
    """Per document, the mean of a table's rows over the word pieces of its words.

    The words are the unigrams of :func:`document_terms` with their counts; each is cut
    into word pieces by ``tokenizer`` (an :class:`analysis.models.wordpiece.WordPiece`).
    With the encoder's piece vectors as the table (n_pieces x 384) this is the document's
    static embedding; with a head's per-piece scores (n_pieces x 5) it is the head's logit
    directly, because the mean is linear.
    """

    def __init__(self, tokenizer):
        self.n_pieces = max(tokenizer.vocab.values()) + 1
        # Words repeat across documents: cut each once (bounded for very large corpora).
        self.pieces = lru_cache(maxsize=1 << 18)(lambda word: tuple(tokenizer.pieces(word)))

    def mean(self, term_counts: Sequence[Mapping[str, int]], table: np.ndarray) -> np.ndarray:
        """(n, table columns): the count-weighted mean row over each document's pieces
        (zeros for a document without words)."""
        table = np.asarray(table)
        out = np.zeros((len(term_counts), table.shape[1]))
        for i, counts in enumerate(term_counts):
            ids: list[int] = []
            weights: list[int] = []
            for term, c in counts.items():
                if " " in term:  # word pairs: their words are counted as unigrams already
                    continue
                p = self.pieces(term)
                ids.extend(p)
                weights.extend([c] * len(p))
            if ids:
                w = np.asarray(weights, dtype=float)
                out[i] = w @ table[ids] / w.sum()
        return out
