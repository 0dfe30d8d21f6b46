"""The main window: welcome page, the sidebar views and their panels, the title.

The rest of the window lives in :mod:`sinoru_desktop.window`, one concern per module:
``views`` (the sidebar), ``menus`` (the menu bar), ``project_files``, ``importing`` and
``analysis_runs``.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from sinoru_desktop import settings as app_settings
from sinoru_desktop.state import AppState
from sinoru_desktop.tasks import TaskProgressWidget, TaskRunner
from sinoru_desktop.welcome import WelcomePage
from sinoru_desktop.window.analysis_runs import AnalysisMixin, run_analysis_task
from sinoru_desktop.window.importing import ImportMixin
from sinoru_desktop.window.menus import build_menus, call_handler
from sinoru_desktop.window.project_files import AUTOSAVE_MS, ProjectFilesMixin
from sinoru_desktop.window.stale_banner import StaleBanner
from sinoru_desktop.window.views import VIEWS, view_keys, wait_for_background_imports

__all__ = ["MainWindow", "PanelSet", "VIEWS", "run_analysis_task", "AUTOSAVE_MS"]


#: Views built with the workspace (drill-downs land in Document); the others when first
#: shown or asked for.
ALWAYS_BUILT = ("document",)
#: Views whose ``edit_actions`` join the Edit menu: built when that menu opens.
VIEWS_WITH_EDIT_ACTIONS = ("corpus",)


class PanelSet(Mapping):
    """The main window's views by key (every key of :data:`VIEWS`); each is built by
    ``build(key)`` the first time it is asked for, so hidden views cost nothing until a
    user (or code) needs them. ``in`` and iteration do not build anything."""

    def __init__(self, build: Callable[[str], QWidget]) -> None:
        self._build = build
        self._built: dict[str, QWidget] = {}

    def __getitem__(self, key: str) -> QWidget:
        panel = self._built.get(key)
        if panel is None:
            if key not in view_keys():
                raise KeyError(key)
            panel = self._built[key] = self._build(key)
        return panel

    def __contains__(self, key: object) -> bool:
        return key in view_keys()

    def __iter__(self) -> Iterator[str]:
        return iter(view_keys())

    def __len__(self) -> int:
        return len(VIEWS)

    def built(self, key: str) -> bool:
        """Whether view ``key`` exists yet (asking for it would build it)."""
        return key in self._built


class MainWindow(ProjectFilesMixin, ImportMixin, AnalysisMixin, QMainWindow):
    """The application window; owns the task runner and the open project's file."""

    def __init__(self, state: AppState | None = None, theme=None) -> None:
        super().__init__()
        self.state = state or AppState(self)
        self.theme = theme
        self.runner = TaskRunner(self)
        self.runner.failed.connect(self._on_task_failed)
        self.runner.cancelled.connect(self._on_task_cancelled)
        # Saves run beside imports and analyses: starting one must never cancel a save.
        self.saver = TaskRunner(self)
        self.saver.cancelled.connect(self._on_task_cancelled)
        self.panels = PanelSet(self._build_panel)
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
        for view in VIEWS:
            item = QListWidgetItem(view.label)
            item.setToolTip(view.tip)
            item.setData(Qt.ItemDataRole.UserRole, view.key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._on_nav_changed)
        self.panel_stack = QStackedWidget()
        self.stale_banner = StaleBanner(self.state)
        views = QVBoxLayout()
        views.setContentsMargins(0, 0, 0, 0)
        views.setSpacing(0)
        views.addWidget(self.stale_banner)
        views.addWidget(self.panel_stack, 1)
        workspace = QWidget()
        row = QHBoxLayout(workspace)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addLayout(views, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(workspace)
        self.setCentralWidget(self.pages)

        self.progress_widget = TaskProgressWidget(self.runner)
        self.statusBar().addPermanentWidget(self.progress_widget)
        self.save_progress = TaskProgressWidget(self.saver)
        self.statusBar().addPermanentWidget(self.save_progress)
        build_menus(self)
        self.edit_menu = self.menus["edit"]
        # Views are built when first shown; the Edit menu must offer their actions anyway.
        self.edit_menu.aboutToShow.connect(self._build_views_with_edit_actions)
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

    # Menu actions --------------------------------------------------------------------
    @Slot()
    def _on_menu_action(self) -> None:
        call_handler(self, self.sender().data())

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
        """Create the views every project needs at once (:data:`ALWAYS_BUILT`). The others
        are built when first shown or asked for (:class:`PanelSet`), so opening a project
        builds only the one it shows; a view's Edit menu actions join when it is built."""
        for key in ALWAYS_BUILT:
            self.panels[key]

    def _build_panel(self, key: str) -> QWidget:
        view = VIEWS[view_keys().index(key)]
        # The project's load task (or the start-up imports) imported the module already,
        # off the GUI thread.
        wait_for_background_imports()
        panel = getattr(importlib.import_module(view.module), view.cls)(self.state)
        if hasattr(panel, "statusMessage"):
            panel.statusMessage.connect(self._on_status_message)
        self.panel_stack.addWidget(panel)
        actions = getattr(panel, "edit_actions", ())
        if actions:
            self.edit_menu.addSeparator()
            self.edit_menu.addActions(list(actions))
        return panel

    @Slot()
    def _build_views_with_edit_actions(self) -> None:
        for key in VIEWS_WITH_EDIT_ACTIONS:
            self.panels[key]

    def show_panel(self, key: str) -> None:
        self.ensure_panels()
        # Current before the workspace shows: another view shown on the way (the stack's
        # first, the sidebar's first row) would be built and refreshed for nothing.
        self.panel_stack.setCurrentWidget(self.panels[key])
        self.nav.setCurrentRow(view_keys().index(key))
        self.pages.setCurrentIndex(1)

    @Slot()
    def show_welcome(self) -> None:
        self.pages.setCurrentIndex(0)

    @Slot(int)
    def _on_nav_changed(self, row: int) -> None:
        if row >= 0:
            self.ensure_panels()
            self.panel_stack.setCurrentWidget(self.panels[VIEWS[row].key])

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

    # Dialogs ---------------------------------------------------------------------------
    @Slot()
    def show_about(self) -> None:
        from sinoru_desktop.about import show_about

        self.keep_dialog(show_about(self, self.state.results.data if self.state.results else None))

    def keep_dialog(self, dialog: QWidget) -> QWidget:
        """Hold a non-modal dialog (until it is closed) so Python does not collect it."""
        # Dialogs with WA_DeleteOnClose are gone once closed: only their wrapper is left,
        # and asking it anything raises RuntimeError.
        self._dialogs = [d for d in self._dialogs if isValid(d) and d.isVisible()] + [dialog]
        return dialog

    # Title, close ------------------------------------------------------------------------
    def _name(self) -> str:
        path = self.state.project_path
        return Path(path).stem if path else ("Demo project" if self.demo else "Untitled")

    def _corpus_name(self) -> str:
        """The name reports give the corpus: the project's, or before the project is first
        saved the folder its articles came from (never "Untitled")."""
        if self.state.project_path or self.demo:
            return self._name()
        from analysis.corpus import corpus_name

        return corpus_name(self.state.corpus)

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self._name()}[*] — Sinoru")
        self.setWindowModified(self.state.dirty)

    @Slot(bool)
    def _on_dirty_changed(self, _dirty: bool) -> None:
        self._update_title()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.maybe_save(then=self.close):
            event.ignore()
            return
        self.saver.wait()  # a save in progress ends (never cancelled)
        self.runner.shutdown()
        self._drop_recovery()
        app_settings.save_geometry("main", self.saveGeometry())
        event.accept()
