"""The Document view: one article with its frame matches, sentence sentiment and target
mentions marked, and the boilerplate that was removed from it."""
from __future__ import annotations

import bisect
from dataclasses import dataclass

import pandas as pd
from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, Qt, Slot
from PySide6.QtGui import (
    QBrush,
    QFont,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from sinoru_desktop.panels.palette import (
    DARK_THEME_HIGHLIGHT_INK,
    chip_html,
    highlight_colour,
    is_dark,
    sentiment_colour,
)
from sinoru_desktop.plain_text import escape, literal_text
from sinoru_desktop.project_tables import ProjectTableError, document_rows
from sinoru_desktop.state import AppState

__all__ = ["DocumentPanel", "Span", "display_text"]


@dataclass(frozen=True)
class Span:
    """A marked stretch of the analysed text (offsets into ``Document.text``)."""

    start: int
    end: int
    kind: str     # "frame", "target", "sentence"
    tip: str      # what the tooltip says about it


def display_text(doc, show_removed: bool) -> tuple[str, list[int], list[tuple[int, int]]]:
    """The text to show, the display offset of every analysed-text offset, and the
    display spans of removed passages.

    With ``show_removed`` the raw text is shown and analysed offsets are shifted past the
    removed passages; this holds when ``text`` is ``raw_text`` with those passages cut
    out, else the removed passages are appended after the text.
    """
    text = doc.text
    identity = list(range(len(text) + 1))
    if not show_removed or not doc.removed:
        return text, identity, []
    removed = sorted(doc.removed, key=lambda r: r.start)
    raw = doc.raw_text
    pieces, cursor = [], 0
    for r in removed:
        pieces.append(raw[cursor:r.start])
        cursor = max(cursor, r.end)
    pieces.append(raw[cursor:])
    if "".join(pieces) == text:
        mapping, cursor, shown = [], 0, 0
        for r in removed:
            keep = r.start - cursor
            mapping.extend(range(shown, shown + keep))
            shown += keep + (r.end - r.start)
            cursor = max(cursor, r.end)
        mapping.extend(range(shown, shown + len(raw) - cursor + 1))
        return raw, mapping, [(r.start, r.end) for r in removed]
    # The removals do not line up with the text (edited import): list them after it.
    out, spans = text + "\n\n", []
    for r in removed:
        start = len(out)
        out += f"[{r.reason}] {r.text}\n"
        spans.append((start, len(out) - 1))
    return out, identity, spans


class _TextView(QTextEdit):
    """Read-only text whose tooltips name what marked the word under the mouse."""

    def __init__(self, panel: DocumentPanel) -> None:
        super().__init__(panel)
        self._panel = panel
        self.setReadOnly(True)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)

    def viewportEvent(self, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ToolTip:
            position = self.cursorForPosition(event.pos()).position()
            tip = self._panel.tooltip_at(position)
            if tip:
                QToolTip.showText(event.globalPos(), literal_text(tip), self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)


class _DocumentList(QAbstractListModel):
    """The picker's entries (label, doc_id) as one model: adding 100,000 items to a
    combo box one by one took seconds."""

    # Empty by default: when the garbage collector frees a closed panel, it may clear this
    # object's attributes before the combo box's C++ destructor asks it for its rows.
    _labels: list[str] = []
    _ids: list[str] = []

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._labels: list[str] = []
        self._ids: list[str] = []

    def set_entries(self, labels: list[str], ids: list[str]) -> None:
        self.beginResetModel()
        self._labels, self._ids = labels, ids
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 (Qt override)
        return 0 if parent.isValid() else len(self._labels)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._labels):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._labels[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        return None


class DocumentPanel(QWidget):
    """One document, with what the analysis found in it marked."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.doc_id: str | None = None
        self.spans: list[Span] = []
        self._display_of: list[int] = []
        self._analysed_of: dict[int, int] = {}

        self._picker_stale = False  # the corpus changed while the view was hidden
        self.picker = QComboBox()
        self.picker.setModel(_DocumentList(self.picker))
        self.picker.setMinimumContentsLength(24)
        # Typing finds a document by any part of its title, outlet or group.
        self.picker.setEditable(True)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.picker.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.picker.completer().setCompletionMode(
            self.picker.completer().CompletionMode.PopupCompletion)
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.codebook = QComboBox()
        self.codebook.setToolTip("The codebook whose frame matches are highlighted.")
        self.show_removed = QCheckBox("Show removed boilerplate")
        self.shade = QCheckBox("Sentence sentiment")
        self.shade.setChecked(True)
        self.info = QLabel()
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setWordWrap(True)
        self.text = _TextView(self)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setMinimumWidth(170)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Document"))
        bar.addWidget(self.picker, 1)
        bar.addWidget(QLabel("Frames of"))
        bar.addWidget(self.codebook)
        # The display switches sit above the legend they change, so the top bar fits
        # a 900 px window.
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.shade)
        side_layout.addWidget(self.show_removed)
        side_layout.addWidget(self.legend, 1)
        splitter = QSplitter()
        splitter.addWidget(self.text)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.info)
        layout.addWidget(splitter, 1)

        self.picker.currentIndexChanged.connect(self._on_picked)
        self.codebook.currentIndexChanged.connect(self._render)
        self.show_removed.toggled.connect(self._render)
        self.shade.toggled.connect(self._render)
        state.corpusChanged.connect(self._on_corpus_changed)
        state.resultsChanged.connect(self._on_results_changed)
        state.documentRequested.connect(self.show_document)
        self._on_corpus_changed()
        self._on_results_changed()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # A theme switch changes the page colour: the highlights follow it.
        if event.type() == QEvent.Type.PaletteChange and self.doc_id is not None:
            self._render()
        super().changeEvent(event)

    # Public -----------------------------------------------------------------------------
    @Slot(str, int, int)
    def show_document(self, doc_id: str, start: int = -1, end: int = -1) -> None:
        """Show ``doc_id`` and select the analysed-text span ``start..end`` (if given)."""
        if doc_id not in self.state.corpus:
            self.info.setText(f"Document {doc_id!r} is not in the corpus any more.")
            return
        if self._picker_stale:
            self._fill_picker()
        index = self.picker.findData(doc_id)
        if index != self.picker.currentIndex():
            self.picker.blockSignals(True)
            self.picker.setCurrentIndex(index)
            self.picker.blockSignals(False)
            self.doc_id = doc_id
            self._render()
        if 0 <= start <= end:
            self.select(start, end)

    def select(self, start: int, end: int) -> None:
        """Select analysed-text offsets ``start..end`` and scroll them into view."""
        cursor = self.text.textCursor()
        cursor.setPosition(self._qpos(start))
        cursor.setPosition(self._qpos(end), QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()

    def selected_span(self) -> tuple[int, int]:
        """The selection, in analysed-text offsets."""
        cursor = self.text.textCursor()
        return (self._analysed_of.get(self._unq(cursor.selectionStart()), -1),
                self._analysed_of.get(self._unq(cursor.selectionEnd()), -1))

    def tooltip_at(self, qt_position: int) -> str:
        """What marked the character at a QTextDocument position (for the tooltip)."""
        offset = self._analysed_of.get(self._unq(qt_position))
        if offset is None:
            return "Removed before analysis (boilerplate)." if self.show_removed.isChecked() \
                else ""
        hits = [s.tip for s in self.spans if s.start <= offset < s.end]
        return "\n".join(hits)

    # State ------------------------------------------------------------------------------
    @Slot()
    def _on_corpus_changed(self) -> None:
        # The picker lists every document, which takes seconds for 100,000 of them: a
        # view not shown lists them when it is shown (or asked to show one).
        if self.window().isVisible() and not self.isVisible():
            self._picker_stale = True
            return
        self._fill_picker()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._picker_stale:
            self._fill_picker()
        super().showEvent(event)

    def _fill_picker(self) -> None:
        self._picker_stale = False
        current = self.doc_id
        self.picker.blockSignals(True)
        labels, ids = [], []
        for doc in self.state.corpus:
            bits = [doc.get("outlet"), doc.get(self.state.config.group_by)]
            suffix = " \u2014 " + ", ".join(b for b in bits if b) if any(bits) else ""
            labels.append(doc.title + suffix)
            ids.append(doc.doc_id)
        self.picker.model().set_entries(labels, ids)
        index = self.picker.findData(current) if current else -1
        self.picker.setCurrentIndex(index if index >= 0 else (0 if self.picker.count() else -1))
        self.picker.blockSignals(False)
        self.doc_id = self.picker.currentData()
        self._render()

    @Slot()
    def _on_results_changed(self) -> None:
        previous = self.codebook.currentData()
        self.codebook.blockSignals(True)
        self.codebook.clear()
        results = self.state.results
        for book in (results.data.get("codebooks", []) if results else []):
            self.codebook.addItem(book.get("label") or book["id"], book["id"])
        index = self.codebook.findData(previous)
        self.codebook.setCurrentIndex(index if index >= 0 else 0)
        self.codebook.blockSignals(False)
        if not self._picker_stale:  # else it renders once the picker is filled
            self._render()

    @Slot(int)
    def _on_picked(self, _index: int) -> None:
        self.doc_id = self.picker.currentData()
        self._render()

    # Rendering --------------------------------------------------------------------------
    def _frame_labels(self, codebook: str) -> tuple[str, list[tuple[str, str]]]:
        results = self.state.results
        for book in (results.data.get("codebooks", []) if results else []):
            if book.get("id") == codebook:
                return (book.get("label") or codebook,
                        [(f["id"], f.get("label") or f["id"]) for f in book.get("frames", [])])
        return codebook, []

    def _doc_rows(self, table: str) -> pd.DataFrame:
        """This document's rows of ``table``, read by document (not the whole table)."""
        results = self.state.results
        if results is None:
            return pd.DataFrame()
        try:
            return document_rows(results.tables, table, [self.doc_id])
        except ProjectTableError:  # the project file was moved or replaced: no marks
            return pd.DataFrame()

    @Slot()
    def _render(self) -> None:
        self.spans = []
        if self.doc_id is None or self.doc_id not in self.state.corpus:
            self.text.clear()
            self._set_mapping("", [])
            self.info.setText("No document to show." if not len(self.state.corpus) else "")
            self.legend.setText("")
            return
        doc = self.state.corpus[self.doc_id]
        shown, display_of, removed_spans = display_text(doc, self.show_removed.isChecked())
        # Not QTextEdit.setPlainText: it gives the whole text the cursor's char format,
        # so after a click inside a frame highlight every unshaded sentence would carry
        # that frame's colour. The cursor's format is reset for the same reason.
        self.text.setCurrentCharFormat(QTextCharFormat())
        self.text.document().setPlainText(shown)
        self.text.setCurrentCharFormat(QTextCharFormat())
        # One line per paragraph: a little space after each makes them readable.
        spacing = QTextBlockFormat()
        spacing.setBottomMargin(self.fontMetrics().height() * 0.6)
        whole = QTextCursor(self.text.document())
        whole.select(QTextCursor.SelectionType.Document)
        whole.mergeBlockFormat(spacing)
        self._set_mapping(shown, display_of)
        if self.picker.lineEdit() is not None:
            self.picker.lineEdit().setCursorPosition(0)  # show the title's start
        meta = [doc.get(k) for k in ("outlet", "date", "author")]
        group = doc.get(self.state.config.group_by)
        # Imported metadata is escaped: a title is text, never markup.
        self.info.setText(f"<b>{escape(doc.title)}</b> \u2014 "
                          + escape(", ".join(str(m) for m in meta if m))
                          + (f" \u2014 group: {escape(str(group))}" if group else "")
                          + f" \u2014 {len(doc.text.split()):,} words")

        legend = []
        grey = QTextCharFormat()
        grey.setForeground(QBrush(Qt.GlobalColor.gray))
        grey.setFontItalic(True)
        for start, end in removed_spans:
            self._format_display(start, end, grey)
        if removed_spans:
            legend.append("<i style='color:gray'>grey italics: removed before analysis</i>")

        if self.shade.isChecked():
            self._shade_sentences()
            legend.append("<b>Sentence tone</b> (VADER; stronger tint, stronger tone)<br>"
                          + chip_html(sentiment_colour(-0.8), "negative") + "<br>"
                          + chip_html(sentiment_colour(0.8), "positive"))
        frames_legend = self._mark_frames()
        targets = self._mark_targets()
        if targets:
            legend.append("<b><u>Bold underlined</u></b>: target mentions ("
                          + escape(", ".join(sorted(self._target_label(t) for t in targets)))
                          + ")")
        self.legend.setText("<br><br>".join([frames_legend, *legend] if frames_legend
                                            else legend))
        self.spans.sort(key=lambda s: s.start)

    def _mark_frames(self) -> str:
        codebook = self.codebook.currentData()
        rows = self._doc_rows("frame_matches")
        if codebook is None or rows.empty:
            return "No frame matches in this document." if self.state.results else \
                "Run the analysis to see frames, sentiment and targets marked."
        book_label, frames = self._frame_labels(codebook)
        rows = rows[rows["codebook"].astype(str) == codebook]
        order = {fid: i for i, (fid, _label) in enumerate(frames)}
        labels = dict(frames)
        counts: dict[str, int] = {}
        for row in rows.itertuples(index=False):
            frame = str(row.frame)
            index = order.setdefault(frame, len(order))
            negated = bool(getattr(row, "negated", False))
            fmt = QTextCharFormat()
            if negated:
                # Shown, but visibly not counted: a dotted underline instead of a tint.
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setUnderlineColor(highlight_colour(index, 255))
            else:
                base = self.text.palette().color(QPalette.ColorRole.Base)
                fmt.setBackground(highlight_colour(index, background=base))
                if is_dark(self.text.palette()):
                    # Light marks on a dark page: dark text keeps the words readable.
                    fmt.setForeground(DARK_THEME_HIGHLIGHT_INK)
            self._format(int(row.start), int(row.end), fmt)
            rule = getattr(row, "rule", "") or getattr(row, "term", "")
            self.spans.append(Span(int(row.start), int(row.end), "frame",
                                   f"Codebook: {book_label}\nFrame: {labels.get(frame, frame)}"
                                   f"\nRule: \u201c{rule}\u201d"
                                   + ("\n(negated: not counted)" if negated else "")))
            if not negated:
                counts[frame] = counts.get(frame, 0) + 1
        if not counts:
            return f"No {escape(book_label)} frame matches in this document."
        base = self.text.palette().color(QPalette.ColorRole.Base)
        items = [chip_html(highlight_colour(order[f], 200, background=base),
                           f"{labels.get(f, f)} ({n})")
                 for f, n in sorted(counts.items(), key=lambda kv: order[kv[0]])]
        return f"<b>Frames: {escape(book_label)}</b><br>" + "<br>".join(items)

    def _target_label(self, target: str) -> str:
        for item in (self.state.results.data.get("targets", []) if self.state.results else []):
            if item.get("id") == target:
                return item.get("label") or target
        return target

    def _mark_targets(self) -> set[str]:
        rows = self._doc_rows("target_mentions")
        found = set()
        for row in rows.itertuples(index=False):
            fmt = QTextCharFormat()
            fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setFontUnderline(True)
            self._format(int(row.start), int(row.end), fmt)
            score = getattr(row, "score", None)
            label = getattr(row, "label", "")
            tip = f"Target: {self._target_label(str(row.target))}"
            if score is not None and pd.notna(score):
                tip += f" \u2014 score {float(score):+.2f} ({label})"
            self.spans.append(Span(int(row.start), int(row.end), "target", tip))
            found.add(str(row.target))
        return found

    def _shade_sentences(self) -> None:
        rows = self._doc_rows("sentences")
        column = next((c for c in ("compound", "sentiment", "score") if c in rows.columns),
                      None)
        if column is None:
            return
        for row in rows.itertuples(index=False):
            value = getattr(row, column)
            if value is None or pd.isna(value):
                continue
            colour = sentiment_colour(float(value))
            self.spans.append(Span(int(row.start), int(row.end), "sentence",
                                   f"Sentence sentiment (VADER compound): {float(value):+.2f}"))
            if colour is None:
                continue
            fmt = QTextCharFormat()
            fmt.setBackground(colour)
            self._format(int(row.start), int(row.end), fmt)

    # Offsets ----------------------------------------------------------------------------
    def _set_mapping(self, shown: str, display_of: list[int]) -> None:
        self._display_of = display_of
        self._analysed_of = {d: a for a, d in enumerate(display_of)}
        # QTextDocument counts UTF-16 units: characters beyond the BMP take two.
        self._wide = [i for i, ch in enumerate(shown) if ord(ch) > 0xFFFF]

    def _qpos(self, analysed: int) -> int:
        analysed = max(0, min(analysed, len(self._display_of) - 1)) if self._display_of else 0
        display = self._display_of[analysed] if self._display_of else 0
        return display + bisect.bisect_left(self._wide, display)

    def _unq(self, qt_position: int) -> int:
        if not self._wide:
            return qt_position
        display = qt_position
        while display > 0 and display + bisect.bisect_left(self._wide, display) > qt_position:
            display -= 1
        return display

    def _format(self, start: int, end: int, fmt: QTextCharFormat) -> None:
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self._qpos(start))
        cursor.setPosition(self._qpos(end), QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)

    def _format_display(self, start: int, end: int, fmt: QTextCharFormat) -> None:
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(start + bisect.bisect_left(self._wide, start))
        cursor.setPosition(end + bisect.bisect_left(self._wide, end),
                           QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)
