"""Analysis runs in the main window: the task function and what happens with its results."""
from __future__ import annotations

from functools import partial

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QMessageBox

from sinoru_desktop import settings as app_settings
from sinoru_desktop.plain_text import literal_text
from sinoru_desktop.window.views import (
    background_imports_running,
    import_views_in_background,
    wait_for_background_imports,
)
from sinoru_desktop.worker_process import run_analysis_task

__all__ = ["AnalysisMixin", "run_analysis_task", "prepare_views", "IMPORTS_POLL_MS"]

#: While the views' modules are still loading, results that arrived wait this long
#: before they are looked at again.
IMPORTS_POLL_MS = 50


def prepare_views(corpus, group_by: str, run) -> None:
    """Off the GUI thread, as the results arrive: the lists the Compare view will ask for
    (one pass over every document each), after the views' own imports (two threads
    importing the same modules at once could deadlock)."""
    from sinoru_desktop.panels.groups import remember_view_lists

    wait_for_background_imports()
    remember_view_lists(corpus, run.results, group_by)


class AnalysisMixin:
    """Part of :class:`~sinoru_desktop.main_window.MainWindow` (uses its state and runner)."""

    @Slot()
    def run_analysis(self) -> None:
        self.state.analysisRequested.emit()

    @Slot()
    def cancel_task(self) -> None:
        self.runner.cancel()

    @Slot()
    def _on_analysis_requested(self) -> None:
        if not self.state.has_documents:
            self.statusBar().showMessage("Import articles first: there is nothing to analyse.",
                                         8000)
            return
        from analysis.pipeline import stage_at

        s = self.state
        made_from = s.revision()  # edits made while it runs leave the results out of date
        scheduler = app_settings.cluster_scheduler()
        where = f" on the cluster at {scheduler}" if scheduler else ""
        self.runner.start(run_analysis_task, s.corpus, s.config,
                          tuple(sorted(s.codebooks.items())), s.targets_yaml, self._corpus_name(),
                          scheduler,
                          label=f"Analysing {len(s.corpus):,} documents{where}…",
                          on_done=lambda run: self._on_analysis_done(run, made_from),
                          on_error=self._on_analysis_error, stages=stage_at, in_worker=True,
                          prepare=partial(prepare_views, s.corpus, s.config.group_by))
        # The views that show the results (Compare first) import pandas and matplotlib,
        # ~0.15 s of the GUI thread's time when it builds the first one: they load on a
        # thread while the worker analyses (unless the app's start-up loaded them).
        import_views_in_background()

    def _on_analysis_done(self, run, made_from: tuple | None = None) -> None:
        if background_imports_running():
            # Showing the results now would build a view, which waits for those imports
            # with the window frozen: look again once the event loop has run a while.
            QTimer.singleShot(IMPORTS_POLL_MS, lambda: self._on_analysis_done(run, made_from))
            return
        self._show_analysis(run, made_from)

    def _show_analysis(self, run, made_from: tuple | None) -> None:
        results = run.results
        self.state.doc_cache = run.cache  # saved with the project: the next run reuses it
        self.state.set_results(results, made_from=made_from)
        self.show_panel("compare")
        n_warn = len(results.warnings)
        self.statusBar().showMessage(
            f"Analysis finished: {len(results.group_names)} groups"
            + (f", {n_warn} warning{'s' if n_warn != 1 else ''}." if n_warn else "."), 10000)

    def _on_analysis_error(self, exc: BaseException) -> None:
        self.statusBar().clearMessage()
        QMessageBox.warning(self, "Analysis failed", literal_text(f"The analysis could not run: {exc}"))

    @Slot(str)
    def _on_task_cancelled(self, label: str) -> None:
        """Say what Cancel did, and what the views now show."""
        what = label.rstrip("…").split(" ")[0].lower()
        if label.startswith("Analysing"):
            shown = ("The results shown are from the previous run." if self.state.results
                     is not None else "There are no results yet: press F5 to analyse.")
            text = f"Analysis cancelled. {shown}"
        elif label.startswith("Importing"):
            text = "Import cancelled: no documents were added."
        elif label.startswith("Saving"):
            text = "Save cancelled: the file on disk is as it was before."
        else:
            text = f"Cancelled ({what})."
        self.statusBar().showMessage(text, 15000)

    @Slot(str, str)
    def _on_task_failed(self, label: str, message: str) -> None:
        QMessageBox.warning(self, "Task failed", literal_text(f"{label.rstrip('…')} failed: {message}"))
