"""Imported text shown as exactly its characters, never as markup.

Qt guesses that a string is rich text when its first line starts like an HTML tag
(``Qt.mightBeRichText``): a title such as ``<img src=file:///…>`` would then load a local
image in a tooltip, a label or a message box, and "US<China trade…" would show as "US".
Labels that show imported text use :func:`plain_label`; tooltips and message texts that
may hold it go through :func:`literal_text`; rich-text snippets escape it with
:func:`html.escape`.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtWidgets import QLabel

__all__ = ["literal_text", "plain_label", "escape"]


def literal_text(text: str | None) -> str | None:
    """``text`` for a tooltip or a message box: unchanged unless Qt would read it as markup,
    then escaped inside a paragraph that keeps its line breaks."""
    if not text or not QtGuiNamespace.mightBeRichText(text):
        return text
    return f"<p style='white-space:pre-wrap'>{escape(text)}</p>"


def plain_label(label: QLabel) -> QLabel:
    """Make ``label`` show its text as plain characters; returns it."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
