"""The menu bar, declared as data.

Adding a menu action is one line in :data:`MENUS`::

    Item("&Export Report…", "sinoru_desktop.export_actions:export_report", "Ctrl+E",
         "Write the results as PDF, HTML, XLSX or CSV")

The handler is either the name of a :class:`MainWindow` method (``"save_as"``) or
``"module:function"``; the module is imported when the action is first triggered (so the
start-up path stays light) and the function is called with the main window.
Entries starting with ``@`` are filled in by code: the recent projects, the views, the
themes and the undo/redo pair.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from sinoru_desktop.window.views import VIEWS

if TYPE_CHECKING:
    from sinoru_desktop.main_window import MainWindow

__all__ = ["Item", "SEPARATOR", "MENUS", "build_menus", "call_handler"]

_STD = QKeySequence.StandardKey


class Item(NamedTuple):
    text: str
    handler: str                               # window method name or "module:function"
    shortcut: QKeySequence.StandardKey | str | None = None
    tip: str = ""
    name: str = ""                             # stored as window.<name>_action when set


SEPARATOR = "-"

#: menu key -> (title, entries). Entries are Items, SEPARATOR or "@placeholder".
MENUS: dict[str, tuple[str, tuple]] = {
    "file": ("&File", (
        Item("&New Project", "new_project", _STD.New, "Start an empty project"),
        Item("&Open…", "open_project", _STD.Open, "Open a .sinoru project file"),
        "@recent",
        Item("Open the &Demo Project", "open_demo", None,
             "Import the built-in demo articles and analyse them"),
        SEPARATOR,
        Item("&Import Articles…", "show_import", "Ctrl+I",
             "Add files or a folder of articles to the project"),
        Item("&Export Report…", "sinoru_desktop.exports:show_report_export", "Ctrl+E",
             "Write the results as a PDF, HTML, XLSX or CSV report"),
        Item("Export &Table…", "sinoru_desktop.table_export:export_current_table",
             "Ctrl+Shift+E", "Save the table on screen as CSV or XLSX"),
        SEPARATOR,
        Item("&Save", "save", _STD.Save, "Save the project", name="save"),
        Item("Save &As…", "save_as", _STD.SaveAs, "Save the project under a new name"),
        SEPARATOR,
        # Not StandardKey.Quit: it is empty on Windows and on some Linux desktops.
        Item("&Quit", "close", "Ctrl+Q", "Quit Sinoru"),
    )),
    "edit": ("&Edit", (
        "@undo",
        SEPARATOR,
        Item("&Find in Articles…", "find", _STD.Find,
             "Find documents whose text contains a phrase"),
    )),
    "view": ("&View", (
        "@views",
        SEPARATOR,
        Item("&Welcome Page", "show_welcome", None, "Demo, import and recent projects"),
        "@themes",
    )),
    "analysis": ("&Analysis", (
        Item("&Run Analysis", "run_analysis", "F5",
             "Analyse the corpus with the current settings", name="run"),
        Item("&Cancel Running Task", "cancel_task", "Ctrl+.",
             "Stop the import or analysis in progress"),
        SEPARATOR,
        Item("Analysis &Settings…", "sinoru_desktop.analysis_options:open_from_window",
             "Ctrl+,", "Stop words, phrase length, topics and which analyses run"),
    )),
    "help": ("&Help", (
        Item("&About Sinoru", "show_about", None, "Versions and measured model accuracy"),
    )),
}


def call_handler(window: MainWindow, handler: str) -> None:
    """Run a menu handler: a window method, or ``module:function`` called with the window."""
    if ":" in handler:
        module, function = handler.split(":", 1)
        getattr(importlib.import_module(module), function)(window)
    else:
        getattr(window, handler)()


def make_action(window: MainWindow, text: str, handler: str, shortcut=None,
                tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.setData(handler)
    action.triggered.connect(window._on_menu_action)
    return action


def build_menus(window: MainWindow) -> None:
    """Fill the window's menu bar from :data:`MENUS`; menus are kept as window.menus[key]."""
    window.menus = {}
    for key, (title, entries) in MENUS.items():
        menu = window.menuBar().addMenu(title)
        window.menus[key] = menu
        for entry in entries:
            if entry == SEPARATOR:
                menu.addSeparator()
            elif isinstance(entry, str):
                _PLACEHOLDERS[entry](window, menu)
            else:
                action = make_action(window, entry.text, entry.handler, entry.shortcut,
                                     entry.tip)
                menu.addAction(action)
                if entry.name:
                    setattr(window, f"{entry.name}_action", action)


def _recent(window, menu) -> None:
    window.recent_menu = menu.addMenu("Open &Recent")
    window.recent_menu.aboutToShow.connect(window._on_recent_menu)


def _views(window, menu) -> None:
    for i, view in enumerate(VIEWS):
        action = QAction(view.label, window)
        action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
        action.setToolTip(view.tip)
        action.setStatusTip(view.tip)
        action.setData(view.key)
        action.triggered.connect(window._on_view_action)
        menu.addAction(action)


def _themes(window, menu) -> None:
    if window.theme is None:
        return
    themes = menu.addMenu("&Theme")
    group = QActionGroup(window)
    for name in ("system", "light", "dark"):
        action = QAction("Follow the System" if name == "system" else name.capitalize(),
                         window)
        action.setCheckable(True)
        action.setChecked(window.theme.theme == name)
        action.setData(name)
        action.triggered.connect(window._on_theme_action)
        group.addAction(action)
        themes.addAction(action)


def _undo(window, menu) -> None:
    """Undo/Redo of the project's edits, named after the edit ("Undo Set group")."""
    undo = window.state.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence(_STD.Undo))
    redo = window.state.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcut(QKeySequence(_STD.Redo))
    menu.addActions([undo, redo])
    window.undo_action, window.redo_action = undo, redo


_PLACEHOLDERS = {"@recent": _recent, "@views": _views, "@themes": _themes, "@undo": _undo}
