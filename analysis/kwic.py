"""Concordance (key word in context): every passage where a word, phrase or pattern occurs."""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

import pandas as pd

from analysis import patterns
from analysis.codebook import PHRASE_GAP
from analysis.corpus import Corpus
from analysis.lang import LEMMATISED, SEGMENTED, document_language
from analysis.text import segment, words

__all__ = ["left_context", "right_context", "kwic", "compile_pattern", "sort_kwic", "KWIC_COLUMNS"]

KWIC_COLUMNS = ("doc_id", "title", "outlet", "group", "sentence_index", "start", "end",
                "left", "match", "right")

# Between the words of a phrase: the codebook's gap (spaces or one hyphen/dash, never a
# paragraph break), so "no-limits partnership" finds "no limits partnership" and
# "no\u2013limits partnership" exactly where a codebook term would.
_WORDS = re.compile(r"[^\s\-\u2010\u2011\u2012\u2013]+")
_SPACE = re.compile(r"\s+")
# Scripts written without spaces: cutting between two of their characters splits no word
# the reader could not see whole, and there is no space to cut at.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# What may stand between the words of a phrase found by words: spaces (no line break)
# or one hyphen or dash.
_WORD_GAP = re.compile(r"[^\S\n]*(?:[-\u2010-\u2013][^\S\n]*)?")


def _unspaced(ch: str) -> bool:
    return bool(_UNSPACED.match(ch))


def compile_pattern(pattern: str, *, regex: bool = False, whole_word: bool = True):
    """The case-insensitive regex :func:`kwic` searches with.

    A user's regular expression is compiled by :mod:`analysis.patterns` (it runs with a
    time budget); a word or phrase becomes a linear ``re`` pattern.

    Raises
    ------
    ValueError
        For an empty pattern or an invalid regular expression (plain message).
    """
    if not pattern or not pattern.strip():
        raise ValueError("the search pattern is empty")
    if regex:
        body = pattern
    else:
        parts = []
        for word in _WORDS.findall(pattern):
            # A straight apostrophe also finds the curly one ("China's" / "China’s").
            parts.append(re.escape(word).replace("'", "['\u2019]").replace("\u2019", "['\u2019]"))
        body = PHRASE_GAP.join(parts)
    if whole_word:
        body = rf"(?<!\w)(?:{body})(?!\w)"
    if not regex:
        return re.compile(body, re.IGNORECASE)
    try:
        return patterns.compile_pattern(body)
    except patterns.PatternError as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None


def left_context(text: str, start: int, window: int) -> str:
    """Up to ``window`` characters before ``start``, whole words only, spaces folded."""
    lo = max(0, start - window)
    ctx = text[lo:start]
    if lo > 0 and text[lo - 1].isalnum() and ctx[:1].isalnum() and not _unspaced(ctx[:1]):
        # Cut inside a word: drop the partial word.
        cut = re.search(r"\s", ctx)
        ctx = ctx[cut.end():] if cut else ""
    return _SPACE.sub(" ", ctx).lstrip()


def right_context(text: str, end: int, window: int) -> str:
    """Up to ``window`` characters after ``end``, whole words only, spaces folded."""
    hi = min(len(text), end + window)
    ctx = text[end:hi]
    if hi < len(text) and text[hi].isalnum() and ctx[-1:].isalnum() and not _unspaced(ctx[-1:]):
        # Cut inside a word: drop the partial word after the last space.
        last = max(ctx.rfind(" "), ctx.rfind("\n"), ctx.rfind("\t"))
        ctx = ctx[:last] if last >= 0 else ""
    return _SPACE.sub(" ", ctx).rstrip()


