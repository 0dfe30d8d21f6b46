"""Dictionary frame matching: which sentences of each document carry each codebook frame.

Each frame is compiled once into one prefix-tree regex of all its terms, and the frames are
indexed by the first word their terms can start with. One pass over the words of a
document looks each word up in that index and tries only the frames that can start there,
so the cost hardly grows with the number of frames or terms. A match is assigned to its
sentence by offset. A match is vetoed when it lies inside one of the
frame's exclusion phrases, and is *negated* (listed, not counted) when a
negator ("not", "no", "never", "without", "n't" ...) occurs within the frame's negation
window of tokens before it in the same sentence.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from analysis import patterns
from analysis.base import Analyzer, empty_documents_frame
from analysis.codebook import (
    WORD_SPLIT,
    Codebook,
    CodebookError,
    check_pattern,
    check_term,
    term_regex,
    terms_regex,
)
from analysis.corpus import Corpus
from analysis.patterns import PatternTimeout, compile_pattern, find_spans
from analysis.progress import ProgressCallback, iterate, wrap_progress
from analysis.text import Segmented, segment

__all__ = ["FrameAnalyzer", "FrameResult", "TermMatcher", "match_term", "MATCH_COLUMNS",
           "NEGATORS"]

MATCH_COLUMNS = ("doc_id", "codebook", "frame", "sentence", "start", "end", "term", "rule",
                 "negated")
#: Tokens (normalised: lower case, straight apostrophe) that negate a following term.
NEGATORS = frozenset("not no never without nor neither hardly barely scarcely cannot none"
                     .split())
# "not only X but also", "no matter how X", "not least X", "no doubt X": the negator does
# not negate what follows.
_NOT_NEGATING_NEXT = frozenset({"only", "just", "least", "matter", "doubt", "merely"})


_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _CompiledFrame:
    codebook: str
    frame: str
    terms: tuple[tuple[str, re.Pattern[str]], ...]   # (rule, its own regex), longest first
    patterns: tuple[tuple[str, object], ...]  # (pattern, compiled by analysis.patterns)
    exclusion: re.Pattern[str] | None
    window: int
    # matched text (lower case) -> rule; filled as documents are matched
    _rules: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def column(self) -> str:
        return f"{self.codebook}.{self.frame}"

    def rule(self, matched: str) -> str:
        """The codebook term behind a match of :attr:`terms_re` (longest term first)."""
        key = matched.lower()
        rule = self._rules.get(key)
        if rule is None:
            rule = next((r for r, p in self.terms if p.fullmatch(key)), "")
            self._rules[key] = rule
        return rule


def _first_key(term: str) -> tuple[str, bool]:
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
        for li, (terms, case_sensitive) in enumerate(lists):
            flags = 0 if case_sensitive else re.IGNORECASE
            indexed, loose = [], []
            for term in dict.fromkeys(terms):
                key, wildcard = _first_key(term)
                if not key and not wildcard:
                    loose.append(term)  # starts with a symbol ("$100"): found by a search
                    continue
                indexed.append(term)
                key = key if case_sensitive else key.lower()
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

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """``(group, start, end)`` of every match in ``text``, in text order."""
        out: list[tuple[int, int, int]] = []
        last_end: dict[int, int] = {}
        groups, regexes, cache = self._groups, self._regexes, self._cache
        for word in _WORD.finditer(text):
            w = word.group()
            candidates = cache.get(w)
            if candidates is None:
                candidates = self.candidates(w)
            if not candidates:
                continue
            pos = word.start()
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
            out.extend((groups[li], m.start(), m.end()) for m in pattern.finditer(text))
        out.sort(key=lambda t: (t[1], t[0]))
        return out


@dataclass(frozen=True)
class _Plan:
    """Everything needed to match a set of codebooks, compiled once."""

    frames: tuple[_CompiledFrame, ...]
    matcher: TermMatcher


@lru_cache(maxsize=32)
def _plan(codebooks: tuple[Codebook, ...], override_window: int | None) -> _Plan:
    frames: list[_CompiledFrame] = []
    for codebook in codebooks:
        for frame in codebook.frames:
            if frame.residual:
                continue
            rules = sorted(dict.fromkeys(frame.terms), key=lambda t: (-len(t), t))
            window = codebook.window_for(frame) if override_window is None else override_window
            frames.append(_CompiledFrame(
                codebook.id, frame.id,
                tuple((r, re.compile(term_regex(r), re.IGNORECASE)) for r in rules),
                tuple((p, compile_pattern(p)) for p in frame.patterns),
                re.compile(terms_regex(frame.exclusions), re.IGNORECASE)
                if frame.exclusions else None,
                window))
    matcher = TermMatcher([([r for r, _ in cf.terms], False) for cf in frames])
    return _Plan(tuple(frames), matcher)


def _is_negator(tokens: Sequence, i: int) -> bool:
    norm = tokens[i].norm
    if norm not in NEGATORS and not norm.endswith("n't"):
        return False
    nxt = tokens[i + 1].norm if i + 1 < len(tokens) else ""
    return nxt not in _NOT_NEGATING_NEXT


def _negated(seg: Segmented, token_starts: list[int], start: int, sentence: int,
             window: int) -> bool:
    if window <= 0:
        return False
    first = bisect_left(token_starts, start)
    for i in range(first - 1, max(first - window, 0) - 1, -1):
        if seg.tokens[i].sentence != sentence:
            break
        if _is_negator(seg.tokens, i):
            return True
    return False


@dataclass(frozen=True)
class FrameResult:
    """Frame prevalence per document and every match behind it.

    Attributes
    ----------
    documents : DataFrame
        Indexed by ``doc_id``; one column ``"<codebook>.<frame>"`` per non-residual frame
        holding the share (0..1) of the document's sentences with at least one counted
        match (NaN for a document with no sentences), and ``n_sentences``.
    matches : DataFrame
        Columns ``doc_id, codebook, frame, sentence, start, end, term, rule, negated``:
        ``start``/``end`` are character offsets into ``Document.text``, ``term`` the
        matched text, ``rule`` the codebook term (or ``regex:<pattern>``) that matched,
        ``negated`` True for matches preceded by a negator (listed, not counted).
    warnings : tuple of str
        One message per regex term left out because it ran out of time (see
        :data:`analysis.patterns.PATTERN_BUDGET`), naming codebook, frame, term and document.
    """

    documents: pd.DataFrame
    matches: pd.DataFrame
    warnings: tuple[str, ...] = ()

    def counts(self, negated: bool = False) -> pd.DataFrame:
        """Match counts per ``codebook, frame`` (columns ``codebook, frame, n``)."""
        m = self.matches[self.matches["negated"] == negated]
        return (m.groupby(["codebook", "frame"], sort=False).size()
                .rename("n").reset_index())


class FrameAnalyzer(Analyzer):
    """Share of sentences carrying each frame of one or more codebooks.

    Parameters
    ----------
    codebooks : sequence of Codebook
        The codebooks to apply (see :func:`analysis.codebook.load_codebook`).
    negation_window : int or None
        When set, overrides every codebook's and frame's negation window (0: off).
    pattern_budget : float or None
        Seconds a regex term may take on one document (None:
        :data:`analysis.patterns.PATTERN_BUDGET`). A regex term that takes longer is
        left out of the whole analysis (every document, so that the groups stay
        comparable) and named in ``FrameResult.warnings``; terms that are not regexes
        are linear by construction and need no budget.
    """

    section = "frames"

    def __init__(self, codebooks: Sequence[Codebook], negation_window: int | None = None,
                 pattern_budget: float | None = None) -> None:
        self.codebooks = tuple(codebooks)
        self.negation_window = negation_window
        self.pattern_budget = pattern_budget
        ids = [cb.id for cb in self.codebooks]
        if len(set(ids)) != len(ids):
            raise ValueError(f"codebook ids must be unique, got {ids}")

    def transform(self, corpus: Corpus, progress: ProgressCallback | None = None) -> FrameResult:
        plan = _plan(self.codebooks, self.negation_window)
        columns = [cf.column for cf in plan.frames]
        rows: list[tuple] = []
        shares: list[list[float]] = []
        n_sentences: list[int] = []
        docs = corpus.documents
        regex_spans: dict[int, list] = {}
        warnings: list[str] = []
        if any(cf.patterns for cf in plan.frames):
            budget = self.pattern_budget or patterns.PATTERN_BUDGET
            regex_spans, warnings = _match_patterns(plan, docs, budget,
                                                    wrap_progress(progress, 0.0, 0.3))
            progress = wrap_progress(progress, 0.3, 1.0)
        for index, doc in enumerate(iterate(docs, progress, every=max(1, len(docs) // 200))):
            seg = segment(doc.text)
            carried = _match_document(plan, doc.doc_id, seg, rows, regex_spans.get(index, ()))
            n = len(seg.sentences)
            shares.append([len(c) / n if n else float("nan") for c in carried])
            n_sentences.append(n)
        if not docs:
            documents = empty_documents_frame([*columns, "n_sentences"])
        else:
            documents = pd.DataFrame(shares, columns=columns,
                                     index=pd.Index(corpus.ids, name="doc_id", dtype=object))
            documents["n_sentences"] = n_sentences
        matches = pd.DataFrame(rows, columns=list(MATCH_COLUMNS))
        matches = matches.astype({"sentence": int, "start": int, "end": int, "negated": bool})
        return FrameResult(documents, matches, tuple(warnings))


def _match_patterns(plan: _Plan, docs: Sequence, budget: float,
                    progress: ProgressCallback) -> tuple[dict[int, list], list[str]]:
    """Regex-term matches per document index, ``(frame index, start, end, rule)``.

    A pattern that runs out of time on one document is dropped from every document, so
    that a frame is measured the same way in every group, and a warning names it.
    """
    spans: dict[int, list] = {}
    dropped: set[tuple[int, str]] = set()
    warnings: list[str] = []
    for n, doc in enumerate(iterate(docs, progress, every=max(1, len(docs) // 200))):
        for i, cf in enumerate(plan.frames):
            for pattern, compiled in cf.patterns:
                if (i, pattern) in dropped:
                    continue
                try:
                    found = find_spans(compiled, doc.text, budget, f"document '{doc.doc_id}'")
                except PatternTimeout as exc:
                    dropped.add((i, pattern))
                    warnings.append(f"Codebook '{cf.codebook}', frame '{cf.frame}': {exc}. "
                                    "It was left out of the analysis in every document.")
                    continue
                if found:
                    spans.setdefault(n, []).extend(
                        (i, start, end, "regex:" + pattern) for start, end in found)
    if dropped:
        for n, items in spans.items():
            spans[n] = [t for t in items if (t[0], t[3][len("regex:"):]) not in dropped]
    return spans, warnings


def _match_document(plan: _Plan, doc_id: str, seg: Segmented, rows: list[tuple],
                    regex_spans: Sequence[tuple[int, int, int, str]] = ()) -> list[set[int]]:
    """Append one document's matches to ``rows``; per frame, the sentences it carries."""
    text = seg.text
    starts = [s.start for s in seg.sentences]
    ends = [s.end for s in seg.sentences]
    token_starts = [t.start for t in seg.tokens]
    frames = plan.frames
    found: list[list[tuple[int, int, str]]] = [[] for _ in frames]
    for i, start, end in plan.matcher.find(text):
        found[i].append((start, end, frames[i].rule(text[start:end])))
    for i, start, end, rule in regex_spans:
        found[i].append((start, end, rule))
    carried: list[set[int]] = []
    for i, cf in enumerate(frames):
        sentences: set[int] = set()
        carried.append(sentences)
        if not found[i]:
            continue
        excluded: dict[int, list[tuple[int, int]]] = {}
        for start, end, rule in sorted(found[i]):
            s = bisect_right(starts, start) - 1
            if s < 0 or end > ends[s]:
                continue  # outside any sentence (blank/punctuation) or spanning two
            if cf.exclusion is not None:
                if s not in excluded:
                    excluded[s] = [m.span() for m in
                                   cf.exclusion.finditer(text, starts[s], ends[s])]
                if any(a <= start and end <= b for a, b in excluded[s]):
                    continue  # inside an exclusion phrase ("public-private partnership")
            # A term that itself opens with a negator ("no targeting of third parties") is
            # negative by design; "no X, no Y and no Z" must not cancel it.
            own = _WORD.match(text, start)
            negated = ((own is None or own.group(0).lower() not in NEGATORS)
                       and _negated(seg, token_starts, start, s, cf.window))
            rows.append((doc_id, cf.codebook, cf.frame, s, start, end, text[start:end], rule,
                         negated))
            if not negated:
                sentences.add(s)
    return carried


