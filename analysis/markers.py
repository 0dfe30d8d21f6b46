"""Stance and style markers: hedges, boosters, obligation, quotation, attribution, actors.

Rates are per 1,000 words (words as counted by :mod:`analysis.text`); actor salience is
each actor's share of all actor mentions in the document. The word lists live in
``resources/lexicons/markers.yaml`` and use the codebook term syntax.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from analysis.base import Analyzer, empty_documents_frame
from analysis.codebook import CodebookError, check_pattern, check_term
from analysis.corpus import Corpus
from analysis.frames import TermMatcher
from analysis.gc_pause import collection_paused
from analysis.progress import ProgressCallback, iterate
from analysis.resources import resource
from analysis.text import segment

__all__ = ["MarkerAnalyzer", "MarkerResult", "MarkerLexicon", "load_marker_lexicon",
           "RATE_MARKERS", "MATCH_COLUMNS"]

#: Markers reported as a rate per 1,000 words, in column order.
RATE_MARKERS = ("hedges", "boosters", "obligation", "quotations", "attribution")
MATCH_COLUMNS = ("doc_id", "marker", "start", "end", "term")

# A quoted passage: straight double quotes, curly double quotes, or guillemets, within one
# paragraph. Single quotes are left out: they double as apostrophes.
_QUOTATION = re.compile(r'"[^"\n]+"|“[^“”\n]+”|«[^«»\n]+»')
_MONTH_NEXT = re.compile(r"[^\S\n]*\d")
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:\n])[\s\"“‘'(\[]*$")


@dataclass(frozen=True)
class _Entries:
    """One marker's or actor's word list: terms by case, plus explicit regexes."""

    terms: tuple[str, ...] = ()
    case_sensitive: tuple[str, ...] = ()
    regexes: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class MarkerLexicon:
    """A checked marker lexicon.

    ``markers`` maps marker names (``hedges`` ...) and ``actors`` maps actor ids to their
    word lists; ``labels`` maps actor ids to display names.
    """

    markers: Mapping[str, _Entries]
    actors: Mapping[str, _Entries]
    labels: Mapping[str, str]


def _entries(spec: object, where: str, source: str) -> _Entries:
    if isinstance(spec, list):
        spec = {"terms": spec}
    if not isinstance(spec, Mapping):
        raise CodebookError(source, f"{where}: expected 'terms' and/or 'case_sensitive' lists")
    lists: dict[bool, list[str]] = {False: [], True: []}
    regexes: list[re.Pattern[str]] = []
    for key, case_sensitive in (("terms", False), ("case_sensitive", True)):
        items = spec.get(key) or []
        if not isinstance(items, list):
            raise CodebookError(source, f"{where}: {key} must be a list of terms")
        for entry in items:
            if isinstance(entry, Mapping) and set(entry) == {"regex"}:
                problem = check_pattern(entry["regex"])
                if problem:
                    raise CodebookError(source, f"{where}: {problem}")
                regexes.append(re.compile(entry["regex"], 0 if case_sensitive
                                          else re.IGNORECASE))
                continue
            problem = check_term(entry)
            if problem:
                raise CodebookError(source, f"{where}: {problem}")
            lists[case_sensitive].append(str(entry))
    return _Entries(tuple(lists[False]), tuple(lists[True]), tuple(regexes))


def load_marker_lexicon(path: str | os.PathLike[str] | None = None,
                        data: Mapping | None = None) -> MarkerLexicon:
    """Read a marker lexicon YAML file (the built-in one when ``path`` is None).

    ``data`` may give the parsed mapping directly instead of a file.

    Raises
    ------
    CodebookError
        Naming the file and the reason when the lexicon is malformed.
    """
    source = str(path) if path else "markers.yaml (built-in)"
    if data is None:
        try:
            text = (Path(path).read_text(encoding="utf-8-sig") if path else
                    resource("lexicons", "markers.yaml").read_text(encoding="utf-8"))
            data = yaml.safe_load(text)
        except OSError as exc:
            raise CodebookError(source, f"cannot be read ({exc})") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise CodebookError(source, f"not valid YAML ({getattr(exc, 'problem', exc)})",
                                mark.line + 1 if mark else None) from None
    if not isinstance(data, Mapping):
        raise CodebookError(source, "expected a mapping with 'markers' and 'actors'")
    markers_spec = data.get("markers") or {}
    missing = [m for m in RATE_MARKERS if m != "quotations" and m not in markers_spec]
    if missing:
        raise CodebookError(source, f"markers missing: {', '.join(missing)}")
    markers = {name: _entries(spec, f"marker {name!r}", source)
               for name, spec in markers_spec.items()}
    actors, labels = {}, {}
    for actor, spec in (data.get("actors") or {}).items():
        actors[str(actor)] = _entries(spec, f"actor {actor!r}", source)
        label = spec.get("label") if isinstance(spec, dict) else None
        labels[str(actor)] = str(label or actor)
    return MarkerLexicon(markers, actors, labels)


@lru_cache(maxsize=1)
def _builtin_lexicon() -> MarkerLexicon:
    """The built-in lexicon, read once: a worker analyses a corpus chunk by chunk, and
    parsing the YAML for every chunk was about 7% of the markers' CPU. (Packaged, so it
    does not change while running; nothing changes a lexicon once it is made.)"""
    return load_marker_lexicon()


_last_scanner: list = [None, None]  # the lexicon last scanned and its scanner


def _scanner(lex: MarkerLexicon) -> tuple[TermMatcher, tuple[str, ...], list]:
    """One matcher for every marker and actor list, so a document is read once.

    Returns the matcher, the key of each group (``hedges`` ... or ``salience_<actor>``) and
    the explicit regexes as ``(group, pattern)`` pairs. The scanner of the lexicon last
    asked for is kept (the built-in one is one object: see :func:`_builtin_lexicon`).
    """
    if _last_scanner[0] is lex:
        return _last_scanner[1]
    scanner = _build_scanner(lex)
    _last_scanner[:] = [lex, scanner]
    return scanner


def _build_scanner(lex: MarkerLexicon) -> tuple[TermMatcher, tuple[str, ...], list]:
    keys = (*lex.markers, *(f"salience_{a}" for a in lex.actors))
    lists, groups, regexes = [], [], []
    for g, entries in enumerate((*lex.markers.values(), *lex.actors.values())):
        for terms, case_sensitive in ((entries.terms, False), (entries.case_sensitive, True)):
            if terms:
                lists.append((terms, case_sensitive))
                groups.append(g)
        regexes.extend((g, p) for p in entries.regexes)
    return TermMatcher(lists, groups), keys, regexes


def _is_month(text: str, start: int, end: int) -> bool:
    """A capitalised "May" is the month inside a sentence or before a number."""
    if text[start:end] != "May":
        return False
    if _MONTH_NEXT.match(text, end):
        return True
    return not _SENTENCE_OPENING.search(text[max(0, start - 20):start])


@dataclass(frozen=True)
class MarkerResult:
    """Stance/style marker rates per document and the matches behind them.

    Attributes
    ----------
    documents : DataFrame
        Indexed by ``doc_id``. Columns ``hedges, boosters, obligation, quotations,
        attribution`` (occurrences per 1,000 words; NaN for a text without words) and
        ``salience_<actor>`` per actor (share of the document's actor mentions, 0..1; NaN
        when no actor is mentioned).
    matches : DataFrame
        Columns ``doc_id, marker, start, end, term``: ``marker`` is a rate marker name or
        ``salience_<actor>``, offsets into ``Document.text``, ``term`` the matched text.
    """

    documents: pd.DataFrame
    matches: pd.DataFrame


class MarkerAnalyzer(Analyzer):
    """Hedges, boosters, obligation, quotation, attribution and actor salience.

    Parameters
    ----------
    lexicon : path, MarkerLexicon or None
        A marker lexicon YAML file, an already loaded lexicon, or None for the built-in one.
    actors : sequence of str, mapping or None
        Which actors to report: None for every actor of the lexicon, a sequence of actor
        ids to keep a subset, or a mapping ``{actor_id: [alias, ...]}`` replacing them
        (aliases are case-insensitive terms).
    """

    section = "markers"

    def __init__(self, lexicon: str | os.PathLike[str] | MarkerLexicon | None = None,
                 actors: Sequence[str] | Mapping[str, Sequence[str]] | None = None) -> None:
        self.lexicon = lexicon
        self.actors = actors

    def _lexicon(self) -> MarkerLexicon:
        lex = (self.lexicon if isinstance(self.lexicon, MarkerLexicon)
               else _builtin_lexicon() if self.lexicon is None
               else load_marker_lexicon(self.lexicon))
        if self.actors is None:
            return lex
        if isinstance(self.actors, Mapping):
            actors = {str(a): _entries(list(aliases), f"actor {a!r}", "actors")
                      for a, aliases in self.actors.items()}
            return MarkerLexicon(lex.markers, actors, {a: a for a in actors})
        unknown = [a for a in self.actors if a not in lex.actors]
        if unknown:
            raise ValueError(f"unknown actors {unknown}; the lexicon has {list(lex.actors)}")
        return MarkerLexicon(lex.markers, {a: lex.actors[a] for a in self.actors},
                             {a: lex.labels[a] for a in self.actors})

    # No cyclic garbage collection while a chunk is analysed (analysis.gc_pause): the
    # many short-lived objects made here are freed by reference counting, and the
    # collections they set off walk a worker's whole heap of models and lexicons.
    @collection_paused()
    def transform(self, corpus: Corpus, progress: ProgressCallback | None = None) -> MarkerResult:
        lex = self._lexicon()
        scanner = _scanner(lex)
        salience_cols = [f"salience_{a}" for a in lex.actors]
        columns = [*RATE_MARKERS, *salience_cols]
        rows: list[tuple] = []
        figures: list[list[float]] = []
        docs = corpus.documents
        for doc in iterate(docs, progress, every=max(1, len(docs) // 200)):
            figures.append(_document_markers(doc.doc_id, doc.text, lex, scanner, rows))
        if not docs:
            documents = empty_documents_frame(columns)
        else:
            documents = pd.DataFrame(figures, columns=columns,
                                     index=pd.Index(corpus.ids, name="doc_id", dtype=object))
        matches = pd.DataFrame(rows, columns=list(MATCH_COLUMNS)).astype({"start": int,
                                                                         "end": int})
        return MarkerResult(documents, matches)


def _document_markers(doc_id: str, text: str, lex: MarkerLexicon, scanner,
                      rows: list[tuple]) -> list:
    matcher, keys, regexes = scanner
    # The words' count is the token table's length: read once per text (word_norms) and
    # shared with readability and the sizes, so counting the words apart would be extra.
    n_words = len(segment(text).word_norms)
    counts: dict[str, int] = dict.fromkeys(RATE_MARKERS, 0)
    counts.update((f"salience_{a}", 0) for a in lex.actors)
    spans = [(start, end, keys[g]) for g, start, end in matcher.find(text)]
    spans += [(m.start(), m.end(), keys[g]) for g, p in regexes for m in p.finditer(text)]
    spans += [(m.start(), m.end(), "quotations") for m in _QUOTATION.finditer(text)]
    found = [(start, end, key, text[start:end]) for start, end, key in spans
             if not (key == "hedges" and _is_month(text, start, end))]
    for start, end, key, term in sorted(found):
        if key in counts:
            counts[key] += 1
            rows.append((doc_id, key, start, end, term))
    rates = [counts[n] * 1000.0 / n_words if n_words else float("nan") for n in RATE_MARKERS]
    total = sum(counts[f"salience_{a}"] for a in lex.actors)
    salience = [counts[f"salience_{a}"] / total if total else float("nan") for a in lex.actors]
    return rates + salience
