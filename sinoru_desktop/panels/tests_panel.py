"""The Tests view: every group comparison with its difference, effect size, permutation
p-value and Benjamini–Hochberg q-value, sortable; a row drills down to its passages."""
from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sinoru_desktop.dataframe_model import DataFrameModel
from sinoru_desktop.panels.drilldown import DrillDownPanel
from sinoru_desktop.panels.when_shown import WhenShown
from sinoru_desktop.plain_text import plain_label
from sinoru_desktop.state import AppState
from sinoru_desktop.table_export import add_table_actions

__all__ = ["TestsPanel", "TEST_COLUMNS"]

#: Columns shown, in order -> header label.
TEST_COLUMNS = {"label": "Statistic", "codebook": "Codebook", "comparison": "Groups",
                "n": "n (documents)", "mean_a": "Mean a", "mean_b": "Mean b",
                "diff": "a − b", "effect_size": "Effect size (d)",
                "p_perm": "p", "q_bh": "q (BH)", "holds": "Holds"}
_HEADER_TIPS = {
    "diff": "Difference of the group figures: mean a minus mean b",
    "effect_size": "Cohen's d: the difference in standard deviations of the documents",
    "p_perm": "Permutation test p-value (document labels shuffled)",
    "q_bh": "Benjamini–Hochberg q-value: p corrected for the number of tests",
    "holds": "\u2731 when q < 0.05: the difference holds after the correction",
}
_SECTIONS = {"": "All statistics", "frames": "Frames", "sentiment": "Sentence tone",
             "targets": "Tone toward targets", "markers": "Stance markers and salience",
             "readability": "Readability", "topics": "Topics"}


class TestsPanel(QWidget):
    """Every comparison test in one sortable table, with the passages of the chosen row."""

    __test__ = False  # not a pytest test class, whatever its name

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.tests = pd.DataFrame()
        self.section = QComboBox()
        for key, label in _SECTIONS.items():
            self.section.addItem(label, key)
        self.only_holding = QCheckBox("Only differences that hold (q < 0.05)")
        self.summary = plain_label(QLabel())
        self.summary.setWordWrap(True)
        self.model = DataFrameModel(columns=TEST_COLUMNS)
        self.model.set_header_tooltips(_HEADER_TIPS)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip("Click a row to see the passages behind it.")
        add_table_actions(self.table, "tests")
        self.drill = DrillDownPanel(state)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show"))
        bar.addWidget(self.section)
        bar.addWidget(self.only_holding)
        bar.addStretch(1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(bar)
        top_layout.addWidget(self.summary)
        top_layout.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.drill)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.section.currentIndexChanged.connect(self._show)
        self.only_holding.toggled.connect(self._show)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        # Hidden, the view waits until it is shown to take in new results.
        self._results_shown = WhenShown(self, self._on_results_changed)
        state.resultsChanged.connect(self._results_shown.request)
        self._on_results_changed()

    @Slot()
    def _on_results_changed(self) -> None:
        from analysis.charts.significance import Q_THRESHOLD
        from analysis.report.tables import tests_frame

        results = self.state.results
        frame = tests_frame(results) if results is not None else pd.DataFrame()
        if not frame.empty:
            q = pd.to_numeric(frame["q_bh"], errors="coerce")
            frame = frame.assign(
                comparison=frame["a"].astype(str) + " vs " + frame["b"].astype(str),
                n=[f"{a} / {b}" for a, b in zip(frame["n_a"], frame["n_b"], strict=True)],
                holds=["\u2731" if v < Q_THRESHOLD else "" for v in q.fillna(1.0)])
            for column in ("mean_a", "mean_b", "diff", "effect_size", "p_perm", "q_bh"):
                frame[column] = pd.to_numeric(frame[column], errors="coerce")
        self.tests = frame
        self._show()

    @Slot()
    def _show(self) -> None:
        frame = self.tests
        if self.state.results is None:
            self.summary.setText("No results yet: run the analysis to test the differences "
                                 "between groups.")
        elif frame.empty:
            self.summary.setText("These results hold no comparison tests (compare at least "
                                 "two groups).")
        if not frame.empty:
            section = self.section.currentData()
            if section:
                frame = frame[frame["section"] == section]
            holding = frame[frame["holds"] != ""]
            self.summary.setText(
                f"{len(frame):,} comparisons; {len(holding):,} hold after Benjamini–Hochberg "
                "correction (q < 0.05). Click a row to see its passages; click a header to "
                "sort.")
            if self.only_holding.isChecked():
                frame = holding
        self.model.set_frame(frame.reset_index(drop=True) if not frame.empty
                             else pd.DataFrame(columns=list(TEST_COLUMNS)))

    @Slot()
    def _on_row_changed(self, current, _previous) -> None:
        if not current.isValid() or self.model.frame.empty:
            return
        row = self.model.frame.iloc[current.row()]
        # The same item a click on the chart would give: section|key|group.
        self.drill.show()
        self.drill.show_item(f"{row['section']}|{row['key']}|{row['a']}")
