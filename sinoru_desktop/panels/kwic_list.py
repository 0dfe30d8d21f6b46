"""A list of keyword-in-context lines, each with its source, drawn as rich text."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from sinoru_desktop.plain_text import literal_text

__all__ = ["KwicList", "SPAN_ROLE", "HTML_ROLE"]

SPAN_ROLE = Qt.ItemDataRole.UserRole          # (doc_id, start, end)
HTML_ROLE = Qt.ItemDataRole.UserRole + 1      # the rich-text rendering of the line
#: Lines laid out per turn of the event loop.
BATCH_SIZE = 25


class _HtmlDelegate(QStyledItemDelegate):
    """Paints an item's HTML (match in bold, source greyed) and wraps it to the width."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(index.data(HTML_ROLE) or escape(index.data() or ""))
        doc.setTextWidth(max(option.rect.width(), 200))
        return doc

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, opt.rect.width(), opt.rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 2)


class KwicList(QListWidget):
    """Keyword-in-context lines; double-clicking a line asks to open its passage.

    Signals
    -------
    passageActivated(str, int, int) : ``doc_id``, ``start``, ``end`` of the chosen line.
    """

    passageActivated = Signal(str, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(_HtmlDelegate(self))
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        # Each line's height comes from laying out its rich text (about a millisecond):
        # hundreds of passages laid out at once froze the window for a third of a second,
        # so they are laid out a few at a time, the event loop running in between.
        self.setLayoutMode(QListWidget.LayoutMode.Batched)
        self.setBatchSize(BATCH_SIZE)
        # Double-click opens a line; so does Enter (see keyPressEvent).
        self.itemDoubleClicked.connect(self._on_item_activated)

    def add_line(self, left: str, match: str, right: str, source: str, doc_id: str,
                 start: int, end: int, note: str = "") -> QListWidgetItem:
        """Append one line: ``…left **match** right…`` then ``source`` (and ``note``)."""
        plain = f"…{left}[{match}]{right}… — {source}" + (f" ({note})" if note else "")
        item = QListWidgetItem(plain)
        note_html = f" <i>{escape(note)}</i>" if note else ""
        item.setData(HTML_ROLE,
                     f"…{escape(left)}<b>{escape(match)}</b>{escape(right)}…"
                     f"<br><span style='color:gray'>{escape(source)}</span>{note_html}")
        item.setData(SPAN_ROLE, (doc_id, int(start), int(end)))
        item.setToolTip(literal_text(f"{source}\nDouble-click to open the document at "
                                      "this passage."))
        self.addItem(item)
        return item

    def spans(self) -> list[tuple[str, int, int]]:
        """The (doc_id, start, end) of every line, in order."""
        spans = (self.item(i).data(SPAN_ROLE) for i in range(self.count()))
        return [tuple(s) for s in spans if s]

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self._on_item_activated(self.currentItem())
            return
        super().keyPressEvent(event)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        span = item.data(SPAN_ROLE)
        if not span:
            return  # a "no passages" note, not a line
        doc_id, start, end = span
        self.passageActivated.emit(doc_id, start, end)
