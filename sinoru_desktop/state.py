"""The application state: one owner for the corpus, settings and results of the open project.

Widgets take this object as their first argument, subscribe to its signals and never
reach into sibling widgets. Only the GUI thread touches it.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from analysis.config import AnalysisConfig

if TYPE_CHECKING:  # pandas-backed modules stay off the start-up path (see corpus below)
    from analysis.corpus import Corpus, Document
    from analysis.results import Results

__all__ = ["AppState"]

_log = logging.getLogger(__name__)


class AppState(QObject):
    """State of the open project.

    Signals
    -------
    corpusChanged : the document set or its metadata changed.
    configChanged : analysis settings (grouping, codebooks, targets) changed.
    resultsChanged : new results arrived (or were cleared: ``results`` is None).
    dirtyChanged(bool) : unsaved changes appeared or were saved.
    analysisRequested : a view asks for the analysis to be (re)run.
    documentRequested(str, int, int) : show document ``doc_id`` at char span start..end.
    """

    corpusChanged = Signal()
    configChanged = Signal()
    resultsChanged = Signal()
    dirtyChanged = Signal(bool)
    analysisRequested = Signal()
    documentRequested = Signal(str, int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._corpus: Corpus | None = None
        self.config = AnalysisConfig()
        self.results: Results | None = None
        self.codebooks: dict[str, str] = {}   # codebook id -> YAML text (user-edited copies)
        self.targets_yaml: str | None = None  # user-edited targets, None = built-in
        self.import_report = None             # analysis.ingest.ImportReport of the last import
        self._project_path: str | None = None
        self.provenance: list[dict] = []      # import events: time, files and their sha256
        self.ui: dict = {}                    # view settings saved with the project
        self.word_counts: dict[str, int] = {}  # doc_id -> words, counted by import/load workers
        self._dirty = False

    @property
    def project_path(self) -> str | None:
        """The open project's file (None: not saved yet, or a read-only copy)."""
        return self._project_path

    @project_path.setter
    def project_path(self, path: str | None) -> None:
        # This process holds the project's lock while it is open, so another Sinoru is
        # told who has it instead of overwriting its saves (sinoru_desktop.project_lock).
        from sinoru_desktop import project_lock

        if path != self._project_path:
            project_lock.release(self._project_path)
        self._project_path = path
        if path is not None:
            try:
                project_lock.acquire(path)
            except (project_lock.LockedError, OSError) as exc:
                # Shown anyway (a read-only folder, or another Sinoru took it meanwhile):
                # a save will say who holds it.
                _log.warning("Project %s is not locked: %s", path, exc)

    # The corpus is created on first use: importing analysis.corpus pulls in pandas,
    # which would double the time until the first window appears.
    @property
    def corpus(self) -> Corpus:
        if self._corpus is None:
            from analysis.corpus import Corpus

            self._corpus = Corpus()
        return self._corpus

    @corpus.setter
    def corpus(self, corpus: Corpus) -> None:
        self._corpus = corpus

    @property
    def has_documents(self) -> bool:
        """True when the corpus holds documents (without creating an empty corpus)."""
        return self._corpus is not None and len(self._corpus) > 0

    # Dirty flag ----------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self._dirty

    def set_dirty(self, dirty: bool = True) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)

    # Mutations (each emits its signal and marks the project dirty) -----------------
    def set_corpus(self, corpus: Corpus, *, dirty: bool = True) -> None:
        self.corpus = corpus
        self.corpusChanged.emit()
        if dirty:
            self.set_dirty()

    def set_config(self, config: AnalysisConfig, *, dirty: bool = True) -> None:
        self.config = config
        self.configChanged.emit()
        if dirty:
            self.set_dirty()

    def set_results(self, results: Results | None) -> None:
        self.results = results
        self.resultsChanged.emit()

    def update_documents(self, changed: Iterable[Document]) -> None:
        """Swap in edited documents (same ids): marks dirty and clears the stale results."""
        changed = list(changed)
        for doc in changed:  # a changed text (a web page made whole) needs a new count
            if doc.doc_id in self.corpus and self.corpus[doc.doc_id].text != doc.text:
                self.word_counts.pop(doc.doc_id, None)
        self.set_corpus(self.corpus.replace_documents(changed))
        if self.results is not None:
            self.set_results(None)
