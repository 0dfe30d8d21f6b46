"""Importing articles in the main window: the dialog, the demo, drag and drop, the report."""
from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QMessageBox

from sinoru_desktop import settings as app_settings
from sinoru_desktop.plain_text import literal_text

__all__ = ["ImportMixin"]


class ImportMixin:
    """Part of :class:`~sinoru_desktop.main_window.MainWindow` (uses its state and runner)."""

    @Slot()
    def show_import(self) -> None:
        from sinoru_desktop.import_dialog import show_import_dialog

        dialog = show_import_dialog(self)
        dialog.importRequested.connect(self._on_import_requested)
        self.keep_dialog(dialog)

    @Slot(list, str)
    def _on_import_requested(self, paths: list, manifest: str) -> None:
        self.start_import(paths, manifest or None)

    def start_import(self, paths: list[str], manifest: str | None = None) -> None:
        """Import files/folders in the task runner; the report follows when done."""
        from sinoru_desktop.import_dialog import run_import

        self.runner.start(run_import, tuple(str(p) for p in paths), manifest,
                          str(app_settings.user_registry_path()),
                          label="Importing articles…", on_done=self._on_import_done,
                          on_error=self._on_import_error)

    @Slot()
    def open_demo(self) -> None:
        """Import the demo articles into a new project and analyse them."""
        from analysis.resources import resource

        demo = resource("demo")
        if not demo.is_dir():
            QMessageBox.warning(self, "Demo project", "The demo articles are not installed "
                                "with this copy of Sinoru (the folder resources/demo is "
                                "missing). Use File > Import Articles… instead.")
            return
        if not self.maybe_save(then=self.open_demo):
            return
        if self.state.has_documents:
            self._reset_project()
        self.demo = True
        manifest = demo.joinpath("manifest.csv")
        # The articles only: not the folder's README or the manifest itself.
        articles = sorted(str(p) for p in demo.iterdir() if p.is_file()
                          and not p.name.lower().startswith(("readme", "manifest.")))
        self.start_import(articles, str(manifest) if manifest.is_file() else None)

    def _on_import_done(self, outcome) -> None:
        from analysis.corpus import Corpus
        from sinoru_desktop.import_dialog import merge_import, show_import_report

        result, report = outcome.result, outcome.result.report
        existing = self.state.corpus if self.state.has_documents else Corpus()
        corpus, present = merge_import(existing, result.corpus)
        self.ensure_panels()
        self.state.import_report = report
        kept = {d.doc_id for d in corpus.documents[len(existing):]}
        self.state.word_counts.update({r.doc_id: r.n_words for r in report.imported
                                       if r.doc_id in kept})
        added = len(corpus) - len(existing)
        if added:
            self.state.provenance.append({
                "time": datetime.now(UTC).isoformat(timespec="seconds"), "event": "import",
                "detail": {"paths": list(outcome.paths), "manifest": outcome.manifest,
                           "files": [{"source": d.source, "sha256": d.sha256}
                                     for d in corpus.documents[len(existing):]],
                           "skipped": len(report.skipped)}})
            self.state.set_results(None)
            self.state.set_corpus(corpus, dirty=not self.demo)
        self._update_title()
        self.show_panel("corpus")
        self.statusBar().showMessage(f"Imported {added:,} documents, skipped "
                                     f"{len(report.skipped):,}.", 10000)
        if not self.demo or report.skipped:
            self.keep_dialog(show_import_report(self, result, present, outcome.rows))
        if added and self.auto_analyse:
            self.state.analysisRequested.emit()

    def _on_import_error(self, exc: BaseException) -> None:
        self.demo = False
        QMessageBox.warning(self, "Import failed", literal_text(f"The import stopped: {exc}"))

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if not paths:
            return
        event.acceptProposedAction()
        if len(paths) == 1 and paths[0].endswith(".sinoru"):
            self.open_project(paths[0])
        else:
            self.start_import(paths)
