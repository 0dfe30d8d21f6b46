"""Target-dependent sentiment: how Russia, China, the US/West, the partnership... are spoken of.

Targets and their aliases come from YAML (the built-in ``resources/targets.yaml`` or
the user's file). :func:`find_mentions` finds them in a text with one compiled regex;
a :class:`analysis.base.TargetScorer` scores each mention in its sentence; the built-in
:class:`VaderWindowScorer` runs VADER on the clause around the mention.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count, repeat
from operator import attrgetter, methodcaller, sub
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis.atomic import write_text_atomic
from analysis.base import (
    SENTIMENT_LABELS,
    Analyzer,
    TargetScorer,
    empty_documents_frame,
    typed_columns,
)
from analysis.corpus import Corpus
from analysis.gc_pause import collection_paused
from analysis.lang import document_language, method_available
from analysis.matchers import scanned_words
from analysis.progress import ProgressCallback, iterate, wrap_progress
from analysis.resources import resource
from analysis.text import segment

__all__ = ["Target", "Mention", "TargetsError", "load_targets", "parse_targets", "dump_targets",
           "find_mentions", "VaderWindowScorer", "TargetSentimentAnalyzer", "TargetResult",
           "MENTION_COLUMNS", "compound_to_proba", "clause_around", "score_in_chunks",
           "mention_table"]

MENTION_COLUMNS = ("doc_id", "target", "sentence", "start", "end", "mention", "score", "label",
                   "p_negative", "p_neutral", "p_positive")

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014"
_GROUP, _START, _END = methodcaller("group", 0), methodcaller("start"), methodcaller("end")
_S_START, _S_END, _S_TEXT = attrgetter("start"), attrgetter("end"), attrgetter("text")


class TargetsError(ValueError):
    """A targets file that cannot be used; the message names the file and the reason."""


@dataclass(frozen=True)
class Target:
    """A named actor or object of sentiment.

    ``aliases`` are the words and phrases that mention it. An alias in capitals only
    ("US") or one listed in ``case_sensitive`` matches exactly as written.
    ``exclusions`` are longer names that hold an alias but do not mention the target
    ("Voice of America", "South China Sea"): inside them the alias is not a mention.
    """

    id: str
    label: str
    aliases: tuple[str, ...]
    case_sensitive: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """One mention: ``target`` id, character offsets into the document text, the index
    of its sentence, and the text as written."""

    target: str
    start: int
    end: int
    sentence: int
    text: str


# --- Loading ---------------------------------------------------------------------------

def load_targets(path: str | Path | None = None) -> tuple[Target, ...]:
    """Read targets from a YAML file, or the built-in set when ``path`` is None.

    Raises
    ------
    TargetsError
        When the file cannot be read or is malformed; the message names the file.
    """
    if path is None:
        return parse_targets(resource("targets.yaml").read_text(encoding="utf-8"),
                             source="targets.yaml (built-in)")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetsError(f"{path}: cannot read the targets file ({exc})") from exc
    return parse_targets(text, source=str(path))


def parse_targets(text: str, source: str = "targets") -> tuple[Target, ...]:
    """Targets from YAML text (e.g. edited in the app); ``source`` names it in errors.

    Raises
    ------
    TargetsError
        When the YAML is malformed or a target lacks an id or aliases.
    """
    name = source
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        # One line: yaml's own message spans several and quotes the text.
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise TargetsError(f"{name}{where}: not valid YAML ({problem})") from exc
    items = data.get("targets") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise TargetsError(f"{name}: expected a 'targets:' list of targets")
    targets: list[Target] = []
    seen: set[str] = set()
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise TargetsError(f"{name}: target {n} is not a mapping with id, label, aliases")
        tid = str(item.get("id", "")).strip()
        if not _ID.match(tid):
            raise TargetsError(f"{name}: target {n} has no valid id (letters, digits, _): {tid!r}")
        if tid in seen:
            raise TargetsError(f"{name}: target id {tid!r} is used twice")
        seen.add(tid)
        raw = item.get("aliases")
        if not isinstance(raw, list) or not raw:
            raise TargetsError(f"{name}: target {tid!r} needs a non-empty 'aliases' list")
        aliases: list[str] = []
        exact: list[str] = []
        for alias in raw:
            if isinstance(alias, dict):
                text_ = str(alias.get("text", "")).strip()
                if alias.get("case_sensitive"):
                    exact.append(text_)
            else:
                text_ = str(alias).strip() if alias is not None else ""
            if not text_:
                raise TargetsError(f"{name}: target {tid!r} has an empty alias")
            aliases.append(text_)
        raw_ex = item.get("exclusions") or []
        if not isinstance(raw_ex, list) or not all(isinstance(e, str) and e.strip()
                                                     for e in raw_ex):
            raise TargetsError(f"{name}: target {tid!r}: 'exclusions' must be a list of "
                               "names")
        targets.append(Target(tid, str(item.get("label") or tid), tuple(aliases), tuple(exact),
                              tuple(e.strip() for e in raw_ex)))
    return tuple(targets)


def dump_targets(targets: Iterable[Target], path: str | Path) -> None:
    """Write targets as YAML (atomically) in the format :func:`load_targets` reads."""
    items = []
    for t in targets:
        aliases = [{"text": a, "case_sensitive": True} if a in t.case_sensitive else a
                   for a in t.aliases]
        item = {"id": t.id, "label": t.label, "aliases": aliases}
        if t.exclusions:
            item["exclusions"] = list(t.exclusions)
        items.append(item)
    text = yaml.safe_dump({"version": 1, "targets": items}, allow_unicode=True,
                          sort_keys=False)
    write_text_atomic(Path(path), text)


# --- Finding mentions -----------------------------------------------------------------

def _is_exact(alias: str, target: Target) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return alias in target.case_sensitive or (bool(letters) and all(c.isupper() for c in letters))


def _alias_regex(alias: str) -> str:
    parts = []
    for ch in alias:
        if ch.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif ch in _DASHES:
            parts.append(f"[{_DASHES}]")
        elif ch in "'\u2019":
            parts.append("['\u2019]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


@lru_cache(maxsize=65536)
def _key(text: str) -> str:
    # Cached: a corpus names its targets in a few ways, tens of thousands of times.
    return re.sub(rf"[{_DASHES}]", "-", " ".join(text.split())).replace("\u2019", "'")


@lru_cache(maxsize=32)
def _matcher(targets: tuple[Target, ...]):
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    alternatives: list[tuple[int, str]] = []
    for t in targets:
        for alias in t.aliases:
            body = _alias_regex(alias)
            if _is_exact(alias, t):
                exact.setdefault(_key(alias), t.id)
                if alias[:1].islower():  # "the Alliance" may open a sentence: "The Alliance"
                    body = f"[{alias[0]}{alias[0].upper()}]" + _alias_regex(alias[1:])
                    exact.setdefault(_key(alias[0].upper() + alias[1:]), t.id)
                alternatives.append((len(alias), body))
            else:
                loose.setdefault(_key(alias).lower(), t.id)
                alternatives.append((len(alias), f"(?i:{body})"))
        for name in t.exclusions:
            # Matched like an alias, so the longest match wins, but mapped to no target.
            alternatives.append((len(name), f"(?i:{_alias_regex(name)})"))
    if not alternatives:
        return None, exact, loose
    # Longest first: at any position the regex tries longer aliases before shorter ones.
    alternatives.sort(key=lambda a: -a[0])
    pattern = re.compile(r"(?<!\w)(?:" + _dispatch([b for _, b in alternatives]) + r")(?!\w)")
    return pattern, exact, loose


def _dispatch(bodies: list[str]) -> str:
    """The alternation of ``bodies``, grouped by first letter behind a one-letter look-ahead.

    The regex engine tries alternatives one by one at every word start; grouped, it tries
    one look-ahead per letter and only the aliases of the matching letter, in their
    original order. Aliases of different letters never match at the same position, so
    the first alternative that matches (the longest) is the same. Bodies that do not
    start with an ASCII letter leave the plain alternation.

    The letter groups are themselves grouped by :data:`_BUCKET` behind a look-ahead for
    any of their letters, so a word start tries a few bucket look-aheads and then the few
    letters of its bucket instead of every letter (about a third less regex time).
    """
    groups: dict[str, list[str]] = {}
    for body in bodies:
        first = _first_letter(body)
        if first is None:
            return "|".join(bodies)
        groups.setdefault(first, []).append(body)
    letters = list(groups)
    buckets = [letters[i:i + _BUCKET] for i in range(0, len(letters), _BUCKET)]
    return "|".join(
        f"(?=(?i:[{''.join(bucket)}]))(?:"
        + "|".join(f"(?=(?i:{letter}))(?:{'|'.join(groups[letter])})" for letter in bucket)
        + ")" for bucket in buckets)


_BUCKET = 5  # letter groups per bucket of _dispatch (4 to 7 measured alike)


def _first_letter(body: str) -> str | None:
    """The lower-case ASCII letter every match of ``body`` starts with (case aside)."""
    m = re.match(r"\(\?i:(.)|\[(.)(.)\]|(.)", body)
    letter = next(g for g in m.groups() if g is not None)
    if m.group(2) is not None and m.group(2).lower() != m.group(3).lower():
        return None
    return letter.lower() if letter.isascii() and letter.isalpha() else None


_LEAD = re.compile(r"\w+")


class _WordFilter(dict):
    """A text word (a run of ``\\w`` as :func:`analysis.matchers.scanned_words` reads
    them) -> where the mention regex can match at its start: :data:`_NEVER`,
    :data:`_TRY` (try the regex there), or :data:`_PAIR` (only when the next word makes
    one of the aliases' first two words, see :func:`_word_filter`). Filled as words
    are met; bounded."""

    def __init__(self, singles: frozenset[str], firsts: frozenset[str]) -> None:
        super().__init__()
        self.singles, self.firsts = singles, firsts

    def __missing__(self, word: str) -> int:
        if len(self) > 1 << 17:
            self.clear()
        if not word.isascii():
            kind = _TRY  # re's ignore-case also folds "ſ", "ı", "K" ... onto ASCII letters
        else:
            low = word.lower()
            kind = _TRY if low in self.singles else _PAIR if low in self.firsts else _NEVER
        self[word] = kind
        return kind


_NEVER, _TRY, _PAIR = 0, 1, 2


@lru_cache(maxsize=32)
def _word_filter(targets: tuple[Target, ...]) -> tuple[_WordFilter, frozenset] | None:
    """The words at whose start the mention regex of :func:`_matcher` can match.

    Every alias and exclusion that opens with ASCII letters or digits (its first run of
    word characters ``L``, lower-cased) can only match where a text word is ``L`` up to
    case: the regex matches ``L`` character by character, case aside, and the character
    after it in the alias (white space, a dash, an apostrophe, a stop) or the regex's
    closing ``(?!\\w)`` ends the text's word there. An ASCII word is ``L`` up to case
    exactly when its lower case is; a word with other characters is always tried, as
    re's ignore-case matches a few of them to ASCII letters. When ``L`` is followed by
    white space and a second run ``L2``, the text's next word is likewise ``L2`` up to
    case: such words are kept as pairs, so a frequent first word ("the") is tried only
    before the right second word. ``None`` when some alias opens otherwise, or holds a
    character other than ASCII, dashes and ’ (the regex is then run over the text).
    """
    singles: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for t in targets:
        for name in (*t.aliases, *t.exclusions):
            if not all(c.isascii() or c in _DASHES or c == "\u2019" for c in name):
                return None
            runs = _LEAD.finditer(name)
            first = next(runs, None)
            if first is None or first.start() != 0:
                return None
            second = next(runs, None)
            if second is not None and name[first.end():second.start()].isspace():
                pairs.add((first.group().lower(), second.group().lower()))
            else:
                singles.add(first.group().lower())
    firsts = frozenset(a for a, _ in pairs) - singles
    pairs = {(a, b) for a, b in pairs if a in firsts}
    return _WordFilter(frozenset(singles), firsts), frozenset(pairs)


def _mention_matches(text: str, pattern: re.Pattern, targets: tuple[Target, ...]) -> list:
    """``list(pattern.finditer(text))``, trying the regex only at the starts of the words
    that can open a match (:func:`_word_filter`), from the text's words as the frames
    and markers scan them (kept for the texts scanned last)."""
    found = _word_filter(targets)
    if found is None:
        return list(pattern.finditer(text))
    kinds, pairs = found
    words, starts = scanned_words(text)
    flags = list(map(kinds.__getitem__, words))
    matches = []
    match = pattern.match
    end = 0
    last = len(words) - 1
    for i in compress(count(), flags):
        at = starts[i]
        if at < end:
            continue  # inside the last match: finditer goes on from its end
        if flags[i] == _PAIR:
            if i == last:
                continue
            after = words[i + 1]
            if after.isascii() and (words[i].lower(), after.lower()) not in pairs:
                continue
        m = match(text, at)
        if m is not None:
            matches.append(m)
            end = m.end()
    return matches


def find_mentions(text: str, targets: Iterable[Target], lang: str | None = None
                  ) -> list[Mention]:
    """Every mention of ``targets`` in ``text``, in order of position.

    Whole words only; overlapping aliases resolve to the longest (leftmost first).
    ``sentence`` is the index of the sentence (:func:`analysis.text.segment`) holding
    the mention's start; ``lang`` is the document's language when known (its sentences
    do not depend on it, but passing it spares guessing it again).
    """
    return [Mention(*row) for row in zip(*_mention_columns(text, targets, lang), strict=True)]


def _mention_columns(text: str, targets: Iterable[Target], lang: str | None = None
                     ) -> tuple[list, list, list, list, list]:
    """The fields of :func:`find_mentions`' mentions as five lists (target ids, starts,
    ends, sentence indices, texts as written), without building a Mention per match."""
    targets = tuple(targets)
    pattern, exact, loose = _matcher(targets)
    if pattern is None or not text:
        return [], [], [], [], []
    # The regex at the words that can open a match; then each step over all matches at
    # once (maps run in C).
    matches = _mention_matches(text, pattern, targets)
    written = list(map(_GROUP, matches))
    keys = list(map(_key, written))
    ids = [exact.get(k) or loose.get(k.lower()) for k in keys]
    if None in ids:
        found = [k for k, tid in enumerate(ids) if tid is not None]
        matches, written, ids = ([seq[k] for k in found] for seq in (matches, written, ids))
    if not matches:
        return [], [], [], [], []
    starts = [s.start for s in segment(text, lang).sentences]
    at = list(map(_START, matches))
    where = [max(i - 1, 0) for i in map(bisect.bisect_right, repeat(starts), at)]
    return ids, at, list(map(_END, matches)), where, written


# --- Scoring --------------------------------------------------------------------------

# A clause ends at a semicolon or colon, or before a contrast or concession word:
# "Moscow praised the talks, but Washington condemned them" scores each side apart.
_CLAUSE_BREAK = re.compile(
    r"[;:]|\s[\u2013\u2014-]\s|,?\s+(?=(?:but|while|whereas|although|though|however|yet|"
    r"despite|even as)\b)", re.IGNORECASE)


def clause_around(sentence: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the clause of ``sentence`` that holds the span ``start:end``."""
    lo, hi = 0, len(sentence)
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= end:
            hi = m.start()
            break
    if not sentence[lo:hi].strip():
        return 0, len(sentence)
    return lo, hi


