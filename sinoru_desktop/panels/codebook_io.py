"""Codebook files in and out of the editor: YAML, LIWC ``.dic`` and WordStat ``.cat``.

The dialogs are module-level functions so tests can monkeypatch them.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from analysis.atomic import write_text_atomic

__all__ = ["ask_open_codebook", "ask_save_codebook", "import_codebook", "export_codebook",
           "FILTERS"]

FILTERS = ("Codebook YAML (*.yaml *.yml);;LIWC dictionary (*.dic);;"
           "WordStat categories (*.cat);;All files (*)")


def ask_open_codebook(parent: QWidget | None) -> str:
    """The file the user chose to import, or an empty string."""
    path, _ = QFileDialog.getOpenFileName(parent, "Import codebook", "", FILTERS)
    return path


def ask_save_codebook(parent: QWidget | None, suggested: str) -> str:
    """Where to export the codebook (the suffix picks the format), or an empty string."""
    path, chosen = QFileDialog.getSaveFileName(parent, "Export codebook", suggested, FILTERS)
    if path and not Path(path).suffix:
        path += ".dic" if "LIWC" in chosen else ".cat" if "WordStat" in chosen else ".yaml"
    return path


def import_codebook(path: str | Path):
    """Read a codebook from YAML, LIWC ``.dic`` or WordStat ``.cat`` (by suffix).

    Raises ``CodebookError`` naming the file and the reason.
    """
    from analysis.dictionaries import read_dictionary

    return read_dictionary(path)


def export_codebook(codebook, path: str | Path) -> Path:
    """Write ``codebook`` as YAML, LIWC ``.dic`` or WordStat ``.cat`` (by suffix), atomically."""
    from analysis import dictionaries
    from analysis.codebook import dump_codebook

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".dic":
        dictionaries.write_liwc(codebook, path)
    elif suffix == ".cat":
        dictionaries.write_wordstat(codebook, path)
    else:
        write_text_atomic(path, dump_codebook(codebook))
    return path
