"""The main window: welcome page, the views, menus, project files, import and analysis runs."""
from __future__ import annotations

import importlib
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from analysis.progress import ProgressCallback
from sinoru_desktop import settings as app_settings
from sinoru_desktop.state import AppState
from sinoru_desktop.tasks import TaskProgressWidget, TaskRunner
from sinoru_desktop.welcome import WelcomePage

__all__ = ["MainWindow", "PANELS", "run_analysis_task", "AUTOSAVE_MS"]

#: (key, label, module, class, tooltip) of the views, in navigation order.
PANELS = (
    ("corpus", "Corpus", "sinoru_desktop.corpus_panel", "CorpusPanel",
     "The documents and their metadata"),
    ("document", "Document", "sinoru_desktop.panels.document_panel", "DocumentPanel",
     "One article with its frames, targets and removed boilerplate"),
    ("compare", "Compare", "sinoru_desktop.panels.compare_panel", "ComparePanel",
     "Groups side by side: frames, sentiment, vocabulary, stance, readability"),
    ("tests", "Tests", "sinoru_desktop.panels.tests_panel", "TestsPanel",
     "Every comparison with its difference, effect size, p and q"),
    ("concordance", "Concordance", "sinoru_desktop.panels.concordance_panel", "ConcordancePanel",
     "Every occurrence of a word or phrase in context"),
    ("codebooks", "Codebooks", "sinoru_desktop.panels.codebook_panel", "CodebookPanel",
     "The frame codebooks and their terms"),
    ("targets", "Targets", "sinoru_desktop.panels.targets_panel", "TargetsPanel",
     "The people, countries and institutions whose treatment is scored"),
)
AUTOSAVE_MS = 60_000
PROJECT_FILTER = "Sinoru projects (*.sinoru);;All files (*)"


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


