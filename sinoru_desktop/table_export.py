"""Export what the analyst is looking at: a table view or a list of passages as CSV/XLSX
(cells neutralised like the report's, so no cell runs as a formula), and passages copied
to the clipboard with their source lines."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QMessageBox, QWidget

from sinoru_desktop.dataframe_model import SORT_ROLE
from sinoru_desktop.plain_text import literal_text

__all__ = ["view_frame", "save_frame", "passages_text", "ask_table_path", "export_frame",
           "copy_passages", "add_table_actions", "export_current_table", "TABLE_FILTERS"]

TABLE_FILTERS = "CSV file (*.csv);;Excel workbook (*.xlsx)"


def view_frame(view: QAbstractItemView, selected_only: bool = False) -> pd.DataFrame:
    """The rows of ``view`` as shown (sorted, filtered), selected ones only if asked.

    A view on a :class:`DataFrameModel` gives its frame's rows with every column (ids and
    offsets too); another model gives its visible columns, raw values where it has them.
    """
    from sinoru_desktop.dataframe_model import DataFrameModel

    model = view.model()
    rows = range(model.rowCount())
    if selected_only and view.selectionModel() is not None:
        picked = sorted({i.row() for i in view.selectionModel().selectedIndexes()})
        rows = picked or rows
    if isinstance(model, DataFrameModel):
        # Straight from the frame: every column, ids and offsets included.
        return model.frame.iloc[list(rows)].reset_index(drop=True)
    header = view.horizontalHeader() if hasattr(view, "horizontalHeader") else None
    columns = list(range(model.columnCount()))
    if header is not None:
        columns = sorted((c for c in columns if not header.isSectionHidden(c)),
                         key=header.visualIndex)
    names = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in columns]
    records = []
    for r in rows:
        record = []
        for c in columns:
            index = model.index(r, c)
            value = model.data(index, SORT_ROLE)
            record.append(value if value is not None else model.data(index))
        records.append(record)
    return pd.DataFrame(records, columns=names)


def save_frame(frame: pd.DataFrame, path: str | Path, title: str = "table") -> Path:
    """Write ``frame`` as CSV or XLSX (by suffix), atomically, neutralising formula cells."""
    from analysis.cells import write_csv
    from analysis.report.tables import ReportTable
    from analysis.report.xlsx import write_workbook

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_csv(frame, path, encoding="utf-8-sig")
    elif suffix == ".xlsx":
        write_workbook([ReportTable(title[:31] or "table", title, frame)], path)
    else:
        raise ValueError(f"{path.name}: tables export as .csv or .xlsx, not '{suffix or path.name}'")
    return path


def passages_text(frame: pd.DataFrame) -> str:
    """Passages for the clipboard: ``…left [match] right…`` then an indented source line
    (outlet, title, group, document id) under each."""
    lines = []
    for row in frame.to_dict("records"):
        lines.append(f"…{row.get('left', '')}[{row.get('match', '')}]{row.get('right', '')}…")
        bits = [row.get("outlet"), f"“{row.get('title')}”" if row.get("title") else None,
                row.get("group"), row.get("note"), row.get("doc_id")]
        lines.append("    — " + ", ".join(str(b) for b in bits if b not in (None, "")))
    return "\n".join(lines) + ("\n" if lines else "")


def ask_table_path(parent: QWidget | None, suggested: str) -> str:
    """Ask where to save a table; "" when cancelled. Adds .csv/.xlsx by the chosen filter."""
    path, chosen = QFileDialog.getSaveFileName(parent, "Export table", suggested, TABLE_FILTERS)
    if path and Path(path).suffix.lower() not in (".csv", ".xlsx"):
        path += ".xlsx" if "xlsx" in chosen else ".csv"
    return path


def export_frame(parent: QWidget, frame: pd.DataFrame, name: str) -> str:
    """Ask for a file and write ``frame`` there; a failure is reported naming the file.
    Returns the path written ("" if none)."""
    path = ask_table_path(parent, name + ".csv")
    if not path:
        return ""
    try:
        save_frame(frame, path, name)
    except (OSError, ValueError) as exc:
        QMessageBox.warning(parent, "Export table",
                            literal_text(f"{path}: the table could not be written ({exc})."))
        return ""
    window = parent.window()
    if hasattr(window, "statusBar"):
        window.statusBar().showMessage(f"{len(frame):,} rows written to {path}.", 8000)
    return path


def copy_passages(frame: pd.DataFrame) -> str:
    """Put ``frame``'s passages on the clipboard with their sources; returns the text."""
    text = passages_text(frame)
    QGuiApplication.clipboard().setText(text)
    return text


def add_table_actions(view: QAbstractItemView, name: str, *, passages: bool = False) -> list:
    """Give ``view`` a context menu to export it (CSV/XLSX) and copy its rows; with
    ``passages`` the copy is passages with source lines, else tab-separated rows."""
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    copy = QAction("Copy passages with their sources" if passages else "Copy rows", view)
    copy.setToolTip("The selected rows (or all) to the clipboard")

    def _copy() -> None:
        frame = view_frame(view, selected_only=True)
        if passages:
            copy_passages(frame)
        else:
            QGuiApplication.clipboard().setText(frame.to_csv(sep="\t", index=False))

    copy.triggered.connect(_copy)
    export = QAction("Export table as CSV or XLSX…", view)
    export.triggered.connect(lambda: export_frame(view, view_frame(view), name))
    view.addActions([copy, export])
    return [copy, export]


def export_current_table(window) -> str:
    """File > Export Table…: export the table of the view on screen (the focused one when a
    view shows several); says so when the view has no table."""
    panel = window.panel_stack.currentWidget() if window.pages.currentIndex() == 1 else None
    views = [v for v in (panel.findChildren(QAbstractItemView) if panel else [])
             if v.isVisible() and hasattr(v, "horizontalHeader") and v.model() is not None]
    if not views:
        QMessageBox.information(window, "Export table",
                                "The view on screen has no table. Open Corpus, Concordance or "
                                "Tests, or right-click a chart to export it.")
        return ""
    view = next((v for v in views if v.hasFocus()), views[0])
    name = window.nav.currentItem().text().lower() if window.nav.currentItem() else "table"
    return export_frame(view, view_frame(view), name)
