"""Widgets of the codebook editor: an editable list of terms and the live term tester."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from analysis.corpus import Corpus
from sinoru_desktop.panels.groups import doc_source, passage
from sinoru_desktop.panels.kwic_list import KwicList
from sinoru_desktop.plain_text import plain_label
from sinoru_desktop.state import AppState
from sinoru_desktop.tasks import TaskRunner

__all__ = ["TermListEditor", "TermTester", "SAMPLE_SIZE", "run_term_test"]

#: KWIC lines shown when testing a term: enough to judge its precision at a glance.
SAMPLE_SIZE = 25


class TermListEditor(QWidget):
    """A list of terms the user can add to, edit in place (double-click) and remove from.

    Signals
    -------
    changed : the list changed.
    termChosen(str) : the user selected a term (to test it).
    """

    changed = Signal()
    termChosen = Signal(str)

    def __init__(self, title: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setToolTip("Double-click a term to edit it.")
        self.entry = QLineEdit()
        self.entry.setPlaceholderText(placeholder)
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
        self.list.currentTextChanged.connect(self.termChosen)

    def values(self) -> list[str]:
        out = []
        for i in range(self.list.count()):
            text = " ".join(self.list.item(i).text().split())
            if text:
                out.append(text)
        return out

    def set_values(self, values) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for value in values:
            self._append(value)
        self.list.blockSignals(False)

    def add(self, term: str) -> None:
        term = " ".join(term.split())
        if term and term not in self.values():
            self._append(term)
            self.changed.emit()

    def _append(self, value: str) -> None:
        item = QListWidgetItem(value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addItem(item)

    @Slot()
    def _on_add(self) -> None:
        self.add(self.entry.text())
        self.entry.clear()

    @Slot()
    def _on_remove(self) -> None:
        rows = sorted((self.list.row(i) for i in self.list.selectedItems()), reverse=True)
        if not rows and self.list.currentRow() >= 0:
            rows = [self.list.currentRow()]
        for row in rows:
            self.list.takeItem(row)
        if rows:
            self.changed.emit()

    @Slot(QListWidgetItem)
    def _on_item_changed(self, _item) -> None:
        self.changed.emit()


def run_term_test(term: str, corpus, regex: bool, *, progress) -> object:
    """Task function: where ``term`` matches in ``corpus`` (runs on a worker thread)."""
    from analysis.frames import match_term

    return match_term(term, corpus, limit=SAMPLE_SIZE, regex=regex, progress=progress)


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

    def set_term(self, term: str) -> None:
        self.term.setText(term)
        self.test()

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
        problem = check_pattern(term) if regex else check_term(term)
        if problem:
            self._runner.cancel()
            self.result.setText(f"This term cannot be used: {problem}.")
            return
        self._tested = (term, corpus)
        self.result.setText(f"Testing \u201c{term}\u201d on {len(corpus):,} documents\u2026")
        self.cancel_button.show()
        self._runner.start(run_term_test, term, corpus, regex, label="Testing a term",
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
        term, corpus = self._tested
        count = int(hits.attrs.get("count", len(hits)))
        n_docs = int(hits.attrs.get("n_documents", hits["doc_id"].nunique()))
        for row in hits.itertuples(index=False):
            doc = corpus[row.doc_id]
            left, match, right = passage(doc.text, int(row.start), int(row.end))
            self.sample.add_line(left, match, right, doc_source(doc), row.doc_id,
                                 int(row.start), int(row.end))
        shown = f" (first {len(hits)} shown)" if count > len(hits) else ""
        self.result.setText(f"\u201c{term}\u201d matches {count:,} time{'s' * (count != 1)} in "
                            f"{n_docs:,} of {len(corpus):,} documents{shown}. Check the lines "
                            "below: do they mean what the frame means?")
        self.last_count = count
