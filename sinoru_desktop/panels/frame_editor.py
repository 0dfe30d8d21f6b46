"""The frames form of the codebook editor: a codebook's frames, and one frame's id, label,
description, terms and exclusions."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sinoru_desktop.panels.term_widgets import TermListEditor

__all__ = ["FrameEditor"]


class FrameEditor(QWidget):
    """Edits the frames of a :class:`analysis.codebook.Codebook` (an immutable value).

    Signals
    -------
    edited(object, bool) : the edited codebook, and whether the frame list changed
        (a frame added or removed) rather than the shown frame's fields.
    """

    edited = Signal(object, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = None
        self._syncing = False
        self.frames = QListWidget()
        self.frames.setMinimumWidth(150)
        self.add_frame_button = QPushButton("Add frame")
        self.remove_frame_button = QPushButton("Remove frame")
        self.frame_id = QLineEdit()
        self.frame_label = QLineEdit()
        self.frame_description = QPlainTextEdit()
        self.frame_description.setMaximumHeight(70)
        self.terms = TermListEditor("Terms (\u2018*\u2019 is a wildcard: sanction*)",
                                    "New term")
        self.exclusions = TermListEditor("Exclusions (veto the frame in their sentence)",
                                         "New exclusion")
        self.note = QLabel()
        self.note.setWordWrap(True)

        frame_list = QVBoxLayout()
        frame_list.addWidget(self.frames, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_frame_button)
        buttons.addWidget(self.remove_frame_button)
        frame_list.addLayout(buttons)
        form = QFormLayout()
        form.addRow("Id", self.frame_id)
        form.addRow("Label", self.frame_label)
        form.addRow("Description", self.frame_description)
        term_row = QHBoxLayout()
        term_row.addWidget(self.terms, 3)
        term_row.addWidget(self.exclusions, 2)
        editor = QVBoxLayout()
        editor.addLayout(form)
        editor.addLayout(term_row, 1)
        editor.addWidget(self.note)
        layout = QHBoxLayout(self)
        layout.addLayout(frame_list, 2)
        layout.addLayout(editor, 5)

        self.frames.currentRowChanged.connect(self._show_frame)
        self.add_frame_button.clicked.connect(self._on_add_frame)
        self.remove_frame_button.clicked.connect(self._on_remove_frame)
        for edit in (self.frame_id, self.frame_label):
            edit.textEdited.connect(self._on_form_edited)
        self.frame_description.textChanged.connect(self._on_form_edited)
        self.terms.changed.connect(self._on_form_edited)
        self.exclusions.changed.connect(self._on_form_edited)

    def set_book(self, book) -> None:
        """Show ``book`` (keeping the selected frame); ``None`` disables the form."""
        self.book = book
        for widget in (self.frames, self.add_frame_button, self.remove_frame_button,
                       self.frame_id, self.frame_label, self.frame_description, self.terms,
                       self.exclusions):
            widget.setEnabled(book is not None)
        if book is None:
            self.note.setText("Fix the YAML source to edit the frames here.")
            return
        row = max(self.frames.currentRow(), 0)
        self.frames.blockSignals(True)
        self.frames.clear()
        for frame in book.frames:
            self.frames.addItem(self._item_text(frame))
        self.frames.blockSignals(False)
        self.frames.setCurrentRow(min(row, len(book.frames) - 1))
        self._show_frame(self.frames.currentRow())

    def update_book(self, book) -> None:
        """Take ``book`` after an edit of the shown frame, without rebuilding the form."""
        self.book = book
        row = self.frames.currentRow()
        if self.frames.currentItem() is not None and 0 <= row < len(book.frames):
            self.frames.currentItem().setText(self._item_text(book.frames[row]))

    @staticmethod
    def _item_text(frame) -> str:
        """"Label (12)", or "Label (12: en, zh, ru)" for a frame in several languages."""
        languages = frame.languages
        where = f": {', '.join(languages)}" if len(languages) > 1 else ""
        return f"{frame.label} ({len(frame.terms)}{where})"

    @Slot(int)
    def _show_frame(self, row: int) -> None:
        if self.book is None or not 0 <= row < len(self.book.frames):
            return
        frame = self.book.frames[row]
        self._syncing = True
        self.frame_id.setText(frame.id)
        self.frame_label.setText(frame.label)
        self.frame_description.setPlainText(frame.description)
        self.terms.set_values(frame.terms, self.book.language)
        self.exclusions.set_values(frame.exclusions, self.book.language)
        self._syncing = False
        self.note.setText(
            f"{len(frame.patterns)} regular-expression term(s): edit them in the YAML source."
            if frame.patterns else "")

    @Slot()
    def _on_form_edited(self) -> None:
        row = self.frames.currentRow()
        if self._syncing or self.book is None or not 0 <= row < len(self.book.frames):
            return
        frame = replace(self.book.frames[row], id=self.frame_id.text().strip(),
                        label=self.frame_label.text().strip(),
                        description=self.frame_description.toPlainText().strip(),
                        terms=tuple(self.terms.terms()),
                        exclusions=tuple(self.exclusions.terms()))
        frames = list(self.book.frames)
        frames[row] = frame
        self.edited.emit(replace(self.book, frames=tuple(frames)), False)

    @Slot()
    def _on_add_frame(self) -> None:
        from analysis.codebook import Frame, Term

        taken = {f.id for f in self.book.frames}
        n = len(taken) + 1
        while f"frame_{n}" in taken:
            n += 1
        frame = Frame(id=f"frame_{n}", label=f"New frame {n}",
                      terms=(Term("new term", self.book.language),))
        self.frames.blockSignals(True)
        self.frames.setCurrentRow(-1)
        self.frames.blockSignals(False)
        self.edited.emit(replace(self.book, frames=(*self.book.frames, frame)), True)
        self.frames.setCurrentRow(self.frames.count() - 1)

    @Slot()
    def _on_remove_frame(self) -> None:
        row = self.frames.currentRow()
        if not 0 <= row < len(self.book.frames) or len(self.book.frames) == 1:
            self.note.setText("A codebook needs at least one frame.")
            return
        frames = list(self.book.frames)
        del frames[row]
        self.edited.emit(replace(self.book, frames=tuple(frames)), True)
