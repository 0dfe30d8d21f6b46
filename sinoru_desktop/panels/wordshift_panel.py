"""The Word shift view: the words behind the tone gap between two groups, overall or
toward one target; click a bar to read the word in context in both groups."""
from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from analysis.charts.wordshift import draw_word_shift, scope_label
from analysis.wordshift import SENTIMENT_SCOPE
from sinoru_desktop.panels.chart_card import ChartCard
from sinoru_desktop.panels.drilldown import DrillDownPanel
from sinoru_desktop.panels.groups import fill_pair_combo, fit_long_combo
from sinoru_desktop.panels.when_shown import WhenShown
from sinoru_desktop.state import AppState

__all__ = ["WordShiftPanel", "TOP_WORDS"]

#: Bars shown: the words that carry most of a gap, few enough to read beside the passages.
TOP_WORDS = 15


class WordShiftPanel(QWidget):
    """Word shift of one comparison and scope, with drill-down to the passages."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.pair = QComboBox()
        self.pair.setToolTip("The two groups whose tone is compared (the second is the "
                             "reference).")
        fit_long_combo(self.pair)
        self.scope = QComboBox()
        fit_long_combo(self.scope)  # target names can be long too
        self.scope.setToolTip("All sentiment words, or the words in sentences that mention "
                              "one target.")
        self.card = ChartCard("Word shift", name="word_shift", height_px=260)
        # The view has the room: the chart grows with it instead of keeping a card height.
        self.card.canvas.setSizePolicy(QSizePolicy.Policy.Expanding,
                                       QSizePolicy.Policy.Expanding)
        self.card.canvas.setMaximumHeight(16777215)
        self.drill = DrillDownPanel(state)
        self.drill.hide()
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Groups"))
        controls.addWidget(self.pair)
        controls.addWidget(QLabel("Words"))
        controls.addWidget(self.scope, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.card)
        self.splitter.addWidget(self.drill)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.splitter, 1)
        self.pair.currentIndexChanged.connect(self._on_pair_chosen)
        self.scope.currentIndexChanged.connect(self._on_scope_chosen)
        self.card.canvas.itemPicked.connect(self._on_item_picked)
        # Hidden, the view waits until it is shown to take in new results.
        self._results_shown = WhenShown(self, self._on_results_changed)
        state.resultsChanged.connect(self._results_shown.request)
        self._on_results_changed()

    def bars(self) -> list[str]:
        """The words shown as bars, top to bottom."""
        return [gid.split("|")[1] for gid in self.card.canvas.pickable_gids()]

    def redraw(self) -> None:
        results = self.state.results
        if results is None:
            self.card.canvas.clear()
            self.card.caption.setText("Run the analysis to see which words make the tone "
                                      "of two groups differ.")
            return
        self.card.draw(draw_word_shift, results, comparison=self.pair.currentData(),
                       scope=self.scope.currentData() or SENTIMENT_SCOPE, top_n=TOP_WORDS)

    def _fill_scopes(self) -> None:
        results = self.state.results
        previous = self.scope.currentData()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem("All sentiment words", SENTIMENT_SCOPE)
        table = results.table("word_shift") if results is not None else None
        pair = self.pair.currentData()
        if table is not None and not table.empty and pair is not None:
            scopes = table.loc[table["comparison"] == f"{pair[0]}|{pair[1]}", "scope"]
            for scope in dict.fromkeys(scopes.astype(str)):
                if scope != SENTIMENT_SCOPE:
                    label = scope_label(results, scope).replace("words in sentences ", "")
                    self.scope.addItem(f"Tone toward a target: {label}", scope)
        self.scope.setCurrentIndex(max(self.scope.findData(previous), 0))
        self.scope.blockSignals(False)

    @Slot()
    def _on_results_changed(self) -> None:
        results = self.state.results
        fill_pair_combo(self.pair, results.comparisons if results is not None else [])
        self._fill_scopes()
        self.redraw()

    @Slot()
    def _on_pair_chosen(self) -> None:
        self._fill_scopes()
        self.redraw()

    @Slot()
    def _on_scope_chosen(self) -> None:
        self.redraw()

    @Slot(str)
    def _on_item_picked(self, gid: str) -> None:
        if not self.drill.isVisible():
            self.drill.show()
            total = sum(self.splitter.sizes()) or self.height()
            self.splitter.setSizes([int(total * 0.62), int(total * 0.38)])
        self.drill.show_item(gid)
