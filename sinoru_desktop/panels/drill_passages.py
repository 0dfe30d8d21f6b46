"""The passages behind a chart item, per group: what the drill-down lists.

Qt-free, so that a read from a project's row tables (millions of sentences in a large
project) can run on a worker thread while the window stays responsive. A
:class:`PassageReader` holds the results and corpus of the moment it was made, and calls
``progress`` between the parts it reads, so a drill-down the user has left behind stops
early (the task runner makes ``progress`` raise :class:`analysis.Cancelled`).
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sinoru_desktop.panels.groups import passage
from sinoru_desktop.project_tables import document_rows, matching_rows

__all__ = ["PassageReader", "PASSAGE_LIMIT", "ROW_TABLES_OF", "BY_DOCUMENT"]

#: Lines shown per group: enough to judge a term or frame, few enough to read.
PASSAGE_LIMIT = 200
#: Characters of a matched sentence shown on each side of the match, at most.
_SENTENCE_CAP = 220
#: A group of at most this many documents has its rows read by document (through the
#: ``doc_id`` index) rather than found while the whole matching table is read: an item
#: rare in a small group (a split cell, a small outlet) would otherwise read every row.
BY_DOCUMENT = 2_000

#: The row tables each kind of chart item reads its passages from.
ROW_TABLES_OF = {"frames": ("frame_matches", "sentences"),
                 "targets": ("target_mentions", "sentences"),
                 "markers": ("marker_matches", "sentences"),
                 "sentiment": ("sentences",)}


def _no_progress(_fraction: float) -> None:
    return None


class PassageReader:
    """Reads the passages of one chart item: ``lines(section, key, groups, members)``
    gives ``(heading, {group: KWIC rows})``, or None when the item has no passages."""

    def __init__(self, results, corpus, progress: Callable[[float], None] | None = None
                 ) -> None:
        self.results = results
        self.corpus = corpus
        self.progress = progress or _no_progress

    def lines(self, section: str, key: str, groups: list[str],
              members: dict[str, list[str]]):
        handler = {"term": self._term_lines, "frames": self._frame_lines,
                   "targets": self._target_lines, "markers": self._marker_lines,
                   "sentiment": self._sentiment_lines,
                   "timeline": self._timeline_lines}.get(section)
        return None if handler is None else handler(key, groups, members)

    # Sources of passages ------------------------------------------------------------
    def _term_lines(self, term, groups, members):
        from analysis.kwic import kwic

        out = {}
        for group in groups:
            ids = members.get(group, [])
            out[group] = (kwic(self.corpus, term, regex=False, window=60, doc_ids=ids,
                               limit=PASSAGE_LIMIT) if ids else pd.DataFrame())
        return f'Distinctive term "{term}": where each group uses it', out

    def _spans_by_group(self, name, groups, members, equal=None, strongest=None, note=None,
                        keep=None, sentences=False):
        """The first :data:`PASSAGE_LIMIT` rows of each group's documents among the rows
        of table ``name`` whose columns ``equal`` the given text (in table order, or the
        largest absolute ``strongest`` first), as KWIC rows; ``keep`` drops rows of a
        part first; ``sentences``: the rows are sentences (they are their own bounds).

        A small group's rows are read by document; the others are found while the
        matching rows are read in order, a part at a time, until every group has its
        passages."""
        ids = {group: set(members.get(group, [])) for group in groups}
        found: dict[str, list[pd.DataFrame]] = {group: [] for group in groups}
        wanted = dict.fromkeys(groups, PASSAGE_LIMIT)
        for group in groups:
            if 0 < len(ids[group]) <= BY_DOCUMENT:
                self.progress(0.0)
                rows = self._document_matches(name, members[group], equal, strongest, keep)
                found[group].append(rows.head(PASSAGE_LIMIT))
                wanted[group] = 0
        total = max(self.results.tables.n_rows(name), 1) if name in self.results.tables \
            else 1
        seen = 0
        parts = matching_rows(self.results.tables, name, equal, strongest) \
            if any(wanted.values()) else ()
        for part in parts:
            seen += len(part)
            self.progress(min(seen / total, 1.0))
            if keep is not None:
                part = part[keep(part)]
            doc_ids = part["doc_id"].astype(str).tolist()
            for group in groups:
                if wanted[group] > 0:
                    # Looked up one by one: Series.isin hashes the group's ids again
                    # for every part (50,000 of them per group at 100,000 articles).
                    members_of = ids[group]
                    mask = np.fromiter((d in members_of for d in doc_ids), bool, len(doc_ids))
                    rows = part[mask].head(wanted[group])
                    found[group].append(rows)
                    wanted[group] -= len(rows)
            if not any(wanted.values()):
                break
        return {group: self._rows_to_kwic(pd.concat(rows) if len(rows) > 1 else rows[0], note,
                                          sentences)
                for group, rows in found.items() if rows}

    def _document_matches(self, name, doc_ids, equal, strongest, keep) -> pd.DataFrame:
        """The rows of table ``name`` of the documents ``doc_ids`` filtered and ordered as
        :func:`matching_rows` would give them."""
        rows = document_rows(self.results.tables, name, doc_ids)
        if rows.empty or any(c not in rows.columns for c in (equal or {})):
            return rows.iloc[0:0]
        for column, value in (equal or {}).items():
            rows = rows[rows[column].astype(str) == value]
        if strongest is not None:
            if strongest not in rows.columns:
                return rows.iloc[0:0]
            rows = rows.assign(_strength=rows[strongest].abs()).sort_values(
                "_strength", ascending=False, kind="mergesort").drop(columns="_strength")
        return rows[keep(rows)] if keep is not None and not rows.empty else rows

    def _frame_lines(self, key, groups, members):
        codebook, _, frame = key.partition(".")
        label = self._frame_label(codebook, frame)

        def note(row):
            rule = row.get("rule", row.get("term"))  # "term": results of older versions
            return "" if rule is None else f"rule: {rule}"

        def counted(part):
            # Negated matches ("no alliance") do not count toward the frame's share.
            return ~part["negated"].astype(bool) if "negated" in part.columns else \
                pd.Series(True, index=part.index)
        return (f"Frame \u201c{label}\u201d ({codebook}): matched passages per group",
                self._spans_by_group("frame_matches", groups, members,
                                     {"codebook": codebook, "frame": frame}, note=note,
                                     keep=counted))

    def _target_lines(self, key, groups, members):
        def note(row):
            score = row.get("score")
            label = row.get("label", "")
            return f"score {score:+.2f} {label}".strip() if pd.notna(score) else str(label)
        return (f"Mentions of the target \u201c{key}\u201d with their sentiment scores "
                "(\u22121 negative … +1 positive)",
                self._spans_by_group("target_mentions", groups, members, {"target": key},
                                     note=note))

    def _marker_lines(self, key, groups, members):
        return (f"Stance marker \u201c{key.replace('_', ' ')}\u201d: its matches per group",
                self._spans_by_group("marker_matches", groups, members, {"marker": key}))

    def _sentiment_lines(self, _key, groups, members):
        # Strongest tone first: the sentences that pull a group's figure most.
        return ("Sentence tone (VADER compound, \u22121 \u2026 +1): the most strongly toned "
                "sentences of each group",
                self._spans_by_group("sentences", groups, members, strongest="compound",
                                     note=lambda r: f"tone {float(r['compound']):+.2f}",
                                     sentences=True))

    def _timeline_lines(self, period, groups, members):
        corpus = self.corpus
        out = {}
        for group in groups:
            records = []
            for doc_id in members.get(group, []):
                doc = corpus[doc_id]
                if not doc.get("date").startswith(period):
                    continue
                first = doc.text.split("\n", 1)[0]
                records.append({"doc_id": doc_id, "title": doc.title,
                                "outlet": doc.get("outlet"), "start": 0, "end": len(first),
                                "left": "", "match": first[:160], "right": "",
                                "note": doc.get("date")})
            out[group] = pd.DataFrame(records)
        return f"Documents dated {period}, with their opening line", out

    def _sentence_bounds(self, rows: pd.DataFrame, sentences: bool = False) -> dict:
        """``(doc_id, sentence index) -> (start, end)`` for the sentences of ``rows``
        (read from the sentences table, unless the ``rows`` are sentences)."""
        if rows.empty or "sentence" not in rows.columns:
            return {}
        table = rows if sentences else document_rows(
            self.results.tables, "sentences", set(rows["doc_id"].astype(str)),
            ["doc_id", "sentence", "start", "end"])
        if not {"doc_id", "sentence", "start", "end"} <= set(table.columns):
            return {}
        wanted = set(zip(rows["doc_id"].astype(str), rows["sentence"].tolist(), strict=True))
        return {(d, int(i)): (int(a), int(b)) for d, i, a, b in
                zip(table["doc_id"].astype(str), table["sentence"].tolist(),
                    table["start"].tolist(), table["end"].tolist(), strict=True)
                if (d, i) in wanted}

    def _rows_to_kwic(self, rows: pd.DataFrame, note, sentences: bool = False
                      ) -> pd.DataFrame:
        """Turn rows with doc_id/start/end into KWIC rows cut from the document text."""
        records = []
        corpus = self.corpus
        self.progress(1.0)
        bounds = self._sentence_bounds(rows, sentences)
        for _, row in rows.iterrows():
            doc_id = str(row["doc_id"])
            if doc_id not in corpus:
                continue
            doc = corpus[doc_id]
            start, end = int(row["start"]), int(row["end"])
            sentence = bounds.get((doc_id, row.get("sentence")))
            if sentence is not None and sentence[0] <= start <= end <= sentence[1]:
                # The whole matched sentence (capped, for very long ones).
                left = doc.text[max(sentence[0], start - _SENTENCE_CAP):start]
                match = doc.text[start:end]
                right = doc.text[end:min(sentence[1], end + _SENTENCE_CAP)]
            else:
                left, match, right = passage(doc.text, start, end)
            records.append({"doc_id": doc_id, "title": doc.title,
                            "outlet": doc.get("outlet", ""), "start": start, "end": end,
                            "left": left, "match": match, "right": right,
                            "note": note(row) if note else ""})
        return pd.DataFrame(records)

    def _frame_label(self, codebook: str, frame: str) -> str:
        for book in self.results.data.get("codebooks", []):
            if book.get("id") == codebook:
                for item in book.get("frames", []):
                    if item.get("id") == frame:
                        return item.get("label") or frame
        return frame
