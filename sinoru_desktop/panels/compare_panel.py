"""The Compare view: choose a grouping and groups, see every figure side by side, click
any bar, point or term to read the passages behind it."""
from __future__ import annotations

import inspect
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QScrollArea, QSizePolicy,
                               QSplitter, QVBoxLayout, QWidget)

from sinoru_desktop.panels.chart_card import ChartCard
from sinoru_desktop.panels.drilldown import DrillDownPanel
from sinoru_desktop.panels.groups import compared_groups, group_doc_ids, grouping_columns
from sinoru_desktop.state import AppState

__all__ = ["ComparePanel", "CHARTS"]

#: (card name, title, chart function name in analysis.charts). Keyness has two cards.
CHARTS = (
    ("frames", "Frame profile", "draw_frame_profile"),
    ("keyness_a", "Distinctive terms", "draw_keyness"),
    ("keyness_b", "Distinctive terms", "draw_keyness"),
    ("sentiment", "Sentiment of sentences", "draw_sentiment_distribution"),
    ("targets", "Sentiment toward targets", "draw_target_sentiment"),
    ("markers", "Stance and style markers", "draw_markers"),
    ("readability", "Readability", "draw_readability"),
    ("topics", "Topics", "draw_topics"),
    ("timeline", "Documents over time", "draw_timeline"),
)
# Cards that share a row when the view is wide enough for two columns.
_PAIRS = (("keyness_a", "keyness_b"), ("sentiment", "targets"), ("markers", "readability"),
          ("topics", "timeline"))
_TWO_COLUMNS_FROM = 1000  # px of viewport width
_GROUP_DEBOUNCE_MS = 400  # let the user tick several groups before re-running


def _accepted(fn, **options) -> dict:
    """The subset of ``options`` that chart function ``fn`` takes as keywords."""
    params = inspect.signature(fn).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return options
    return {k: v for k, v in options.items() if k in params}


