"""Readers for the two gold-label formats: NewsMTSC-style JSONL and frame-coded TSV.

Both readers are forgiving about the known quirks of the published files (polarity coded
2/4/6, a malformed ``False)`` cell, rows without labels) and strict about everything else:
a row that cannot be used is skipped with a :class:`DataProblem` naming the file and line,
and a file that yields nothing raises :class:`DataError` with the same detail.
"""
from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.base import SENTIMENT_LABELS

__all__ = ["DataError", "DataProblem", "TargetExamples", "FrameArticles", "FRAME_IDS",
           "FRAME_COLUMNS", "read_tsc_jsonl", "read_frames_tsv"]

#: The five generic frames (Semetko & Valkenburg) in the order every model uses.
FRAME_IDS = ("conflict", "economic", "human_interest", "morality", "responsibility")
#: Column codes of the Narrative Frames Corpus and the frame each one stands for.
FRAME_COLUMNS = {"CO": "conflict", "EC": "economic", "HI": "human_interest",
                 "MO": "morality", "RE": "responsibility"}

# NewsMTSC codes polarity on a 1..7 scale collapsed to 2/4/6; plain labels also accepted.
_POLARITY = {2.0: 0, 4.0: 1, 6.0: 2, -1.0: 0, 0.0: 1, 1.0: 2}
_LABEL_WORDS = {name: i for i, name in enumerate(SENTIMENT_LABELS)}
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}


class DataError(ValueError):
    """A gold file cannot be used at all (missing, wrong format, no usable row)."""


@dataclass(frozen=True)
class DataProblem:
    """One skipped row: where it is and why."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}: {self.reason}"


@dataclass(frozen=True)
class TargetExamples:
    """Targets with their gold sentiment.

    Attributes
    ----------
    sentences : list of str
        The sentence of each target (repeated when a sentence has several targets).
    spans : list of (int, int)
        Character span of the target mention, end exclusive.
    others : list of list of (int, int)
        Further mentions of the same target (coreferences) in the sentence.
    labels : ndarray of int, shape (n,)
        0 negative, 1 neutral, 2 positive (:data:`analysis.base.SENTIMENT_LABELS`).
    groups : ndarray of int, shape (n,)
        Sentence number, so cross-validation keeps a sentence's targets in one fold.
    problems : list of DataProblem
        Rows that were skipped.
    """

    sentences: list[str]
    spans: list[tuple[int, int]]
    others: list[list[tuple[int, int]]]
    labels: np.ndarray
    groups: np.ndarray
    source: str = ""
    problems: list[DataProblem] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, index: np.ndarray) -> TargetExamples:
        """The examples at positions ``index``."""
        index = np.asarray(index)
        return TargetExamples([self.sentences[i] for i in index], [self.spans[i] for i in index],
                              [self.others[i] for i in index], self.labels[index],
                              self.groups[index], self.source, self.problems)


@dataclass(frozen=True)
class FrameArticles:
    """Articles with yes/no labels for the five generic frames.

    Attributes
    ----------
    table : DataFrame
        Index ``doc_id``; columns ``text``, ``source`` (outlet, normalised) and one 0/1
        column per frame id in :data:`FRAME_IDS`.
    problems : list of DataProblem
        Rows that were skipped.
    """

    table: pd.DataFrame
    source: str = ""
    problems: list[DataProblem] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return self.table["text"].tolist()

    @property
    def labels(self) -> np.ndarray:
        """0/1 array of shape (n, 5), columns in :data:`FRAME_IDS` order."""
        return self.table[list(FRAME_IDS)].to_numpy(dtype=int)

    def __len__(self) -> int:
        return len(self.table)


def _polarity(value: object) -> int | None:
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _LABEL_WORDS:
            return _LABEL_WORDS[word]
        try:
            value = float(word)
        except ValueError:
            return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _POLARITY.get(float(value))
    return None


def _span(item: dict, sentence: str) -> tuple[int, int] | None:
    try:
        start, end = int(item["from"]), int(item["to"])
    except (KeyError, TypeError, ValueError):
        return None
    if not 0 <= start < end <= len(sentence):
        return None
    return start, end


def read_tsc_jsonl(path: str | Path) -> TargetExamples:
    """Read a NewsMTSC-style JSON-lines file of sentences with sentiment-labelled targets.

    Each line is an object with ``sentence_normalized`` (or ``sentence``) and ``targets``,
    a list of ``{from, to, polarity, mention?, further_mentions?}``; ``polarity`` is
    2/4/6 (NewsMTSC), -1/0/1, or the words negative/neutral/positive. Offsets are
    characters into the sentence, ``to`` exclusive.

    Raises
    ------
    DataError
        When the file is missing or no target in it can be used.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    sentences, spans, others, labels, groups = [], [], [], [], []
    problems: list[DataProblem] = []
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(DataProblem(str(path), line_no, f"not valid JSON ({exc.msg})"))
                continue
            if not isinstance(row, dict):
                problems.append(DataProblem(str(path), line_no, "not a JSON object"))
                continue
            sentence = row.get("sentence_normalized", row.get("sentence"))
            targets = row.get("targets")
            if not isinstance(sentence, str) or not sentence.strip():
                problems.append(DataProblem(str(path), line_no, "no 'sentence_normalized' text"))
                continue
            if not isinstance(targets, list) or not targets:
                problems.append(DataProblem(str(path), line_no, "no 'targets' list"))
                continue
            for k, target in enumerate(targets, start=1):
                span = _span(target, sentence) if isinstance(target, dict) else None
                label = _polarity(target.get("polarity")) if isinstance(target, dict) else None
                if span is None:
                    problems.append(DataProblem(str(path), line_no,
                                                f"target {k}: 'from'/'to' missing or outside "
                                                "the sentence"))
                    continue
                if label is None:
                    problems.append(DataProblem(str(path), line_no,
                                                f"target {k}: polarity "
                                                f"{target.get('polarity')!r} is not 2/4/6"))
                    continue
                more = [s for s in (_span(m, sentence) for m in target.get("further_mentions")
                                    or [] if isinstance(m, dict)) if s is not None]
                sentences.append(sentence)
                spans.append(span)
                others.append(more)
                labels.append(label)
                groups.append(line_no)
    if not labels:
        detail = f" (first problem: {problems[0]})" if problems else ""
        raise DataError(f"{path}: no usable target with a sentiment label{detail}")
    return TargetExamples(sentences, spans, others, np.asarray(labels, dtype=int),
                          np.asarray(groups, dtype=int), str(path), problems)


