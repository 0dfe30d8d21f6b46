"""The application state: one owner for the corpus, settings and results of the open project.

Widgets take this object as their first argument, subscribe to its signals and never
reach into sibling widgets. Only the GUI thread touches it.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QUndoStack

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
    resultsStaleChanged(bool) : the results became out of date (made before the latest
        change to documents, codebooks, targets, grouping or settings), or current again.
    projectReplaced : another project was opened or started (its view settings ``ui``
        are in place, its documents and results follow); views drop what they show of
        the old one (passages, term tests).
    dirtyChanged(bool) : unsaved changes appeared or were saved (or undone).
    analysisRequested : a view asks for the analysis to be (re)run.
    documentRequested(str, int, int) : show document ``doc_id`` at char span start..end.
    """

    corpusChanged = Signal()
    configChanged = Signal()
    resultsChanged = Signal()
    resultsStaleChanged = Signal(bool)
    projectReplaced = Signal()
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
        # Per-document analyzer results (analysis.doc_cache keys -> bytes), saved with the
        # project; replaced (never changed in place) after each run.
        self.doc_cache: dict[str, bytes] = {}
        self._dirty = False
        self._outside_edits = 0               # changes made outside the undo stack
        # The user's edits, undoable. The project is dirty while the stack is not at the
        # index of the last save; changes outside the stack (imports) make it dirty for good.
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.undo_stack.indexChanged.connect(self._check_stale)
        self._results_revision: tuple | None = None  # the project the results were made from
        self._stale = False

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

    def revision(self) -> tuple[int, int]:
        """Changes when the project changes (an undo back to it gives the same value)."""
        return self._outside_edits, self.undo_stack.index()

    def set_dirty(self, dirty: bool = True) -> None:
        if dirty:
            self._outside_edits += 1
            self._check_stale()
            if self.undo_stack.cleanIndex() != -1:
                self.undo_stack.resetClean()  # no undo can bring back the saved file
        else:
            self.undo_stack.setClean()
        self._set_dirty_flag(dirty)

    def _set_dirty_flag(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)

    @Slot(bool)
    def _on_clean_changed(self, clean: bool) -> None:
        self._set_dirty_flag(not clean)

    # Undoable edits --------------------------------------------------------------------
    _PARTS = ("corpus", "config", "codebooks", "targets_yaml")

    def edit(self, text: str, *, merge_key: str | None = None, **parts) -> None:
        """Change parts of the project as one undoable user edit named ``text``.

        ``parts`` are ``corpus``, ``config``, ``codebooks`` (a new dict) and
        ``targets_yaml``. The project becomes dirty; undoing back to the saved state
        makes it clean again.
        """
        from sinoru_desktop.undo import ProjectEdit

        unknown = set(parts) - set(self._PARTS)
        if unknown:
            raise TypeError(f"not a part of the project: {', '.join(sorted(unknown))}")
        self.undo_stack.push(ProjectEdit(self, text, parts, merge_key))

    def project_parts(self, names: Iterable[str]) -> dict:
        """The current values of the named parts (copies where they are mutable)."""
        return {name: dict(self.codebooks) if name == "codebooks" else getattr(self, name)
                for name in names}

    def apply_parts(self, parts: dict) -> None:
        """Put ``parts`` in place and tell the views (used by undo and redo)."""
        for name, value in parts.items():
            setattr(self, name, dict(value) if name == "codebooks" else value)
        if "corpus" in parts:
            self.corpusChanged.emit()
        if set(parts) - {"corpus"}:
            self.configChanged.emit()

    def reset_history(self) -> None:
        """Forget the undo history (another project was opened or started)."""
        self.undo_stack.clear()

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

    def set_results(self, results: Results | None, *, made_from: tuple | None = None,
                    stale: bool = False) -> None:
        """Show ``results``, made from the project at revision ``made_from`` (default:
        now); ``stale`` marks results known to be out of date (e.g. saved that way)."""
        self.results = results
        self._results_revision = None if stale else (made_from or self.revision())
        self.resultsChanged.emit()
        self._check_stale()

    @property
    def results_stale(self) -> bool:
        """True when the results were made before the latest change to the project."""
        return self.results is not None and self._results_revision != self.revision()

    def last_edit(self) -> str:
        """The name of the latest undoable edit ("" when there is none)."""
        index = self.undo_stack.index()
        return self.undo_stack.text(index - 1) if index > 0 else ""

    @Slot()
    def _check_stale(self, *_args) -> None:
        stale = self.results_stale
        if stale != self._stale:
            self._stale = stale
            self.resultsStaleChanged.emit(stale)

    def update_documents(self, changed: Iterable[Document], text: str = "Edit documents") -> None:
        """Swap in edited documents (same ids) as one undoable edit (the results, if any,
        are then out of date)."""
        changed = list(changed)
        for doc in changed:  # a changed text (a web page made whole) needs a new count
            if doc.doc_id in self.corpus and self.corpus[doc.doc_id].text != doc.text:
                self.word_counts.pop(doc.doc_id, None)
        self.edit(text, corpus=self.corpus.replace_documents(changed))