def compound_to_proba(compound: np.ndarray) -> np.ndarray:
    """Map VADER compound scores to (negative, neutral, positive) probabilities.

    The label follows VADER's cut-offs (>= 0.05 positive, <= -0.05 negative, else
    neutral). Inside the neutral band the leaning side gets |c| / 0.1 (< 0.5) and
    neutral the rest; beyond it the side gets 0.5 + |c| / 2 and neutral the rest, so
    the mention score p_pos - p_neg grows with the strength of the wording.
    """
    c = np.asarray(compound, dtype=float)
    m = np.abs(c)
    side = np.where(m >= 0.05, 0.5 + m / 2.0, m / 0.1)
    side = np.minimum(side, 1.0)
    out = np.zeros((c.size, 3))
    out[:, 1] = 1.0 - side
    out[:, 2] = np.where(c > 0, side, 0.0)
    out[:, 0] = np.where(c < 0, side, 0.0)
    return out


class VaderWindowScorer:
    """Target scorer: VADER on the clause of the sentence that holds the mention.

    A dictionary baseline (about 0.5 macro-F1 on news target-sentiment data in the
    literature); its measured accuracy is filled in by the model card when available.
    """

    name = "vader-window"
    chunk_size = 2048  # fast: see score_in_chunks

    def __init__(self, accuracy: dict | None = None) -> None:
        self.accuracy = accuracy

    def predict_proba(self, sentences: list[str], spans: list[tuple[int, int]]) -> np.ndarray:
        from analysis.vader import fast_vader

        if len(sentences) != len(spans):
            raise ValueError("one span per sentence is needed")
        if not sentences:
            return np.zeros((0, 3))
        compound = fast_vader().compound  # equal to VADER's polarity_scores compound
        cache: dict[str, float] = {}
        compounds = np.empty(len(sentences))
        for i, (sentence, (start, end)) in enumerate(zip(sentences, spans, strict=True)):
            lo, hi = clause_around(sentence, start, end)
            clause = sentence[lo:hi]
            if clause not in cache:
                cache[clause] = compound(clause)
            compounds[i] = cache[clause]
        return compound_to_proba(compounds)


