"""The codebook frame matcher as it was before its single-pass rewrite: the reference that
``tests/analysis/test_frames_equal.py`` checks :class:`analysis.frames.FrameAnalyzer`
against, and the "before" of ``python -m benchmarks.bench_frames``.

It read every word of a text in Python to find where a term list can start, collected
each frame's matches apart and sorted them, tested every match for a negator before it,
searched a frame's exclusion phrases in every sentence holding one of its matches, and
built the match table row by row.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

import pandas as pd

from analysis import patterns
from analysis.base import empty_documents_frame
from analysis.codebook import DEFAULT_LANGUAGE, in_language, terms_regex
from analysis.frame_plan import (
    _FIRST_RUN,
    KEYED_NEGATORS,
    NEGATORS,
    NegationIndex,
    _may_open,
    _term_pattern,
    compiled_plan,
)
from analysis.frames import MATCH_COLUMNS, FrameResult, _match_patterns
from analysis.lang import document_language
from analysis.matchers import KEYED_LANGUAGES, KeyMatcher, TermMatcher
from analysis.text import segment

__all__ = ["reference_frames"]

# The term matcher was not changed by that rewrite, so the reference uses the shipped one
# (:class:`analysis.matchers.TermMatcher`).

_WORD = re.compile(r"\w+")


class _LanguagePlan:
    def __init__(self, plan, code):
        frames = [f for cb in plan.codebooks for f in cb.frames if not f.residual]
        self.keyed = code in KEYED_LANGUAGES
        self.language = code
        term_lists, frame_of, self.exclusions, self.rule_terms = [], [], {}, {}
        self._rules: dict = {}
        for i, frame in enumerate(frames):
            terms = sorted(dict.fromkeys(in_language(frame.terms, code)),
                           key=lambda t: (-len(t), t))
            if not terms:
                continue
            term_lists.append(terms)
            frame_of.append(i)
            if not self.keyed:
                self.rule_terms[i] = tuple(terms)
            vetoes = in_language(frame.exclusions, code)
            if vetoes:
                self.exclusions[i] = (KeyMatcher([vetoes], code) if self.keyed
                                      else re.compile(terms_regex(vetoes), re.IGNORECASE))
        self.frame_of = tuple(frame_of)
        self.matcher = None
        if term_lists:
            self.matcher = (KeyMatcher(term_lists, code) if self.keyed else
                            TermMatcher([(terms, False) for terms in term_lists]))

    def units(self, seg):
        return self.matcher.units(seg.text, seg) if isinstance(self.matcher, KeyMatcher) else []

    def matches(self, text, units):
        if self.matcher is None:
            return []
        frame_of = self.frame_of
        if isinstance(self.matcher, KeyMatcher):
            return [(frame_of[li], a, b, term) for li, a, b, term
                    in self.matcher.find(text, units)]
        return [(frame_of[li], a, b, self._rule(frame_of[li], text[a:b]))
                for li, a, b in self.matcher.find(text)]

    def excluded(self, frame, text, units, start, end):
        found = self.exclusions[frame]
        if isinstance(found, KeyMatcher):
            lo = bisect_left(units, start, key=lambda u: u[1])
            hi = bisect_left(units, end, key=lambda u: u[1])
            return [(a, b) for _, a, b, _ in found.find(text, units[lo:hi])]
        return [m.span() for m in found.finditer(text, start, end)]

    def _rule(self, frame, matched):
        key = (frame, matched.lower())
        rule = self._rules.get(key)
        if rule is None:
            run = _FIRST_RUN.match(key[1])
            first = run.group(0) if run else ""
            rule = next((r for r in self.rule_terms[frame]
                         if _may_open(r, first) and _term_pattern(r).fullmatch(key[1])), "")
            self._rules[key] = rule
        return rule


def reference_frames(codebooks, corpus, negation_window=None,
                     pattern_budget=None) -> FrameResult:
    """:meth:`analysis.frames.FrameAnalyzer.transform` as it was."""
    plan = compiled_plan(tuple(codebooks), negation_window)
    language_plans: dict[str, _LanguagePlan] = {}
    columns = [cf.column for cf in plan.frames]
    rows: list[tuple] = []
    shares, n_sentences = [], []
    docs = corpus.documents
    stored = [document_language(doc) for doc in docs]
    languages = [lang or DEFAULT_LANGUAGE for lang in stored]
    regex_spans, warnings = {}, []
    if any(cf.patterns for cf in plan.frames):
        regex_spans, warnings = _match_patterns(
            plan, docs, languages, pattern_budget or patterns.PATTERN_BUDGET, None)
    for index, doc in enumerate(docs):
        lang = languages[index]
        seg = segment(doc.text, stored[index])
        if lang not in language_plans:
            language_plans[lang] = _LanguagePlan(plan, lang)
        carried = _match_document(language_plans[lang], plan, doc.doc_id, seg, rows,
                                  regex_spans.get(index, ()))
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
    matches = pd.DataFrame(rows, columns=list(MATCH_COLUMNS))
    matches = matches.astype({"sentence": int, "start": int, "end": int, "negated": bool})
    return FrameResult(documents, matches, tuple(warnings))


def _match_document(lp, plan, doc_id, seg, rows, regex_spans=()):
    text = seg.text
    starts = [s.start for s in seg.sentences]
    ends = [s.end for s in seg.sentences]
    units = lp.units(seg)
    frames = plan.frames
    found: list[list[tuple[int, int, str]]] = [[] for _ in frames]
    for i, start, end, rule in lp.matches(text, units):
        found[i].append((start, end, rule))
    for i, start, end, rule in regex_spans:
        found[i].append((start, end, rule))
    carried: list[set[int]] = [set() for _ in frames]
    if not any(found):
        return carried
    negated_at = _negation_test(lp, seg, units)
    for i, cf in enumerate(frames):
        sentences = carried[i]
        excluded: dict[int, list[tuple[int, int]]] = {}
        for start, end, rule in sorted(found[i]):
            s = bisect_right(starts, start) - 1
            if s < 0 or end > ends[s]:
                continue
            if i in lp.exclusions:
                if s not in excluded:
                    excluded[s] = lp.excluded(i, text, units, starts[s], ends[s])
                if any(a <= start and end <= b for a, b in excluded[s]):
                    continue
            negated = negated_at(start, s, cf.window)
            rows.append((doc_id, cf.codebook, cf.frame, s, start, end, text[start:end], rule,
                         negated))
            if not negated:
                sentences.add(s)
    return carried


def _negation_test(lp, seg, units):
    text = seg.text
    if not lp.keyed:
        index = NegationIndex(seg.norms, seg.token_starts, seg.token_sentences)

        def negated(start, s, window):
            own = _WORD.match(text, start)
            return ((own is None or own.group(0).lower() not in NEGATORS)
                    and index.negated(start, s, window))
        return negated
    negators = KEYED_NEGATORS[lp.language]
    unit_starts = [a for _, a, _ in units]
    sentence_starts = [x.start for x in seg.sentences]
    index = NegationIndex([k for k, _, _ in units], unit_starts,
                          [bisect_right(sentence_starts, a) - 1 for a in unit_starts], negators)
    own_negator = {a for k, a, _ in units if k in negators}

    def negated_keyed(start, s, window):
        return start not in own_negator and index.negated(start, s, window)
    return negated_keyed
