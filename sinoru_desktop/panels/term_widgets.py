"""Widgets of the codebook editor: an editable list of terms and the live term tester."""
from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from analysis.corpus import Corpus
from sinoru_desktop.panels.groups import doc_source, passage
from sinoru_desktop.panels.kwic_list import KwicList
from sinoru_desktop.plain_text import plain_label
from sinoru_desktop.state import AppState
from sinoru_desktop.tasks import TaskRunner

__all__ = ["TermListEditor", "TermTester", "SAMPLE_SIZE", "run_term_test", "LANGUAGES",
           "language_box"]

#: KWIC lines shown when testing a term: enough to judge its precision at a glance.
SAMPLE_SIZE = 25


#: Languages offered for terms (any other ISO 639-1 code can be typed in the list).
LANGUAGES = {"en": "English", "zh": "Chinese", "ru": "Russian"}
_CODE = re.compile(r"^[a-z]{2,3}$")


def language_name(code: str) -> str:
    """"zh" -> "zh (Chinese)"; a code Sinoru has no name for is shown as it is."""
    return f"{code} ({LANGUAGES[code]})" if code in LANGUAGES else code


def language_box() -> QComboBox:
    """A narrow combo box of language codes (the name in each item's tooltip); another
    code can be typed."""
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(2)
    for code in LANGUAGES:
        set_language(box, code)
    box.setCurrentIndex(0)
    return box


def chosen_language(box: QComboBox) -> str | None:
    """The code chosen or typed in a :func:`language_box` (None when not a code)."""
    code = box.currentText().strip().lower().split(" ", 1)[0]
    return code if _CODE.match(code) else None


def set_language(box: QComboBox, code: str) -> None:
    """Choose ``code`` in a :func:`language_box` (added to it if new)."""
    i = box.findData(code)
    if i < 0:
        box.addItem(code, code)
        i = box.count() - 1
        box.setItemData(i, language_name(code), Qt.ItemDataRole.ToolTipRole)
    box.setCurrentIndex(i)


