"""The one table adapter: a pandas DataFrame shown (and optionally edited) in a Qt view."""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from sinoru_desktop.plain_text import literal_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DataFrameModel", "SORT_ROLE"]

#: Role returning the raw cell value (numbers stay numbers) for sorting and for code.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


class DataFrameModel(QAbstractTableModel):
    """Shows a DataFrame's rows; the frame's index labels identify rows to the caller.

    Parameters
    ----------
    frame : DataFrame, optional
        The data. The model keeps its own copy.
    columns : mapping of column name to header label, optional
        Which columns to show, in order (default: every column, named as is).
    editable : iterable of str
        Columns the user may edit in place; edits are stored as strings.

    Signals
    -------
    edited(object, str, object) : index label of the row, column name, new value.
    """

    edited = Signal(object, str, object)

    def __init__(self, frame: pd.DataFrame | None = None, *,
                 columns: Mapping[str, str] | None = None, editable: Iterable[str] = (),
                 parent=None) -> None:
        super().__init__(parent)
        import pandas as pd

        self._frame = pd.DataFrame() if frame is None else frame.copy()
        self._labels = dict(columns) if columns is not None else None
        self._editable = frozenset(editable)
        self._sort: tuple[str, Qt.SortOrder] | None = None
        self._tooltips: dict[str, str] = {}
        self._shown: list[str] = []
        self._values: list[list | None] = []
        self._cache_values()

    def _cache_values(self) -> None:
        """Each shown column's cells as a Python list, made once per frame: a view asks
        for thousands of cells while it sizes and scrolls, and ``frame.iat`` costs tens
        of microseconds each (a 100,000-row table would stutter)."""
        self._shown = self.columns()
        self._values = [self._frame[c].tolist() if c in self._frame.columns else None
                        for c in self._shown]

    # Data in and out ----------------------------------------------------------------
    @property
    def frame(self) -> pd.DataFrame:
        """The frame as shown (sorted), including columns that are not displayed."""
        return self._frame

    def columns(self) -> list[str]:
        if self._labels is None:
            return [str(c) for c in self._frame.columns]
        return list(self._labels)

    def set_frame(self, frame: pd.DataFrame) -> None:
        """Replace the data; keeps the current sort order."""
        self.beginResetModel()
        self._frame = self._sorted(frame.copy())
        self._cache_values()
        self.endResetModel()

    def set_header_tooltips(self, tooltips: Mapping[str, str]) -> None:
        self._tooltips = dict(tooltips)

    def row_label(self, row: int) -> Any:
        """The index label of a visible row."""
        return self._frame.index[row]

    def row_of(self, label: Any) -> int:
        """The visible row of an index label, or -1."""
        try:
            loc = self._frame.index.get_loc(label)
        except KeyError:
            return -1
        return loc if isinstance(loc, int) else -1

    def set_value(self, label: Any, column: str, value: Any) -> None:
        """Change one cell from code (no ``edited`` signal)."""
        row = self.row_of(label)
        if row < 0 or column not in self._frame.columns:
            return
        self._frame.loc[label, column] = value
        col = self.columns().index(column) if column in self.columns() else -1
        if col >= 0:
            self._values[col][row] = self._frame.iat[row, self._frame.columns.get_loc(column)]
            idx = self.index(row, col)
            self.dataChanged.emit(idx, idx)

    # QAbstractTableModel ------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._frame)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def _raw(self, index: _Index) -> Any:
        values = self._values[index.column()]
        if values is None:
            return None
        value = values[index.row()]
        if hasattr(value, "item"):  # numpy scalar (in an object column) -> Python
            value = value.item()
        return None if _is_missing(value) else value

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._frame)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = self._raw(index)
            if value is None:
                return ""
            if role == Qt.ItemDataRole.DisplayRole and isinstance(value, float):
                return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
            if role == Qt.ItemDataRole.DisplayRole and isinstance(value, int) \
                    and not isinstance(value, bool):
                return f"{value:,}"
            return str(value)
        if role == SORT_ROLE:
            return self._raw(index)
        if role == Qt.ItemDataRole.ToolTipRole:
            value = self._raw(index)
            # Cells hold imported text: shown as its characters, never as markup.
            return literal_text(value) if isinstance(value, str) and len(value) > 40 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            value = self._raw(index)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self.columnCount():
            column = self.columns()[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return self._labels[column] if self._labels is not None else column
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._tooltips.get(column)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self._frame):
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns()[index.column()] in self._editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() \
                or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        column = self.columns()[index.column()]
        value = "" if value is None else str(value).strip()
        if self._raw(index) == value or (self._raw(index) is None and value == ""):
            return False
        label = self._frame.index[index.row()]
        self._frame.iat[index.row(), self._frame.columns.get_loc(column)] = value
        self._values[index.column()][index.row()] = value
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole,
                                             Qt.ItemDataRole.EditRole])
        self.edited.emit(label, column, value)
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < self.columnCount()):
            self._sort = None  # "unsorted": the next frame keeps its own order
            return
        self.layoutAboutToBeChanged.emit()
        old = list(self._frame.index)
        self._sort = (self.columns()[column], order)
        self._frame = self._sorted(self._frame)
        self._cache_values()
        # Keep selections and persistent indexes on the same rows after sorting.
        new_rows = {label: row for row, label in enumerate(self._frame.index)}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent,
            [self.index(new_rows[old[p.row()]], p.column()) for p in persistent])
        self.layoutChanged.emit()

    def _sorted(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self._sort is None or self._sort[0] not in frame.columns or frame.empty:
            return frame
        column, order = self._sort
        series = frame[column]
        key = (lambda s: s.astype(str).str.lower()) if series.dtype == object or \
            str(series.dtype) in ("str", "string") else None
        return frame.sort_values(column, ascending=order == Qt.SortOrder.AscendingOrder,
                                 kind="stable", key=key, na_position="last")
