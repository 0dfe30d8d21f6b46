"""Drill-down: the passages behind a clicked bar, point or term, one list per group."""
from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sinoru_desktop.panels.groups import compared_groups, doc_source, group_doc_ids, passage
from sinoru_desktop.panels.kwic_list import KwicList
from sinoru_desktop.plain_text import plain_label
from sinoru_desktop.project_tables import ProjectTableError, document_rows, matching_rows
from sinoru_desktop.state import AppState

__all__ = ["DrillDownPanel", "parse_gid", "PASSAGE_LIMIT"]

_PASSAGE_COLUMNS = ("group", "outlet", "title", "doc_id", "start", "end", "left", "match",
                    "right", "note")

#: Lines shown per group: enough to judge a term or frame, few enough to read.
PASSAGE_LIMIT = 200
#: Characters of a matched sentence shown on each side of the match, at most.
_SENTENCE_CAP = 220


def parse_gid(gid: str) -> tuple[str, str, str]:
    """Split a chart item id ``"section|key|group"`` (key may itself hold ``|``)."""
    parts = gid.split("|")
    if len(parts) < 2:
        return parts[0], "", ""
    if len(parts) == 2:
        return parts[0], parts[1], ""
    return parts[0], "|".join(parts[1:-1]), parts[-1]