def match_term(term: str, corpus: Corpus, limit: int = 50, regex: bool = False,
               budget: float | None = None,
               progress: ProgressCallback | None = None) -> pd.DataFrame:
    """Where a single term (codebook syntax, or a regex) occurs: for live term testing.

    A regex runs with ``budget`` seconds per document (None:
    :data:`analysis.patterns.PATTERN_BUDGET`);
    ``progress`` is called per document, so a GUI can cancel between documents.

    Returns
    -------
    DataFrame
        At most ``limit`` rows in corpus order, columns ``doc_id, sentence, start, end,
        term, sentence_text`` (``start``/``end`` offsets into ``Document.text``, ready for
        KWIC display). ``attrs["count"]`` holds the total number of matches and
        ``attrs["n_documents"]`` the number of documents with a match.

    Raises
    ------
    CodebookError
        When the term is empty, the regex is invalid or it runs out of time on a document
        (the message names the document and says how to rewrite the regex).
    """
    problem = check_pattern(term) if regex else check_term(term)
    if problem:
        raise CodebookError("term", problem)
    if regex:
        compiled = compile_pattern(term)
        budget = budget or patterns.PATTERN_BUDGET
    else:
        plain = re.compile(term_regex(term), re.IGNORECASE)
    # Live typing over a large corpus: skip, at C speed, documents that cannot match.
    needle = "" if regex else max(re.findall(r"\w+", term.lower()), key=len, default="")
    rows = []
    count = 0
    docs_with = 0
    for doc in iterate(corpus.documents, progress, every=50):
        if needle and needle not in doc.text.lower():
            continue
        if regex:
            try:
                spans = find_spans(compiled, doc.text, budget, f"document '{doc.doc_id}'")
            except PatternTimeout as exc:
                raise CodebookError("term", str(exc)) from None
        else:
            spans = [m.span() for m in plain.finditer(doc.text) if m.end() > m.start()]
        seg = None
        for start, end in spans:
            count += 1
            if len(rows) < limit:
                seg = seg or segment(doc.text)
                s = _sentence_at(seg, start)
                sent_text = seg.sentences[s].text if s >= 0 else ""
                rows.append((doc.doc_id, s, start, end, doc.text[start:end], sent_text))
        docs_with += bool(spans)
    out = pd.DataFrame(rows, columns=["doc_id", "sentence", "start", "end", "term",
                                      "sentence_text"])
    out = out.astype({"sentence": int, "start": int, "end": int})
    out.attrs["count"] = count
    out.attrs["n_documents"] = docs_with
    return out


def _sentence_at(seg: Segmented, offset: int) -> int:
    starts = [s.start for s in seg.sentences]
    s = bisect_right(starts, offset) - 1
    return s if s >= 0 and offset < seg.sentences[s].end else -1
