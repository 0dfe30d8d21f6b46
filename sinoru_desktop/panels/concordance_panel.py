"""The Concordance view: keyword-in-context search over the corpus, by group."""
from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from analysis.corpus import Corpus
from sinoru_desktop.dataframe_model import DataFrameModel
from sinoru_desktop.panels.groups import group_doc_ids
from sinoru_desktop.plain_text import plain_label
from sinoru_desktop.state import AppState
from sinoru_desktop.table_export import add_table_actions
from sinoru_desktop.tasks import TaskRunner

__all__ = ["ConcordancePanel", "search_concordance", "SYNC_LIMIT",
           "MAX_LINES", "SORTS"]

#: Corpora up to this many documents are searched on the GUI thread (it takes < 0.2 s).
SYNC_LIMIT = 2000
#: Lines kept; a search with more hits says so.
MAX_LINES = 10_000
#: Sort orders shown to the user -> analysis.kwic.sort_kwic keys (None: corpus order).
SORTS = {"Document order": None, "Left context": "left", "Right context": "right",
         "Match": "match"}
_COLUMNS = {"left": "Left context", "match": "Match", "right": "Right context",
            "outlet": "Outlet", "title": "Title", "group": "Group"}


def search_concordance(corpus: Corpus, pattern: str, regex: bool, doc_ids: list[str] | None,
                       window: int = 60, progress=None) -> pd.DataFrame:
    """KWIC lines for ``pattern`` (at most :data:`MAX_LINES` + 1, to detect "more").

    Module-level so it can run on a worker thread with immutable inputs.
    """
    from analysis.kwic import kwic

    if progress is not None:
        progress(0.0)
    frame = kwic(corpus, pattern, regex=regex, window=window, doc_ids=doc_ids,
                 limit=MAX_LINES + 1)
    if progress is not None:
        progress(1.0)
    return frame


