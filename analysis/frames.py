"""Dictionary frame matching: which sentences of each document carry each codebook frame.

A document's terms are matched only against the terms of its language (the corpus'
``language`` column), with one matcher per language built for every frame of every
codebook (:mod:`analysis.frame_plan`), so one pass over a document serves all frames.
English terms match as words and phrases, Russian terms by lemma, Chinese terms on jieba's
words (:mod:`analysis.matchers`). A match is assigned to its sentence by offset. A match is vetoed when it lies inside one of the
frame's exclusion phrases, and is *negated* (listed, not counted) when a
negator ("not", "no", "never", "without", "n't" ...) occurs within the frame's negation
window of tokens before it in the same sentence.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, compress
from operator import and_, not_

import numpy as np
import pandas as pd

from analysis import patterns
from analysis.base import Analyzer, empty_documents_frame
from analysis.codebook import (
    DEFAULT_LANGUAGE,
    Codebook,
    CodebookError,
    check_pattern,
    check_term,
    in_language,
    term_regex,
)
from analysis.corpus import Corpus
from analysis.frame_plan import (
    KEYED_NEGATORS,
    NEGATORS,
    LanguagePlan,
    NegationIndex,
    Plan,
    compiled_plan,
    matching_language,
)
from analysis.lang import SEGMENTED, document_language
from analysis.matchers import (
    KEYED_LANGUAGES,
    TermMatcher,
    first_key,
    matcher_for,
    scanned_words,
)
from analysis.patterns import PatternTimeout, compile_pattern, find_spans
from analysis.progress import ProgressCallback, iterate, wrap_progress
from analysis.term_syntax import WORD_SPLIT
from analysis.text import Segmented, segment, tokenize

__all__ = ["FrameAnalyzer", "FrameResult", "TermMatcher", "match_term", "MATCH_COLUMNS",
           "NEGATORS", "unmeasured_warnings"]

MATCH_COLUMNS = ("doc_id", "codebook", "frame", "sentence", "start", "end", "term", "rule",
                 "negated")

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class FrameResult:
    """Frame prevalence per document and every match behind it.

    Attributes
    ----------
    documents : DataFrame
        Indexed by ``doc_id``; one column ``"<codebook>.<frame>"`` per non-residual frame
        holding the share (0..1) of the document's sentences with at least one counted
        match (NaN for a document with no sentences, and for a frame with no terms in the
        document's language: see :func:`unmeasured_warnings`), and ``n_sentences``.
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

    def transform(self, corpus: Corpus, progress: ProgressCallback | None = None,
                  segmented: Sequence[Segmented | None] | None = None,
                  regions: Sequence[Sequence[tuple[int, int]] | None] | None = None
                  ) -> FrameResult:
        """``segmented``: per document, its text as :func:`analysis.text.segment` splits it
        when the caller already knows it (None where it does not): a re-run after a
        codebook edit rebuilds it from the sentence bounds kept with each cached entry
        instead of splitting every text again. ``regions``: per document, the stretches of
        text to match in (None: all of it; see :meth:`TermMatcher.find`), where a re-run
        after an edit matches a frame only in the sentences an edited term can change;
        such a document's shares then count only those matches."""
        plan = compiled_plan(self.codebooks, self.negation_window)
        columns = [cf.column for cf in plan.frames]
        labels = _frame_labels(plan)
        rows: list[tuple] = []   # per document with matches, its columns
        shares: list[list[float]] = []
        n_sentences: list[int] = []
        docs = corpus.documents
        stored = [document_language(doc) for doc in docs]
        languages = [lang or DEFAULT_LANGUAGE for lang in stored]
        regex_spans: dict[int, list] = {}
        warnings: list[str] = []
        phrase_index: dict[str, _PhraseIndex] = {}
        if any(cf.patterns for cf in plan.frames):
            budget = self.pattern_budget or patterns.PATTERN_BUDGET
            regex_spans, warnings = _match_patterns(plan, docs, languages, budget,
                                                    wrap_progress(progress, 0.0, 0.3))
            progress = wrap_progress(progress, 0.3, 1.0)
        for index, doc in enumerate(iterate(docs, progress, every=max(1, len(docs) // 200))):
            lang = languages[index]
            seg = (segmented[index] if segmented is not None else None) \
                or segment(doc.text, stored[index])
            lp = plan.language(lang)
            phrases = phrase_index.get(lang)
            if phrases is None and lp.exclusions:
                phrases = phrase_index[lang] = _phrase_index(plan, lang)
            carried = _match_document(lp, plan, doc.doc_id, seg, rows,
                                      regex_spans.get(index, ()),
                                      regions[index] if regions is not None else None,
                                      phrases, labels)
            n = len(seg.sentences)
            shares.append([len(c) / n if n and lang in cf.languages else float("nan")
                           for c, cf in zip(carried, plan.frames, strict=True)])
            n_sentences.append(n)
        if not docs:
            documents = empty_documents_frame([*columns, "n_sentences"])
        else:
            documents = pd.DataFrame(shares, columns=columns,
                                     index=pd.Index(corpus.ids, name="doc_id", dtype=object))
            documents["n_sentences"] = n_sentences
        return FrameResult(documents, _match_table(rows), tuple(warnings))


def _match_table(blocks: list[tuple]) -> pd.DataFrame:
    """The ``matches`` table of ``blocks`` (per document with matches, one sequence per
    column of :data:`MATCH_COLUMNS`: :func:`_match_document`), built column by column
    (faster than row by row; the same frame, dtypes included)."""
    types = {"sentence": np.int64, "start": np.int64, "end": np.int64, "negated": bool}
    return pd.DataFrame({
        name: np.array(list(chain.from_iterable(block[k] for block in blocks)),
                       dtype=types.get(name, object))
        for k, name in enumerate(MATCH_COLUMNS)})


def unmeasured_warnings(codebooks: Sequence[Codebook], corpus: Corpus) -> list[str]:
    """One message per codebook and document language whose frames have no terms in that
    language, so are not measured (missing, not 0) in those documents.

    Kept out of :attr:`FrameResult.warnings`, which holds what one run of the matcher
    found (regex terms out of time): this depends only on the codebooks and the corpus'
    languages, so it is said once for the whole corpus.
    """
    counts: dict[str, int] = {}
    for doc in corpus:
        lang = matching_language(doc)
        counts[lang] = counts.get(lang, 0) + 1
    out = []
    for lang, n_docs in sorted(counts.items()):
        for cb in codebooks:
            missing = [f.id for f in cb.frames if not f.residual and lang not in f.languages]
            if missing:
                shown = ", ".join(f"'{f}'" for f in missing[:4])
                more = f" and {len(missing) - 4} more" if len(missing) > 4 else ""
                out.append(f"Codebook '{cb.id}': {len(missing)} frame(s) ({shown}{more}) "
                           f"have no terms in language '{lang}', so they are not measured "
                           f"in the {n_docs} document(s) in that language (shown as "
                           "missing, not as 0).")
    return out


def _match_patterns(plan: Plan, docs: Sequence, languages: Sequence[str], budget: float,
                    progress: ProgressCallback) -> tuple[dict[int, list], list[str]]:
    """Regex-term matches per document index, ``(frame index, start, end, rule)``.

    A regex term runs only on documents of its language. A pattern that runs out of time
    on one document is dropped from every document, so that a frame is measured the same
    way in every group, and a warning names it.
    """
    spans: dict[int, list] = {}
    dropped: set[tuple[int, str]] = set()
    warnings: list[str] = []
    for n, doc in enumerate(iterate(docs, progress, every=max(1, len(docs) // 200))):
        for i, cf in enumerate(plan.frames):
            for pattern, compiled, lang in cf.patterns:
                if lang != languages[n] or (i, pattern) in dropped:
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


def _match_document(lp: LanguagePlan, plan: Plan, doc_id: str, seg: Segmented,
                    rows: list[tuple],
                    regex_spans: Sequence[tuple[int, int, int, str]] = (),
                    regions: Sequence[tuple[int, int]] | None = None,
                    phrases: _PhraseIndex | None = None,
                    plan_labels: tuple[tuple[str, ...], tuple[str, ...]] | None = None
                    ) -> list[set[int]]:
    """Append one document's matches to ``rows`` (as one block of columns, in the order
    of :data:`MATCH_COLUMNS`: see :func:`_match_table`); per frame, the sentences it
    carries. ``phrases``: where ``lp``'s exclusion phrases may start (None: every
    sentence with a match is searched for its frame's phrases); ``plan_labels``:
    :func:`_frame_labels` of ``plan`` when the caller holds it.

    Rows come frame by frame, each frame's in order of ``(start, end, rule)``. A news text
    has a hundred matches or more: each step below runs over all of them at once (in C),
    and a Python step is taken only per sentence with a match, or per match where an
    exclusion phrase or a negator may lie in its sentence.
    """
    text = seg.text
    units = lp.units(seg)
    frames = plan.frames
    found = lp.matches(text, units, regions)
    if regex_spans:
        found = [*found, *regex_spans]
    carried: list[set[int]] = [set() for _ in frames]
    if not found:
        return carried
    starts, ends = sentence_bounds(seg)
    if not len(starts):
        return carried  # every match outside any sentence
    found.sort()
    # A whole text's words were just scanned by the matcher: they tell where its
    # negators may be (a few sentences' worth of matching after an edit scans none).
    negator_sentences, negated_at, surely_free = _negation_test(lp, seg, units, starts, ends,
                                                                regions is None)
    if len(found) <= _FEW_MATCHES:  # a re-run's few sentences: the steps below cost more
        return _match_few(lp, plan, doc_id, seg, rows, found, units, starts, ends,
                          negator_sentences, negated_at, surely_free,
                          phrases if regions is None else None, carried)
    frame_of, match_starts, match_ends, rules = zip(*found, strict=True)
    sentence, keep = _sentences_of(starts, ends, match_starts, match_ends)
    exclusions = lp.exclusions
    if exclusions:
        _drop_excluded(lp, text, units, starts, ends, frame_of, match_starts, match_ends,
                       sentence, keep, phrases if regions is None else None)
    if not all(keep):
        frame_of, match_starts, match_ends, rules, sentence = (
            tuple(compress(column, keep))
            for column in (frame_of, match_starts, match_ends, rules, sentence))
    # Only a sentence holding a negator can negate a match (most hold none): the others
    # are told once each, and only the matches in the rest are tested one by one.
    if negator_sentences is None:
        negator_sentences = {s for s in set(sentence) if not surely_free(s)}
    negated = [False] * len(sentence)
    if negator_sentences:
        for k, s in enumerate(sentence):
            if s in negator_sentences:
                negated[k] = negated_at(match_starts[k], s, frames[frame_of[k]].window)
    labels = plan_labels or _frame_labels(plan)
    rows.append(([doc_id] * len(sentence),
                 list(map(labels[0].__getitem__, frame_of)),
                 list(map(labels[1].__getitem__, frame_of)),
                 sentence, match_starts, match_ends,
                 list(map(text.__getitem__, map(slice, match_starts, match_ends))),
                 rules, negated))
    counted = list(map(not_, negated))
    for i, s in set(zip(compress(frame_of, counted), compress(sentence, counted),
                        strict=True)):
        carried[i].add(s)
    return carried


def _drop_excluded(lp: LanguagePlan, text: str, units: Sequence, starts: Sequence[int],
                   ends: Sequence[int], frame_of: Sequence[int], match_starts: Sequence[int],
                   match_ends: Sequence[int], sentence: Sequence[int], keep: list[bool],
                   phrases: _PhraseIndex | None) -> None:
    """Set ``keep`` False for the matches that lie inside one of their frame's exclusion
    phrases ("public-private partnership"), searched once per frame and sentence with a
    match (not where ``phrases``, given for a whole text, says none of the frame's phrases
    starts there)."""
    tested = list(map(and_, map(lp.exclusions.__contains__, frame_of), keep))
    if not any(tested):
        return
    # Where the exclusion phrases may start, from the words the matcher just scanned.
    may_start = phrases.starts(text) if phrases is not None else None
    excluded: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for i, s in set(zip(compress(frame_of, tested), compress(sentence, tested),
                        strict=True)):
        spans = _exclusion_spans(lp, i, text, units, starts[s], ends[s], may_start)
        if spans:
            excluded[i, s] = spans
    if not excluded:
        return
    for k in compress(range(len(keep)), tested):
        spans = excluded.get((frame_of[k], sentence[k]))
        if spans:
            start, end = match_starts[k], match_ends[k]
            if any(a <= start and end <= b for a, b in spans):
                keep[k] = False


def _exclusion_spans(lp: LanguagePlan, i: int, text: str, units: Sequence, a: int, b: int,
                     may_start: dict[int, Sequence[int] | None] | None
                     ) -> list[tuple[int, int]]:
    """The spans of frame ``i``'s exclusion phrases in the sentence ``text[a:b]``: none
    where ``may_start`` (:meth:`_PhraseIndex.starts`) says none of them starts there."""
    if may_start is None or _any_between(may_start.get(i, ()), a, b):
        return lp.excluded(i, text, units, a, b)
    return []


def _match_few(lp: LanguagePlan, plan: Plan, doc_id: str, seg: Segmented, rows: list[tuple],
               found: list[tuple[int, int, int, str]], units: Sequence, starts: Sequence[int],
               ends: Sequence[int], negator_sentences, negated_at, surely_free,
               phrases: _PhraseIndex | None, carried: list[set[int]]) -> list[set[int]]:
    """What :func:`_match_document` does, for a few ``found`` (sorted): match by match,
    as it did before for all (the same rows, appended as one block of columns)."""
    text, frames, exclusions = seg.text, plan.frames, lp.exclusions
    excluded: dict[tuple[int, int], list[tuple[int, int]]] = {}
    may_start: dict | None = None
    free: dict[int, bool] = {}
    out = []
    for i, start, end, rule in found:
        s = bisect_right(starts, start) - 1
        if s < 0 or end > ends[s]:
            continue  # outside any sentence (blank/punctuation) or spanning two
        if i in exclusions:
            spans = excluded.get((i, s))
            if spans is None:
                if may_start is None and phrases is not None:
                    may_start = phrases.starts(text)
                spans = excluded[i, s] = _exclusion_spans(lp, i, text, units, starts[s],
                                                          ends[s], may_start)
            if spans and any(a <= start and end <= b for a, b in spans):
                continue  # inside an exclusion phrase ("public-private partnership")
        cf = frames[i]
        if negator_sentences is None:
            maybe = free.get(s)
            if maybe is None:
                maybe = free[s] = not surely_free(s)
        else:
            maybe = s in negator_sentences
        negated = maybe and negated_at(start, s, cf.window)
        out.append((doc_id, cf.codebook, cf.frame, s, start, end, text[start:end], rule,
                    negated))
        if not negated:
            carried[i].add(s)
    if out:
        rows.append(tuple(zip(*out, strict=True)))
    return carried


def _frame_labels(plan: Plan) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The codebook and the frame id of each of ``plan``'s frames."""
    return (tuple(cf.codebook for cf in plan.frames), tuple(cf.frame for cf in plan.frames))


def _sentences_of(starts: Sequence[int], ends: Sequence[int], match_starts: Sequence[int],
                  match_ends: Sequence[int]) -> tuple[list[int], list[bool]]:
    """Each match's sentence (``bisect_right(starts, start) - 1``), and whether the match
    lies inside it (not outside any sentence, in blank space or punctuation, nor spanning
    two; ``starts`` is not empty)."""
    at = np.searchsorted(np.asarray(starts, dtype=np.int64), match_starts, side="right") - 1
    inside = (at >= 0) & (np.asarray(match_ends, dtype=np.int64)
                          <= np.asarray(ends, dtype=np.int64)[np.maximum(at, 0)])
    return at.tolist(), inside.tolist()


#: Up to this many matches in a text (a re-run's few sentences), :func:`_match_document`
#: goes match by match (:func:`_match_few`): its steps over all matches would cost more.
_FEW_MATCHES = 40


class _PhraseIndex:
    """Where the exclusion phrases of one language's frames may start in a text, from its
    scanned words (:func:`analysis.matchers.scanned_words`): searching a frame's phrases
    in each sentence with a match cost a tenth of the frames' time, and most sentences
    hold none. A phrase (a regex of :func:`analysis.term_syntax.terms_regex`) starts
    where a word starts (its look-behind reads the text before the sentence too) and
    matches its first run of word characters (its key) there, letter by letter, folded
    as ``lower()`` folds but for "İ", "ı" and "ſ" (matched as "i" and "s"). So the word
    there is the key in lower case, or begins with it where a wildcard follows the key or
    the phrase is one word (the sentence may end inside a longer word). Where the first
    word is its key alone, spaces or a dash lead to the second word: the next word begins
    with that one's key. A word holding one of those three letters may be any key.

    Parameters
    ----------
    keys : dict
        Per frame with exclusions: ``(key, exact, next key or None)`` per phrase, or
        None where the phrases cannot be told so (a key that is not ASCII, a phrase
        opening with no word character or a wildcard, a Russian or Chinese matcher):
        that frame's phrases may start anywhere.
    """

    def __init__(self, keys: dict[int, tuple[tuple[str, bool, str | None], ...] | None]
                 ) -> None:
        self._anywhere = tuple(i for i, k in keys.items() if k is None)
        self._told = tuple((i, None) for i, k in keys.items() if k is not None)
        self._exact: dict[str, set[tuple[int, str | None]]] = {}
        self._prefixes: list[tuple[str, tuple[int, str | None]]] = []
        for i, _ in self._told:
            for key, exact, after in keys[i]:
                if exact:
                    self._exact.setdefault(key, set()).add((i, after))
                else:
                    self._prefixes.append((key, (i, after)))
        self._words: dict[str, tuple[tuple[int, str | None], ...]] = {}

    def _frames_of(self, word: str) -> tuple[tuple[int, str | None], ...]:
        if _UNLIKE_FOLDS.search(word):
            hit = self._told
        else:
            low = word.lower()
            found = set(self._exact.get(low, ()))
            found.update(f for key, f in self._prefixes if low.startswith(key))
            hit = tuple(sorted(found, key=lambda f: (f[0], f[1] or "")))
        if len(self._words) > 200_000:
            self._words.clear()  # bound memory on huge vocabularies
        self._words[word] = hit
        return hit

    def starts(self, text: str) -> dict[int, Sequence[int] | None]:
        """Per frame, the sorted offsets in ``text`` where its phrases may start (None:
        anywhere; a frame left out: nowhere)."""
        words, word_starts = scanned_words(text)
        hits = list(map(self._words.get, words))
        if None in hits:  # words not met before
            hits = [h if h is not None else self._frames_of(w)
                    for w, h in zip(words, hits, strict=True)]
        out: dict[int, list[int]] = {}
        last = len(words) - 1
        for k in compress(range(len(words)), hits):
            pos = word_starts[k]
            for i, after in hits[k]:
                if after is not None:
                    if k == last:
                        continue  # no second word
                    following = words[k + 1]
                    if not (following.lower().startswith(after)
                            or _UNLIKE_FOLDS.search(following)):
                        continue
                offsets = out.setdefault(i, [])
                if not offsets or offsets[-1] != pos:
                    offsets.append(pos)
        for i in self._anywhere:
            out[i] = None
        return out


def _any_between(offsets: Sequence[int] | None, a: int, b: int) -> bool:
    """Whether one of the sorted ``offsets`` lies in ``[a, b)`` (None: anywhere)."""
    if offsets is None:
        return True
    k = bisect_left(offsets, a)
    return k < len(offsets) and offsets[k] < b


@lru_cache(maxsize=32)
def _phrase_index(plan: Plan, language: str) -> _PhraseIndex:
    """The :class:`_PhraseIndex` of ``plan``'s frames' exclusions in ``language`` (kept
    with its words met, as the plan is: a worker matches chunk after chunk)."""
    frames = [f for cb in plan.codebooks for f in cb.frames if not f.residual]
    keys: dict[int, tuple[tuple[str, bool, str | None], ...] | None] = {}
    for i, phrases in plan.language(language).exclusions.items():
        told = []
        for term in in_language(frames[i].exclusions, language):
            key, wildcard = first_key(term)
            first, *rest = WORD_SPLIT.split(term.strip(), maxsplit=1)
            after = first_key(rest[0])[0].lower() if rest and first == key else ""
            told.append((key.lower(), not wildcard and len(term.strip()) > len(key),
                         after if after.isascii() and after else None))
        usable = isinstance(phrases, re.Pattern) and all(k and k.isascii() for k, *_ in told)
        keys[i] = tuple(told) if usable else None
    return _PhraseIndex(keys)


def sentence_bounds(seg: Segmented) -> tuple[Sequence[int], Sequence[int]]:
    """The start and end offsets of ``seg``'s sentences. Sentences rebuilt from kept
    bounds after a codebook edit (:class:`analysis.frame_reuse.KeptSentences`) hold them
    already, and make a sentence only when one is asked for: most are never read."""
    sentences = seg.sentences
    kept = getattr(sentences, "starts", None)
    if kept is not None:
        return kept, sentences.ends
    return [s.start for s in sentences], [s.end for s in sentences]


def _negation_test(lp: LanguagePlan, seg: Segmented, units: Sequence,
                   starts: Sequence[int], ends: Sequence[int], scanned: bool = False):
    """The sentences of one document that hold a negator (None: not known, ask each
    match), ``negated(start, sentence, window)`` for its matches, and
    ``surely_free(sentence)``, True where no match of that sentence can be negated (asked
    when the sentences are not known; ``starts``, ``ends``: the sentences' offsets,
    :func:`sentence_bounds`; ``scanned``: the text's words were scanned,
    :func:`analysis.matchers.scanned_words`).

    A term that itself opens with a negator ("no targeting of third parties", "不对抗")
    is negative by design; "no X, no Y and no Z" must not cancel it.
    """
    text = seg.text
    if not lp.keyed:
        negation = _SentenceNegation(seg, starts, ends,
                                     _negator_places(text) if scanned else None)

        def negated(start: int, s: int, window: int) -> bool:
            if not negation.negated(start, s, window):
                return False  # most matches: the term's own first word is not read
            own = _WORD.match(text, start)
            return own is None or own.group(0).lower() not in NEGATORS
        return None, negated, negation.surely_free
    negators = KEYED_NEGATORS[lp.language]
    unit_starts = [a for _, a, _ in units]
    sentence_starts = sentence_bounds(seg)[0]
    index = NegationIndex([k for k, _, _ in units], unit_starts,
                          [bisect_right(sentence_starts, a) - 1 for a in unit_starts], negators)
    own_negator = {a for k, a, _ in units if k in negators}

    def negated_keyed(start: int, s: int, window: int) -> bool:
        return start not in own_negator and index.negated(start, s, window)
    return index.sentences, negated_keyed, None


#: Where a token normalised to one of :data:`NEGATORS`, or ending in "n't", can be: the
#: word on its own (any case, with a possessive "'s"), or "n't" ending a word. A sentence
#: without such a place holds no negator. A token (``analysis.text._TOKEN``) runs on over
#: "-", "'", "’", "." or "&" between word characters, so a word joined so on either side
#: is inside another token ("no-limits", "non-aligned"): not a negator. The look-ahead
#: for the letters a match can start with lets the regex engine skip to those letters
#: (about 40% less time per sentence).
_JOINED = r"[-'’.&]"
_MAY_NEGATE = re.compile(r"(?=[" + "".join(sorted({w[0] for w in NEGATORS} | {"n"}))
                         + rf"])(?:(?<!\w)(?<!\w{_JOINED})(?:" + "|".join(sorted(NEGATORS))
                         + rf")|n['’]t)(?:['’]s)?(?!\w|{_JOINED}\w)", re.IGNORECASE)
_NO_NEGATOR = NegationIndex((), (), ())
#: A character that lets :data:`_MAY_NEGATE`'s look-arounds read past a sentence's edge.
_EDGE = re.compile(rf"\w|{_JOINED}")
#: Per word (a run of word characters) met: whether it may be a negator word of
#: :data:`_MAY_NEGATE`. Its case folding is that of ``lower()`` but for "İ", "ı" and
#: "ſ", which the regex matches as "i" and "s": a word holding one may be a negator.
_NEGATOR_WORD: dict[str, bool] = {}
_UNLIKE_FOLDS = re.compile("[İıſ]")


def _may_be_negator(word: str) -> bool:
    if len(_NEGATOR_WORD) > 200_000:
        _NEGATOR_WORD.clear()  # bound memory on huge vocabularies
    may = _NEGATOR_WORD[word] = (word.lower() in NEGATORS
                                 or _UNLIKE_FOLDS.search(word) is not None)
    return may


def _negator_places(text: str) -> list[int]:
    """Sorted offsets where :data:`_MAY_NEGATE` may match in ``text`` (at least every
    place ``finditer`` finds), from the words the matcher scanned instead of a search
    of the text (the search cost a tenth of the frames' time): the start of a word that
    may be a negator (the regex's look-behind and look-ahead keep it to whole words),
    and the "n" of every "n't"."""
    words, word_starts = scanned_words(text)
    flags = list(map(_NEGATOR_WORD.get, words))
    if None in flags:  # words not met before
        flags = [may if may is not None else _may_be_negator(w)
                 for w, may in zip(words, flags, strict=True)]
    places = list(compress(word_starts, flags))
    for quote in "'’":
        q = text.find(quote, 1)
        while q != -1:
            if text[q - 1] in "nN" and text[q + 1:q + 2] in ("t", "T"):
                places.append(q - 1)
            q = text.find(quote, q + 1)
    if len(places) > 1:
        places.sort()
    return places
_HAS_WORD = re.compile(r"\w")


class _SentenceNegation:
    """Where the negators of one text are, read only in the sentences that hold a match.

    The same answers as a :class:`NegationIndex` over the whole text's tokens: a
    negator negates only later tokens of its own sentence, so a sentence's own tokens
    tell. The one exception is a negator that ends its sentence, whose following token
    (which may keep it from negating) lies outside: such a sentence is asked of the whole
    text's index. A sentence without even the letters of a negator is not tokenised, and
    neither is one whose words before the match hold none (:meth:`_none_before`).
    Reading a few sentences instead of every token matters on a re-run after a codebook
    edit, where nothing else needs the text's tokens.
    """

    def __init__(self, seg: Segmented, starts: Sequence[int], ends: Sequence[int],
                 places: Sequence[int] | None = None) -> None:
        self._seg = seg
        self._starts, self._ends = starts, ends
        self._whole: NegationIndex | None = None
        self._by_sentence: dict[int, NegationIndex | None] = {}
        self._places = places

    def _free(self, s: int) -> bool:
        """Whether sentence ``s`` surely holds no place of :data:`_MAY_NEGATE` (searched in
        the sentence alone, as :meth:`_index` does), told from the places the whole text
        may hold (:func:`_negator_places`; False when not known). Most sentences with a
        match hold no negator; testing the words before each match cost a fifth of the
        frames' time. A place in the sentence alone is one in the whole text unless a
        look-around reads across the sentence's edges: where the character before or
        after it is a word character or a join (so also where a place runs across its
        start), the sentence is not called free and is read alone as before."""
        places = self._places
        if places is None:
            return False
        a, b = self._starts[s], self._ends[s]
        k = bisect_left(places, a)
        if k < len(places) and places[k] < b:
            return False
        text = self._seg.text
        return not ((a and _EDGE.match(text, a - 1)) or _EDGE.match(text, b))

    def surely_free(self, s: int) -> bool:
        """Whether :meth:`negated` is False for every match in sentence ``s``: it is where
        :meth:`_free` says so (asked first, whatever the window), so a caller may ask
        this once per sentence instead of :meth:`negated` once per match."""
        return self._free(s)

    def _index(self, s: int) -> NegationIndex | None:
        """Sentence ``s``'s own index (offsets and positions within it); None when the
        whole text's index must answer."""
        if s in self._by_sentence:
            return self._by_sentence[s]
        seg, a = self._seg, self._starts[s]
        sentence = seg.text[a:self._ends[s]]
        if not _MAY_NEGATE.search(sentence):
            self._by_sentence[s] = _NO_NEGATOR
            return _NO_NEGATOR
        # The sentence's tokens as Segmented.sentence_tokens gives them, without making
        # the sentence (a kept text's sentences are made only when read).
        tokens = tokenize(sentence, a, s, lang=seg.lang)
        norms = [t.norm for t in tokens]
        index = NegationIndex(norms, [t.start for t in tokens], [s] * len(tokens))
        if norms and norms[-1] in index.negator_words:
            index = None  # a negator ends the sentence: what follows it decides
        self._by_sentence[s] = index
        return index

    def _none_before(self, start: int, s: int, window: int) -> bool:
        """Whether surely none of the ``window`` words before a match at ``start`` in
        sentence ``s`` is a negator. Only those words can negate it. When the match starts
        the sentence or follows white space, they lie in the text before it; when each
        of the last ``window`` white-space-separated pieces of that text holds a word
        character, each holds a word, so they lie in those pieces. :data:`_MAY_NEGATE`
        finds a place in that text wherever one of them is a negator (white space, like
        the sentence's edges, is no word character). Most matches of a common term have
        no negator just before them: their sentences are then not tokenised."""
        a, seg = self._starts[s], self._seg
        if seg.lang in SEGMENTED or (start > a and not seg.text[start - 1].isspace()):
            return False  # words found otherwise, or a token may run into the match
        before = seg.text[a:start]
        pieces = before.rsplit(None, window)
        if len(pieces) > window and all(map(_HAS_WORD.search, pieces[1:])):
            before = " ".join(pieces[1:])
        return not _MAY_NEGATE.search(before)

    def negated(self, start: int, s: int, window: int) -> bool:
        if window <= 0:
            return False
        if s not in self._by_sentence:
            if self._free(s):
                self._by_sentence[s] = _NO_NEGATOR  # what _index would find
                return False
            if self._none_before(start, s, window):
                return False
        index = self._index(s)
        if index is None:
            if self._whole is None:
                seg = self._seg
                self._whole = NegationIndex(seg.norms, seg.token_starts, seg.token_sentences)
            index = self._whole
        return index.negated(start, s, window)


def match_term(term: str, corpus: Corpus, limit: int = 50, regex: bool = False,
               budget: float | None = None,
               progress: ProgressCallback | None = None,
               language: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Where a single term (codebook syntax, or a regex) occurs: for live term testing.

    The term is looked for, as a codebook term of ``language`` is, only in the documents
    of that language (Russian by lemma, Chinese on jieba's words). A regex runs with
    ``budget`` seconds per document (None: :data:`analysis.patterns.PATTERN_BUDGET`);
    ``progress`` is called per document, so a GUI can cancel between documents.

    Returns
    -------
    DataFrame
        At most ``limit`` rows in corpus order, columns ``doc_id, sentence, start, end,
        term, sentence_text`` (``start``/``end`` offsets into ``Document.text``, ready for
        KWIC display). ``attrs["count"]`` holds the total number of matches,
        ``attrs["n_documents"]`` the number of documents with a match and
        ``attrs["n_searched"]`` the number of documents in ``language``.

    Raises
    ------
    CodebookError
        When the term is empty, the regex is invalid or it runs out of time on a document
        (the message names the document and says how to rewrite the regex).
    """
    problem = check_pattern(term) if regex else check_term(term)
    if not problem and not regex and language in ("zh", "ja") and "*" in term:
        problem = "Chinese terms cannot use the * wildcard; list the words"
    if problem:
        raise CodebookError("term", problem)
    if regex:
        compiled = compile_pattern(term)
        budget = budget or patterns.PATTERN_BUDGET
    elif language in KEYED_LANGUAGES:
        keyed = matcher_for([[term]], language)
    else:
        plain = re.compile(term_regex(term), re.IGNORECASE)
    # Live typing over a large corpus: skip, at C speed, documents that cannot match.
    needle = ("" if regex or language in KEYED_LANGUAGES
              else max(re.findall(r"\w+", term.lower()), key=len, default=""))
    rows = []
    count = docs_with = searched = 0
    for doc in iterate(corpus.documents, progress, every=50):
        if matching_language(doc) != language:
            continue
        searched += 1
        if needle and needle not in doc.text.lower():
            continue
        if regex:
            try:
                spans = find_spans(compiled, doc.text, budget, f"document '{doc.doc_id}'")
            except PatternTimeout as exc:
                raise CodebookError("term", str(exc)) from None
        elif language in KEYED_LANGUAGES:
            units = keyed.units(doc.text, segment(doc.text, language))
            spans = [(a, b) for _, a, b, _ in keyed.find(doc.text, units)]
        else:
            spans = [m.span() for m in plain.finditer(doc.text) if m.end() > m.start()]
        seg = None
        for start, end in spans:
            count += 1
            if len(rows) < limit:
                seg = seg or segment(doc.text, language)
                s = _sentence_at(seg, start)
                sent_text = seg.sentences[s].text if s >= 0 else ""
                rows.append((doc.doc_id, s, start, end, doc.text[start:end], sent_text))
        docs_with += bool(spans)
    out = pd.DataFrame(rows, columns=["doc_id", "sentence", "start", "end", "term",
                                      "sentence_text"])
    out = out.astype({"sentence": int, "start": int, "end": int})
    out.attrs["count"] = count
    out.attrs["n_documents"] = docs_with
    out.attrs["n_searched"] = searched
    return out


def _sentence_at(seg: Segmented, offset: int) -> int:
    starts = [s.start for s in seg.sentences]
    s = bisect_right(starts, offset) - 1
    return s if s >= 0 and offset < seg.sentences[s].end else -1
