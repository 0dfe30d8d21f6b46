"""Analysis runs in the main window: the task function and what happens with its results."""
from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QMessageBox

from analysis.progress import ProgressCallback

__all__ = ["AnalysisMixin", "run_analysis_task"]


def run_analysis_task(corpus, config, codebooks: tuple[tuple[str, str], ...],
                      targets_yaml: str | None, corpus_name: str, *,
                      progress: ProgressCallback):
    """Task function: run the whole analysis with the user's edited codebooks/targets.

    ``codebooks`` pairs a codebook id with the YAML text the user edited (it replaces the
    built-in codebook of that id); ``targets_yaml`` is None for the built-in targets.
    """
    from analysis.pipeline import run_analysis

    return run_analysis(corpus, config, progress, codebook_texts=dict(codebooks),
                        targets_yaml=targets_yaml, corpus_name=corpus_name)


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
        s = self.state
        self.runner.start(run_analysis_task, s.corpus, s.config,
                          tuple(sorted(s.codebooks.items())), s.targets_yaml, self._name(),
                          label=f"Analysing {len(s.corpus):,} documents…",
                          on_done=self._on_analysis_done, on_error=self._on_analysis_error)

    def _on_analysis_done(self, results) -> None:
        self.state.set_results(results)
        n_warn = len(results.warnings)
        self.statusBar().showMessage(
            f"Analysis finished: {len(results.group_names)} groups"
            + (f", {n_warn} warning{'s' if n_warn != 1 else ''}." if n_warn else "."), 10000)

    def _on_analysis_error(self, exc: BaseException) -> None:
        self.statusBar().clearMessage()
        QMessageBox.warning(self, "Analysis failed", f"The analysis could not run: {exc}")

    @Slot(str, str)
    def _on_task_failed(self, label: str, message: str) -> None:
        QMessageBox.warning(self, "Task failed", f"{label.rstrip('…')} failed: {message}")
