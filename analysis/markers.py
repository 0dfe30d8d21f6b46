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
from pathlib import Path

import pandas as pd
import yaml

from analysis.base import Analyzer, empty_documents_frame
from analysis.codebook import CodebookError, check_pattern, check_term, terms_regex
from analysis.corpus import Corpus
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
class MarkerLexicon:
    """Compiled marker lexicon: one regex per rate marker and per actor.

    ``markers`` maps marker names to ``(case-insensitive regex, case-sensitive regex)``
    (either may be ``None``); ``actors`` maps actor ids to the same pair; ``labels`` maps
    actor ids to display names.
    """

    markers: Mapping[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]
    actors: Mapping[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]
    labels: Mapping[str, str]


def _compile_entries(entries: object, case_sensitive: bool, where: str,
                     source: str) -> re.Pattern[str] | None:
    if entries is None:
        return None
    if not isinstance(entries, list):
        raise CodebookError(source, f"{where}: expected a list of terms")
    parts: list[str] = []
    terms: list[str] = []
    for entry in entries:
        if isinstance(entry, dict) and set(entry) == {"regex"}:
            problem = check_pattern(entry["regex"])
            if problem:
                raise CodebookError(source, f"{where}: {problem}")
            parts.append(f"(?:{entry['regex']})")
            continue
        problem = check_term(entry)
        if problem:
            raise CodebookError(source, f"{where}: {problem}")
        terms.append(str(entry))
    if terms:
        # One prefix tree: the longest term wins ("Vladimir Putin" over "Putin").
        parts.insert(0, terms_regex(terms, case_sensitive))
    if not parts:
        return None
    return re.compile("|".join(parts), 0 if case_sensitive else re.IGNORECASE)


def _pair(spec: object, where: str, source: str):
    if isinstance(spec, list):
        spec = {"terms": spec}
    if not isinstance(spec, dict):
        raise CodebookError(source, f"{where}: expected 'terms' and/or 'case_sensitive' lists")
    return (_compile_entries(spec.get("terms"), False, where, source),
            _compile_entries(spec.get("case_sensitive"), True, where, source))


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
    markers = {name: _pair(spec, f"marker {name!r}", source)
               for name, spec in markers_spec.items()}
    actors, labels = {}, {}
    for actor, spec in (data.get("actors") or {}).items():
        actors[str(actor)] = _pair(spec, f"actor {actor!r}", source)
        label = spec.get("label") if isinstance(spec, dict) else None
        labels[str(actor)] = str(label or actor)
    return MarkerLexicon(markers, actors, labels)


def _finditer(pair, text: str):
    for pattern in pair:
        if pattern is not None:
            yield from pattern.finditer(text)


def _is_month(text: str, m: re.Match[str]) -> bool:
    """A capitalised "May" is the month inside a sentence or before a number."""
    if m.group(0) != "May":
        return False
    if _MONTH_NEXT.match(text, m.end()):
        return True
    return not _SENTENCE_OPENING.search(text[max(0, m.start() - 20):m.start()])


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
               else load_marker_lexicon(self.lexicon))
        if self.actors is None:
            return lex
        if isinstance(self.actors, Mapping):
            actors = {str(a): _pair(list(aliases), f"actor {a!r}", "actors")
                      for a, aliases in self.actors.items()}
            return MarkerLexicon(lex.markers, actors, {a: a for a in actors})
        unknown = [a for a in self.actors if a not in lex.actors]
        if unknown:
            raise ValueError(f"unknown actors {unknown}; the lexicon has {list(lex.actors)}")
        return MarkerLexicon(lex.markers, {a: lex.actors[a] for a in self.actors},
                             {a: lex.labels[a] for a in self.actors})

    def transform(self, corpus: Corpus, progress: ProgressCallback | None = None) -> MarkerResult:
        lex = self._lexicon()
        salience_cols = [f"salience_{a}" for a in lex.actors]
        columns = [*RATE_MARKERS, *salience_cols]
        rows: list[tuple] = []
        figures: list[list[float]] = []
        docs = corpus.documents
        for doc in iterate(docs, progress, every=max(1, len(docs) // 200)):
            figures.append(_document_markers(doc.doc_id, doc.text, lex, rows))
        if not docs:
            documents = empty_documents_frame(columns)
        else:
            documents = pd.DataFrame(figures, columns=columns,
                                     index=pd.Index(corpus.ids, name="doc_id", dtype=object))
        matches = pd.DataFrame(rows, columns=list(MATCH_COLUMNS)).astype({"start": int,
                                                                         "end": int})
        return MarkerResult(documents, matches)


def _document_markers(doc_id: str, text: str, lex: MarkerLexicon, rows: list[tuple]) -> list:
    n_words = segment(text).n_words
    counts = dict.fromkeys(RATE_MARKERS, 0)
    for name in RATE_MARKERS:
        found = (_QUOTATION.finditer(text) if name == "quotations"
                 else _finditer(lex.markers.get(name, (None, None)), text))
        for m in found:
            if name == "hedges" and _is_month(text, m):
                continue
            counts[name] += 1
            rows.append((doc_id, name, m.start(), m.end(), m.group(0)))
    rates = [counts[n] * 1000.0 / n_words if n_words else float("nan") for n in RATE_MARKERS]
    mentions = {}
    for actor, pair in lex.actors.items():
        spans = {(m.start(), m.end()): m.group(0) for m in _finditer(pair, text)}
        mentions[actor] = len(spans)
        for (start, end), term in sorted(spans.items()):
            rows.append((doc_id, f"salience_{actor}", start, end, term))
    total = sum(mentions.values())
    salience = [mentions[a] / total if total else float("nan") for a in lex.actors]
    return rates + salience