class _LeftContextDelegate(QStyledItemDelegate):
    """Right-aligns the left context (eliding its start) so the matches line up."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 (Qt override)
        super().initStyleOption(option, index)
        option.displayAlignment = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        option.textElideMode = Qt.TextElideMode.ElideLeft


class ConcordancePanel(QWidget):
    """Search box, regex switch, group filter, sort order, the lines and their count."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.lines = pd.DataFrame()
        self.query = QLineEdit()
        self.query.setPlaceholderText("Word, phrase or regular expression, e.g. "
                                      "partnership or strateg\\w+ partner")
        self.query.setClearButtonEnabled(True)
        self.regex = QCheckBox("Regular expression")
        self.group = QComboBox()
        self.group.setToolTip("Search only the documents of one group.")
        # Group names run to 80 characters; elided here so the window can be narrowed.
        self.group.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.group.setMinimumContentsLength(24)
        self.sort = QComboBox()
        self.sort.addItems(list(SORTS))
        self.search_button = QPushButton("Search")
        self.count = plain_label(QLabel("Type a word or phrase and press Enter."))
        self.model = DataFrameModel(columns=_COLUMNS)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setItemDelegateForColumn(0, _LeftContextDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._runner = TaskRunner(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._runner.shutdown)  # no search outlives the app

        bar = QHBoxLayout()
        bar.addWidget(self.query, 1)
        bar.addWidget(self.regex)
        bar.addWidget(QLabel("Group"))
        bar.addWidget(self.group)
        bar.addWidget(QLabel("Sort by"))
        bar.addWidget(self.sort)
        bar.addWidget(self.search_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)

        self.query.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.group.currentIndexChanged.connect(self.search)
        self.regex.toggled.connect(self.search)
        self.sort.currentIndexChanged.connect(self._on_sort_chosen)
        self.table.doubleClicked.connect(self._on_double_clicked)
        add_table_actions(self.table, "concordance", passages=True)
        state.corpusChanged.connect(self._on_corpus_changed)
        state.configChanged.connect(self._on_corpus_changed)
        state.projectReplaced.connect(self._on_project_replaced)
        self._on_project_replaced()  # built after the project opened: its saved sort
        self._on_corpus_changed()

    @Slot()
    def _on_sort_chosen(self) -> None:
        self.state.ui.setdefault("concordance", {})["sort"] = self.sort.currentText()
        self._show()

    @Slot()
    def _on_project_replaced(self) -> None:
        sort = self.state.ui.get("concordance", {}).get("sort")
        if sort in SORTS:
            self.sort.blockSignals(True)
            self.sort.setCurrentText(sort)
            self.sort.blockSignals(False)

    # Search -----------------------------------------------------------------------------
    @Slot()
    def search(self) -> None:
        """Search the corpus for the query (off the GUI thread for large corpora)."""
        pattern = self.query.text().strip()
        if not pattern:
            self.lines = pd.DataFrame()
            self._show()
            self.count.setText("Type a word or phrase and press Enter.")
            return
        if self.regex.isChecked():
            from analysis.kwic import compile_pattern

            try:
                compile_pattern(pattern, regex=True, whole_word=False)
            except ValueError as exc:
                self.count.setText(f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
                return
        group = self.group.currentData()
        doc_ids = None
        if group:
            doc_ids = group_doc_ids(self.state.corpus, self.state.config.group_by).get(group, [])
        corpus = self.state.corpus
        # A regex may backtrack for seconds (it has a time budget): never on this thread.
        if len(corpus) <= SYNC_LIMIT and not self.regex.isChecked():
            try:
                self._on_found(search_concordance(corpus, pattern, self.regex.isChecked(),
                                                  doc_ids))
            except ValueError as exc:
                self._on_failed(exc)
            return
        self.count.setText("Searching…")
        self._runner.start(search_concordance, corpus, pattern, self.regex.isChecked(),
                           doc_ids, label="Searching the corpus",
                           on_done=self._on_found, on_error=self._on_failed)

    def _on_found(self, frame: pd.DataFrame) -> None:
        self.lines = frame
        self._show()

    def _on_failed(self, exc: BaseException) -> None:
        from analysis.progress import Cancelled

        if not isinstance(exc, Cancelled):
            self.count.setText(f"The search failed: {exc}")

    @Slot()
    def _show(self) -> None:
        frame = self.lines
        more = len(frame) > MAX_LINES
        frame = frame.head(MAX_LINES).reset_index(drop=True)
        order = SORTS.get(self.sort.currentText())
        if order and not frame.empty:
            from analysis.kwic import sort_kwic

            frame = sort_kwic(frame, by=order)
        if not frame.empty:
            # Show the grouping column the user chose, whatever it is called.
            column = self.state.config.group_by
            corpus = self.state.corpus
            frame = frame.assign(group=[corpus[d].get(column) if d in corpus else ""
                                        for d in frame["doc_id"]])
        self.model.set_frame(frame if not frame.empty else pd.DataFrame(columns=list(_COLUMNS)))
        self.table.resizeColumnToContents(1)
        if not self.query.text().strip():
            return
        n_docs = frame["doc_id"].nunique() if not frame.empty else 0
        where = f" in {self.group.currentText()}" if self.group.currentData() else ""
        self.count.setText(
            f"{len(frame):,}{'+' if more else ''} match{'es' * (len(frame) != 1)} in "
            f"{n_docs:,} document{'s' * (n_docs != 1)}{where}"
            + (f" (the first {MAX_LINES:,} are listed)" if more else "")
            + ". Double-click a line to open its document.")

    # State ------------------------------------------------------------------------------
    @Slot()
    def _on_corpus_changed(self) -> None:
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("All documents", "")
        for group, ids in group_doc_ids(self.state.corpus, self.state.config.group_by).items():
            self.group.addItem(f"{group} ({len(ids)})", group)
        index = self.group.findData(current)
        self.group.setCurrentIndex(max(index, 0))
        self.group.blockSignals(False)
        if self.query.text().strip():
            self.search()

    def _on_double_clicked(self, index) -> None:
        row = self.model.frame.iloc[index.row()]
        self.state.documentRequested.emit(str(row["doc_id"]), int(row["start"]),
                                          int(row["end"]))
