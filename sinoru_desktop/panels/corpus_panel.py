"""The corpus view: a sortable, filterable, editable table of the project's documents."""
from __future__ import annotations

import re

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from analysis.names import display_name
from sinoru_desktop.dataframe_model import DataFrameModel
from sinoru_desktop.settings import user_registry_path
from sinoru_desktop.state import AppState

__all__ = ["CorpusPanel", "COLUMNS", "EDITABLE", "corpus_frame", "OutletDialog",
           "show_outlet_dialog"]

#: Shown columns -> header labels.
COLUMNS = {"title": "Title", "outlet": "Outlet", "outlet_type": "Outlet type",
           "group": "Group", "date": "Date", "author": "Author", "language": "Language",
           "words": "Words"}
EDITABLE = ("title", "outlet", "outlet_type", "group", "date", "author", "language")
_ALL_GROUPS = "All groups"


# The word-token pattern of analysis.text (a word count needs no normalised tokens, and
# findall is several times faster than building them).
_WORD = re.compile(r"\w+(?:[-'’.&]\w+)*")


def word_count(text: str) -> int:
    """Word tokens in ``text``, counted as the analysis counts them."""
    return len(_WORD.findall(text))


def corpus_frame(corpus, known: dict[str, int] | None = None):
    """One row per document, indexed by ``doc_id``.

    Columns: ``title``, ``outlet``, ``outlet_type``, ``group``, ``date``, ``author``,
    ``language`` (ISO code, detected at import), ``words`` (word tokens of the analysed text), ``source``. ``known`` holds counts
    already made (doc_id -> words), e.g. by the import or load worker; it is filled in.
    """
    import pandas as pd

    cache = known if known is not None else {}
    # Column by column, reading meta directly: a 100,000-article project built its rows
    # as dicts through Document.get in 6 s.
    shown = [c for c in COLUMNS if c != "words"]
    columns: dict[str, list] = {c: [] for c in (*shown, "words", "source")}
    ids = []
    for d in corpus:
        meta, key = d.meta, d.doc_id
        ids.append(key)
        for c in shown:
            columns[c].append(meta.get(c) or "")
        if key not in cache:
            cache[key] = word_count(d.text)
        columns["words"].append(cache[key])
        columns["source"].append(display_name(d.source))
    frame = pd.DataFrame(columns, columns=[*COLUMNS, "source"],
                         index=pd.Index(ids, dtype=object))
    frame["words"] = frame["words"].astype("int64")
    return frame


