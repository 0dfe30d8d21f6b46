"""Where the app keeps its settings (QSettings) and user data (recovery files, registry)."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, QStandardPaths

__all__ = ["ORGANIZATION", "APPLICATION", "configure_application", "app_data_dir",
           "settings", "recent_projects", "add_recent_project", "remove_recent_project",
           "MAX_RECENT", "user_registry_path", "recovery_dir", "recovery_path",
           "save_geometry", "restore_geometry", "cluster_scheduler", "set_cluster_scheduler"]

ORGANIZATION = "Sinoru"
APPLICATION = "Sinoru Desktop"
MAX_RECENT = 8
#: Overrides the user data folder (tests point it at a temporary folder).
DATA_DIR_ENV = "SINORU_DATA_DIR"


def configure_application() -> None:
    """Set the names QSettings and QStandardPaths derive their locations from."""
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setOrganizationDomain("sinoru.app")
    QCoreApplication.setApplicationName(APPLICATION)


def app_data_dir() -> Path:
    """The per-user data folder (created on demand)."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        path = Path(env)
    else:
        location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        path = Path(location or Path.home() / ".sinoru")
    path.mkdir(parents=True, exist_ok=True)
    return path


def recovery_dir() -> Path:
    """Folder of autosaved recovery files (in the app data folder)."""
    folder = app_data_dir() / "recovery"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def recovery_path(pid: int | None = None) -> Path:
    """This session's recovery file: one per running app, named by process id."""
    return recovery_dir() / f"autosave-{os.getpid() if pid is None else pid}.sinoru"


def user_registry_path() -> Path:
    """The user's outlet registry YAML (extends the built-in outlet presets)."""
    return app_data_dir() / "outlets.yaml"


def settings() -> QSettings:
    """The application's settings store."""
    return QSettings()


def cluster_scheduler() -> str:
    """The Dask scheduler analyses run on ("" = this computer). A setting of this machine,
    not of the project: a project opened elsewhere must not reach for this cluster."""
    return str(settings().value("analysis/scheduler", "") or "")


def set_cluster_scheduler(address: str) -> None:
    settings().setValue("analysis/scheduler", address)


def recent_projects() -> list[str]:
    """Recently opened project files that still exist, most recent first."""
    value = settings().value("recent/projects", [])
    if isinstance(value, str):  # QSettings returns a bare string for one-element lists
        value = [value]
    return [p for p in (value or []) if isinstance(p, str) and Path(p).is_file()][:MAX_RECENT]


def add_recent_project(path: str | os.PathLike[str]) -> None:
    path = str(Path(path).resolve())
    items = [p for p in recent_projects() if p != path]
    settings().setValue("recent/projects", [path, *items][:MAX_RECENT])


def remove_recent_project(path: str | os.PathLike[str]) -> None:
    path = str(Path(path).resolve())
    settings().setValue("recent/projects", [p for p in recent_projects() if p != path])


def save_geometry(key: str, data: QByteArray) -> None:
    settings().setValue(f"window/{key}", data)


def restore_geometry(key: str) -> QByteArray | None:
    value = settings().value(f"window/{key}")
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None