# --- Analyzer -------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetResult:
    """Target sentiment of a corpus.

    Attributes
    ----------
    documents : DataFrame
        Index ``doc_id``; per target ``<id>``: mean mention score (p_pos - p_neg, -1..1,
        NaN when the document does not mention it) and ``<id>.n``: number of mentions.
    mentions : DataFrame
        One row per mention: :data:`MENTION_COLUMNS` (``sentence`` is the sentence
        index; ``start``/``end`` offsets into the document text; ``mention`` the text as
        written; ``label`` the most probable of negative/neutral/positive).
    targets : tuple of Target
    model : str
        The scorer's name.
    accuracy : dict or None
        The scorer's measured accuracy when known.
    """

    documents: pd.DataFrame
    mentions: pd.DataFrame
    targets: tuple[Target, ...] = ()
    model: str = ""
    accuracy: dict | None = None


def score_in_chunks(scorer: TargetScorer, sentences: list[str], spans: list[tuple[int, int]],
                    progress: ProgressCallback | None = None,
                    chunk: int | None = None) -> np.ndarray:
    """``scorer.predict_proba`` in chunks, so a slow scorer (the transformer) reports progress
    and can be cancelled between chunks; probabilities (n, 3).

    ``chunk`` defaults to the scorer's ``chunk_size`` when it has one, else 128.
    """
    # 128 targets are about 1.5 s of transformer work on one thread: Cancel answers quickly.
    # A fast scorer (the linear model: ~60 µs a target) sets a larger chunk, as each call
    # has a fixed cost (a sparse matrix) and the rows do not depend on their batch.
    chunk = chunk or getattr(scorer, "chunk_size", 128)
    parts = []
    for i in iterate(range(0, len(sentences), chunk), progress):
        part = scorer.predict_proba(sentences[i:i + chunk], spans[i:i + chunk])
        parts.append(np.asarray(part, dtype=float).reshape(-1, len(SENTIMENT_LABELS)))
    return np.concatenate(parts) if parts else np.zeros((0, len(SENTIMENT_LABELS)))