class MainWindow(QMainWindow):
    """The application window; owns the task runner and the open project's file."""

    def __init__(self, state: AppState | None = None, theme=None) -> None:
        super().__init__()
        self.state = state or AppState(self)
        self.theme = theme
        self.runner = TaskRunner(self)
        self.runner.failed.connect(self._on_task_failed)
        self.panels: dict[str, QWidget] = {}
        self.demo = False
        self.auto_analyse = True            # analyse right after an import
        self._dialogs: list[QWidget] = []   # keeps non-modal dialogs alive

        self.welcome = WelcomePage()
        self.welcome.demoRequested.connect(self.open_demo)
        self.welcome.importRequested.connect(self.show_import)
        self.welcome.openRequested.connect(self.open_project)
        self.welcome.openOtherRequested.connect(self.open_project)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(16, 16))
        self.nav.setFixedWidth(150)
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.nav.setStyleSheet("QListWidget#navigation::item { padding: 7px 12px; }")
        for key, label, *_rest, tip in PANELS:
            item = QListWidgetItem(label)
            item.setToolTip(tip)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._on_nav_changed)
        self.panel_stack = QStackedWidget()
        workspace = QWidget()
        row = QHBoxLayout(workspace)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.panel_stack, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(workspace)
        self.setCentralWidget(self.pages)

        self.progress_widget = TaskProgressWidget(self.runner)
        self.statusBar().addPermanentWidget(self.progress_widget)
        self._build_menus()
        self.setAcceptDrops(True)
        self.setWindowIcon(self.windowIcon())

        self._autosaver = None
        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self._on_autosave)
        self._autosave.start()
        self.state.dirtyChanged.connect(self._on_dirty_changed)
        self.state.analysisRequested.connect(self._on_analysis_requested)
        self.state.documentRequested.connect(self._on_document_requested)
        geometry = app_settings.restore_geometry("main")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        self._update_title()

    # Menus -----------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        std = QKeySequence.StandardKey
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addAction(self._action("&New Project", self.new_project, std.New,
                                    "Start an empty project"))
        file.addAction(self._action("&Open…", self.open_project, std.Open,
                                    "Open a .sinoru project file"))
        self.recent_menu = file.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._on_recent_menu)
        file.addAction(self._action("Open the &Demo Project", self.open_demo,
                                    tip="Import the built-in demo articles and analyse them"))
        file.addSeparator()
        file.addAction(self._action("&Import Articles…", self.show_import, "Ctrl+I",
                                    "Add files or a folder of articles to the project"))
        file.addAction(self._action("&Export Report…", self.export_report, "Ctrl+E",
                                    "Write the results as a PDF, HTML, XLSX or CSV report"))
        file.addAction(self._action("Export &Table…", self.export_table, "Ctrl+Shift+E",
                                    "Save the table on screen as CSV or XLSX"))
        file.addSeparator()
        self.save_action = self._action("&Save", self.save, std.Save, "Save the project")
        file.addAction(self.save_action)
        file.addAction(self._action("Save &As…", self.save_as, std.SaveAs,
                                    "Save the project under a new name"))
        file.addSeparator()
        file.addAction(self._action("&Quit", self.close, std.Quit, "Quit Sinoru"))

        edit = bar.addMenu("&Edit")
        edit.addAction(self._action("&Find in Articles…", self.find, std.Find,
                                    "Find documents whose text contains a phrase"))
        self.edit_menu = edit

        view = bar.addMenu("&View")
        for i, (key, label, *_rest, tip) in enumerate(PANELS):
            action = self._action(label, self._on_view_action, f"Ctrl+{i + 1}", tip)
            action.setData(key)
            view.addAction(action)
        view.addSeparator()
        view.addAction(self._action("&Welcome Page", self.show_welcome,
                                    tip="Demo, import and recent projects"))
        if self.theme is not None:
            themes = view.addMenu("&Theme")
            group = QActionGroup(self)
            for name in ("system", "light", "dark"):
                action = self._action(name.capitalize() if name != "system" else "Follow the System",
                                      self._on_theme_action)
                action.setCheckable(True)
                action.setChecked(self.theme.theme == name)
                action.setData(name)
                group.addAction(action)
                themes.addAction(action)

        analysis = bar.addMenu("&Analysis")
        self.run_action = self._action("&Run Analysis", self.state.analysisRequested, "F5",
                                       "Analyse the corpus with the current settings")
        analysis.addAction(self.run_action)
        analysis.addAction(self._action("&Cancel Running Task", self.runner.cancel, "Ctrl+.",
                                        "Stop the import or analysis in progress"))

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&About Sinoru", self.show_about,
                                         tip="Versions and measured model accuracy"))

    @Slot()
    def _on_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = app_settings.recent_projects()
        for path in paths:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setData(path)
            action.triggered.connect(self._on_recent_action)
        if not paths:
            self.recent_menu.addAction("No recent projects").setEnabled(False)

    @Slot()
    def _on_recent_action(self) -> None:
        self.open_project(self.sender().data())

    @Slot()
    def _on_view_action(self) -> None:
        self.show_panel(self.sender().data())

    @Slot()
    def _on_theme_action(self) -> None:
        name = self.sender().data()
        self.theme.set_theme(name)
        app_settings.settings().setValue("view/theme", name)

    # Pages and views -------------------------------------------------------------------
    def ensure_panels(self) -> None:
        """Create the views (their modules import pandas/matplotlib, so not at start-up)."""
        if self.panels:
            return
        for key, _label, module, cls, _tip in PANELS:
            panel = getattr(importlib.import_module(module), cls)(self.state)
            if hasattr(panel, "statusMessage"):
                panel.statusMessage.connect(self._on_status_message)
            self.panels[key] = panel
            self.panel_stack.addWidget(panel)
        corpus = self.panels["corpus"]
        corpus.set_group_action.setShortcut(QKeySequence("Ctrl+G"))
        self.edit_menu.addSeparator()
        self.edit_menu.addActions([corpus.set_group_action, corpus.presets_action,
                                   corpus.add_outlet_action])

    def show_panel(self, key: str) -> None:
        self.ensure_panels()
        self.pages.setCurrentIndex(1)
        keys = [p[0] for p in PANELS]
        self.nav.setCurrentRow(keys.index(key))

    @Slot()
    def show_welcome(self) -> None:
        self.pages.setCurrentIndex(0)

    @Slot(int)
    def _on_nav_changed(self, row: int) -> None:
        if row >= 0:
            self.ensure_panels()
            self.panel_stack.setCurrentWidget(self.panels[PANELS[row][0]])

    @Slot()
    def find(self) -> None:
        self.show_panel("corpus")
        search = self.panels["corpus"].text_search
        search.setFocus()
        search.selectAll()

    @Slot(str, int, int)
    def _on_document_requested(self, _doc_id: str, _start: int, _end: int) -> None:
        self.show_panel("document")

    @Slot(str)
    def _on_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    @Slot()
    def show_about(self) -> None:
        from sinoru_desktop.about import show_about

        self._keep(show_about(self, self.state.results.data if self.state.results else None))

    @Slot()
    def export_report(self) -> None:
        from sinoru_desktop.exports import show_report_export

        show_report_export(self)

    @Slot()
    def export_table(self) -> None:
        from sinoru_desktop.table_export import export_current_table

        export_current_table(self)

    def _keep(self, dialog: QWidget) -> QWidget:
        self._dialogs = [d for d in self._dialogs if d.isVisible()] + [dialog]
        return dialog

    # Title, dirty flag, autosave ---------------------------------------------------------
    def _name(self) -> str:
        path = self.state.project_path
        return Path(path).stem if path else ("Demo project" if self.demo else "Untitled")

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self._name()}[*] — Sinoru")
        self.setWindowModified(self.state.dirty)

    @Slot(bool)
    def _on_dirty_changed(self, _dirty: bool) -> None:
        self._update_title()

    @Slot()
    def _on_autosave(self) -> None:
        """Every minute while dirty: snapshot the project to this session's recovery file."""
        if not self.state.dirty or not self.state.has_documents:
            return
        if self.autosaver.last_error:
            self.statusBar().showMessage(f"Autosave failed: {self.autosaver.last_error}", 8000)
        self.autosaver.save(self.project_from_state(recovery=True), app_settings.recovery_path())

    @property
    def autosaver(self):
        """The background recovery writer (created on first use: it needs pandas)."""
        if self._autosaver is None:
            from sinoru_desktop.project import Autosaver

            self._autosaver = Autosaver()
        return self._autosaver

    def _drop_recovery(self) -> None:
        if self._autosaver is None:  # nothing was autosaved in this session
            app_settings.recovery_path().unlink(missing_ok=True)
        else:
            self._autosaver.drop(app_settings.recovery_path())

    # Project files -----------------------------------------------------------------------
    def project_from_state(self, *, recovery: bool = False):
        """The open project as a :class:`~sinoru_desktop.project.Project`."""
        from sinoru_desktop.project import Project

        s = self.state
        return Project(corpus=s.corpus, config=s.config, codebooks=dict(s.codebooks),
                       targets_yaml=s.targets_yaml, results=s.results,
                       provenance=list(s.provenance), ui=dict(s.ui),
                       recovered_from=s.project_path if recovery else None)

    def load_into_state(self, project, path: str | None, *, dirty: bool = False,
                        word_counts: dict[str, int] | None = None) -> None:
        """Show ``project`` (read from ``path``) in every view.

        ``word_counts`` (doc_id -> words) were made by the load worker, if any.
        """
        self.ensure_panels()
        s = self.state
        s.word_counts = dict(word_counts or {})
        s.codebooks, s.targets_yaml = dict(project.codebooks), project.targets_yaml
        s.provenance, s.ui, s.import_report = list(project.provenance), dict(project.ui), None
        s.project_path = path
        s.set_results(None)
        s.set_config(project.config, dirty=False)
        s.set_corpus(project.corpus, dirty=False)
        s.set_results(project.results)
        s.set_dirty(dirty)
        self._update_title()
        self.show_panel("corpus" if project.results is None else "compare")

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False when the user cancelled."""
        if not self.state.dirty:
            return True
        buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                   | QMessageBox.StandardButton.Cancel)
        name = Path(self.state.project_path).name if self.state.project_path else "this project"
        answer = QMessageBox.warning(self, "Unsaved changes",
                                     f"Save the changes to {name} before closing it?",
                                     buttons, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    @Slot()
    def new_project(self) -> None:
        if not self.maybe_save():
            return
        self._reset_project()
        self.show_welcome()

    def _reset_project(self) -> None:
        from analysis.config import AnalysisConfig
        from analysis.corpus import Corpus
        from sinoru_desktop.project import Project

        self.runner.cancel()
        self._drop_recovery()
        self.demo = False
        self.load_into_state(Project(corpus=Corpus(), config=AnalysisConfig()), None)

    @Slot()
    def open_project(self, path: str | None = None) -> bool:
        """Open a project file (asks for one when ``path`` is None) in the task runner.

        Returns False when the user cancelled; a file that cannot be opened gives a
        message naming the file and the reason when the load fails.
        """
        from sinoru_desktop.project import load_with_word_counts

        if not self.maybe_save():
            return False
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Open project", "", PROJECT_FILTER)
            if not path:
                return False
        self._opening = str(Path(path).resolve())
        self.runner.start(load_with_word_counts, self._opening,
                          label=f"Opening {Path(path).name}…", on_done=self._on_project_loaded,
                          on_error=self._on_project_failed)
        return True

    def _on_project_loaded(self, loaded) -> None:
        project, counts = loaded
        self._drop_recovery()
        self.demo = False
        self.load_into_state(project, self._opening, word_counts=counts)
        app_settings.add_recent_project(self._opening)
        self.statusBar().showMessage(f"Opened {Path(self._opening).name}: "
                                     f"{len(project.corpus):,} documents.", 8000)

    def _on_project_failed(self, exc: BaseException) -> None:
        from sinoru_desktop.project import ProjectError

        if not Path(self._opening).exists():
            app_settings.remove_recent_project(self._opening)
        text = str(exc) if isinstance(exc, ProjectError) else \
            f"{Path(self._opening).name}: the file cannot be opened ({exc})"
        QMessageBox.warning(self, "Cannot open project", text)

    @Slot()
    def save(self) -> bool:
        if not self.state.project_path:
            return self.save_as()
        return self.save_to(self.state.project_path)

    @Slot()
    def save_as(self) -> bool:
        start = self.state.project_path or str(Path.home() / "Untitled.sinoru")
        path, _ = QFileDialog.getSaveFileName(self, "Save project as", start, PROJECT_FILTER)
        if not path:
            return False
        if not path.endswith(".sinoru"):
            path += ".sinoru"
        return self.save_to(path)

    def save_to(self, path: str) -> bool:
        """Save atomically to ``path``; on failure the message names file and reason."""
        from sinoru_desktop.project import ProjectError, save_project

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            save_project(self.project_from_state(), path)
        except ProjectError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Cannot save project", str(exc))
            return False
        QApplication.restoreOverrideCursor()
        self.state.project_path = str(Path(path).resolve())
        self.demo = False
        self.state.set_dirty(False)
        self._drop_recovery()
        app_settings.add_recent_project(path)
        self._update_title()
        self.statusBar().showMessage(f"Saved {Path(path).name}.", 5000)
        return True

    def offer_recovery(self) -> bool:
        """After a crash: offer to restore the autosaved work. True when restored."""
        from sinoru_desktop.project import ProjectError, load_project, pending_recoveries

        for path in pending_recoveries():
            try:
                project = load_project(path)
            except ProjectError:
                path.unlink(missing_ok=True)
                continue
            when = datetime.fromtimestamp(path.stat().st_mtime).strftime("%d %b %Y %H:%M")
            name = Path(project.recovered_from).name if project.recovered_from else "an unsaved project"
            answer = QMessageBox.question(
                self, "Recover unsaved work",
                f"Sinoru did not close properly. Recover the unsaved changes to {name} "
                f"({len(project.corpus):,} documents, autosaved {when})?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes)
            path.unlink(missing_ok=True)
            if answer == QMessageBox.StandardButton.Yes:
                self.load_into_state(project, project.recovered_from, dirty=True)
                self._on_autosave()
                return True
        return False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.maybe_save():
            event.ignore()
            return
        self.runner.shutdown()
        self._drop_recovery()
        app_settings.save_geometry("main", self.saveGeometry())
        event.accept()

    # Import --------------------------------------------------------------------------------
    @Slot()
    def show_import(self) -> None:
        from sinoru_desktop.import_dialog import show_import_dialog

        dialog = show_import_dialog(self)
        dialog.importRequested.connect(self._on_import_requested)
        self._keep(dialog)

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
        if not self.maybe_save():
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
            self._keep(show_import_report(self, result, present))
        if added and self.auto_analyse:
            self.state.analysisRequested.emit()

    def _on_import_error(self, exc: BaseException) -> None:
        self.demo = False
        QMessageBox.warning(self, "Import failed", f"The import stopped: {exc}")

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

    # Analysis ------------------------------------------------------------------------------
    @Slot()
    def _on_analysis_requested(self) -> None:
        if not self.state.has_documents:
            self.statusBar().showMessage("Import articles first: there is nothing to analyse.",
                                         8000)
            return
        s = self.state
        self.runner.start(run_analysis_task, s.corpus, s.config,
                          tuple(sorted(s.codebooks.items())), s.targets_yaml, self._name(),
                          label=f"Analysing {len(s.corpus):,} documents…", on_done=self._on_analysis_done,
                          on_error=self._on_analysis_error)

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
