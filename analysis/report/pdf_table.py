"""fpdf2's table, measured once.

The report keeps a table's start together (its note, header and first rows, or the whole
table when it fits on a page), so it needs the rows' heights before drawing. It used to
measure every row itself, and then fpdf2 measured them all again before drawing them: each
cell's text was broken into lines three times. Here fpdf2's own measure is taken once and
the table is drawn with it, so the heights that decide the page breaks are exactly the
heights drawn.
"""
from __future__ import annotations

from fpdf.table import Table

__all__ = ["MeasuredTable"]


class MeasuredTable(Table):
    """An ``fpdf.table.Table`` whose rows are measured once, by :meth:`row_heights`."""

    _rows_info: list | None = None

    def row_heights(self) -> list[float]:
        """Height (mm) of every row, header first, as the table will draw them."""
        if self._rows_info is None:
            # As Table.render() does before it measures.
            self._cols_count = max(row.cols_count for row in self.rows) if self.rows else 0
            self._rows_info = list(super()._compute_rows_info())
        return [info.pagebreak_height for info in self._rows_info]

    def _compute_rows_info(self):
        self.row_heights()
        return iter(self._rows_info)