class TargetSentimentAnalyzer(Analyzer):
    """Finds target mentions and scores each with a :class:`TargetScorer` in one batch.

    Parameters
    ----------
    targets : tuple of Target, optional
        Defaults to the built-in set (``resources/targets.yaml``).
    scorer : TargetScorer, optional
        Defaults to :class:`VaderWindowScorer`.
    """

    section = "targets"

    def __init__(self, targets: tuple[Target, ...] | None = None,
                 scorer: TargetScorer | None = None) -> None:
        self.targets = targets
        self.scorer = scorer

    # No cyclic garbage collection while a chunk is analysed (analysis.gc_pause): the
    # many short-lived objects made here are freed by reference counting, and the
    # collections they set off walk a worker's whole heap of models and lexicons.
    @collection_paused()
    def transform(self, corpus: Corpus, progress: ProgressCallback | None = None) -> TargetResult:
        targets = tuple(self.targets) if self.targets is not None else load_targets()
        scorer = self.scorer if self.scorer is not None else VaderWindowScorer()
        ids = [t.id for t in targets]
        columns = [c for t in ids for c in (t, f"{t}.n")]
        # The mentions' columns (MENTION_COLUMNS[:6]), each mention's sentence and span.
        table: tuple[list, ...] = ([], [], [], [], [], [])
        sentences: list[str] = []
        spans: list[tuple[int, int]] = []
        for doc in iterate(corpus.documents, wrap_progress(progress, 0.0, 0.6), every=20):
            lang = document_language(doc)
            if not method_available("targets", lang):
                continue  # the tone models are English: no score, not a wrong one
            found, starts, ends, where, written = _mention_columns(doc.text, targets, lang)
            if not found:
                continue
            # A document's mentions at once, each step a map in C (no Python step per
            # mention): the span is the mention's offsets in its sentence, cut at its end.
            held = list(map(segment(doc.text, lang).sentences.__getitem__, where))
            firsts = list(map(_S_START, held))
            sentences += map(_S_TEXT, held)
            spans += zip(map(sub, starts, firsts),
                         map(sub, map(min, ends, map(_S_END, held)), firsts), strict=True)
            for column, values in zip(table, ([doc.doc_id] * len(found), found, where,
                                              starts, ends, written), strict=True):
                column += values
        proba = score_in_chunks(scorer, sentences, spans, wrap_progress(progress, 0.6, 1.0))
        mentions = _mention_frame(table, proba)
        documents = self._documents(corpus, ids, columns, mentions)
        return TargetResult(documents, mentions, targets, scorer.name,
                            getattr(scorer, "accuracy", None))

    @staticmethod
    def _documents(corpus: Corpus, ids: list[str], columns: list[str],
                   mentions: pd.DataFrame) -> pd.DataFrame:
        if not len(corpus):
            return empty_documents_frame(columns)
        index = pd.Index(corpus.ids, name="doc_id", dtype=object)
        names = list(dict.fromkeys(ids))
        means = np.full((len(index), len(names)), np.nan)
        counts = np.zeros((len(index), len(names)), dtype=np.int64)
        if len(mentions):
            # One group per (document, target) cell, keyed by the cell's place: pandas
            # adds each group's scores in row order, as grouping by the two columns did,
            # and the table is filled at once instead of a column at a time.
            cell = (index.get_indexer(mentions["doc_id"]) * len(names)
                    + pd.Index(names).get_indexer(mentions["target"]))
            grouped = mentions["score"].groupby(cell)
            mean = grouped.mean()
            means.flat[mean.index.to_numpy()] = mean.to_numpy()
            counts.flat[mean.index.to_numpy()] = grouped.size().to_numpy()
        cells = {}
        for j, t in enumerate(names):
            cells[t], cells[f"{t}.n"] = means[:, j], counts[:, j]
        return pd.DataFrame(cells, index=index)[columns]


def mention_table(rows: list[tuple], proba: np.ndarray) -> pd.DataFrame:
    """The mentions table (:data:`MENTION_COLUMNS`) from ``(doc_id, target, sentence,
    start, end, mention)`` rows and their (negative, neutral, positive) probabilities."""
    return _mention_frame(list(zip(*rows, strict=True)) if rows else [()] * 6, proba)


def _mention_frame(columns: Sequence[Sequence], proba: np.ndarray) -> pd.DataFrame:
    """:func:`mention_table` from the six columns of its rows, built column by column (a
    frame from one tuple per mention cost about as much as scoring the mentions)."""
    data = typed_columns(MENTION_COLUMNS[:6], columns,
                         (object, object, np.int64, np.int64, np.int64, object))
    data["score"] = proba[:, 2] - proba[:, 0]
    data["label"] = pd.Series(
        np.asarray(SENTIMENT_LABELS, dtype=object)[proba.argmax(axis=1)] if len(proba)
        else np.empty(0, dtype=object), dtype=object)
    data["p_negative"], data["p_neutral"], data["p_positive"] = proba.T
    return pd.DataFrame(data)[list(MENTION_COLUMNS)]
