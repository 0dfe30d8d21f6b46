"""The Codebook editor: browse codebooks, edit frames and terms (form or YAML), test terms
live on the corpus, import/export YAML, LIWC and WordStat, apply to the analysis."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QColor, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from sinoru_desktop.panels import codebook_io
from sinoru_desktop.panels.frame_editor import FrameEditor
from sinoru_desktop.panels.term_widgets import TermTester
from sinoru_desktop.plain_text import literal_text
from sinoru_desktop.state import AppState

__all__ = ["CodebookPanel"]

_PARSE_DELAY_MS = 300  # re-check the YAML once the user pauses typing
_NEW_CODEBOOK = """id: my_codebook
label: My codebook
version: "1"
description: Frames of my own.
frames:
- id: first_frame
  label: First frame
  terms:
  - example term
"""


class CodebookPanel(QWidget):
    """Edit codebooks. Every valid edit goes into ``state.codebooks`` at once, as an
    undoable edit of the project; "Apply" re-runs the analysis with it. A text that is
    not a valid codebook stays a draft here (marked "*") until it is fixed."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.current: str | None = None        # entry id shown
        self.book = None                        # the last valid Codebook of the entry
        self.error = None                       # the CodebookError of the text, if any
        self._texts: dict[str, str] = {}        # drafts: YAML per entry that is not valid yet
        self._syncing = False
        self._storing = False                   # our own edit is reaching the state

        # Codebook list ---------------------------------------------------------------------
        self.books = QListWidget()
        self.new_button = QPushButton("New")
        self.import_button = QPushButton("Import…")
        self.export_button = QPushButton("Export…")
        self.revert_button = QPushButton("Discard edits")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>Codebooks</b>"))
        left_layout.addWidget(self.books, 1)
        for button in (self.new_button, self.import_button, self.export_button,
                       self.revert_button):
            left_layout.addWidget(button)
        left.setMaximumWidth(180)  # the frames and their terms need the width

        # Frames form -----------------------------------------------------------------------
        self.form = FrameEditor()
        # The form's parts, named for tests and for the tester hook below.
        self.frames, self.terms, self.exclusions = (self.form.frames, self.form.terms,
                                                    self.form.exclusions)

        # YAML source -----------------------------------------------------------------------
        self.source = QPlainTextEdit()
        self.source.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        mono = self.source.font()
        mono.setFamily("monospace")
        mono.setStyleHint(mono.StyleHint.Monospace)
        self.source.setFont(mono)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.form, "Frames")
        self.tabs.addTab(self.source, "YAML source")

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tester = TermTester(state)
        self.apply_button = QPushButton("Apply and re-run analysis")
        self.apply_button.setToolTip("Run the analysis again with the edited codebook. "
                                     "Edits are kept in the project as you make them.")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.apply_button)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.tabs)
        tester_box = QWidget()
        tester_layout = QVBoxLayout(tester_box)
        tester_layout.setContentsMargins(0, 0, 0, 0)
        tester_layout.addWidget(QLabel("<b>Test a term on the corpus</b>"))
        tester_layout.addWidget(self.tester, 1)
        right.addWidget(tester_box)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 5)
        split.setSizes([170, 900])
        self.books.setMinimumWidth(120)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)

        self._parse_timer = QTimer(self)
        self._parse_timer.setSingleShot(True)
        self._parse_timer.setInterval(_PARSE_DELAY_MS)
        self._parse_timer.timeout.connect(self._on_source_settled)

        self.books.currentItemChanged.connect(self._on_book_chosen)
        self.new_button.clicked.connect(self.new_codebook)
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self.export_file)
        self.revert_button.clicked.connect(self.discard_edits)
        self.form.edited.connect(self._on_form_edited)
        self.terms.termChosen.connect(self.tester.show_term)
        self.source.textChanged.connect(self._on_source_edited)
        self.apply_button.clicked.connect(self.apply)
        # Codebooks change with the config (undo/redo, an opened project), not with the
        # documents: re-reading them on every import cost half a second.
        state.configChanged.connect(self._on_project_changed)
        state.projectReplaced.connect(self._on_project_replaced)
        self._fill_books()

    # Entries ---------------------------------------------------------------------------
    @staticmethod
    def builtin_names() -> list[str]:
        from analysis.codebook import builtin_codebook_names

        return builtin_codebook_names()

    def _saved_text(self, entry: str) -> str:
        """The YAML of an entry as the project has it (edited copy, else built-in)."""
        if entry in self.state.codebooks:
            return self.state.codebooks[entry]
        from analysis.resources import resource

        return resource("codebooks", f"{entry}.yaml").read_text(encoding="utf-8")

    def text_of(self, entry: str) -> str:
        return self._texts.get(entry) or self._saved_text(entry)

    def _fill_books(self, select: str | None = None) -> None:
        builtin = self.builtin_names()
        entries = list(dict.fromkeys([*builtin, *self.state.codebooks, *self._texts]))
        select = select or self.current or (entries[0] if entries else None)
        self.books.blockSignals(True)
        self.books.clear()
        for entry in entries:
            kind = ("built-in, edited" if entry in builtin and entry in self.state.codebooks
                    else "built-in" if entry in builtin else "yours")
            unapplied = entry in self._texts and self._texts[entry] != self._saved_or_none(entry)
            item = QListWidgetItem(f"{entry} ({kind}){' *' if unapplied else ''}")
            item.setData(Qt.ItemDataRole.UserRole, entry)
            if unapplied:
                item.setToolTip("Not a valid codebook yet, so not in the project: fix the "
                                "problem shown below.")
            self.books.addItem(item)
        self.books.blockSignals(False)
        for i in range(self.books.count()):
            if self.books.item(i).data(Qt.ItemDataRole.UserRole) == select:
                self.books.setCurrentRow(i)
                break

    def _saved_or_none(self, entry: str) -> str | None:
        try:
            return self._saved_text(entry)
        except (OSError, FileNotFoundError):
            return None

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_book_chosen(self, item, _previous) -> None:
        if item is None:
            return
        self.current = item.data(Qt.ItemDataRole.UserRole)
        self._load_text(self.text_of(self.current))

    def _load_text(self, text: str) -> None:
        self._syncing = True
        self.source.setPlainText(text)
        self._syncing = False
        self._check(text)
        self._refresh_form()

    # Parsing and errors ----------------------------------------------------------------
    def _check(self, text: str) -> bool:
        from analysis.codebook import CodebookError, parse_codebook

        try:
            self.book = parse_codebook(text, source=f"codebook '{self.current}'")
        except CodebookError as exc:
            self.error = exc
            where = f"Line {exc.line}: " if exc.line else ""
            self.status.setText(f"<span style='color:#D55E00'>\u26a0 {where}{exc.reason}"
                                "</span>")
            self._mark_line(exc.line)
            self.apply_button.setEnabled(False)
            return False
        self.error = None
        self._mark_line(None)
        self.status.setText(f"{self.book.label}: {len(self.book.frames)} frames, "
                            f"{sum(len(f.terms) for f in self.book.frames):,} terms. "
                            "The codebook is valid.")
        self.apply_button.setEnabled(True)
        return True

    def _mark_line(self, line: int | None) -> None:
        if not line:
            self.source.setExtraSelections([])
            return
        block = self.source.document().findBlockByNumber(line - 1)
        selection = QTextEdit.ExtraSelection()
        colour = QColor("#D55E00")
        colour.setAlpha(70)
        selection.format.setBackground(colour)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.cursor = QTextCursor(block)
        self.source.setExtraSelections([selection])

    @Slot()
    def _on_source_edited(self) -> None:
        if self._syncing or self.current is None:
            return
        self._texts[self.current] = self.source.toPlainText()
        self._parse_timer.start()

    @Slot()
    def _on_source_settled(self) -> None:
        text = self.source.toPlainText()
        if self._check(text):
            self._refresh_form()
            self._store(text, f"Edit codebook {self.book.label}", merge=True)
        self._fill_books()

    # Frames form -----------------------------------------------------------------------
    def _refresh_form(self) -> None:
        self.form.set_book(self.book if self.error is None else None)

    @Slot(object, bool)
    def _on_form_edited(self, book, structural: bool) -> None:
        self._set_book(book, keep_form=not structural)

    def _set_book(self, book, keep_form: bool = False) -> None:
        """Write ``book`` into the YAML source (the form is the editor in use)."""
        from analysis.codebook import dump_codebook

        text = dump_codebook(book)
        self._texts[self.current] = text
        self._syncing = True
        self.source.setPlainText(text)
        self._syncing = False
        if self._check(text):
            self._store(text, f"Edit codebook {book.label}", merge=keep_form)
        else:
            # Keep the user's half-done form (e.g. a frame with no terms yet) in view.
            self.book = book
        if keep_form:
            self.form.update_book(book)
        else:
            self.form.set_book(book)
        self._fill_books()

    # Commands --------------------------------------------------------------------------
    @Slot()
    def new_codebook(self) -> None:
        entries = set(self.builtin_names()) | set(self.state.codebooks) | set(self._texts)
        n, entry = 1, "my_codebook"
        while entry in entries:
            n += 1
            entry = f"my_codebook_{n}"
        self.current = entry
        self._load_text(_NEW_CODEBOOK.replace("my_codebook", entry))
        self._store(self.source.toPlainText(), "New codebook")
        self._fill_books(select=entry)

    @Slot()
    def import_file(self) -> str | None:
        """Ask for a YAML/.dic/.cat file and add it as a codebook of the user's."""
        from analysis.codebook import CodebookError, dump_codebook

        path = codebook_io.ask_open_codebook(self)
        if not path:
            return None
        try:
            book = codebook_io.import_codebook(path)
        except (CodebookError, OSError, UnicodeDecodeError) as exc:
            QMessageBox.warning(self, "Import codebook",
                                literal_text(f"Could not import {path}:\n{exc}"))
            return None
        entry = self.current = book.id
        self._load_text(dump_codebook(book))
        self._store(self.source.toPlainText(), f"Import codebook {book.label}")
        self._fill_books(select=entry)
        self.status.setText(f"Imported {len(book.frames)} frames from {path}. Press "
                            "\u201cApply\u201d to use them.")
        return entry

    @Slot()
    def export_file(self) -> str | None:
        """Ask where to export the shown codebook (YAML, .dic or .cat by suffix)."""
        if self.book is None or self.error is not None:
            QMessageBox.warning(self, "Export codebook", "Fix the codebook's errors first.")
            return None
        path = codebook_io.ask_save_codebook(self, f"{self.book.id}.yaml")
        if not path:
            return None
        try:
            codebook_io.export_codebook(self.book, path)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Export codebook",
                                literal_text(f"Could not write {path}:\n{exc}"))
            return None
        self.status.setText(f"Exported to {path}.")
        return path

    @Slot()
    def discard_edits(self) -> None:
        """Forget a draft; for an edited built-in codebook, go back to the built-in one."""
        if self.current is None:
            return
        if self.current in self._texts:
            del self._texts[self.current]
        elif self.current in self.state.codebooks and self.current in self.builtin_names():
            codebooks = dict(self.state.codebooks)
            del codebooks[self.current]
            self.state.edit(f"Restore built-in codebook {self.current}", codebooks=codebooks)
        if self.current not in self.builtin_names() and self.current not in self.state.codebooks:
            self.current = None
        self._fill_books()
        if self.current is not None:
            self._load_text(self.text_of(self.current))

    @Slot()
    def apply(self) -> bool:
        """Store the shown codebook in the project and ask for the analysis to re-run."""
        text = self.source.toPlainText()
        if self.current is None or not self._check(text):
            return False
        self._store(text, f"Edit codebook {self.book.label}")
        self.state.analysisRequested.emit()
        self._fill_books(select=self.current)
        self.status.setText(f"Applied \u201c{self.book.label}\u201d: the analysis re-runs "
                            "with it.")
        return True

    def _store(self, text: str, label: str, merge: bool = False) -> None:
        """Put the valid codebook ``text`` (``self.book``) into the project, undoably."""
        entry = self.book.id
        codebooks = dict(self.state.codebooks)
        if entry != self.current and self.current in codebooks \
                and self.current not in self.builtin_names():
            del codebooks[self.current]  # the user renamed their codebook
        codebooks[entry] = text
        self._texts.pop(self.current, None)
        self.current = entry
        if codebooks == self.state.codebooks:
            return
        self._storing = True
        try:
            self.state.edit(label, codebooks=codebooks,
                            merge_key=f"codebook:{entry}" if merge else None)
        finally:
            self._storing = False

    @Slot()
    def _on_project_replaced(self) -> None:
        """Another project: forget drafts and the last term test (they were about the old
        one)."""
        self._texts.clear()
        self.tester.term.clear()
        self.tester.sample.clear()
        self.tester.result.setText("Type a term to see how often it matches in the corpus.")

    @Slot()
    def _on_project_changed(self) -> None:
        # A project may have been opened with codebooks of its own, or an edit undone:
        # list them, and show the current entry as the project now has it unless the user
        # is editing it.
        if self._storing:
            return
        self._fill_books()
        if self.current is not None and self.current not in self._texts:
            try:
                self._load_text(self.text_of(self.current))
            except OSError:
                self.current = None
