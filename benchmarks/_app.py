"""The app, offscreen, with its own settings and data folders, for the GUI benchmarks:
a benchmark never reads or writes the user's real settings, recent files or caches."""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["offscreen_app"]


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