def _normalise_outlet(name: str) -> str:
    # "The Huffington Post", "thehuffingtonpost" and "Huffington Post" are one outlet.
    key = "".join(ch for ch in name.lower() if ch.isalnum())
    return key[3:] if key.startswith("the") and len(key) > 6 else key


def _flag(cell: str) -> int | None:
    word = cell.strip().strip("\"'").strip().lower()
    if word in _TRUE:
        return 1
    if word in _FALSE:
        return 0
    return None


def read_frames_tsv(path: str | Path) -> FrameArticles:
    """Read a tab-separated file of articles coded for the five generic frames.

    Required columns: ``text`` and the frame columns, either the Narrative Frames codes
    ``RE HI CO MO EC`` or the frame ids of :data:`FRAME_IDS`; optional ``ID`` and
    ``source``. Every cell is read as text; a frame cell must be a clean True/False
    (yes/no, 1/0). Rows without a clean label for every frame (an empty cell, a malformed
    ``False)``) are skipped and reported, because guessing a label would bias the measure.

    Raises
    ------
    DataError
        When the file is missing, lacks a column, or has no usable row.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise DataError(f"{path}: the file is empty") from None
        columns = {h: i for i, h in enumerate(header)}
        frame_cols = {}
        for frame in FRAME_IDS:
            code = next((c for c, f in FRAME_COLUMNS.items() if f == frame), frame)
            if code in columns:
                frame_cols[frame] = columns[code]
            elif frame in columns:
                frame_cols[frame] = columns[frame]
        missing = [f for f in FRAME_IDS if f not in frame_cols]
        if "text" not in columns or missing:
            need = ["text"] if "text" not in columns else []
            need += [next(c for c, f in FRAME_COLUMNS.items() if f == m) for m in missing]
            raise DataError(f"{path}, line 1: missing column(s) {', '.join(need)} "
                            f"(found: {', '.join(header)})")
        rows, problems = [], []
        # csv tracks physical lines, so a quoted multi-line text still reports its start.
        line_no = reader.line_num
        for cells in reader:
            start_line, line_no = line_no + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) < len(header):
                problems.append(DataProblem(str(path), start_line,
                                            f"{len(cells)} cells, expected {len(header)}"))
                continue
            text = cells[columns["text"]].strip()
            flags = {f: _flag(cells[i]) for f, i in frame_cols.items()}
            bad = [f for f, v in flags.items() if v is None]
            if not text:
                problems.append(DataProblem(str(path), start_line, "empty text"))
                continue
            if bad:
                problems.append(DataProblem(
                    str(path), start_line,
                    "no clean True/False label for " + ", ".join(
                        f"{f} ({cells[frame_cols[f]]!r})" for f in bad)))
                continue
            doc_id = cells[columns["ID"]].strip() if "ID" in columns else str(start_line)
            source = _normalise_outlet(cells[columns["source"]]) if "source" in columns else ""
            rows.append({"doc_id": doc_id or str(start_line), "text": text, "source": source,
                         **flags})
    if not rows:
        detail = f" (first problem: {problems[0]})" if problems else ""
        raise DataError(f"{path}: no article with clean frame labels{detail}")
    table = pd.DataFrame(rows).set_index("doc_id")
    return FrameArticles(table, str(path), problems)