class TermListEditor(QWidget):
    """A list of terms, each with its language, that the user can add to, edit in place
    (double-click the term or its language) and remove from.

    New terms get the language chosen in :attr:`language` beside "Add"; the list's
    context menu gives the selected terms another language (:attr:`language_actions`).

    Signals
    -------
    changed : the list changed.
    termChosen(str, str) : the user selected a term (text, language), to test it.
    """

    changed = Signal()
    termChosen = Signal(str, str)

    def __init__(self, title: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QTreeWidget()
        self.list.setColumnCount(2)
        self.list.setHeaderLabels(["Term", "Language"])
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setToolTip("Double-click a term or its language to edit it; right-click "
                             "selected terms to set their language.")
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        #: "Set language: en (English)" ... for the selected terms, by language code.
        self.language_actions: dict[str, QAction] = {}
        for code in LANGUAGES:
            action = QAction(f"Set language: {language_name(code)}", self.list)
            action.triggered.connect(self._on_set_language)
            action.setData(code)
            self.list.addAction(action)
            self.language_actions[code] = action
        self.list.header().setStretchLastSection(False)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.entry = QLineEdit()
        self.entry.setPlaceholderText(placeholder)
        self.language = language_box()
        self.language.setToolTip("The language of new terms (en English, zh Chinese, ru "
                                 "Russian, or type a code). A term is matched only in "
                                 "documents of its language.")
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected term")
        heading = QHBoxLayout()
        label = QLabel(title)
        label.setWordWrap(True)
        heading.addWidget(label, 1)
        heading.addWidget(self.remove_button)
        row = QHBoxLayout()
        row.addWidget(self.entry, 1)
        row.addWidget(self.language)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self.add_button.clicked.connect(self._on_add)
        self.entry.returnPressed.connect(self._on_add)
        self.remove_button.clicked.connect(self._on_remove)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.currentItemChanged.connect(self._on_current_changed)

    def terms(self) -> list:
        """The terms as :class:`analysis.codebook.Term` (text, language), in list order."""
        from analysis.codebook import Term

        out = []
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            text = " ".join(item.text(0).split())
            if text:
                out.append(Term(text, item.data(1, Qt.ItemDataRole.UserRole)))
        return out

    def values(self) -> list[str]:
        """The texts of the terms, in list order."""
        return [t.text for t in self.terms()]

    def set_values(self, values, language: str | None = None) -> None:
        """Show ``values`` (Terms, or texts in the chosen language); ``language`` also
        becomes the language of new terms."""
        if language:
            set_language(self.language, language)
        self.list.blockSignals(True)
        self.list.clear()
        for value in values:
            text, lang = (value, self._new_language()) if isinstance(value, str) else value
            self._append(text, lang)
        self.list.blockSignals(False)

    def add(self, term: str, language: str | None = None) -> None:
        term = " ".join(term.split())
        language = language or self._new_language()
        if term and (term, language) not in self.terms():
            self._append(term, language)
            self.changed.emit()

    def _new_language(self) -> str:
        return chosen_language(self.language) or "en"

    def _append(self, text: str, language: str) -> None:
        item = QTreeWidgetItem([text, language_name(language)])
        item.setData(1, Qt.ItemDataRole.UserRole, language)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addTopLevelItem(item)

    @Slot()
    def _on_add(self) -> None:
        self.add(self.entry.text())
        self.entry.clear()

    def _selected_rows(self) -> list[int]:
        rows = sorted({self.list.indexOfTopLevelItem(i) for i in self.list.selectedItems()})
        current = self.list.currentItem()
        if not rows and current is not None:
            rows = [self.list.indexOfTopLevelItem(current)]
        return rows

    @Slot()
    def _on_remove(self) -> None:
        rows = self._selected_rows()
        for row in reversed(rows):
            self.list.takeTopLevelItem(row)
        if rows:
            self.changed.emit()

    @Slot()
    def _on_set_language(self) -> None:
        language = self.sender().data()
        rows = self._selected_rows()
        if not rows:
            return
        self.list.blockSignals(True)
        for row in rows:
            item = self.list.topLevelItem(row)
            item.setData(1, Qt.ItemDataRole.UserRole, language)
            item.setText(1, language_name(language))
        self.list.blockSignals(False)
        self.changed.emit()
        self._on_current_changed(self.list.currentItem(), None)

    @Slot(QTreeWidgetItem, int)
    def _on_item_changed(self, item, column: int) -> None:
        if column == 1:
            # A typed language: keep it when it is a code, else show the previous one.
            typed = item.text(1).strip().lower().split(" ", 1)[0]
            code = typed if _CODE.match(typed) else item.data(1, Qt.ItemDataRole.UserRole)
            self.list.blockSignals(True)
            item.setData(1, Qt.ItemDataRole.UserRole, code)
            item.setText(1, language_name(code))
            self.list.blockSignals(False)
        self.changed.emit()

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_current_changed(self, item, _previous) -> None:
        if item is not None:
            self.termChosen.emit(item.text(0), item.data(1, Qt.ItemDataRole.UserRole))


def run_term_test(term: str, corpus, regex: bool, language: str = "en", *,
                  progress) -> object:
    """Task function: where ``term`` of ``language`` matches in ``corpus`` (runs on a
    worker thread)."""
    from analysis.frames import match_term

    return match_term(term, corpus, limit=SAMPLE_SIZE, regex=regex, progress=progress,
                      language=language)


class TermTester(QWidget):
    """Test a term over the current corpus: how often it matches, and where (KWIC).

    The test runs on a worker thread (a regex may be slow: it has a time budget per
    document), with a Cancel button; :attr:`last_count` holds the last result.
    """

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.last_count: int | None = None
        self.term = QLineEdit()
        self.term.setPlaceholderText("Test a term, e.g. strategic partner* or no-limits")
        self.regex = QCheckBox("Regular expression")
        self.language = language_box()
        self.language.setToolTip("The term is looked for in the documents of this language "
                                 "(Russian by lemma, Chinese on whole words)")
        self.button = QPushButton("Test")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop testing this term")
        self.cancel_button.hide()
        self.result = plain_label(QLabel("Type a term to see how often it matches in the "
                                         "corpus."))
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)  # the term is the user's text
        # Room for a three-line message (a slow regex is explained at length).
        self.result.setMinimumHeight(3 * self.result.fontMetrics().lineSpacing() + 4)
        self.sample = KwicList()
        self.sample.passageActivated.connect(state.documentRequested)
        self._runner = TaskRunner(self)
        self._runner.finished.connect(self._on_finished)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._runner.shutdown)  # no test outlives the app
        self._tested: tuple[str, Corpus] | None = None
        row = QHBoxLayout()
        row.addWidget(self.term, 1)
        row.addWidget(self.language)
        row.addWidget(self.regex)
        row.addWidget(self.button)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addWidget(self.sample, 1)
        self.button.clicked.connect(self.test)
        self.term.returnPressed.connect(self.test)
        self.cancel_button.clicked.connect(self.cancel)

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def set_term(self, term: str, language: str | None = None) -> None:
        self.show_term(term, language or "en")
        self.test()

    @Slot(str, str)
    def show_term(self, term: str, language: str) -> None:
        """Put a codebook term and its language in the tester, ready to test."""
        self.term.setText(term)
        set_language(self.language, language)

    @Slot()
    def test(self) -> None:
        """Start testing the term; the count and passages appear when it is done."""
        from analysis.codebook import check_pattern, check_term

        self.sample.clear()
        self.last_count = None
        term = self.term.text().strip()
        if not term:
            self._runner.cancel()
            self.result.setText("Type a term to see how often it matches in the corpus.")
            return
        corpus = self.state.corpus
        if not len(corpus):
            self.result.setText("Import documents first: the term is tested on the corpus.")
            return
        regex = self.regex.isChecked()
        language = chosen_language(self.language)
        problem = check_pattern(term) if regex else check_term(term)
        if language is None:
            problem = (f"\u201c{self.language.currentText()}\u201d is not a language code "
                       "(use a two-letter code such as en, zh or ru)")
        if problem:
            self._runner.cancel()
            self.result.setText(f"This term cannot be used: {problem}.")
            return
        self._tested = (term, corpus, language)
        self.result.setText(f"Testing \u201c{term}\u201d on {len(corpus):,} documents\u2026")
        self.cancel_button.show()
        self._runner.start(run_term_test, term, corpus, regex, language, label="Testing a term",
                           on_done=self._on_tested, on_error=self._on_failed)

    @Slot()
    def cancel(self) -> None:
        if self._runner.busy:
            self._runner.cancel()
            self.result.setText("Test cancelled.")

    @Slot()
    def _on_finished(self) -> None:
        self.cancel_button.setVisible(self._runner.busy)

    def _on_failed(self, exc: BaseException) -> None:
        from analysis.codebook import CodebookError

        reason = exc.reason if isinstance(exc, CodebookError) else f"{type(exc).__name__}: {exc}"
        self.result.setText(f"This term cannot be used: {reason}.")

    def _on_tested(self, hits) -> None:
        term, corpus, language = self._tested
        count = int(hits.attrs.get("count", len(hits)))
        n_docs = int(hits.attrs.get("n_documents", hits["doc_id"].nunique()))
        searched = int(hits.attrs.get("n_searched", len(corpus)))
        for row in hits.itertuples(index=False):
            doc = corpus[row.doc_id]
            left, match, right = passage(doc.text, int(row.start), int(row.end))
            self.sample.add_line(left, match, right, doc_source(doc), row.doc_id,
                                 int(row.start), int(row.end))
        shown = f" (first {len(hits)} shown)" if count > len(hits) else ""
        if not searched:
            self.result.setText(f"No document is in {language_name(language)}: the term "
                                "is looked for only in documents of its language (set in "
                                "the corpus table's Language column).")
        else:
            other = (f" in {language_name(language)}" if searched < len(corpus)
                     or language != "en" else "")
            self.result.setText(
                f"\u201c{term}\u201d matches {count:,} time{'s' * (count != 1)} in "
                f"{n_docs:,} of {searched:,} documents{other}{shown}. Check the lines "
                "below: do they mean what the frame means?")
        self.last_count = count