class CorpusPanel(QWidget):
    """Documents of the open project, with in-place and bulk metadata editing.

    Signals
    -------
    statusMessage(str) : a short message for the status bar.
    """

    statusMessage = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._frame = None
        self._texts = None
        self._editing = False

        self.model = DataFrameModel(columns=COLUMNS, editable=EDITABLE, parent=self)
        self.model.set_header_tooltips({c: "Double-click a cell to edit" for c in EDITABLE}
                                       | {"words": "Word tokens in the analysed text"})
        self.model.edited.connect(self._on_cell_edited)
        self.view = QTableView()
        self.view.setModel(self.model)
        # No sort indicator: rows stay in import order until the user clicks a header.
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        # Column widths from the first rows only: measuring all 10,000 titles of a large
        # project took half a second at every open.
        self.view.horizontalHeader().setResizeContentsPrecision(200)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(
            self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Column widths from the first rows only: measuring every cell of 2,000 imported
        # documents held the window for over a second.
        header.setResizeContentsPrecision(200)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicatorShown(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by title, outlet, author, date…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip("Shows rows whose metadata contains this text")
        self.group_combo = QComboBox()
        self.group_combo.setToolTip("Show one group only")
        self.group_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.text_search = QLineEdit()
        self.text_search.setPlaceholderText("Find in article text…")
        self.text_search.setClearButtonEnabled(True)
        self.text_search.setToolTip("Shows documents whose text contains this phrase "
                                    "(ignoring case)")
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(200)   # type-ahead: filter after a short pause
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.text_search.textChanged.connect(self._filter_timer.start)
        self.group_combo.currentIndexChanged.connect(self._filter_timer.start)

        self.set_group_action = QAction("Set group…", self)
        self.set_group_action.setToolTip("Put the selected documents in one group")
        self.set_group_action.setShortcut(QKeySequence("Ctrl+G"))
        self.set_group_action.triggered.connect(self._on_set_group)
        self.presets_action = QAction("Apply outlet presets", self)
        self.presets_action.setToolTip("Fill outlet type and group of the selected documents "
                                       "from the outlet registry")
        self.presets_action.triggered.connect(self._on_apply_presets)
        self.add_outlet_action = QAction("Add outlet to registry…", self)
        self.add_outlet_action.setToolTip("Teach Sinoru an outlet's type and group")
        self.add_outlet_action.triggered.connect(self._on_add_outlet)
        self.whole_page_action = QAction("Use whole web page", self)
        self.whole_page_action.setToolTip("Put back the parts of the selected web pages "
                                          "outside the article (menus, related stories …)")
        self.whole_page_action.triggered.connect(self._on_whole_page)
        self.article_action = QAction("Use article only", self)
        self.article_action.setToolTip("Keep only the article of the selected web pages; "
                                       "the rest of the page stays greyed in the Document view")
        self.article_action.triggered.connect(self._on_article_only)
        #: Actions the main window adds to its Edit menu.
        self.edit_actions = [self.set_group_action, self.presets_action, self.add_outlet_action]
        self.open_action = QAction("Open document", self)
        self.open_action.setShortcut(QKeySequence(Qt.Key.Key_Return | Qt.KeyboardModifier.AltModifier))
        self.open_action.triggered.connect(self._on_open_document)

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 2)
        bar.addWidget(self.group_combo)
        bar.addWidget(self.text_search, 2)
        for action in (self.set_group_action, self.presets_action, self.add_outlet_action):
            button = QToolButton()
            button.setDefaultAction(action)
            bar.addWidget(button)
        self.count_label = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        state.corpusChanged.connect(self._on_corpus_changed)
        self._on_corpus_changed()
        self._on_selection_changed()

    # Building the table ----------------------------------------------------------------
    @Slot()
    def _on_corpus_changed(self) -> None:
        if self._editing:
            return
        corpus = self.state.corpus if self.state.has_documents else ()
        if not corpus:
            import pandas as pd

            self._frame = pd.DataFrame(columns=[*COLUMNS, "source"])
            self._texts = None
        else:
            self._frame = corpus_frame(corpus, self.state.word_counts)
            self._texts = None
        self._refresh_groups()
        self.apply_filter()

    @Slot()
    def apply_filter(self) -> None:
        """Show the rows matching the filter, group and text search."""
        frame = self._frame
        if frame is None:
            return
        mask = None
        query = self.filter_edit.text().strip()
        if query and len(frame):
            cols = [c for c in COLUMNS if c != "words"]
            mask = frame[cols].apply(
                lambda s: s.astype(str).str.contains(query, case=False, regex=False)).any(axis=1)
        group = self.group_combo.currentText()
        if group and group != _ALL_GROUPS and len(frame):
            hit = frame["group"] == group
            mask = hit if mask is None else mask & hit
        phrase = self.text_search.text().strip()
        if phrase and len(frame):
            hit = self._text_series().str.contains(phrase, case=False, regex=False)
            mask = hit if mask is None else mask & hit.to_numpy()
        shown = frame if mask is None else frame[mask.to_numpy()]
        selected = self.selected_ids()
        self.model.set_frame(shown)
        self._select(selected)
        self._resize_columns()
        total = len(frame)
        self.count_label.setText(f"{len(shown):,} of {total:,} documents shown" if mask is not None
                                 else f"{total:,} documents")

    def _resize_columns(self) -> None:
        """Metadata columns take their content width, capped so the title keeps room."""
        self._natural = {}
        for col in range(1, len(COLUMNS)):
            self.view.resizeColumnToContents(col)
            self._natural[col] = self.view.columnWidth(col)
        self._cap_columns()

    def _cap_columns(self) -> None:
        cap = max(70, min(220, int(self.view.viewport().width() * 0.14)))
        for col, width in getattr(self, "_natural", {}).items():
            self.view.setColumnWidth(col, min(width, cap))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._cap_columns()

    def _text_series(self):
        import pandas as pd

        if self._texts is None:
            corpus = self.state.corpus
            self._texts = pd.Series([d.text for d in corpus], index=self._frame.index, dtype=object)
        return self._texts

    # Selection -------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        """Doc ids of the selected rows, in view order."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.row_label(r) for r in rows]

    def _select(self, doc_ids: list[str]) -> None:
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for doc_id in doc_ids:
            row = self.model.row_of(doc_id)
            if row >= 0:
                selection.select(self.model.index(row, 0), self.model.index(row, last))
        self.view.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    @Slot()
    def _on_selection_changed(self, *_args) -> None:
        has = bool(self.view.selectionModel().hasSelection())
        for action in (self.set_group_action, self.presets_action, self.open_action,
                       self.whole_page_action, self.article_action):
            action.setEnabled(has)

    # Editing ---------------------------------------------------------------------------
    def _apply(self, changed: list, message: str) -> None:
        """Store edited documents in the state; the table keeps its rows and selection."""
        if not changed:
            return
        selected = self.selected_ids()
        self.state.update_documents(changed, message.rstrip("."))
        self._select(selected)
        self.statusMessage.emit(message + (" The results are out of date: run the analysis "
                                           "again (F5)." if self.state.results_stale else ""))

    @Slot(object, str, object)
    def _on_cell_edited(self, doc_id: str, column: str, value: object) -> None:
        doc = self.state.corpus[doc_id].with_meta(**{column: str(value)})
        self._frame.loc[doc_id, column] = value
        self._editing = True
        try:
            self.state.update_documents([doc], f"Edit {COLUMNS[column].lower()}")
        finally:
            self._editing = False
        self._refresh_groups()
        self.statusMessage.emit(f"{COLUMNS[column]} of “{doc.title}” changed.")

    def _refresh_groups(self) -> None:
        groups = sorted({g for g in self._frame["group"] if g})
        known = [self.group_combo.itemText(i) for i in range(1, self.group_combo.count())]
        if groups != known:
            current = self.group_combo.currentText()
            self.group_combo.blockSignals(True)
            self.group_combo.clear()
            self.group_combo.addItems([_ALL_GROUPS, *groups])
            self.group_combo.setCurrentText(current if current in groups else _ALL_GROUPS)
            self.group_combo.blockSignals(False)

    def set_group(self, doc_ids: list[str], group: str) -> None:
        """Put the documents ``doc_ids`` in ``group``."""
        corpus = self.state.corpus
        changed = [corpus[i].with_meta(group=group) for i in doc_ids
                   if corpus[i].get("group") != group]
        self._apply(changed, f"{len(changed)} document{'s' if len(changed) != 1 else ''} "
                             f"moved to group “{group}”.")

    @Slot()
    def _on_set_group(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        groups = [self.group_combo.itemText(i) for i in range(1, self.group_combo.count())]
        group, ok = QInputDialog.getItem(self, "Set group",
                                         f"Group for the {len(ids)} selected documents:",
                                         groups, 0, True)
        if ok and group.strip():
            self.set_group(ids, group.strip())

    def _registry(self):
        from analysis.ingest import OutletRegistry

        try:
            return OutletRegistry.load(user_registry_path())
        except ValueError as exc:
            QMessageBox.warning(self, "Outlet registry", f"{exc}\n\nThe built-in outlet list "
                                "is used instead.")
            return OutletRegistry.load(None)

    def apply_presets(self, doc_ids: list[str]) -> int:
        """Fill outlet type and group from the outlet registry; returns documents changed."""
        registry = self._registry()
        corpus = self.state.corpus
        changed = []
        for doc_id in doc_ids:
            doc = corpus[doc_id]
            info = registry.lookup(doc.get("outlet")) or registry.lookup(doc.source)
            if info is None:
                continue
            meta = {"outlet": doc.get("outlet") or info.name,
                    "outlet_type": info.outlet_type or doc.get("outlet_type"),
                    "group": info.group or doc.get("group")}
            if any(doc.get(k) != v for k, v in meta.items()):
                changed.append(doc.with_meta(**meta))
        self._apply(changed, f"Outlet presets applied to {len(changed)} of {len(doc_ids)} "
                             "selected documents.")
        return len(changed)

    @Slot()
    def _on_apply_presets(self) -> None:
        ids = self.selected_ids()
        if ids and self.apply_presets(ids) == 0:
            self.statusMessage.emit("No selected document has an outlet the registry knows "
                                    "(Add outlet to registry… teaches it).")

    @Slot()
    def _on_add_outlet(self) -> None:
        ids = self.selected_ids()
        outlet = self.state.corpus[ids[0]].get("outlet") if ids else ""
        dialog = show_outlet_dialog(self, outlet)
        dialog.accepted.connect(self._on_outlet_added)

    @Slot()
    def _on_outlet_added(self) -> None:
        if self.selected_ids():
            self._on_apply_presets()

    @Slot()
    def _on_open_document(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.state.documentRequested.emit(ids[0], 0, 0)

    def use_whole_page(self, doc_ids: list[str]) -> int:
        """Put back the page around the article of the web pages among ``doc_ids``."""
        from analysis.ingest.webpage import OUTSIDE_ARTICLE, whole_page

        corpus = self.state.corpus
        changed = [whole_page(corpus[i]) for i in doc_ids
                   if any(r.reason == OUTSIDE_ARTICLE for r in corpus[i].removed)]
        self._apply(changed, f"Whole page restored for {len(changed)} of {len(doc_ids)} "
                             "selected documents.")
        return len(changed)

    def use_article_only(self, doc_ids: list[str]) -> int:
        """Reduce the web pages among ``doc_ids`` to their article (found again in the
        saved page); a page that cannot be read again is named in a message."""
        from analysis.ingest.webpage import OUTSIDE_ARTICLE, WEB_SUFFIXES, article_only

        corpus = self.state.corpus
        changed, problems = [], []
        for doc in (corpus[i] for i in doc_ids):
            if not doc.source.lower().endswith(WEB_SUFFIXES) or \
                    any(r.reason == OUTSIDE_ARTICLE for r in doc.removed):
                continue
            try:
                changed.append(article_only(doc))
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            QMessageBox.warning(self, "Use article only", "\n".join(problems))
        self._apply(changed, f"Article only for {len(changed)} of {len(doc_ids)} selected "
                             "documents.")
        return len(changed)

    @Slot()
    def _on_whole_page(self) -> None:
        ids = self.selected_ids()
        if ids and self.use_whole_page(ids) == 0:
            self.statusMessage.emit("No selected document is a web page reduced to its "
                                    "article.")

    @Slot()
    def _on_article_only(self) -> None:
        ids = self.selected_ids()
        if ids and self.use_article_only(ids) == 0:
            self.statusMessage.emit("No selected document is a web page imported whole.")

    @Slot()
    def _on_context_menu(self, pos) -> None:
        menu = QMenu(self)
        for action in (self.open_action, self.set_group_action, self.presets_action,
                       self.add_outlet_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.whole_page_action)
        menu.addAction(self.article_action)
        menu.popup(self.view.viewport().mapToGlobal(pos))


class OutletDialog(QDialog):
    """Add an outlet (name, web domains) with its type and group to the user's registry."""

    def __init__(self, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Add outlet to registry")
        self.name = QLineEdit(name)
        self.domains = QLineEdit()
        self.domains.setPlaceholderText("e.g. example.com, news.example.org")
        self.outlet_type = QComboBox()
        self.outlet_type.setEditable(True)
        self.outlet_type.addItems(["news", "state media", "think tank", "journal",
                                   "government", "blog"])
        self.group = QLineEdit()
        self.group.setPlaceholderText("e.g. chinese, western, russian")
        form = QFormLayout()
        form.addRow("Outlet name:", self.name)
        form.addRow("Web domains:", self.domains)
        form.addRow("Outlet type:", self.outlet_type)
        form.addRow("Group:", self.group)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Saved in {user_registry_path().name} in your Sinoru data "
                                "folder; used by every import and by Apply outlet presets."))
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    @Slot()
    def _on_save(self) -> None:
        name, group = self.name.text().strip(), self.group.text().strip()
        if not name or not group:
            QMessageBox.warning(self, "Add outlet", "Give the outlet's name and its group.")
            return
        from analysis.ingest import OutletRegistry

        path = user_registry_path()
        try:
            registry = OutletRegistry.load(path)
        except ValueError as exc:
            QMessageBox.warning(self, "Add outlet", str(exc))
            return
        domains = [d.strip().lower() for d in self.domains.text().split(",") if d.strip()]
        registry.add(name, self.outlet_type.currentText().strip(), group, domains=domains)
        try:
            registry.save_user(path)
        except OSError as exc:
            QMessageBox.warning(self, "Add outlet", f"{path.name}: cannot save ({exc})")
            return
        self.accept()


def show_outlet_dialog(parent: QWidget | None = None, name: str = "") -> OutletDialog:
    """Build, show and return the "Add outlet to registry" dialog."""
    dialog = OutletDialog(parent, name)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
