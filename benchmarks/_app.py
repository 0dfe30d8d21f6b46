"""The app, offscreen, with its own settings and data folders, for the GUI benchmarks:
a benchmark never reads or writes the user's real settings, recent files or caches."""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["offscreen_app", "menu_action"]


def offscreen_app(tmp: Path):
    """A QApplication (offscreen unless a platform is set) whose settings and app data
    live under ``tmp``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["SINORU_DATA_DIR"] = str(tmp / "appdata")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    return QApplication.instance() or QApplication([])


def menu_action(window, text: str):
    """The main window's menu action whose text is ``text`` ("&" marks included), as the
    benchmarks trigger it: the path a user's click takes."""
    return next(a for m in window.menuBar().actions() for a in m.menu().actions()
                if a.text() == text)
