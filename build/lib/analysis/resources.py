"""Read packaged data (codebooks, lexicons, models, fonts, demo corpus) the same way from a
checkout, a wheel and a PyInstaller bundle."""
from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["resource_root", "resource", "resource_path"]


def resource_root() -> Traversable:
    """The root of the packaged ``resources/`` folder (the ``sinoru_resources`` package)."""
    try:
        return importlib.resources.files("sinoru_resources")
    except ModuleNotFoundError:
        # Running from a source checkout that was not pip-installed.
        return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Traversable:
    """A file or folder under ``resources/``, e.g. ``resource("codebooks", "generic.yaml")``."""
    node = resource_root()
    for part in parts:
        node = node.joinpath(part)
    return node


def resource_path(*parts: str) -> Path:
    """A real filesystem path to a resource (for libraries that need one, such as fonts).

    Checkouts, wheels and onedir bundles all install resources as real files.
    """
    return Path(str(resource(*parts)))