class ComparePanel(QWidget):
    """Group comparison: controls on top, chart cards in a scroll area, drill-down below."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._columns = 0

        # Controls ----------------------------------------------------------------------
        self.group_by = QComboBox()
        self.group_by.setToolTip("The metadata column whose values form the groups.")
        self.group_list = QListWidget()
        self.group_list.setFlow(QListWidget.Flow.LeftToRight)
        self.group_list.setWrapping(True)
        self.group_list.setMaximumHeight(56)
        self.group_list.setToolTip("Tick the groups to compare (at least two).")
        self.codebook = QComboBox()
        self.codebook.setToolTip("The codebook whose frames the frame profile shows.")
        self.comparison = QComboBox()
        self.comparison.setToolTip("The pair of groups whose distinctive terms are shown.")
        self.run_button = QPushButton("Run analysis")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel { padding: 4px; border-radius: 3px;"
                                  " background: rgba(230, 159, 0, 60); }")
        self.banner.hide()

        top = QHBoxLayout()
        top.addWidget(QLabel("Group by"))
        top.addWidget(self.group_by)
        top.addWidget(self.group_list, 1)
        top.addWidget(self.run_button)
        second = QHBoxLayout()
        second.addWidget(QLabel("Codebook"))
        second.addWidget(self.codebook)
        second.addSpacing(12)
        second.addWidget(QLabel("Terms for"))
        second.addWidget(self.comparison)
        second.addWidget(self.hint, 1)

        # Chart cards -------------------------------------------------------------------
        self.cards: dict[str, ChartCard] = {}
        for name, title, _fn in CHARTS:
            height = 300 if name.startswith("keyness") else 240
            card = ChartCard(title, name=name, height_px=height)
            card.canvas.itemPicked.connect(self._on_item_picked)
            self.cards[name] = card
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(4, 4, 4, 4)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self._grid_host)
        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)

        self.drill = DrillDownPanel(state)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        charts_layout.addWidget(self.banner)
        charts_layout.addWidget(self.placeholder)
        charts_layout.addWidget(self.scroll, 1)
        self.splitter.addWidget(charts)
        self.splitter.addWidget(self.drill)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.drill.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.splitter, 1)

        self._group_timer = QTimer(self)
        self._group_timer.setSingleShot(True)
        self._group_timer.setInterval(_GROUP_DEBOUNCE_MS)
        self._group_timer.timeout.connect(self._apply_groups)

        self.group_by.currentTextChanged.connect(self._on_group_by_chosen)
        self.group_list.itemChanged.connect(self._on_group_ticked)
        self.codebook.currentIndexChanged.connect(self._draw_frames)
        self.comparison.currentIndexChanged.connect(self._draw_keyness)
        self.run_button.clicked.connect(self.state.analysisRequested)
        state.corpusChanged.connect(self._on_corpus_changed)
        state.configChanged.connect(self._on_config_changed)
        state.resultsChanged.connect(self._on_results_changed)

        self._layout_cards(force=True)
        self._on_corpus_changed()
        self._on_results_changed()

    # Controls ---------------------------------------------------------------------------
    def checked_groups(self) -> list[str]:
        return [self.group_list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.group_list.count())
                if self.group_list.item(i).checkState() == Qt.CheckState.Checked]

    def set_groups_checked(self, groups: list[str]) -> None:
        """Tick exactly ``groups`` (as a user would); the change is applied after a pause."""
        for i in range(self.group_list.count()):
            item = self.group_list.item(i)
            wanted = item.data(Qt.ItemDataRole.UserRole) in groups
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def _fill_group_list(self) -> None:
        column = self.state.config.group_by
        members = group_doc_ids(self.state.corpus, column)
        chosen = set(self.state.config.groups) or set(members)
        self.group_list.blockSignals(True)
        self.group_list.clear()
        for group, ids in members.items():
            item = QListWidgetItem(f"{group} ({len(ids)})")
            item.setData(Qt.ItemDataRole.UserRole, group)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if group in chosen
                               else Qt.CheckState.Unchecked)
            item.setToolTip(f"{len(ids)} documents with {column} = {group}")
            self.group_list.addItem(item)
        self.group_list.blockSignals(False)

    def _fill_group_by(self) -> None:
        columns = grouping_columns(self.state.corpus)
        current = self.state.config.group_by
        if current and current not in columns:
            columns.append(current)
        self.group_by.blockSignals(True)
        self.group_by.clear()
        self.group_by.addItems(columns)
        self.group_by.setCurrentText(current)
        self.group_by.blockSignals(False)

    @Slot(str)
    def _on_group_by_chosen(self, column: str) -> None:
        if not column or column == self.state.config.group_by:
            return
        self.state.set_config(replace(self.state.config, group_by=column, groups=()))
        self.state.analysisRequested.emit()

    @Slot(QListWidgetItem)
    def _on_group_ticked(self, _item) -> None:
        self._group_timer.start()

    @Slot()
    def _apply_groups(self) -> None:
        checked = self.checked_groups()
        total = self.group_list.count()
        if total >= 2 and len(checked) < 2:
            self.hint.setText("Tick at least two groups to compare them.")
            return
        self.hint.setText("")
        groups = () if len(checked) == total else tuple(checked)
        if groups == tuple(self.state.config.groups):
            return
        self.state.set_config(replace(self.state.config, groups=groups))
        self.state.analysisRequested.emit()

    # State signals ----------------------------------------------------------------------
    @Slot()
    def _on_corpus_changed(self) -> None:
        self._fill_group_by()
        self._fill_group_list()
        self._update_placeholder()

    @Slot()
    def _on_config_changed(self) -> None:
        self._fill_group_by()
        self._fill_group_list()

    @Slot()
    def _on_results_changed(self) -> None:
        results = self.state.results
        self.codebook.blockSignals(True)
        self.comparison.blockSignals(True)
        previous_book = self.codebook.currentData()
        previous_pair = self.comparison.currentData()
        self.codebook.clear()
        self.comparison.clear()
        if results is not None:
            for book in results.data.get("codebooks", []):
                self.codebook.addItem(book.get("label") or book["id"], book["id"])
            for comp in results.comparisons:
                label = f"{comp['a']} vs {comp['b']}"
                self.comparison.addItem(label, (comp["a"], comp["b"]))
            for combo, previous in ((self.codebook, previous_book),
                                    (self.comparison, previous_pair)):
                index = combo.findData(previous)
                combo.setCurrentIndex(max(index, 0))
        self.codebook.blockSignals(False)
        self.comparison.blockSignals(False)
        self._update_placeholder()
        self.redraw()

    def _update_placeholder(self) -> None:
        results = self.state.results
        if results is not None and results.group_names:
            self.placeholder.hide()
            self.scroll.show()
            warnings = results.warnings
            self.banner.setText("\n".join(f"\u26a0 {w}" for w in warnings))
            self.banner.setVisible(bool(warnings))
            return
        self.scroll.hide()
        self.banner.hide()
        self.placeholder.show()
        if not len(self.state.corpus):
            self.placeholder.setText("No documents yet. Import articles (File \u203a Import) "
                                     "to compare how groups of outlets frame a story.")
        else:
            self.placeholder.setText(f"{len(self.state.corpus)} documents. Choose the groups "
                                     "above and press \u201cRun analysis\u201d.")

    # Drawing ----------------------------------------------------------------------------
    def _groups(self) -> list[str]:
        return compared_groups(self.state.results, self.state.config.groups)

    def _warnings(self) -> list[str]:
        groups = self.state.results.groups
        out: list[str] = []
        for g in self._groups():
            for w in groups.get(g, {}).get("warnings", []):
                if w not in out:
                    out.append(w)
        return out

    def redraw(self) -> None:
        """Draw every chart from the current results."""
        if self.state.results is None:
            for card in self.cards.values():
                card.canvas.clear()
            return
        self._draw_frames()
        self._draw_keyness()
        from analysis import charts

        for name in ("sentiment", "targets", "markers", "readability", "topics", "timeline"):
            fn = getattr(charts, dict((n, f) for n, _t, f in CHARTS)[name])
            self._draw(name, fn)

    def _draw(self, name: str, fn, **options) -> None:
        results = self.state.results
        card = self.cards[name]
        kwargs = _accepted(fn, groups=self._groups(), **options)
        card.draw(fn, results, warnings=self._warnings(), **kwargs)

    @Slot()
    def _draw_frames(self) -> None:
        results = self.state.results
        codebook = self.codebook.currentData()
        if results is None or codebook is None:
            return
        from analysis.charts import draw_frame_profile

        n_frames = next((len(b.get("frames", [])) for b in results.data.get("codebooks", [])
                         if b.get("id") == codebook), 8)
        rows = n_frames * max(1, len(self._groups()))
        self.cards["frames"].canvas.set_height(max(240, min(900, 70 + 13 * rows)))
        self._draw("frames", draw_frame_profile, codebook=codebook)

    @Slot()
    def _draw_keyness(self) -> None:
        results = self.state.results
        pair = self.comparison.currentData()
        if results is None or pair is None:
            for name in ("keyness_a", "keyness_b"):
                self.cards[name].canvas.clear()
            return
        from analysis.charts import draw_keyness

        comp = results.comparison(*pair)
        for name, side, group in (("keyness_a", "a", pair[0]), ("keyness_b", "b", pair[1])):
            self.cards[name].title.setText(f"<b>Distinctive of {group}</b> "
                                           f"(vs {pair[1] if side == 'a' else pair[0]})")
            self._draw(name, draw_keyness, comparison=comp, side=side)

    # Layout -----------------------------------------------------------------------------
    def _layout_cards(self, force: bool = False) -> None:
        width = self.width() - 24  # the viewport follows the panel, less a scroll bar
        columns = 2 if width >= _TWO_COLUMNS_FROM else 1
        if columns == self._columns and not force:
            return
        self._columns = columns
        for card in self.cards.values():
            self._grid.removeWidget(card)
        paired = {n for pair in _PAIRS for n in pair}
        row = 0
        self._grid.addWidget(self.cards["frames"], row, 0, 1, columns)
        row += 1
        for name, _t, _f in CHARTS:
            if name in paired or name == "frames":
                continue
            self._grid.addWidget(self.cards[name], row, 0, 1, columns)
            row += 1
        for a, b in _PAIRS:
            if columns == 2:
                self._grid.addWidget(self.cards[a], row, 0)
                self._grid.addWidget(self.cards[b], row, 1)
                row += 1
            else:
                self._grid.addWidget(self.cards[a], row, 0)
                self._grid.addWidget(self.cards[b], row + 1, 0)
                row += 2
        self._grid.setRowStretch(row, 1)
        for card in self.cards.values():
            card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._layout_cards()

    # Drill-down -------------------------------------------------------------------------
    @Slot(str)
    def _on_item_picked(self, gid: str) -> None:
        self.drill.show()
        sizes = self.splitter.sizes()
        if len(sizes) == 2 and sizes[1] < 120:
            total = sum(sizes) or self.height()
            self.splitter.setSizes([int(total * 0.55), int(total * 0.45)])
        self.drill.show_item(gid)
