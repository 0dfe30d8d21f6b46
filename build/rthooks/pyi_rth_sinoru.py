"""Run-time hook for the frozen app: runs before PyInstaller's own hooks and any app code.

- matplotlib draws through QtAgg only (the one backend bundled), with PySide6 as binding.
- matplotlib keeps its font cache in the user's cache folder. PyInstaller's own
  ``pyi_rth_mplconfig`` hook (removed in the spec) points it at a new temporary folder on
  every launch, which makes matplotlib rescan every system font each time: 1.5-3 s of
  start-up on a machine with CJK fonts. A onedir bundle's font paths are stable, and
  matplotlib rebuilds the cache by itself if a cached font file has gone.
"""
import os
import sys


def _user_cache_dir() -> str:
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        return os.path.join(base, "sinoru-desktop", "cache")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "sinoru-desktop")
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache"),
                        "sinoru-desktop")


def _pyi_rthook() -> None:
    os.environ.setdefault("MPLBACKEND", "QtAgg")
    os.environ.setdefault("QT_API", "pyside6")
    if "MPLCONFIGDIR" not in os.environ:
        folder = os.path.join(_user_cache_dir(), "matplotlib")
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError:
            return  # read-only home: matplotlib falls back to a temporary folder itself
        if os.access(folder, os.W_OK):
            os.environ["MPLCONFIGDIR"] = folder


_pyi_rthook()
del _pyi_rthook
