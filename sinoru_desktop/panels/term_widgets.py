"""Widgets of the codebook editor: an editable list of terms and the live term tester."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
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

from sinoru_desktop.panels.groups import doc_source, passage
from sinoru_desktop.panels.kwic_list import KwicList
from sinoru_desktop.plain_text import plain_label
from sinoru_desktop.state import AppState

__all__ = ["TermListEditor", "TermTester", "SAMPLE_SIZE"]

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


class TermTester(QWidget):
    """Test a term over the current corpus: how often it matches, and where (KWIC)."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.term = QLineEdit()
        self.term.setPlaceholderText("Test a term, e.g. strategic partner* or no-limits")
        self.regex = QCheckBox("Regular expression")
        self.button = QPushButton("Test")
        self.result = plain_label(QLabel("Type a term to see how often it matches in the "
                                         "corpus."))
        self.result.setWordWrap(True)
        self.sample = KwicList()
        self.sample.passageActivated.connect(state.documentRequested)
        row = QHBoxLayout()
        row.addWidget(self.term, 1)
        row.addWidget(self.regex)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addWidget(self.sample, 1)
        self.button.clicked.connect(self.test)
        self.term.returnPressed.connect(self.test)

    def set_term(self, term: str) -> None:
        self.term.setText(term)
        self.test()

    @Slot()
    def test(self) -> int | None:
        """Run the test; returns the number of matches (None when the term is unusable)."""
        from analysis.codebook import CodebookError
        from analysis.frames import match_term

        self.sample.clear()
        term = self.term.text().strip()
        if not term:
            self.result.setText("Type a term to see how often it matches in the corpus.")
            return None
        corpus = self.state.corpus
        if not len(corpus):
            self.result.setText("Import documents first: the term is tested on the corpus.")
            return None
        try:
            hits = match_term(term, corpus, limit=SAMPLE_SIZE, regex=self.regex.isChecked())
        except CodebookError as exc:
            self.result.setText(f"This term cannot be used: {exc.reason}.")
            return None
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
        return count
