"""Report export from the app: the dialog's choices run ``analysis.report.export_report``
(the code ``sinoru report`` runs) in the task runner, then offer to open the file."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow, QMessageBox

from analysis.progress import ProgressCallback
from sinoru_desktop.plain_text import literal_text

__all__ = ["run_report_export", "ReportExporter", "show_report_export"]


def run_report_export(results, fmt: str, target: str, options, *,
                      progress: ProgressCallback) -> tuple[str, ...]:
    """Task function: write the report; returns the paths written."""
    from analysis.report import export_report

    return tuple(str(p) for p in export_report(results, fmt, target, options, progress))


class ReportExporter(QObject):
    """File > Export report… for one main window (its state, runner and status bar)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._target = ""
        self._format = ""

    def show_dialog(self):
        """The export dialog, or None (with a message) when there is nothing to export."""
        from sinoru_desktop.export_dialog import show_export_report_dialog

        state = self.window.state
        if state.results is None:
            QMessageBox.information(self.window, "Export report",
                                    "There are no results to export yet. Import articles and "
                                    "run the analysis first (Analysis › Run Analysis).")
            return None
        name = Path(state.project_path).stem if state.project_path else "Sinoru report"
        split = (state.ui.get("compare") or {}).get("split") or ""
        dialog = show_export_report_dialog(state.results, name, self.window, split_by=split)
        dialog.exportRequested.connect(self._on_export_requested)
        return dialog

    @Slot(str, str, object)
    def _on_export_requested(self, fmt: str, target: str, options) -> None:
        runner = self.window.runner
        if runner.busy:
            QMessageBox.information(self.window, "Export report",
                                    f"Wait until “{runner.label.rstrip('…')}” has finished (or "
                                    "cancel it), then export the report.")
            return
        self._target, self._format = target, fmt
        runner.start(run_report_export, self.window.state.results, fmt, target, options,
                     label=f"Exporting {Path(target).name}…", on_done=self._on_done,
                     on_error=self._on_error)

    def _on_done(self, paths: tuple[str, ...]) -> None:
        target = Path(self._target)
        what = f"{len(paths)} CSV files in {target}" if self._format == "csv" else str(target)
        self.window.statusBar().showMessage(f"Report exported: {what}.", 10000)
        answer = QMessageBox.question(self.window, "Report exported",
                                      f"The report was written to {what}.\n\nOpen it now?",
                                      QMessageBox.StandardButton.Open
                                      | QMessageBox.StandardButton.Close,
                                      QMessageBox.StandardButton.Open)
        if answer in (QMessageBox.StandardButton.Open, QMessageBox.StandardButton.Yes):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def _on_error(self, exc: BaseException) -> None:
        reason = getattr(exc, "strerror", None) or str(exc)
        QMessageBox.warning(self.window, "Export failed",
                            literal_text(f"{self._target}: the report could not be written "
                                         f"({reason}). No file was changed."))


def show_report_export(window: QMainWindow):
    """Open File > Export report… for ``window`` (one exporter per window)."""
    exporter = window.findChild(ReportExporter) or ReportExporter(window)
    return exporter.show_dialog()
