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

from analysis.codebook import DEFAULT_LANGUAGE, Codebook, in_language, term_regex
from analysis.corpus import Document
from analysis.matchers import KEYED_LANGUAGES, KeyMatcher, TermMatcher, matcher_for
from analysis.patterns import compile_pattern

__all__ = ["compiled_plan", "document_language", "NEGATORS", "KEYED_NEGATORS"]

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


def document_language(doc: Document) -> str:
    """The language a document's terms are matched in: its ``language`` column reduced to
    the ISO 639-1 code ("zh-CN" -> "zh"); English when it has none."""
    code = re.split(r"[-_\s]", doc.get("language").strip().lower(), maxsplit=1)[0]
    return code or DEFAULT_LANGUAGE


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
    exclusions: TermMatcher | KeyMatcher | None
    exclusion_frame_of: tuple[int, ...]
    rule_regexes: dict[int, tuple[tuple[str, re.Pattern[str]], ...]]
    _rules: dict = field(default_factory=dict)

    @property
    def keyed(self) -> bool:
        return self.language in KEYED_LANGUAGES

    def units(self, text: str) -> list[tuple[str, int, int]]:
        """The keyed words of ``text`` (for Russian and Chinese; empty otherwise)."""
        return self.matcher.units(text) if isinstance(self.matcher, KeyMatcher) else []

    def matches(self, text: str, units: Sequence) -> list[tuple[int, int, int, str]]:
        """``(frame index, start, end, rule)`` of every term match in ``text``."""
        if self.matcher is None:
            return []
        frame_of = self.frame_of
        if isinstance(self.matcher, KeyMatcher):
            return [(frame_of[li], a, b, term) for li, a, b, term
                    in self.matcher.find(text, units)]
        return [(frame_of[li], a, b, self._rule(frame_of[li], text[a:b]))
                for li, a, b in self.matcher.find(text)]

    def excluded(self, text: str, units: Sequence) -> dict[int, list[tuple[int, int]]]:
        """Per frame index, the spans of its exclusion phrases in ``text``."""
        out: dict[int, list[tuple[int, int]]] = {}
        if self.exclusions is None:
            return out
        found = (self.exclusions.find(text, units) if isinstance(self.exclusions, KeyMatcher)
                 else self.exclusions.find(text))
        for li, a, b, *_ in found:
            out.setdefault(self.exclusion_frame_of[li], []).append((a, b))
        return out

    def _rule(self, frame: int, matched: str) -> str:
        """The codebook term behind a regex match (longest term first)."""
        key = (frame, matched.lower())
        rule = self._rules.get(key)
        if rule is None:
            rule = next((r for r, p in self.rule_regexes[frame] if p.fullmatch(key[1])), "")
            self._rules[key] = rule
        return rule


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
    books = [cb for cb in plan.codebooks]
    frames = [f for cb in books for f in cb.frames if not f.residual]
    term_lists, frame_of, excl_lists, excl_of, rules = [], [], [], [], {}
    for i, frame in enumerate(frames):
        terms = sorted(dict.fromkeys(in_language(frame.terms, code)), key=lambda t: (-len(t), t))
        if terms:
            term_lists.append(terms)
            frame_of.append(i)
            if code not in KEYED_LANGUAGES:
                rules[i] = tuple((t, re.compile(term_regex(t), re.IGNORECASE)) for t in terms)
        exclusions = in_language(frame.exclusions, code)
        if exclusions and terms:
            excl_lists.append(exclusions)
            excl_of.append(i)
    return LanguagePlan(
        code, matcher_for(term_lists, code) if term_lists else None, tuple(frame_of),
        matcher_for(excl_lists, code) if excl_lists else None, tuple(excl_of), rules)


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


def negated_in_words(norms: Sequence[str], starts: Sequence[int], sentences: Sequence[int],
                     start: int, sentence: int, window: int,
                     negators: frozenset[str] = NEGATORS) -> bool:
    """Whether a negator occurs within ``window`` words before the match at ``start``.

    ``norms``/``starts``/``sentences`` are the words of the text (normalised form, start
    offset, sentence index).
    """
    if window <= 0:
        return False
    first = bisect_left(starts, start)
    for i in range(first - 1, max(first - window, 0) - 1, -1):
        if sentences[i] != sentence:
            break
        if _is_negator(norms, i, negators):
            return True
    return False


def _is_negator(norms: Sequence[str], i: int, negators: frozenset[str]) -> bool:
    norm = norms[i]
    if norm not in negators and not (negators is NEGATORS and norm.endswith("n't")):
        return False
    nxt = norms[i + 1] if i + 1 < len(norms) else ""
    return nxt not in _NOT_NEGATING_NEXT
