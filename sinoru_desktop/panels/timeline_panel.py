"""The Over time view: a frame share, the sentence tone or the tone toward a target per
group and week, month or quarter, with event markers and a one-click before/after
comparison around an event."""
from __future__ import annotations

from functools import partial

import pandas as pd
from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from analysis.charts.over_time import draw_over_time
from analysis.progress import Cancelled
from analysis.timeline import (
    FREQUENCIES,
    EventError,
    before_after,
    label_maps,
    measures,
    over_time,
    parse_events,
)
from sinoru_desktop.dataframe_model import DataFrameModel
from sinoru_desktop.panels.chart_card import ChartCard
from sinoru_desktop.panels.drilldown import DrillDownPanel
from sinoru_desktop.panels.groups import refill_combo
from sinoru_desktop.panels.when_shown import WhenShown
from sinoru_desktop.state import AppState
from sinoru_desktop.tasks import TaskRunner

__all__ = ["TimelinePanel", "BEFORE_AFTER_HEADERS", "SYNC_LIMIT"]

#: Up to this many documents the figures are computed at once (well under half a
#: second); larger projects compute them on a worker thread (bootstrap and permutations
#: over 10,000 documents take seconds).
SYNC_LIMIT = 2000

BEFORE_AFTER_HEADERS = {"group": "Group", "n_before": "Docs before", "mean_before": "Before",
                        "n_after": "Docs after", "mean_after": "After",
                        "diff": "Change", "effect_size": "Cohen's d",
                        "p_perm": "p (permutation)"}


class TimelinePanel(QWidget):
    """One figure over time per group, with events and a before/after table."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.events: list = []
        self.measure = QComboBox()
        self.measure.setToolTip("The document figure followed over time.")
        self.period = QComboBox()
        for name in FREQUENCIES:
            self.period.addItem(name.capitalize(), name)
        self.period.setCurrentIndex(1)
        self.events_edit = QLineEdit(state.ui.get("timeline_events", ""))
        self.events_edit.setPlaceholderText("Events: 2022-02-04 joint statement; "
                                            "2022-02-24 invasion")
        self.events_edit.setToolTip("Dates to mark, as YYYY-MM-DD and a label, separated "
                                    "by ';'. Press Enter to apply.")
        self.event_choice = QComboBox()
        self.compare_button = QPushButton("Before / after")
        self.compare_button.setToolTip("Compare each group's figure before the chosen event "
                                       "with its figure from that day on.")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.card = ChartCard("Over time", name="over_time", height_px=240)
        self.card.canvas.setSizePolicy(QSizePolicy.Policy.Expanding,
                                       QSizePolicy.Policy.Expanding)
        self.card.canvas.setMaximumHeight(16777215)
        self.table = QTableView()
        self.table.verticalHeader().hide()
        self.table.hide()
        self.drill = DrillDownPanel(state)
        self.drill.hide()
        self._runner = TaskRunner(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._runner.shutdown)  # no task outlives the app
        top = QHBoxLayout()
        top.addWidget(QLabel("Figure"))
        top.addWidget(self.measure, 2)
        top.addWidget(QLabel("By"))
        top.addWidget(self.period)
        second = QHBoxLayout()
        second.addWidget(self.events_edit, 3)
        second.addWidget(self.event_choice, 1)
        second.addWidget(self.compare_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.card)
        splitter.addWidget(self.table)
        splitter.addWidget(self.drill)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self.measure.currentIndexChanged.connect(self._on_choice_changed)
        self.period.currentIndexChanged.connect(self._on_choice_changed)
        self.events_edit.returnPressed.connect(self._on_events_entered)
        self.compare_button.clicked.connect(self._on_compare)
        self.card.canvas.itemPicked.connect(self._on_item_picked)
        # Hidden, the view waits until it is shown to take in new results.
        self._results_shown = WhenShown(self, self._on_results_changed)
        state.resultsChanged.connect(self._results_shown.request)
        self._read_events()
        self._on_results_changed()

    def _documents(self) -> pd.DataFrame:
        results = self.state.results
        return results.table("documents") if results is not None else pd.DataFrame()

    def _run(self, task, args: tuple, label: str, on_done) -> None:
        """Run ``task(*args)`` now for small projects, else on the worker thread."""
        if len(self._documents()) <= SYNC_LIMIT:
            on_done(task(*args))
            return
        self.message.setText(f"{label}\u2026")
        self._runner.start(task, *args, label=label, on_done=on_done,
                           on_error=self._on_failed)

    def redraw(self) -> None:
        if self.state.results is None:
            self.card.canvas.clear()
            self.card.caption.setText("Run the analysis to follow the framing over time.")
            return
        config = self.state.config
        task = partial(over_time, freq=self.period.currentData(), n_boot=int(config.n_boot),
                       seed=int(config.seed))
        self._run(task, (self._documents(), self.measure.currentData() or "sentiment.mean"),
                  "Computing the figures over time", self._on_series_ready)

    def _on_series_ready(self, table: pd.DataFrame) -> None:
        self.card.draw(draw_over_time, self.state.results,
                       column=self.measure.currentData() or "sentiment.mean",
                       label=self.measure.currentText(), freq=self.period.currentData(),
                       events=self.events, table=table)

    def _on_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, Cancelled):
            self.message.setText(f"\u26a0 The figures could not be computed: {exc}")

    def _read_events(self) -> bool:
        try:
            self.events = parse_events(self.events_edit.text())
        except EventError as exc:
            self.message.setText(f"\u26a0 {exc}")
            return False
        self.message.setText("")
        self.event_choice.clear()
        for event in self.events:
            self.event_choice.addItem(f"{event.date.isoformat()} {event.label}", event.date)
        self.compare_button.setEnabled(bool(self.events))
        return True

    # Slots --------------------------------------------------------------------------
    @Slot()
    def _on_results_changed(self) -> None:
        results = self.state.results
        choices = ([] if results is None
                   else measures(self._documents(), *label_maps(results.data)))
        refill_combo(self.measure, [(label, column) for column, label in choices])
        self.table.hide()
        self.redraw()

    @Slot()
    def _on_choice_changed(self) -> None:
        self.redraw()
        if self.table.isVisible():
            self._on_compare()

    @Slot()
    def _on_events_entered(self) -> None:
        if self._read_events():
            # Events belong to the project: saved with it like other view settings.
            self.state.ui["timeline_events"] = self.events_edit.text()
            self.state.set_dirty()
            self.redraw()

    @Slot()
    def _on_compare(self) -> None:
        date = self.event_choice.currentData()
        if date is None or self.state.results is None:
            return
        task = partial(before_after, n_perm=int(self.state.config.n_perm),
                       seed=int(self.state.config.seed))
        self._run(task, (self._documents(), self.measure.currentData(), date),
                  "Comparing before and after the event", self._on_before_after_ready)

    def _on_before_after_ready(self, table: pd.DataFrame) -> None:
        self.table.setModel(DataFrameModel(table, columns=BEFORE_AFTER_HEADERS,
                                           parent=self.table))
        self.table.resizeColumnsToContents()
        self.table.show()
        self.message.setText(f"{self.measure.currentText()} before and from "
                             f"{self.event_choice.currentText()} on, per group; change = "
                             "after \u2212 before; p from a permutation test over documents.")

    @Slot(str)
    def _on_item_picked(self, gid: str) -> None:
        self.drill.show()
        self.drill.show_item(gid)
