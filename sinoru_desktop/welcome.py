"""The first page: open the demo, import articles, or reopen a recent project."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sinoru_desktop.settings import recent_projects
from sinoru_desktop.theme import app_icon

__all__ = ["WelcomePage"]


class ActionButton(QPushButton):
    """A large button with a bold title and a one-line description under it."""

    def __init__(self, title: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(title)
        self.setToolTip(description)
        self._title = QLabel(f"<b>{title}</b>")
        self._description = QLabel(description)
        self._description.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(2)
        for label in (self._title, self._description):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        self.setMinimumHeight(layout.sizeHint().height() + 4)

    def text(self) -> str:  # the title, as for a plain button
        return self.accessibleName()


class WelcomePage(QWidget):
    """Start page with three actions.

    Signals
    -------
    demoRequested : "Open the demo project" clicked.
    importRequested : "Import articles…" clicked.
    openRequested(str) : a recent project was chosen (its path).
    openOtherRequested : "Open another project…" clicked.
    """

    demoRequested = Signal()
    importRequested = Signal()
    openRequested = Signal(str)
    openOtherRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        column = QFrame()
        # A fixed width lets the wrapped labels and command links compute their height.
        column.setFixedWidth(560)
        layout = QVBoxLayout(column)
        layout.setSpacing(10)

        title = QLabel("Sinoru")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel("Compare how groups of outlets frame the same story: frames, "
                          "sentiment toward targets, distinctive vocabulary, stance and "
                          "readability, each figure traced back to its passages.")
        subtitle.setWordWrap(True)
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(56, 56)))
        heading = QHBoxLayout()
        heading.addWidget(logo)
        heading.addWidget(title, 1)
        layout.addLayout(heading)
        layout.addWidget(subtitle)
        layout.addSpacing(12)

        self.demo_button = ActionButton(
            "Open the demo project",
            "A small corpus of articles from two groups of outlets, analysed at once.")
        self.import_button = ActionButton(
            "Import articles…",
            "Text, HTML, PDF, Word or CSV files or a folder; or drop them on this window.")
        self.open_button = ActionButton("Open a project…", "A .sinoru project file saved before.")
        for button, signal in ((self.demo_button, self.demoRequested),
                               (self.import_button, self.importRequested),
                               (self.open_button, self.openOtherRequested)):
            button.clicked.connect(signal)
            layout.addWidget(button)

        layout.addSpacing(12)
        self.recent_label = QLabel("<b>Recent projects</b>")
        self.recent_list = QListWidget()
        self.recent_list.setToolTip("Double-click or press Enter to open")
        self.recent_list.setMinimumHeight(90)
        self.recent_list.itemActivated.connect(self._on_recent_activated)
        self.no_recent = QLabel("No recent projects yet.")
        self.no_recent.setEnabled(False)
        layout.addWidget(self.recent_label)
        layout.addWidget(self.recent_list, 1)
        layout.addWidget(self.no_recent)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        outer.addWidget(column, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the recent projects list from the settings."""
        self.recent_list.clear()
        for path in recent_projects():
            item = QListWidgetItem(f"{Path(path).stem}    —    {Path(path).parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent_list.addItem(item)
        has_recent = self.recent_list.count() > 0
        self.recent_list.setVisible(has_recent)
        self.no_recent.setVisible(not has_recent)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.refresh()
        super().showEvent(event)

    @Slot(QListWidgetItem)
    def _on_recent_activated(self, item: QListWidgetItem) -> None:
        self.openRequested.emit(item.data(Qt.ItemDataRole.UserRole))
