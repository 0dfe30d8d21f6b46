"""Project files in the main window: new, open, save, the unsaved-changes prompt,
autosave and crash recovery."""
from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox

from sinoru_desktop import settings as app_settings
from sinoru_desktop.plain_text import literal_text

__all__ = ["ProjectFilesMixin", "PROJECT_FILTER", "AUTOSAVE_MS", "open_project_task"]

AUTOSAVE_MS = 60_000
PROJECT_FILTER = "Sinoru projects (*.sinoru);;All files (*)"


def open_project_task(path: str, read_only: bool = False, *, progress):
    """Task function: :func:`sinoru_desktop.project.load_with_word_counts`, imported on
    the worker thread (the project module pulls in pandas: seconds the window would
    freeze for if the GUI thread imported it), after the start-up imports, if running:
    two threads importing the same modules at once could deadlock."""
    from sinoru_desktop.window.views import wait_for_background_imports

    wait_for_background_imports()
    from sinoru_desktop.gui_gc import reading_project
    from sinoru_desktop.panels.groups import remember_view_lists
    from sinoru_desktop.project import load_with_word_counts

    with reading_project():  # no full collection walks what is being read
        loaded = load_with_word_counts(path, read_only, progress=progress)
        project = loaded[0]
        remember_view_lists(project.corpus, project.results, project.config.group_by)
    return loaded