class DrillDownPanel(QWidget):
    """Parallel keyword-in-context lists, one per compared group.

    ``show_item(gid)`` fills the lists for a chart item: a term (its concordance within
    each group's documents), a frame (its matched sentences), a target (its mentions with
    their scores) or a stance marker (its matches). Double-clicking a line emits
    ``state.documentRequested`` with the passage's span.
    """

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.gid = ""
        self.lists: dict[str, KwicList] = {}
        self._boxes: dict[str, QGroupBox] = {}
        self.heading = QLabel("Click a bar, point or term in a chart to see the passages "
                              "behind it.")
        self.heading.setWordWrap(True)
        plain_label(self.heading)  # it quotes terms and group names from the corpus
        self._splitter = QSplitter()
        self._splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.close_button = QToolButton()
        self.close_button.setText("Close")
        self.close_button.setToolTip("Hide the passages and give the charts the room.")
        self.close_button.clicked.connect(self.hide)
        #: The passages shown, per group (with their source): what Copy and Export write.
        self.passages: dict[str, pd.DataFrame] = {}
        self.copy_button = QToolButton()
        self.copy_button.setText("Copy")
        self.copy_button.setToolTip("Copy every passage with its source line to the clipboard")
        self.copy_button.clicked.connect(self._on_copy)
        self.export_button = QToolButton()
        self.export_button.setText("Export…")
        self.export_button.setToolTip("Save every passage with its source as CSV or XLSX")
        self.export_button.clicked.connect(self._on_export)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.copy_button)
        top.addWidget(self.export_button)
        top.addWidget(self.close_button)
        layout.addLayout(top)
        layout.addWidget(self._splitter, 1)
        state.resultsChanged.connect(self._on_results_changed)
        state.corpusChanged.connect(self._on_results_changed)
        state.projectReplaced.connect(self.clear)

    # Public -------------------------------------------------------------------------
    @Slot()
    def clear(self) -> None:
        """Show no passages (another project was opened)."""
        self.gid = ""
        self._on_results_changed()
        self.hide()

    #: Document ids of each cell of a split chart ("state · 2022"), or None.
    cells: dict[str, list[str]] | None = None

    def set_cells(self, cells: dict[str, list[str]] | None) -> None:
        """Show passages per cell of a split chart (None: per group again)."""
        self.cells = dict(cells) if cells else None

    def show_item(self, gid: str) -> None:
        """Fill the per-group lists for the chart item ``gid`` ("section|key|group")."""
        self.gid = gid
        section, key, _group = parse_gid(gid)
        results = self.state.results
        if results is None:
            self.heading.setText("No results yet: run the analysis first.")
            self._set_groups([])
            return
        if self.cells:   # a split chart: the passages of each (group x value) cell
            groups, members = list(self.cells), self.cells
        else:
            groups = compared_groups(results, self.state.config.groups)
            column = results.data.get("group_by") or self.state.config.group_by
            members = group_doc_ids(self.state.corpus, column)
        self._set_groups(groups)
        handler = {"term": self._term_lines, "frames": self._frame_lines,
                   "targets": self._target_lines, "markers": self._marker_lines,
                   "sentiment": self._sentiment_lines,
                   "timeline": self._timeline_lines}.get(section)
        if handler is None:
            self.heading.setText(f"{self._describe(section, key)}: this figure is computed "
                                 "over whole documents, so there are no passages to list.")
            return
        try:
            heading, per_group = handler(key, groups, members)
        except ProjectTableError as exc:  # the project file was moved or replaced
            self.heading.setText(f"The passages could not be read ({exc}). Run the "
                                 "analysis again to list them.")
            return
        self.heading.setText(heading)
        for group in groups:
            frame = per_group.get(group, pd.DataFrame())
            self._fill(group, frame)

    # Sources of passages ------------------------------------------------------------
    def _term_lines(self, term, groups, members):
        from analysis.kwic import kwic

        out = {}
        for group in groups:
            ids = members.get(group, [])
            out[group] = (kwic(self.state.corpus, term, regex=False, window=60, doc_ids=ids,
                               limit=PASSAGE_LIMIT) if ids else pd.DataFrame())
        return f'Distinctive term "{term}": where each group uses it', out

    def _spans_by_group(self, parts, groups, members, note=None, keep=None,
                        sentences=False):
        """The first :data:`PASSAGE_LIMIT` rows of each group's documents among ``parts``
        (a table's rows in order, a part at a time: reading stops once every group has
        its passages), as KWIC rows; ``keep`` drops rows of a part first; ``sentences``:
        the rows are sentences (they are their own bounds)."""
        ids = {group: set(members.get(group, [])) for group in groups}
        found: dict[str, list[pd.DataFrame]] = {group: [] for group in groups}
        wanted = dict.fromkeys(groups, PASSAGE_LIMIT)
        for part in parts:
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

    def _rows(self, name: str, equal: dict | None = None, strongest: str | None = None):
        return matching_rows(self.state.results.tables, name, equal, strongest)

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
                self._spans_by_group(self._rows("frame_matches",
                                                {"codebook": codebook, "frame": frame}),
                                     groups, members, note, keep=counted))

    def _target_lines(self, key, groups, members):
        def note(row):
            score = row.get("score")
            label = row.get("label", "")
            return f"score {score:+.2f} {label}".strip() if pd.notna(score) else str(label)
        return (f"Mentions of the target \u201c{key}\u201d with their sentiment scores "
                "(\u22121 negative … +1 positive)",
                self._spans_by_group(self._rows("target_mentions", {"target": key}),
                                     groups, members, note))

    def _marker_lines(self, key, groups, members):
        return (f"Stance marker \u201c{key.replace('_', ' ')}\u201d: its matches per group",
                self._spans_by_group(self._rows("marker_matches", {"marker": key}),
                                     groups, members))

    def _sentiment_lines(self, _key, groups, members):
        # Strongest tone first: the sentences that pull a group's figure most.
        return ("Sentence tone (VADER compound, \u22121 \u2026 +1): the most strongly toned "
                "sentences of each group",
                self._spans_by_group(self._rows("sentences", strongest="compound"),
                                     groups, members,
                                     lambda r: f"tone {float(r['compound']):+.2f}",
                                     sentences=True))

    def _timeline_lines(self, period, groups, members):
        corpus = self.state.corpus
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
            self.state.results.tables, "sentences", set(rows["doc_id"].astype(str)),
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
        corpus = self.state.corpus
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

    # Widgets ------------------------------------------------------------------------
    def _set_groups(self, groups: list[str]) -> None:
        self.passages = {}
        if list(self.lists) == list(groups):
            for lst in self.lists.values():
                lst.clear()
            return
        for box in self._boxes.values():
            box.setParent(None)
            box.deleteLater()
        self.lists.clear()
        self._boxes.clear()
        for group in groups:
            box = QGroupBox(group)
            lst = KwicList(box)
            lst.passageActivated.connect(self.state.documentRequested)
            inner = QHBoxLayout(box)
            inner.setContentsMargins(4, 4, 4, 4)
            inner.addWidget(lst)
            self._splitter.addWidget(box)
            self.lists[group] = lst
            self._boxes[group] = box

    def passages_frame(self) -> pd.DataFrame:
        """Every passage shown, one row each: group, outlet, title, doc_id, start, end,
        left, match, right, note."""
        frames = [f for f in self.passages.values() if not f.empty]
        if not frames:
            return pd.DataFrame(columns=list(_PASSAGE_COLUMNS))
        return pd.concat(frames, ignore_index=True)[list(_PASSAGE_COLUMNS)]

    @Slot()
    def _on_copy(self) -> None:
        from sinoru_desktop.table_export import copy_passages

        copy_passages(self.passages_frame())

    @Slot()
    def _on_export(self) -> None:
        from sinoru_desktop.table_export import export_frame

        export_frame(self, self.passages_frame(), "passages")

    def _fill(self, group: str, frame: pd.DataFrame) -> None:
        lst = self.lists[group]
        lst.clear()
        corpus = self.state.corpus
        self.passages[group] = (frame.assign(group=group).reindex(columns=list(_PASSAGE_COLUMNS))
                                if not frame.empty else pd.DataFrame())
        n_docs = 0
        if not frame.empty:
            n_docs = frame["doc_id"].nunique()
            for row in frame.itertuples(index=False):
                doc_id = str(row.doc_id)
                source = doc_source(corpus[doc_id]) if doc_id in corpus else \
                    f"{row.outlet}, {row.title}"
                lst.add_line(row.left, row.match, row.right, source, doc_id, row.start,
                             row.end, getattr(row, "note", "") or "")
        if not lst.count():
            empty = QListWidgetItem(f"No passages in {group}.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            lst.addItem(empty)
            self._boxes[group].setTitle(f"{group}: no passages")
            return
        count = lst.count()
        more = "+" if count >= PASSAGE_LIMIT else ""
        self._boxes[group].setTitle(f"{group}: {count}{more} passage{'s' * (count != 1)} "
                                    f"in {n_docs} document{'s' * (n_docs != 1)}")

    def _frame_label(self, codebook: str, frame: str) -> str:
        for book in self.state.results.data.get("codebooks", []):
            if book.get("id") == codebook:
                for item in book.get("frames", []):
                    if item.get("id") == frame:
                        return item.get("label") or frame
        return frame

    @staticmethod
    def _describe(section: str, key: str) -> str:
        return f"{section.capitalize()} \u201c{key}\u201d" if key else section.capitalize()

    @Slot()
    def _on_results_changed(self) -> None:
        if self.gid and self.state.results is not None:
            self.show_item(self.gid)
        else:
            self.gid = ""
            self._set_groups([])
            self.heading.setText("Click a bar, point or term in a chart to see the passages "
                                 "behind it.")
