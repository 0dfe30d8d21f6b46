"""The bar above the views that says the results are out of date, with "Run again"."""
from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from sinoru_desktop.state import AppState

__all__ = ["StaleBanner"]


class StaleBanner(QFrame):
    """Shown while ``state.results_stale``: the results were made before the latest change
    to documents, codebooks, targets, grouping or settings."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("staleBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#staleBanner { background: palette(alternate-base); "
                           "border-left: 4px solid #E69F00; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.run_button = QPushButton("Run again")
        self.run_button.setToolTip("Analyse the corpus with the current settings (F5)")
        self.run_button.clicked.connect(state.analysisRequested)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 6, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.run_button)
        state.resultsStaleChanged.connect(self._on_stale_changed)
        state.resultsChanged.connect(self._on_results_changed)
        self._on_stale_changed(state.results_stale)

    @Slot(bool)
    def _on_stale_changed(self, stale: bool) -> None:
        if stale:
            edit = self.state.last_edit()
            self.label.setText(
                "<b>Out of date:</b> these results were made before your latest changes"
                + (f" (last: {edit})" if edit else "")
                + ". Run the analysis again to see their effect.")
        self.setVisible(stale)

    @Slot()
    def _on_results_changed(self) -> None:
        self._on_stale_changed(self.state.results_stale)
