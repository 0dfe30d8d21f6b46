"""Codebooks compiled for matching: per language, one matcher for every frame's terms.

A frame's terms are matched only in documents of their language. For each language met in
a corpus the plan builds, once, one matcher over the terms of every frame of every
codebook in that language (and one over their exclusion phrases), so a document is read
in one pass whatever the number of frames. A frame with no terms in a document's language
is not measured there (its share is missing, not zero).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.codebook import DEFAULT_LANGUAGE, Codebook, in_language, term_regex, terms_regex
from analysis.corpus import Document
from analysis.lang import document_language
from analysis.matchers import KEYED_LANGUAGES, KeyMatcher, TermMatcher, first_key, matcher_for
from analysis.patterns import compile_pattern

__all__ = ["compiled_plan", "matching_language", "NegationIndex", "NEGATORS",
           "KEYED_NEGATORS"]

#: Tokens (normalised: lower case, straight apostrophe) that negate a following term.
NEGATORS = frozenset("not no never without nor neither hardly barely scarcely cannot none"
                     .split())
#: Negating words of the keyed languages (Russian lemmas, Chinese jieba words).
KEYED_NEGATORS = {
    "ru": frozenset("не нет ни без никогда нельзя".split()),
    "zh": frozenset("不 没 没有 无 未 非 并非 不是 从未 从不 绝不 决不 并不 毫无".split()),
}
# "not only X but also", "no matter how X", "не только": the negator does not negate what
# follows.
_NOT_NEGATING_NEXT = frozenset({"only", "just", "least", "matter", "doubt", "merely",
                                "только", "лишь"})


def matching_language(doc: Document) -> str:
    """The language whose terms a document is matched against: its language
    (:func:`analysis.lang.document_language`), English when it has none."""
    return document_language(doc) or DEFAULT_LANGUAGE


@dataclass(frozen=True)
class CompiledFrame:
    codebook: str
    frame: str
    languages: frozenset[str]   # where the frame is measured
    patterns: tuple[tuple[str, object, str], ...]   # (pattern, compiled, language)
    window: int

    @property
    def column(self) -> str:
        return f"{self.codebook}.{self.frame}"


@dataclass
class LanguagePlan:
    """The matchers of one language: terms and exclusions of every frame written in it."""

    language: str
    matcher: TermMatcher | KeyMatcher | None
    frame_of: tuple[int, ...]            # matcher list -> frame index
    # frame index -> its exclusion phrases: a regex (searched in one sentence), or a
    # KeyMatcher (run on the words of one sentence)
    exclusions: dict[int, re.Pattern[str] | KeyMatcher]
    rule_terms: dict[int, tuple[str, ...]]   # frame index -> its terms, longest first
    _rules: dict = field(default_factory=dict)
    _matched_rules: dict = field(default_factory=dict)

    @property
    def keyed(self) -> bool:
        return self.language in KEYED_LANGUAGES

    def units(self, seg) -> list[tuple[str, int, int]]:
        """The keyed words of a segmented text (Russian and Chinese; empty otherwise)."""
        if not isinstance(self.matcher, KeyMatcher):
            return []
        return self.matcher.units(seg.text, seg)

    def matches(self, text: str, units: Sequence, regions: Sequence[tuple[int, int]] | None = None
                ) -> list[tuple[int, int, int, str]]:
        """``(frame index, start, end, rule)`` of every term match in ``text`` (only in
        ``regions`` when given: see :meth:`TermMatcher.find`; keyed languages: all)."""
        if self.matcher is None:
            return []
        frame_of = self.frame_of
        if isinstance(self.matcher, KeyMatcher):
            return [(frame_of[li], a, b, term) for li, a, b, term
                    in self.matcher.find(text, units)]
        out = []
        # The rule of each (frame, matched text) is looked up once: a news text repeats
        # its terms, and a corpus its wordings.
        rules = self._matched_rules
        for li, a, b in self.matcher.find(text, regions):
            frame = frame_of[li]
            key = (frame, text[a:b])
            rule = rules.get(key)
            if rule is None:
                if len(rules) > _RULE_CACHE_LIMIT:
                    rules.clear()
                rule = rules[key] = self._rule(frame, key[1])
            out.append((frame, a, b, rule))
        return out

    def excluded(self, frame: int, text: str, units: Sequence, start: int,
                 end: int) -> list[tuple[int, int]]:
        """Spans of ``frame``'s exclusion phrases in ``text[start:end]`` (one sentence)."""
        found = self.exclusions[frame]
        if isinstance(found, KeyMatcher):
            lo = bisect_left(units, start, key=lambda u: u[1])
            hi = bisect_left(units, end, key=lambda u: u[1])
            return [(a, b) for _, a, b, _ in found.find(text, units[lo:hi])]
        return [m.span() for m in found.finditer(text, start, end)]

    def _rule(self, frame: int, matched: str) -> str:
        """The codebook term behind a regex match (longest term first)."""
        key = (frame, matched.lower())
        rule = self._rules.get(key)
        if rule is None:
            run = _FIRST_RUN.match(key[1])
            first = run.group(0) if run else ""
            rule = next((r for r in self.rule_terms[frame]
                         if _may_open(r, first) and _term_pattern(r).fullmatch(key[1])), "")
            self._rules[key] = rule
        return rule