class ProjectFilesMixin:
    """Part of :class:`~sinoru_desktop.main_window.MainWindow` (uses its state and runner)."""

    # State <-> project ----------------------------------------------------------------
    def project_from_state(self, *, recovery: bool = False):
        """The open project as a :class:`~sinoru_desktop.project.Project` snapshot.

        Background saves write this snapshot while the user goes on editing: the corpus,
        config and results are immutable, everything else is copied.
        """
        from sinoru_desktop.project import Project

        s = self.state
        ui = {**copy.deepcopy(s.ui), "results_out_of_date": s.results_stale}
        return Project(corpus=s.corpus, config=s.config, codebooks=dict(s.codebooks),
                       targets_yaml=s.targets_yaml, results=s.results,
                       provenance=copy.deepcopy(s.provenance), ui=ui,
                       recovered_from=s.project_path if recovery else None,
                       doc_cache=s.doc_cache, word_counts=dict(s.word_counts))

    def load_into_state(self, project, path: str | None, *, dirty: bool = False,
                        word_counts: dict[str, int] | None = None) -> None:
        """Show ``project`` (read from ``path``) in every view.

        ``word_counts`` (doc_id -> words) were made by the load worker, if any.
        """
        self.ensure_panels()
        s = self.state
        s.word_counts = dict(word_counts or {})
        s.doc_cache = project.doc_cache
        s.codebooks, s.targets_yaml = dict(project.codebooks), project.targets_yaml
        s.provenance, s.ui, s.import_report = list(project.provenance), dict(project.ui), None
        s.project_path = path
        s.projectReplaced.emit()
        s.set_results(None)
        s.set_config(project.config, dirty=False)
        s.set_corpus(project.corpus, dirty=False)
        s.reset_history()
        s.set_dirty(dirty)
        s.set_results(project.results, stale=bool(project.ui.get("results_out_of_date")))
        self._update_title()
        self.show_panel("corpus" if project.results is None else "compare")
        if len(project.corpus):  # warm the analysis worker while the user looks
            from sinoru_desktop.warm_worker import shared_worker

            shared_worker().use_cache(lambda: s.doc_cache.items())

    # New, open ---------------------------------------------------------------------------
    def maybe_save(self, then: Callable[[], object] | None = None) -> bool:
        """Ask about unsaved changes. True: go on. False: stop (the user cancelled, or
        chose Save: the save runs in the background and calls ``then`` when it is done,
        so the interrupted action starts again)."""
        if not self.state.dirty:
            return True
        buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                   | QMessageBox.StandardButton.Cancel)
        name = Path(self.state.project_path).name if self.state.project_path else "this project"
        answer = QMessageBox.warning(self, "Unsaved changes",
                                     f"Save the changes to {name} before closing it?",
                                     buttons, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            self.save(then=then)
            return False
        return answer == QMessageBox.StandardButton.Discard

    @Slot()
    def new_project(self) -> None:
        if not self.maybe_save(then=self.new_project):
            return
        self._reset_project()
        self.show_welcome()

    def _reset_project(self) -> None:
        from analysis.config import AnalysisConfig
        from analysis.corpus import Corpus
        from sinoru_desktop.project import Project

        self.runner.stop()
        self._drop_recovery()
        self.demo = False
        self.load_into_state(Project(corpus=Corpus(), config=AnalysisConfig()), None)

    @Slot()
    def open_project(self, path: str | None = None) -> bool:
        """Open a project file (asks for one when ``path`` is None) in the task runner.

        Returns False when the user cancelled; a file that cannot be opened gives a
        message naming the file and the reason when the load fails.
        """
        if not self.maybe_save(then=lambda: self.open_project(path)):
            return False
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Open project", "", PROJECT_FILTER)
            if not path:
                return False
        self._opening = str(Path(path).resolve())
        self.runner.start(open_project_task, self._opening,
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
        from sinoru_desktop.project import ProjectError, ProjectLocked

        if isinstance(exc, ProjectLocked):  # open in another Sinoru: offer a read-only copy
            if QMessageBox.question(self, "Project in use", literal_text(f"{exc}.\n\nOpen a read-only copy?")
                                    ) == QMessageBox.StandardButton.Yes:
                self.runner.start(open_project_task, self._opening, True,
                                  label=f"Opening {Path(self._opening).name}…",
                                  on_done=self._on_copy_loaded, on_error=self._on_project_failed)
            return
        if not Path(self._opening).exists():
            app_settings.remove_recent_project(self._opening)
        text = str(exc) if isinstance(exc, ProjectError) else \
            f"{Path(self._opening).name}: the file cannot be opened ({exc})"
        QMessageBox.warning(self, "Cannot open project", literal_text(text))

    def _on_copy_loaded(self, loaded) -> None:
        self.demo = False
        self.load_into_state(loaded[0], None, word_counts=loaded[1])  # no path: Save asks
        self.statusBar().showMessage(f"Opened a read-only copy of {Path(self._opening).name}; "
                                     "save it under another name to keep changes.", 15000)

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

    # Save ----------------------------------------------------------------------------------
    @Slot()
    def save(self, then: Callable[[], object] | None = None) -> bool:
        if not self.state.project_path:
            return self.save_as(then)
        return self.save_to(self.state.project_path, then)

    @Slot()
    def save_as(self, then: Callable[[], object] | None = None) -> bool:
        start = self.state.project_path or str(Path.home() / "Untitled.sinoru")
        path, _ = QFileDialog.getSaveFileName(self, "Save project as", start, PROJECT_FILTER)
        if not path:
            return False
        if not path.endswith(".sinoru"):
            path += ".sinoru"
        return self.save_to(path, then)

    def save_to(self, path: str, then: Callable[[], object] | None = None) -> bool:
        """Start saving a snapshot of the project to ``path`` in the background (True when
        started). The file is written atomically; a failure names file and reason.

        Saves have their own task runner: an analysis or import never cancels a save.
        Edits made while it runs stay unsaved (the title keeps its "*").
        """
        from sinoru_desktop.project import save_project

        mark = self.state.revision()
        self.saver.start(save_project, self.project_from_state(), path,
                         label=f"Saving {Path(path).name}…",
                         on_done=lambda _none: self._on_saved(path, mark, then),
                         on_error=self._on_save_failed)
        return True

    def _on_saved(self, path: str, mark: tuple, then: Callable[[], object] | None) -> None:
        self.state.project_path = str(Path(path).resolve())
        self.demo = False
        if self.state.revision() == mark:  # nothing changed while saving
            self.state.set_dirty(False)
            self._drop_recovery()
        app_settings.add_recent_project(path)
        self._update_title()
        self.statusBar().showMessage(f"Saved {Path(path).name}.", 5000)
        if then is not None:
            then()

    def _on_save_failed(self, exc: BaseException) -> None:
        from sinoru_desktop.project import ProjectError

        text = str(exc) if isinstance(exc, ProjectError) else f"The project could not be saved ({exc})"
        QMessageBox.warning(self, "Cannot save project", literal_text(text))

    # Autosave and recovery -------------------------------------------------------------
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

    def offer_recovery(self) -> bool:
        """After a crash: offer to restore the autosaved work. True when restored."""
        from sinoru_desktop.project import ProjectError, load_project, pending_recoveries

        for path in pending_recoveries():
            try:
                project = load_project(path, in_memory=True)  # the file is removed below
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
