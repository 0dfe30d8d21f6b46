"""Term matchers: find the terms of many lists in a text in one pass.

:class:`TermMatcher` serves languages written with spaces (English and the like): terms
become prefix-tree regexes tried only where a word can start one. :class:`KeyMatcher`
serves Russian, matched by lemma so that case endings do not split a term, and Chinese,
matched on jieba's words so that a term is never found inside a longer word. Both
compile every list into one structure, so one pass over a document serves every frame of
every codebook.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from operator import is_

import numpy as np

from analysis.lang import SEGMENTED, match_key, zh_words
from analysis.term_syntax import PHRASE_GAP, WORD_SPLIT, terms_regex

__all__ = ["TermMatcher", "KeyMatcher", "matcher_for", "first_key", "inside", "KEYED_LANGUAGES",
           "scanned_words"]

#: Languages matched by :class:`KeyMatcher`: Russian by lemma, Chinese by segmented words.
KEYED_LANGUAGES = frozenset({"ru", "zh"})

_WORD = re.compile(r"\w+")
_WORD_AND_GAPS = re.compile(r"(\w+)")
_GAP = re.compile(PHRASE_GAP)


def first_key(term: str) -> tuple[str, bool]:
    """The first run of word characters of a term, and whether a wildcard follows it.

    A text word can start a match of the term only if it equals that run (or starts with
    it, for a wildcard): this indexes the lists to try at each word of a text.
    """
    first = WORD_SPLIT.split(term.strip(), maxsplit=1)[0]
    run = _WORD.match(first)
    key = run.group(0) if run else ""
    return key, first[len(key):len(key) + 1] == "*"


_CACHE_LIMIT = 500_000


class TermMatcher:
    """Finds the terms of many lists in a text in one pass over its words.

    Each list is compiled into one prefix-tree regex and indexed by the first word its
    terms can start with; at each word of the text only the lists that can start there are
    tried, so the cost hardly grows with the number of lists or terms.

    Parameters
    ----------
    lists : sequence of (terms, case_sensitive)
        Term lists in codebook syntax.
    groups : sequence of int, optional
        A group id per list (default: its position). Matches of one group never overlap;
        where several lists of a group match at one place, the longest match is kept.
    """

    def __init__(self, lists: Sequence[tuple[Sequence[str], bool]],
                 groups: Sequence[int] | None = None) -> None:
        self._groups = tuple(groups) if groups is not None else tuple(range(len(lists)))
        self._regexes: list[re.Pattern[str] | None] = []
        self._loose: list[tuple[int, re.Pattern[str]]] = []
        # (case_sensitive, prefix length or -1 for an exact word) -> {key: {list indices}}
        self._index: dict[tuple[bool, int], dict[str, set[int]]] = {}
        self._cache: dict[str, tuple[int, ...]] = {}
        # word -> its candidates, or a _Follow when the next word can rule some out
        self._plans: dict[str, tuple[int, ...] | _Follow] = {}
        # (list, lower-cased first word) -> what the next word must be (see _follow_rule)
        self._follows: dict[tuple[int, str], tuple[frozenset[str], tuple[str, ...]] | None] = {}
        for li, (terms, case_sensitive) in enumerate(lists):
            flags = 0 if case_sensitive else re.IGNORECASE
            indexed, loose = [], []
            for term in dict.fromkeys(terms):
                key, wildcard = first_key(term)
                if not key and not wildcard:
                    loose.append(term)  # starts with a symbol ("$100"): found by a search
                    continue
                indexed.append(term)
                key = key if case_sensitive else key.lower()
                self._note_follow(li, key, term, case_sensitive, wildcard)
                table = self._index.setdefault((case_sensitive, len(key) if wildcard else -1),
                                               {})
                table.setdefault(key, set()).add(li)
            self._regexes.append(re.compile(terms_regex(indexed, case_sensitive), flags)
                                 if indexed else None)
            if loose:
                self._loose.append((li, re.compile(terms_regex(loose, case_sensitive), flags)))
        self._tables = sorted(self._index.items())

    def candidates(self, word: str) -> tuple[int, ...]:
        """Indices of the lists with a term that can start at ``word``."""
        hit = self._cache.get(word)
        if hit is None:
            found: set[int] = set()
            low = word.lower()
            for (case_sensitive, length), table in self._tables:
                w = word if case_sensitive else low
                if length < 0:
                    found.update(table.get(w, ()))
                elif len(w) >= length:
                    found.update(table.get(w[:length], ()))
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()  # bound memory on huge vocabularies
            hit = self._cache[word] = tuple(sorted(found))
        return hit

    def _note_follow(self, li: int, key: str, term: str, case_sensitive: bool,
                     wildcard: bool) -> None:
        """Adds ``term`` to what the next word must be where list ``li`` starts at a word
        ``key``; a term that needs no particular next word, or that this does not cover,
        lifts the condition for good (None)."""
        slot = (li, key)
        rule = None if case_sensitive or wildcard or not key.isascii() else _follow_rule(term)
        if rule is None:
            self._follows[slot] = None
            # A list with a term whose first word is not plain ASCII: its regex might
            # match (through re's case folding) where another key led to it.
            if not key.isascii():
                self._follows[(li, None)] = None
            return
        known = self._follows.get(slot, ((frozenset(), ())))
        if known is not None:
            whole, prefixes = known
            self._follows[slot] = ((whole | {rule[0]}, prefixes) if not rule[1]
                                   else (whole, (*prefixes, rule[0])))

    def _plan(self, word: str) -> tuple[int, ...] | _Follow:
        """The candidates of ``word``, or a :class:`_Follow` that gives them by the next
        word where that can rule out a list whose terms starting here are all phrases."""
        candidates = self.candidates(word)
        plan: tuple[int, ...] | _Follow = candidates
        if candidates and word.isascii():
            low, follows = word.lower(), self._follows
            # A list that a wildcard term starts here is tried as before.
            wild = {li for (case_sensitive, length), table in self._tables if length >= 0
                    and len(word) >= length
                    for li in table.get(word if case_sensitive else low[:length], ())}
            rules = [None if li in wild or (li, None) in follows else follows.get((li, low))
                     for li in candidates]
            if any(rules):
                plan = _Follow(candidates, rules)
        if len(self._plans) > _CACHE_LIMIT:
            self._plans.clear()
        self._plans[word] = plan
        return plan

    def _region_starts(self, text: str, regions: Sequence[tuple[int, int]]
                       ) -> list[tuple[int, tuple[int, ...], str]]:
        """``(start, lists, "")`` of the words in ``regions`` that can start a term: regions
        are a few sentences, read word by word (a scan of the whole text would cost more)."""
        get, out = self._cache.get, []
        for a, b in regions:
            for word in _WORD.finditer(text, a, b):
                w = word.group()
                candidates = get(w)
                if candidates is None:
                    candidates = self.candidates(w)
                if candidates:
                    out.append((word.start(), candidates, ""))
        return out

    def find(self, text: str, regions: Sequence[tuple[int, int]] | None = None
             ) -> list[tuple[int, int, int]]:
        """``(group, start, end)`` of every match in ``text``, in text order; with
        ``regions`` (sorted ``(start, end)`` offsets, no word across their edges), of
        every match starting in one of them, as if each were the whole text."""
        out: list[tuple[int, int, int]] = []
        last_end: dict[int, int] = {}
        groups, regexes = self._groups, self._regexes
        if regions is None:
            words, starts = _word_scans(text)
            # Each word's lists in C; a Python step only at the words that can start a term.
            found = list(map(self._plans.get, words))
            if None in found:  # words not met before
                for k in list(compress(count(), map(is_, found, repeat(None)))):
                    found[k] = self._plan(words[k])
            # After a phrase's first word, the next word (see _Follow).
            nexts = words[1:]
            nexts.append("")
            starting = zip(compress(starts, found), compress(found, found),
                           compress(nexts, found), strict=True)
        else:
            starting = self._region_starts(text, regions)
        for pos, candidates, after in starting:
            if type(candidates) is _Follow:
                candidates = candidates[after]  # the lists whose phrase can go on there
                if not candidates:
                    continue
            if len(candidates) == 1:  # the common case, without the bookkeeping below
                li = candidates[0]
                g = groups[li]
                if pos >= last_end.get(g, 0):
                    m = regexes[li].match(text, pos)
                    if m:
                        last_end[g] = m.end()
                        out.append((g, pos, m.end()))
                continue
            best: dict[int, int] = {}
            for li in candidates:
                g = groups[li]
                if pos < last_end.get(g, 0):
                    continue  # inside this group's previous match
                m = regexes[li].match(text, pos)
                if m and m.end() > best.get(g, pos):
                    best[g] = m.end()
            for g, end in best.items():
                last_end[g] = end
                out.append((g, pos, end))
        for li, pattern in self._loose:
            out.extend((groups[li], m.start(), m.end()) for m in pattern.finditer(text)
                       if regions is None or inside(m.start(), regions))
        out.sort(key=lambda t: (t[1], t[0]))
        return out


def _follow_rule(term: str) -> tuple[str, bool] | None:
    """What the text's next word must be for ``term`` (case-insensitive, first word an
    exact ASCII key) to match at a word: ``(run, False)``, the word equals ``run``;
    ``(run, True)``, it starts with ``run`` (a ``*`` follows); None, no condition known.

    After its first word the term's regex reads only non-word characters (a phrase gap,
    an apostrophe, a stop) up to the next run of word characters ``run``, and a text word
    ends where a non-word character begins: so a match starting at word k reads ``run``
    at the start of word k + 1 (lower-cased, as re's ignore-case reads ASCII), and then
    the word's end too unless ``run`` is followed by ``*``.
    """
    chars = [c for n, word in enumerate(w for w in WORD_SPLIT.split(term.strip()) if w)
             for c in (" " if n else "") + word]
    k = len(_WORD.match("".join(chars)).group(0))
    while k < len(chars) and chars[k] != "*" and not _WORD.match(chars[k]):
        if not (chars[k].isascii() or chars[k] == "\u2019"):
            return None  # re's ignore-case might read it as a word character
        k += 1
    run = ""
    while k < len(chars) and _WORD.match(chars[k]):
        run += chars[k]
        k += 1
    if not run or not run.isascii():
        return None  # the term ends, a wildcard comes first, or re's case folding
    return run.lower(), k < len(chars) and chars[k] == "*"


class _Follow(dict):
    """A word's candidate lists, by the text's next word (""; none): a list whose terms
    starting at the word all need a next word that this one is not is left out (its
    regex cannot match there). Never empty, so never false: ``find`` keeps a word by
    the truth of its plan."""

    __slots__ = ("_candidates", "_rules")

    def __init__(self, candidates: tuple[int, ...], rules: list) -> None:
        super().__init__()
        self._candidates, self._rules = candidates, rules
        self._keep("")  # the text's last word: no next word

    def __missing__(self, word: str) -> tuple[int, ...]:
        if len(self) > _FOLLOW_LIMIT:  # bound memory; keep "" so the table stays true
            self.clear()
            self._keep("")
        return self._keep(word)

    def _keep(self, word: str) -> tuple[int, ...]:
        low = word.lower() if word.isascii() else None
        kept = self[word] = tuple(
            li for li, rule in zip(self._candidates, self._rules, strict=True)
            if rule is None or low is None or low in rule[0] or low.startswith(rule[1]))
        return kept


_FOLLOW_LIMIT = 4096


class _WordScans:
    """``text`` -> its words (runs of ``\\w``) and their start offsets (:func:`_scan`),
    kept for the texts scanned last: the frames and the stance markers each match every
    text of a chunk, and one scan serves both. At most :data:`_SCANNED_CHARS` characters
    of text are kept (the oldest go first).
    """

    def __init__(self) -> None:
        self._scans: dict[str, tuple[list[str], array]] = {}
        self._chars = 0

    def __call__(self, text: str) -> tuple[list[str], array]:
        scan = self._scans.get(text)
        if scan is None:
            scan = _scan(text)
            if len(text) <= _SCANNED_CHARS:
                while self._chars + len(text) > _SCANNED_CHARS and self._scans:
                    oldest = next(iter(self._scans))
                    self._chars -= len(oldest)
                    self._scans.pop(oldest, None)
                self._scans[text] = scan
                self._chars += len(text)
        return scan


# Whether a code point is a word character (re's \\w): ASCII, the Basic Multilingual
# Plane (made at the first text that needs it), and the other codes met so far.
_WORD_CODES = np.asarray([_WORD.fullmatch(chr(c)) is not None for c in range(128)])
_OTHER_WORD_CODES: dict[int, bool] = {}


@lru_cache(maxsize=1)
def _bmp_word_codes() -> np.ndarray:
    every = "".join(map(chr, range(0x10000)))
    table = np.zeros(0x10000, dtype=bool)
    word_chars = "".join(_WORD.findall(every)).encode("utf-32-le", "surrogatepass")
    table[np.frombuffer(word_chars, dtype=np.uint32)] = True
    return table


def _is_word_code(code: int) -> bool:
    known = _OTHER_WORD_CODES.get(code)
    if known is None:
        if len(_OTHER_WORD_CODES) > 65536:
            _OTHER_WORD_CODES.clear()
        known = _OTHER_WORD_CODES[code] = _WORD.fullmatch(chr(code)) is not None
    return known


def _scan(text: str) -> tuple[list[str], array]:
    """The words of ``text`` (``_WORD.findall``) and their start offsets (an ``array`` of
    64-bit integers: read one at a time, each is a Python int).

    A word starts at a word character after a non-word one: numpy finds the starts from
    the text's code points, and ``findall`` the words, with no match object or offset
    object per word. (A text numpy cannot read, with lone surrogates, takes a split.)
    """
    words = _WORD.findall(text)
    try:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:
        parts = _WORD_AND_GAPS.split(text)  # gap, word, gap, word, ..., gap
        return parts[1::2], array("q", list(accumulate(map(len, parts)))[0:-1:2])
    word = np.zeros(len(codes) + 1, dtype=bool)  # a non-word place before the text
    top = int(codes.max()) if len(codes) else 0
    if top < 0x10000:  # (news is Latin text with curly quotes and dashes)
        word[1:] = (_WORD_CODES if top < 128 else _bmp_word_codes())[codes]
    else:
        ascii_ = codes < 128
        word[1:][ascii_] = _WORD_CODES[codes[ascii_]]
        others = codes[~ascii_]
        distinct = np.unique(others)
        flags = np.asarray([_is_word_code(c) for c in distinct.tolist()], dtype=bool)
        word[1:][~ascii_] = flags[np.searchsorted(distinct, others)]
    starts = np.flatnonzero(word[1:] > word[:-1])
    return words, array("q", starts.astype(np.int64).tobytes())


#: Text kept by :class:`_WordScans`: a whole chunk of the analysing process (256 news
#: articles, about 1.1 million characters), so the markers find the frames' scans. 500
#: articles of 600 words keep about 22 MB of words and offsets.
_SCANNED_CHARS = 1 << 21
_word_scans = _WordScans()


def scanned_words(text: str) -> tuple[list[str], array]:
    """The words of ``text`` (runs of word characters) and their start offsets, as
    :meth:`TermMatcher.find` scanned them (kept for the texts scanned last)."""
    return _word_scans(text)


def inside(offset: int, regions: Sequence[tuple[int, int]]) -> bool:
    """Whether ``offset`` lies in one of ``regions`` (sorted ``(start, end)``)."""
    k = bisect_right(regions, (offset, float("inf"))) - 1
    return k >= 0 and offset < regions[k][1]


_END, _GAP_EDGE, _WILD = "\x00end", "\x00gap", "\x00wild"


class KeyMatcher:
    """Finds the terms of many lists in Russian or Chinese text in one pass.

    Every term of every list goes into one trie. Russian terms are keyed by the lemma of
    each word (:func:`analysis.lang.match_key`), so "безграничного партнёрства" matches
    the term ``безграничное партнёрство``; a ``*`` word matches word forms by their
    beginning; the words of a match are separated by spaces or a hyphen. Chinese terms
    are keyed by character: a match must begin and end on a boundary of jieba's words
    (so ``中俄`` is not found inside a longer word), and where the term has punctuation
    between its words (``不结盟、不对抗``) the text must have some there too.

    Parameters
    ----------
    lists : sequence of sequence of str
        Term lists in codebook syntax.
    language : str
        ``"ru"`` or ``"zh"``.
    """

    def __init__(self, lists: Sequence[Sequence[str]], language: str) -> None:
        if language not in KEYED_LANGUAGES:
            raise ValueError(f"no keyed matching for language {language!r}")
        self.language = language
        self._segmented = language in SEGMENTED
        self._trie: dict = {}
        for li, terms in enumerate(lists):
            for term in dict.fromkeys(terms):
                node = self._trie
                for symbol in self._symbols(term):
                    if isinstance(symbol, tuple):  # a wildcard word
                        node = node.setdefault(_WILD, {}).setdefault(symbol, {})
                    else:
                        node = node.setdefault(symbol, {})
                node.setdefault(_END, {}).setdefault(li, term)

    def _symbols(self, term: str) -> list:
        if self._segmented:
            out: list = []
            last = None
            for word, start, end in zh_words(term):
                if last is not None and start > last:
                    out.append(_GAP_EDGE)
                out.extend(word.lower())
                last = end
            return out
        out = []
        for word in WORD_SPLIT.split(term.strip()):
            for piece in re.findall(r"[\w*]+", word):
                if "*" in piece:
                    body = "".join(r"\w*" if c == "*" else re.escape(c) for c in piece.lower())
                    out.append((body, re.compile(body)))
                else:
                    out.append(match_key(piece, self.language))
        return out

    def units(self, text: str, seg=None) -> list[tuple[str, int, int]]:
        """The words of ``text`` as ``(key, start, end)``: lemmas, or jieba's words.

        ``seg``, the text as :func:`analysis.text.segment` split it for Chinese, lends
        its words (already segmented, sentence by sentence, for every analyzer).
        """
        if self._segmented:
            if seg is not None and seg.lang in SEGMENTED:
                return list(zip(seg.norms, seg.token_starts, seg.token_ends, strict=True))
            return [(w.lower(), a, b) for w, a, b in zh_words(text)]
        lang = self.language
        return [(match_key(m.group(), lang), m.start(), m.end()) for m in _WORD.finditer(text)]

    def find(self, text: str, units: Sequence[tuple[str, int, int]] | None = None
             ) -> list[tuple[int, int, int, str]]:
        """``(list, start, end, term)`` of every match, in text order.

        Matches of one list never overlap; where terms of a list start at one word, the
        longest match is kept. ``units`` may pass :meth:`units` of ``text`` when known.
        """
        units = self.units(text) if units is None else units
        out: list[tuple[int, int, int, str]] = []
        last_end: dict[int, int] = {}
        trie, n = self._trie, len(units)
        for i in range(n):
            start = units[i][1]
            best: dict[int, tuple[int, str]] = {}
            nodes = [trie]
            j = i
            while nodes and j < n:
                key, a, b = units[j]
                if j > i:
                    nodes = self._cross_gap(nodes, text, units[j - 1][2], a)
                nodes = self._step(nodes, key, text, a, b)
                for node in nodes:
                    for li, term in node.get(_END, {}).items():
                        if start >= last_end.get(li, 0) and b > best.get(li, (0, ""))[0]:
                            best[li] = (b, term)
                j += 1
            for li, (end, term) in best.items():
                last_end[li] = end
                out.append((li, start, end, term))
        return out

    def _cross_gap(self, nodes: list, text: str, prev_end: int, start: int) -> list:
        if not self._segmented:
            return nodes if _GAP.fullmatch(text, prev_end, start) else []
        if start == prev_end:
            return nodes
        return [node[_GAP_EDGE] for node in nodes if _GAP_EDGE in node]

    def _step(self, nodes: list, key: str, text: str, a: int, b: int) -> list:
        out = []
        for node in nodes:
            if self._segmented:
                for ch in key:
                    node = node.get(ch)
                    if node is None:
                        break
                else:
                    out.append(node)
                continue
            if key in node:
                out.append(node[key])
            if _WILD in node:
                surface = text[a:b].lower()
                out.extend(child for (_, rx), child in node[_WILD].items()
                           if rx.fullmatch(surface))
        return out


def matcher_for(lists: Sequence[Sequence[str]], language: str) -> TermMatcher | KeyMatcher:
    """The matcher for term ``lists`` written in ``language`` (case-insensitive)."""
    if language in KEYED_LANGUAGES:
        return KeyMatcher(lists, language)
    return TermMatcher([(terms, False) for terms in lists])
