"""All report tables as one XLSX workbook: one sheet per table, styled frozen header row."""
from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from analysis.atomic import atomic_path

__all__ = ["write_workbook"]

_MAX_CELL = 32767  # Excel's limit on characters in a cell


def _cell_value(v):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if v is None:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()  # numpy scalar
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (list, tuple, dict)):
        v = str(v)
    if isinstance(v, str):
        v = ILLEGAL_CHARACTERS_RE.sub("", v)[:_MAX_CELL]
    return v


def write_workbook(tables: Sequence, path: Path) -> Path:
    """Write ``tables`` (each with ``name``, ``title``, ``frame``) into ``path`` atomically."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from analysis.report.tables import sheet_name

    # Convert every value first: a bad value then fails before the workbook is streamed.
    prepared = []
    for table in tables:
        rows = []
        for row in table.frame.itertuples(index=False, name=None):
            rows.append([_cell_value(v) for v in row])
        prepared.append((table, rows))

    wb = Workbook(write_only=True)
    used: set[str] = set()
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="0072B2")
    for table, rows in prepared:
        ws = wb.create_sheet(sheet_name(table.name, used))
        frame = table.frame
        ws.freeze_panes = "A2"
        for j, col in enumerate(frame.columns, 1):
            sample = [len(str(col))] + [len(str(r[j - 1])) for r in rows[:50]]
            ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, max(sample) + 2))
        header = []
        for col in frame.columns:
            cell = WriteOnlyCell(ws, value=str(col))
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(vertical="center")
            header.append(cell)
        ws.append(header)
        for row in rows:
            out = []
            for v in row:
                if isinstance(v, str) and v.startswith("="):
                    # Article text must stay text, never become a formula.
                    cell = WriteOnlyCell(ws, value=v)
                    cell.data_type = "s"
                    out.append(cell)
                else:
                    out.append(v)
            ws.append(out)
    if not tables:
        wb.create_sheet("empty")
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