_FIRST_RUN = re.compile(r"\w+")
_RULE_CACHE_LIMIT = 200_000


def _may_open(term: str, first: str) -> bool:
    """False when ``term`` cannot match a text whose first run of word characters is
    ``first`` (lower case): its own first run differs (or, before a ``*``, does not begin
    it). Tested without regexes, so only the likely terms are compiled and tried. Only
    ASCII runs are told apart: there lower() and the regex's case folding agree."""
    key, wildcard = _opening_key(term)
    if not key.isascii() or not first.isascii() or (not key and not wildcard):
        return True
    return first.startswith(key) if wildcard else first == key


@lru_cache(maxsize=16384)
def _opening_key(term: str) -> tuple[str, bool]:
    key, wildcard = first_key(term)
    return key.lower(), wildcard


@lru_cache(maxsize=16384)
def _term_pattern(term: str) -> re.Pattern[str]:
    """One term's regex, compiled when a match first needs its rule: compiling every
    term of every codebook up front cost more than matching a thousand articles."""
    return re.compile(term_regex(term), re.IGNORECASE)


@dataclass(frozen=True)
class Plan:
    """Everything needed to match a set of codebooks; language plans are built on demand."""

    codebooks: tuple[Codebook, ...]
    frames: tuple[CompiledFrame, ...]
    _languages: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def language(self, code: str) -> LanguagePlan:
        plan = self._languages.get(code)
        if plan is None:
            plan = self._languages[code] = _language_plan(self, code)
        return plan


def _language_plan(plan: Plan, code: str) -> LanguagePlan:
    frames = [f for cb in plan.codebooks for f in cb.frames if not f.residual]
    keyed = code in KEYED_LANGUAGES
    term_lists, frame_of, exclusions, rules = [], [], {}, {}
    for i, frame in enumerate(frames):
        terms = sorted(dict.fromkeys(in_language(frame.terms, code)), key=lambda t: (-len(t), t))
        if not terms:
            continue
        term_lists.append(terms)
        frame_of.append(i)
        if not keyed:
            rules[i] = tuple(terms)
        vetoes = in_language(frame.exclusions, code)
        if vetoes:
            exclusions[i] = (KeyMatcher([vetoes], code) if keyed
                             else re.compile(terms_regex(vetoes), re.IGNORECASE))
    return LanguagePlan(code, matcher_for(term_lists, code) if term_lists else None,
                        tuple(frame_of), exclusions, rules)


@lru_cache(maxsize=32)
def compiled_plan(codebooks: tuple[Codebook, ...], override_window: int | None) -> Plan:
    """The matching plan of ``codebooks`` (cached: codebooks are immutable values)."""
    frames: list[CompiledFrame] = []
    for codebook in codebooks:
        for frame in codebook.frames:
            if frame.residual:
                continue
            window = codebook.window_for(frame) if override_window is None else override_window
            frames.append(CompiledFrame(
                codebook.id, frame.id, frozenset(frame.languages),
                tuple((p.text, compile_pattern(p.text), p.language) for p in frame.patterns),
                window))
    return Plan(tuple(codebooks), tuple(frames))


class NegationIndex:
    """Where the negators of one text are, to tell quickly whether a match is negated.

    Parameters
    ----------
    norms, starts, sentences : sequences
        The words of the text: normalised form, start offset, sentence index.
    negators : frozenset of str
        :data:`NEGATORS` (English, with any word ending in "n't") or a set of
        :data:`KEYED_NEGATORS`.
    """

    def __init__(self, norms: Sequence[str], starts: Sequence[int], sentences: Sequence[int],
                 negators: frozenset[str] = NEGATORS) -> None:
        english = negators is NEGATORS
        last = len(norms) - 1
        self._starts, self._sentences = starts, sentences
        # Each distinct word is tested once (set() runs in C); most texts have few
        # negators, so the positions are then looked for only when there are some.
        found = {w for w in set(norms) if w in negators or (english and w.endswith("n't"))}
        #: The negating words among ``norms`` (before the words that follow them count).
        self.negator_words = frozenset(found)
        self._at = [i for i, w in enumerate(norms) if w in found
                    and (i == last or norms[i + 1] not in _NOT_NEGATING_NEXT)] if found else []
        #: The sentences holding a negator: a match elsewhere is never negated.
        self.sentences = frozenset(sentences[i] for i in self._at)

    def negated(self, start: int, sentence: int, window: int) -> bool:
        """Whether a negator is among the ``window`` words before the match at ``start``,
        in its sentence."""
        if window <= 0 or not self._at:
            return False
        first = bisect_left(self._starts, start)
        k = bisect_left(self._at, first) - 1
        if k < 0:
            return False
        i = self._at[k]  # the nearest negator before the match
        return i >= first - window and self._sentences[i] == sentence
