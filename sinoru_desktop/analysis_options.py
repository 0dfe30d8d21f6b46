"""Analysis ▸ Analysis Settings…: keyness stop words (with the analyst's own list),
n-gram length and minimum documents, number of topics, which analyzers run, and where they
run (this computer or a Dask cluster)."""
from __future__ import annotations

import importlib.util
import re
from dataclasses import replace

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from analysis.cluster import normalise_address
from analysis.config import OPTIONAL_ANALYZERS, AnalysisConfig
from sinoru_desktop import settings as app_settings
from sinoru_desktop.state import AppState

__all__ = ["AnalysisOptionsDialog", "show_analysis_options", "open_from_window",
           "parse_word_list"]

_POLICIES = {"keep-function-markers": "Drop function words (keep modals and negation)",
             "none": "Keep every word"}


def parse_word_list(text: str) -> tuple[str, ...]:
    """The words of a list typed one per line or separated by commas, lower-cased, in
    order, without repeats."""
    words = (w.strip().lower() for w in re.split(r"[,\n;]", text))
    return tuple(dict.fromkeys(w for w in words if w))


class AnalysisOptionsDialog(QDialog):
    """Edits the settings of ``state.config``; OK stores them as one undoable edit (the
    results, if any, are then marked out of date)."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Analysis settings")
        config = state.config
        kw = config.keyness

        self.stopwords = QComboBox()
        for value, label in _POLICIES.items():
            self.stopwords.addItem(label, value)
        self.stopwords.setCurrentIndex(max(self.stopwords.findData(kw.stopwords), 0))
        self.own_words = QPlainTextEdit("\n".join(kw.extra_stopwords))
        self.own_words.setPlaceholderText("One word per line (or separated by commas), e.g.\n"
                                          "said\nxinhua")
        self.own_words.setMaximumHeight(90)
        self.ngram_max = QSpinBox()
        self.ngram_max.setRange(1, 3)
        self.ngram_max.setValue(kw.ngram_max)
        self.ngram_max.setSuffix(" words")
        self.min_docs = QSpinBox()
        self.min_docs.setRange(1, 10_000)
        self.min_docs.setValue(kw.min_docs)
        self.min_docs.setSuffix(" documents")
        keyness = QGroupBox("Distinctive terms (keyness)")
        form = QFormLayout(keyness)
        form.addRow("Stop words:", self.stopwords)
        form.addRow("Also drop:", self.own_words)
        form.addRow("Longest phrase:", self.ngram_max)
        form.addRow("A term must occur in at least:", self.min_docs)

        self.n_topics = QSpinBox()
        self.n_topics.setRange(2, 40)
        self.n_topics.setValue(config.n_topics)
        topics = QGroupBox("Topics")
        QFormLayout(topics).addRow("Number of topics:", self.n_topics)

        self.analyzers: dict[str, QCheckBox] = {}
        run = QGroupBox("Analyses to run")
        run_layout = QVBoxLayout(run)
        note = QLabel("Frames, sentence tone and distinctive terms always run. Switching "
                      "the others off makes long corpora quicker; their charts stay empty.")
        note.setWordWrap(True)
        run_layout.addWidget(note)
        for name, label in OPTIONAL_ANALYZERS.items():
            box = QCheckBox(label[0].upper() + label[1:])
            box.setChecked(name not in config.skip)
            self.analyzers[name] = box
            run_layout.addWidget(box)
        self.n_topics.setEnabled(self.analyzers["topics"].isChecked())
        self.analyzers["topics"].toggled.connect(self.n_topics.setEnabled)

        self.scheduler = QLineEdit(app_settings.cluster_scheduler())
        self.scheduler.setPlaceholderText("Empty: this computer. Or e.g. tcp://head-node:8786")
        self.scheduler_error = QLabel()
        self.scheduler_error.setWordWrap(True)
        self.scheduler_error.setStyleSheet("color: #b00020")
        self.scheduler_error.hide()
        where = QGroupBox("Where to run (this computer's setting, not the project's)")
        where_form = QFormLayout(where)
        where_form.addRow("Dask scheduler:", self.scheduler)
        hint = QLabel("A Dask cluster analyses the documents of very large corpora "
                      "(docs/scale.md). Every worker needs this Sinoru version.")
        hint.setWordWrap(True)
        where_form.addRow(hint)
        where_form.addRow(self.scheduler_error)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (keyness, topics, run, where):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)

    def config(self) -> AnalysisConfig:
        """The state's config with the settings shown here."""
        base = self.state.config
        keyness = replace(base.keyness, stopwords=self.stopwords.currentData(),
                          extra_stopwords=parse_word_list(self.own_words.toPlainText()),
                          ngram_max=self.ngram_max.value(), min_docs=self.min_docs.value())
        skip = tuple(n for n, box in self.analyzers.items() if not box.isChecked())
        return replace(base, keyness=keyness, n_topics=self.n_topics.value(), skip=skip)

    def scheduler_address(self) -> str:
        """The scheduler typed ("" = this computer); ValueError says what is wrong."""
        text = self.scheduler.text().strip()
        if not text:
            return ""
        address = normalise_address(text)
        if importlib.util.find_spec("distributed") is None:
            raise ValueError(f"{address}: running on a Dask cluster needs the cluster extra, "
                             'which is not installed (pip install "sinoru-desktop[cluster]")')
        return address

    @Slot()
    def _on_accept(self) -> None:
        try:
            scheduler = self.scheduler_address()
        except ValueError as exc:
            self.scheduler_error.setText(str(exc))
            self.scheduler_error.show()
            self.scheduler.setFocus()
            return
        app_settings.set_cluster_scheduler(scheduler)
        config = self.config()
        if config != self.state.config:
            self.state.edit("Change the analysis settings", config=config)
        self.accept()


def show_analysis_options(parent: QWidget | None, state: AppState) -> AnalysisOptionsDialog:
    """Build, show and return the settings dialog."""
    dialog = AnalysisOptionsDialog(state, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_from_window(window) -> AnalysisOptionsDialog:
    """Menu handler (see sinoru_desktop.window.menus)."""
    return window.keep_dialog(show_analysis_options(window, window.state))
