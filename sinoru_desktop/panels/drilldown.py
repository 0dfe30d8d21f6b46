"""Drill-down: the passages behind a clicked bar, point or term, one list per group."""
from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QCoreApplication, Qt, Slot
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

from sinoru_desktop.panels.drill_passages import PASSAGE_LIMIT, ROW_TABLES_OF, PassageReader
from sinoru_desktop.panels.groups import compared_groups, doc_source, group_doc_ids
from sinoru_desktop.panels.kwic_list import KwicList
from sinoru_desktop.plain_text import plain_label
from sinoru_desktop.project_tables import ProjectTableError
from sinoru_desktop.state import AppState
from sinoru_desktop.tasks import TaskRunner

__all__ = ["DrillDownPanel", "parse_gid", "PASSAGE_LIMIT"]

_PASSAGE_COLUMNS = ("group", "outlet", "title", "doc_id", "start", "end", "left", "match",
                    "right", "note")

#: The chart sections whose items list passages.
_SECTIONS = ("term", "frames", "targets", "markers", "sentiment", "timeline")


def read_passages(results, corpus, section, key, groups, members, progress=None):
    """The passages of chart item ``section|key``: ``(heading, {group: KWIC rows})``
    (a task: it may run on a worker thread)."""
    return PassageReader(results, corpus, progress).lines(section, key, groups, members)


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
        #: Reads passages from a project's row tables off the GUI thread, one at a time.
        self._reader = TaskRunner(self)
        self.close_button.clicked.connect(self._reader.stop)
        # A read still running at quit stops at its next part rather than holding it up.
        QCoreApplication.instance().aboutToQuit.connect(self._reader.shutdown)
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

    @property
    def reading(self) -> bool:
        """True while the passages of the item shown are being read from the project."""
        return self._reader.busy

    def show_item(self, gid: str) -> None:
        """Fill the per-group lists for the chart item ``gid`` ("section|key|group").

        Passages that come from a table still on disk (the row tables of an opened
        project) are read on a worker thread: the lists say "Reading passages…" until
        they arrive, and clicking another item meanwhile drops this read."""
        self._reader.stop()
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
        if section not in _SECTIONS:
            self.heading.setText(f"{self._describe(section, key)}: this figure is computed "
                                 "over whole documents, so there are no passages to list.")
            return
        args = (results, self.state.corpus, section, key, groups, members)
        if not any(results.tables.on_disk(name) for name in ROW_TABLES_OF.get(section, ())
                   if name in results.tables):
            # Tables in memory (a fresh analysis, the seeds): no thread, no flicker.
            try:
                self._show_passages(groups, read_passages(*args))
            except ProjectTableError as exc:
                self._show_failure(exc)
            return
        self.heading.setText(f"{self._describe(section, key)}: reading passages\u2026")
        for group in groups:
            self._boxes[group].setTitle(f"{group}: reading passages\u2026")
        self._reader.start(read_passages, *args, label="Reading passages\u2026",
                           on_done=lambda found: self._show_passages(groups, found),
                           on_error=self._show_failure)

    def _show_passages(self, groups: list[str], found) -> None:
        heading, per_group = found
        self.heading.setText(heading)
        for group in groups:
            self._fill(group, per_group.get(group, pd.DataFrame()))

    def _show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, ProjectTableError):  # the project file was moved or replaced
            self.heading.setText(f"The passages could not be read ({exc}). Run the "
                                 "analysis again to list them.")
        else:
            self.heading.setText(f"The passages could not be read: {type(exc).__name__}: "
                                 f"{exc}")
        for group, box in self._boxes.items():
            box.setTitle(group)

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

    @staticmethod
    def _describe(section: str, key: str) -> str:
        return f"{section.capitalize()} \u201c{key}\u201d" if key else section.capitalize()

    @Slot()
    def _on_results_changed(self) -> None:
        self._reader.stop()
        if self.gid and self.state.results is not None:
            self.show_item(self.gid)
        else:
            self.gid = ""
            self._set_groups([])
            self.heading.setText("Click a bar, point or term in a chart to see the passages "
                                 "behind it.")
