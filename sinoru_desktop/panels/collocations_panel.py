"""The Collocations view: what each group says around a target ("Russia", "NATO" …),
one table per group side by side; choose a collocate to read it beside the target."""
from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from analysis.collocations import WINDOW, collocate_spans
from sinoru_desktop.dataframe_model import DataFrameModel
from sinoru_desktop.panels.drilldown import PASSAGE_LIMIT
from sinoru_desktop.panels.groups import (
    compared_groups,
    doc_source,
    group_doc_ids,
    passage,
    short_name,
)
from sinoru_desktop.panels.kwic_list import KwicList
from sinoru_desktop.panels.when_shown import WhenShown
from sinoru_desktop.project_tables import matching_rows
from sinoru_desktop.state import AppState

__all__ = ["CollocationsPanel", "COLUMNS"]

#: Table columns and their headers.
COLUMNS = {"collocate": "Collocate", "f_xy": "Together", "docs": "Documents",
           "f_y": "Word total", "log_dice": "logDice", "mi": "MI", "g2": "G\u00b2"}


class CollocationsPanel(QWidget):
    """Collocates of one target, per group, with the passages behind a chosen one."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.target = QComboBox()
        self.target.setToolTip("The target whose surroundings are listed.")
        self.note = QLabel(f"Content words within {WINDOW} words of each mention, in the same "
                           "sentence. logDice (at most 14) ranks them and compares across "
                           "groups of any size; MI favours rare words; G\u00b2 is the "
                           "evidence. Choose a row to read the passages.")
        self.note.setWordWrap(True)
        self.tables: dict[str, QTableView] = {}
        self.lists: dict[str, KwicList] = {}
        self._tables_box = QSplitter()
        self._lists_box = QSplitter()
        self.heading = QLabel()
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Target"))
        controls.addWidget(self.target, 1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.heading)
        lower_layout.addWidget(self._lists_box, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._tables_box)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)
        self.target.currentIndexChanged.connect(self._on_target_chosen)
        self._refresh = WhenShown(self, self._fill_tables)  # tables are built when seen
        state.resultsChanged.connect(self._on_results_changed)
        self._on_results_changed()

    # Public -------------------------------------------------------------------------
    def rows(self, group: str) -> list[str]:
        """The collocates listed for ``group``, top first."""
        model = self.tables[group].model()
        return model.frame["collocate"].astype(str).tolist() if model is not None else []

    def choose(self, group: str, collocate: str) -> None:
        """Select ``collocate`` in ``group``'s table, as a click on its row does."""
        row = self.rows(group).index(collocate)
        view = self.tables[group]
        view.selectRow(row)
        self._show_passages(collocate)

    # Building -----------------------------------------------------------------------
    def _groups(self) -> list[str]:
        results = self.state.results
        return compared_groups(results, self.state.config.groups) if results else []

    def _rebuild_boxes(self, groups: list[str]) -> None:
        if list(self.tables) == groups:
            return
        for box in self._tables_box.findChildren(QGroupBox) + \
                self._lists_box.findChildren(QGroupBox):
            box.setParent(None)
            box.deleteLater()
        self.tables, self.lists = {}, {}
        for group in groups:
            view = QTableView()
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.verticalHeader().hide()
            view.clicked.connect(self._on_row_clicked)
            box = QGroupBox()
            _set_title(box, group)
            QVBoxLayout(box).addWidget(view)
            self._tables_box.addWidget(box)
            self.tables[group] = view
            lst = KwicList()
            lst.passageActivated.connect(self.state.documentRequested)
            lbox = QGroupBox()
            _set_title(lbox, group)
            QVBoxLayout(lbox).addWidget(lst)
            self._lists_box.addWidget(lbox)
            self.lists[group] = lst

    def _fill_tables(self) -> None:
        results = self.state.results
        table = results.table("collocations") if results is not None else None
        target = self.target.currentData()
        for group, view in self.tables.items():
            rows = table.iloc[0:0] if table is None or table.empty else table[
                (table["group"].astype(str) == group) & (table["target"].astype(str) == target)]
            frame = rows[list(COLUMNS)].reset_index(drop=True) if len(rows) else None
            model = DataFrameModel(frame if frame is not None else
                                   pd.DataFrame(columns=list(COLUMNS)),
                                   columns=COLUMNS, parent=view)
            view.setModel(model)
            view.resizeColumnsToContents()
            box = view.parentWidget()
            mentions = int(rows["f_x"].iloc[0]) if len(rows) else 0
            _set_title(box, group, f": {len(rows)} collocates around {mentions} mentions"
                       if len(rows) else ": no mentions of this target")
        for lst in self.lists.values():
            lst.clear()
        self.heading.setText("")

    def _show_passages(self, collocate: str) -> None:
        target = self.target.currentData()
        corpus = self.state.corpus
        # Only this target's mentions, read by index from a project file.
        parts = list(matching_rows(self.state.results.tables, "target_mentions",
                                   {"target": target}))
        mentions = (pd.concat(parts) if parts else
                    pd.DataFrame(columns=["doc_id", "target", "start", "end"]))
        column = self.state.results.data.get("group_by") or self.state.config.group_by
        members = group_doc_ids(corpus, column)
        self.heading.setText(f"\u201c{collocate}\u201d near {self.target.currentText()}, "
                             "in each group")
        for group, lst in self.lists.items():
            lst.clear()
            spans = collocate_spans(corpus, mentions, members.get(group, []), target,
                                    collocate)[:PASSAGE_LIMIT]
            for doc_id, m_start, m_end, w_start, w_end in spans:
                start, end = min(m_start, w_start), max(m_end, w_end)
                doc = corpus[doc_id]
                left, match, right = passage(doc.text, start, end)
                lst.add_line(left, match, right, doc_source(doc), doc_id, start, end)
            _set_title(lst.parentWidget(), group,
                       f": {len(spans)} passage{'s' * (len(spans) != 1)}")

    # Slots --------------------------------------------------------------------------
    @Slot()
    def _on_results_changed(self) -> None:
        results = self.state.results
        previous = self.target.currentData()
        self.target.blockSignals(True)
        self.target.clear()
        table = results.table("collocations") if results is not None else None
        present = set() if table is None or table.empty else set(table["target"].astype(str))
        for t in (results.data.get("targets") or []) if results is not None else []:
            if t.get("id") in present:
                self.target.addItem(t.get("label") or t["id"], t["id"])
        self.target.setCurrentIndex(max(self.target.findData(previous), 0))
        self.target.blockSignals(False)
        self._rebuild_boxes(self._groups())
        self._refresh.request()

    @Slot()
    def _on_target_chosen(self) -> None:
        self._fill_tables()

    @Slot(QModelIndex)
    def _on_row_clicked(self, index: QModelIndex) -> None:
        frame = index.model().frame
        self._show_passages(str(frame["collocate"].iloc[index.row()]))


def _set_title(box: QGroupBox, group: str, rest: str = "") -> None:
    """A box titled by its group: a long group name is cut (it would hold the window wider
    than the screen), the full title is the box's tooltip."""
    box.setTitle(short_name(group, 18) + rest)
    box.setToolTip(group + rest)
