"""The Compare view: choose a grouping and groups, see every figure side by side, click
any bar, point or term to read the passages behind it."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sinoru_desktop.panels.chart_card import ChartCard
from sinoru_desktop.panels.chart_inputs import chart_inputs, inputs_results, same_inputs
from sinoru_desktop.panels.compare_split import NOT_SPLIT, OUTLET_POINT_CHARTS, SplitControls
from sinoru_desktop.panels.drilldown import DrillDownPanel
from sinoru_desktop.panels.groups import (
    compared_groups,
    group_doc_ids,
    grouping_columns,
)
from sinoru_desktop.plain_text import literal_text, plain_label
from sinoru_desktop.state import AppState

__all__ = ["ComparePanel"]

# Cards that share a row when the view is wide enough for two columns (chart ids).
_PAIRED = ("keyness", "sentiment", "targets", "markers", "salience", "readability", "topics",
           "timeline")
_TWO_COLUMNS_FROM = 1000  # px of viewport width
_GROUP_DEBOUNCE_MS = 400  # let the user tick several groups before re-running
_MIN_CHART_PX, _MAX_CHART_PX = 130, 920



class ComparePanel(SplitControls, QWidget):
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
        # One line of groups (more wrap and scroll): the charts need the height.
        self.group_list.setMaximumHeight(self.fontMetrics().height() + 16)
        self.group_list.setToolTip("Tick the groups to compare (at least two).")
        self.codebook = QComboBox()
        self.codebook.setToolTip("The codebook whose frames the frame profile shows.")
        self.codebook.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.codebook.setMinimumContentsLength(10)
        self.comparison = QComboBox()
        # Real group names run to 80 characters: the pair is elided here (full name in the
        # item's tooltip) so the window can still be narrowed.
        self.comparison.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.comparison.setMinimumContentsLength(16)
        self.comparison.setToolTip("The pair of groups whose distinctive terms are shown.")
        # Keyness compares within one language: when the pair's groups differ in
        # language, the terms can be read within each language both have documents in.
        self.language = QComboBox()
        self.language.setToolTip("Distinctive terms over all documents of the pair, or "
                                 "within one language (offered when the groups differ "
                                 "in language).")
        self.language.hide()
        self.equal_outlets = QCheckBox("Weigh outlets equally")
        self.equal_outlets.setToolTip(
            "Make each group's figures the mean of its outlets' means, so one prolific "
            "outlet cannot speak for its group. Off: every document weighs the same.")
        self.split_by = QComboBox()
        self.split_by.setToolTip(
            "Split every group chart by a second column: each (group \u00d7 value) cell "
            "becomes a bar or point of its own, with its documents behind it.")
        # Column names come from the manifest: elided, never widening the window.
        self.split_by.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.split_by.setMinimumContentsLength(7)
        self.outlet_points = QCheckBox("Outlet points")
        self.outlet_points.setToolTip(
            "Draw each outlet of a group as its own point beside the group's figure, so "
            "one prolific outlet is visible (the pointer on a point names the outlet).")
        self.run_button = QPushButton("Run analysis")
        # Plain text: the hint and the warnings name groups from the corpus.
        self.hint = plain_label(QLabel())
        self.hint.setWordWrap(True)
        self.banner = plain_label(QLabel())
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel { padding: 4px; border-radius: 3px;"
                                  " background: rgba(230, 159, 0, 60); }")
        self.banner.hide()

        top = QHBoxLayout()
        top.addWidget(QLabel("Group by"))
        top.addWidget(self.group_by)
        top.addWidget(self.group_list, 1)
        top.addWidget(self.outlet_points)
        top.addWidget(self.equal_outlets)
        top.addWidget(self.run_button)
        second = QHBoxLayout()
        second.addWidget(QLabel("Codebook"))
        second.addWidget(self.codebook)
        second.addSpacing(12)
        second.addWidget(QLabel("Terms for"))
        second.addWidget(self.comparison)
        second.addWidget(self.language)
        second.addSpacing(12)
        second.addWidget(QLabel("Split by"))
        second.addWidget(self.split_by)
        second.addWidget(self.hint, 1)

        # Chart cards (built per results: one per chart instance) --------------------------
        self.cards: dict[str, ChartCard] = {}
        self._instances: dict = {}
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
        self.codebook.currentIndexChanged.connect(self._on_codebook_chosen)
        self.comparison.currentIndexChanged.connect(self._on_pair_chosen)
        self.language.currentIndexChanged.connect(self._on_language_chosen)
        self.split_by.currentIndexChanged.connect(self._on_split_chosen)
        self.outlet_points.toggled.connect(self._on_outlet_points_toggled)
        self.equal_outlets.setChecked(self.state.config.weigh_outlets_equally)
        self.equal_outlets.toggled.connect(self._on_equal_outlets_toggled)
        self.run_button.clicked.connect(self.state.analysisRequested)
        state.corpusChanged.connect(self._on_corpus_changed)
        state.configChanged.connect(self._on_config_changed)
        state.resultsChanged.connect(self._on_results_changed)

        from sinoru_desktop.panels.chart_render import chart_renderer

        chart_renderer().warm_up()
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
            item.setToolTip(literal_text(f"{len(ids)} documents with {column} = {group}"))
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
        self.state.edit(f"Group by {column}",
                        config=replace(self.state.config, group_by=column, groups=()))
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
        self.state.edit("Choose the groups", config=replace(self.state.config, groups=groups))
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
        self.equal_outlets.blockSignals(True)
        self.equal_outlets.setChecked(self.state.config.weigh_outlets_equally)
        self.equal_outlets.blockSignals(False)

    @Slot(bool)
    def _on_equal_outlets_toggled(self, checked: bool) -> None:
        if checked == self.state.config.weigh_outlets_equally:
            return
        self.state.set_config(replace(self.state.config, weigh_outlets_equally=checked))
        self.state.analysisRequested.emit()

    @Slot()
    def _on_results_changed(self) -> None:
        results = self.state.results
        self.codebook.blockSignals(True)
        self.comparison.blockSignals(True)
        saved = self.state.ui.get("compare", {})
        previous_book = self.codebook.currentData() or saved.get("codebook")
        previous_pair = self.comparison.currentData() or tuple(saved.get("pair") or ())
        self.codebook.clear()
        self.comparison.clear()
        if results is not None:
            for book in results.data.get("codebooks", []):
                self.codebook.addItem(book.get("label") or book["id"], book["id"])
            for comp in results.comparisons:
                label = f"{comp['a']} vs {comp['b']}"
                self.comparison.addItem(label, (comp["a"], comp["b"]))
                self.comparison.setItemData(self.comparison.count() - 1, literal_text(label),
                                            Qt.ItemDataRole.ToolTipRole)
            for combo, previous in ((self.codebook, previous_book),
                                    (self.comparison, previous_pair)):
                index = combo.findData(previous)
                combo.setCurrentIndex(max(index, 0))
        self.codebook.blockSignals(False)
        self.comparison.blockSignals(False)
        self._fill_languages()
        self._fill_split_by(saved)
        self._update_placeholder()
        self._make_split()

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
    def _warnings(self) -> list[str]:
        """Small-sample and other warnings of the compared groups not in a caption yet."""
        groups = self.state.results.groups
        out: list[str] = []
        for g in compared_groups(self.state.results, self.state.config.groups):
            for w in groups.get(g, {}).get("warnings", []):
                if w not in out:
                    out.append(w)
        return out

    def visible_instances(self) -> list:
        """The chart instances shown: the chosen codebook's frames and the chosen pair's
        distinctive terms, then every other chart, in report order."""
        results = self.shown_results()
        if results is None:
            return []
        from analysis.charts import chart_instances

        codebook = self.codebook.currentData()
        pair = self.comparison.currentData()
        language = self.language.currentData() or "" if self.language.count() else ""
        shown = []
        for inst in chart_instances(results):
            if self._split is not None and inst.chart_id in NOT_SPLIT:
                continue
            if inst.chart_id == "frames" and inst.kwargs.get("codebook") != codebook:
                continue
            if inst.chart_id == "keyness" and pair is not None and \
                    tuple(inst.kwargs.get("comparison") or ()) != tuple(pair):
                continue
            if inst.chart_id == "keyness" and (inst.kwargs.get("language") or "") != language:
                continue
            shown.append(inst)
        return shown

    def redraw(self, kinds: set[str] | None = None) -> None:
        """Rebuild the chart cards from the current results and draw them.

        With ``kinds`` (chart ids such as {"frames"}) only those charts are drawn again;
        the others keep their cards (a codebook switch need not redraw nine charts).
        A chart shown before keeps its card, which shows the old picture until the new
        one is drawn (a re-run does not blank the view, nor build a dozen widgets), and
        keeps that picture when the part of the results it is drawn from is unchanged
        (:mod:`~sinoru_desktop.panels.chart_inputs`: a codebook edit redraws the frames).
        """
        instances = self.visible_instances()
        wanted = {inst.key for inst in instances}
        for key, card in self.cards.items():
            if key not in wanted:
                self._grid.removeWidget(card)
                card.setParent(None)
                card.deleteLater()
        old = {key: card for key, card in self.cards.items() if key in wanted}
        self.cards, self._instances = {}, {}
        results = self.shown_results()
        if results is None:
            return
        warnings = self._warnings() if self._split is None else list(results.warnings)
        points = self.outlet_points.isChecked()
        for inst in instances:
            self._instances[inst.key] = inst
            card = old.get(inst.key)
            if card is not None and kinds is not None and inst.chart_id not in kinds:
                self.cards[inst.key] = card
                continue
            height = int(min(max(inst.size[1] * 100, _MIN_CHART_PX), _MAX_CHART_PX))
            if card is None:
                card = ChartCard(inst.title, name=inst.key.replace(":", "_").replace("|", "_"),
                                 height_px=height, off_thread=True)
                card.canvas.itemPicked.connect(self._on_item_picked)
            if card.canvas.maximumHeight() != height:
                card.canvas.set_height(height)
            self.cards[inst.key] = card
            kwargs = dict(inst.kwargs)
            if points and inst.chart_id in OUTLET_POINT_CHARTS:
                kwargs["outlet_points"] = True
            # The card draws from the part of the results its chart reads: when that part
            # is what the card drew last, the picture would be the same and stays.
            inputs = chart_inputs(results.data, inst.chart_id, kwargs)
            drawn_from = (inst.function, kwargs, list(warnings), inputs)
            shown = inputs_results(results, inputs)
            same = inputs is not None and same_inputs(card.drawn_from, drawn_from)
            card.drawn_from = drawn_from if inputs is not None else None  # the old results go
            if same:
                card.keep(inst.function, shown, warnings=warnings, **kwargs)
                continue
            card.draw(inst.function, shown, warnings=warnings, **kwargs)
        self._layout_cards(force=True)

    @Slot()
    def _on_codebook_chosen(self) -> None:
        self._remember("codebook", self.codebook.currentData())
        self.redraw({"frames"})

    @Slot()
    def _on_pair_chosen(self) -> None:
        pair = self.comparison.currentData()
        self._remember("pair", list(pair) if pair else None)
        self._fill_languages()
        self.redraw({"keyness"})

    @Slot()
    def _on_language_chosen(self) -> None:
        self.redraw({"keyness"})

    def _fill_languages(self) -> None:
        """Offer "All languages" and each language of the chosen pair's within-language
        keyness; hidden when both groups are one language."""
        from analysis.charts.keyness import find_comparison
        from analysis.lang import language_name

        previous = self.language.currentData()
        self.language.blockSignals(True)
        self.language.clear()
        results, pair = self.state.results, self.comparison.currentData()
        comp = find_comparison(results.data, pair) if results is not None and pair else None
        by_language = (comp or {}).get("keyness_by_language") or {}
        if by_language:
            self.language.addItem("All languages", "")
            for code in by_language:
                self.language.addItem(f"{language_name(code)} only", code)
            self.language.setCurrentIndex(max(self.language.findData(previous), 0))
        self.language.setVisible(bool(by_language))
        self.language.blockSignals(False)

    def _remember(self, key: str, value) -> None:
        """Keep a view choice in the project's view settings (saved with it)."""
        self.state.ui.setdefault("compare", {})[key] = value

    def card(self, chart_id: str, index: int = 0) -> ChartCard:
        """The ``index``-th shown card of a chart kind ("frames", "keyness" …), its
        chart drawn (cards out of view wait for the user to scroll to them)."""
        cards = [self.cards[k] for k, inst in self._instances.items()
                 if inst.chart_id == chart_id]
        cards[index].flush()
        return cards[index]

    # Layout -----------------------------------------------------------------------------
    def _layout_cards(self, force: bool = False) -> None:
        width = self.width() - 24  # the viewport follows the panel, less a scroll bar
        columns = 2 if width >= _TWO_COLUMNS_FROM else 1
        if columns == self._columns and not force:
            return
        self._columns = columns
        for card in self.cards.values():
            self._grid.removeWidget(card)
        row, col = 0, 0
        for key, inst in self._instances.items():
            card = self.cards[key]
            if columns == 2 and inst.chart_id in _PAIRED:
                self._grid.addWidget(card, row, col, Qt.AlignmentFlag.AlignTop)
                col += 1
                if col == 2:
                    row, col = row + 1, 0
                continue
            if col:
                row, col = row + 1, 0
            self._grid.addWidget(card, row, 0, 1, columns)
            row += 1
        if col:
            row += 1
        for r in range(self._grid.rowCount()):
            self._grid.setRowStretch(r, 0)
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
            self.splitter.setSizes([int(total * 0.6), int(total * 0.4)])
        self.drill.show_item(gid)