def kwic(corpus: Corpus, pattern: str, *, regex: bool = False, whole_word: bool = True,
         window: int = 60, doc_ids: Iterable[str] | None = None,
         limit: int | None = None) -> pd.DataFrame:
    """Find ``pattern`` in the documents and show each hit with its context.

    Parameters
    ----------
    corpus : Corpus
    pattern : str
        A word or phrase (spaces and hyphens between its words are interchangeable),
        or a regular expression when ``regex`` is true. Always case-insensitive.
    whole_word : bool
        Match whole words only ("China" does not find "Chinatown").
    window : int
        Characters of context on each side (trimmed back to a whole word).
    doc_ids : iterable of str, optional
        Search only these documents (in corpus order).
    limit : int, optional
        Stop after this many hits.

    Returns
    -------
    DataFrame
        Columns :data:`KWIC_COLUMNS`: ``doc_id``, ``title``, ``outlet``, ``group``,
        ``sentence_index`` (of the sentence holding the match), ``start``/``end``
        (character offsets into the document text), ``left``, ``match``, ``right``
        (newlines shown as spaces).

    Raises
    ------
    ValueError
        For an empty pattern, an invalid regular expression, or one that runs longer than
        :data:`analysis.patterns.PATTERN_BUDGET` on a document (the message names it).
    """
    compiled = compile_pattern(pattern, regex=regex, whole_word=whole_word)
    wanted = None if doc_ids is None else set(doc_ids)
    rows: list[tuple] = []
    for doc in corpus:
        if wanted is not None and doc.doc_id not in wanted:
            continue
        if limit is not None and len(rows) >= limit:
            break
        text = doc.text
        starts = None
        lang = document_language(doc) if whole_word and not regex else ""
        if lang in SEGMENTED or lang in LEMMATISED:
            spans = _word_spans(text, lang, pattern)
        elif regex:
            try:
                spans = patterns.find_spans(compiled, text, patterns.PATTERN_BUDGET,
                                            f"document '{doc.doc_id}'", shown=pattern)
            except patterns.PatternTimeout as exc:
                raise ValueError(str(exc)) from None
        else:
            spans = [m.span() for m in compiled.finditer(text)]
        for start, end in spans:
            if end == start:
                continue  # an empty regex match shows nothing
            if starts is None:
                starts = [s.start for s in segment(text).sentences]
            sentence = max(bisect.bisect_right(starts, start) - 1, 0)
            rows.append((doc.doc_id, doc.title, doc.get("outlet"), doc.get("group"), sentence,
                         start, end, left_context(text, start, window),
                         _SPACE.sub(" ", text[start:end]), right_context(text, end, window)))
            if limit is not None and len(rows) >= limit:
                break
    frame = pd.DataFrame(rows, columns=list(KWIC_COLUMNS))
    return frame.astype({"doc_id": object, "title": object, "outlet": object, "group": object,
                         "sentence_index": "int64", "start": "int64", "end": "int64",
                         "left": object, "match": object, "right": object})


def _word_spans(text: str, lang: str, pattern: str) -> list[tuple[int, int]]:
    """Where the words of ``pattern`` occur as consecutive words of ``text``: jieba words
    for Chinese ("北京" does not match inside "北京市"), lemmas for Russian (any case
    form). This is how keyness counted them, so each keyness term finds its passages."""
    keys = [k for part in _WORDS.findall(pattern) for k in words(part, lang)]
    if not keys:
        return []
    seg = segment(text, lang)
    norms, starts, ends = seg.norms, seg.token_starts, seg.token_ends
    n, first, wanted = len(keys), keys[0], tuple(keys)
    spans = []
    after = 0  # hits do not overlap
    for i in [i for i, w in enumerate(norms) if w == first]:
        if i >= after and norms[i:i + n] == wanted and all(
                _WORD_GAP.fullmatch(text, ends[j], starts[j + 1]) for j in range(i, i + n - 1)):
            spans.append((starts[i], ends[i + n - 1]))
            after = i + n
    return spans


def sort_kwic(frame: pd.DataFrame, by: str = "right") -> pd.DataFrame:
    """Sort concordance lines the way concordancers do.

    ``by="right"``: alphabetically by the words after the match; ``"left"``: by the
    words before it, nearest word first; ``"match"``: by the matched text. Case is
    ignored; ties keep document order.
    """
    if by not in ("left", "right", "match"):
        raise ValueError(f"cannot sort by {by!r} (use 'left', 'right' or 'match')")
    if frame.empty:
        return frame.copy()
    if by == "left":
        key = frame["left"].map(lambda s: " ".join(reversed(s.lower().split())))
    else:
        key = frame[by].map(lambda s: s.lower().strip())
    order = key.sort_values(kind="mergesort").index
    return frame.loc[order].reset_index(drop=True)
