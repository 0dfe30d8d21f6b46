"""Spreadsheet-safe CSV cells: text that starts like a formula is written as text.

A spreadsheet program runs a cell that starts with ``= + - @`` (and, in some, a tab or
carriage return before one) as a formula, so an article titled ``=HYPERLINK(...)`` could
act when an analyst opens a CSV export (OWASP "CSV injection"). Such cells get a leading
apostrophe, which spreadsheets read as "this is text" and do not show. Every CSV Sinoru
writes for people (``sinoru analyze --out``, ``sinoru report --csv``) goes through
:func:`write_csv`; :func:`restore_formulas` undoes the escape when Sinoru reads its own
CSVs back.
"""
from __future__ import annotations

import csv
import os
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.atomic import atomic_path
from analysis.names import DISPLAY_ERRORS

__all__ = ["FORMULA_STARTS", "neutralise_formulas", "restore_formulas", "write_csv",
           "write_csv_chunks", "write_table_csv"]

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPE = "'"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _needs_escape(value: object) -> bool:
    if not isinstance(value, str) or not value:
        return False
    if value.startswith(FORMULA_STARTS):
        return not _is_number(value)  # "-0.5" is a number, not a formula
    # An apostrophe already in front of a formula start is escaped too, so that
    # restore_formulas gives back exactly what was written.
    return value[0] == _ESCAPE and _needs_escape(value[1:])


def _text_columns(frame: pd.DataFrame) -> list:
    return [c for c in frame.columns
            if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])]


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose formula-like text cells start with an apostrophe."""
    out = frame.copy()
    for col in _text_columns(out):
        values = out[col]
        first = values.map(lambda v: v[:1] if isinstance(v, str) else "")
        candidates = first.isin([*FORMULA_STARTS, _ESCAPE])  # cheap pre-filter
        if candidates.any():  # a list keeps None as None (.loc would make it NaN)
            out[col] = [_ESCAPE + v if c and _needs_escape(v) else v
                        for v, c in zip(values, candidates, strict=True)]
    return out


def restore_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`neutralise_formulas` (for CSVs Sinoru wrote itself)."""
    out = frame.copy()
    for col in _text_columns(out):
        values = out[col]
        escaped = values.map(lambda v: isinstance(v, str) and v[:1] == _ESCAPE
                             and _needs_escape(v[1:]))
        if escaped.any():
            out[col] = [v[1:] if e else v for v, e in zip(values, escaped, strict=True)]
    return out


_CANDIDATE_STARTS = frozenset([*FORMULA_STARTS, _ESCAPE])


def _csv_cells(frame: pd.DataFrame) -> list[list] | None:
    """The cells of ``frame``, column by column, as pandas' ``to_csv`` hands them to the
    csv writer, formula-like text escaped as :func:`neutralise_formulas` does; None for
    a frame with a column type this does not cover (``to_csv`` then writes it).

    Why: ``to_csv`` formats each block through several array copies, and the escape
    copied the whole frame first; the big tables (frame matches, target mentions) are
    written about a third faster this way, to the same bytes
    (tests/analysis/test_csv_writer_equal.py).
    """
    if not len(frame.columns) or isinstance(frame.columns, pd.MultiIndex):
        return None
    columns = []
    for _name, values in frame.items():
        dtype = values.dtype
        if isinstance(dtype, np.dtype) and dtype.kind in "iub":
            columns.append(values.to_numpy().tolist())  # str(int), str(bool) as to_csv
        elif dtype == np.float64:
            array = values.to_numpy()
            cells = array.tolist()  # repr(float): the shortest form, as numpy's astype(str)
            for i in np.flatnonzero(np.isnan(array)).tolist():
                cells[i] = ""
            columns.append(cells)
        elif (isinstance(dtype, np.dtype) and dtype.kind == "O") or isinstance(dtype,
                                                                             pd.StringDtype):
            array = values.to_numpy(dtype=object)
            cells = array.tolist()
            for i in np.flatnonzero(pd.isna(array)).tolist():
                cells[i] = ""
            columns.append([_ESCAPE + v if isinstance(v, str) and v[:1] in _CANDIDATE_STARTS
                            and _needs_escape(v) else v for v in cells])
        else:  # dates, categories, nullable numbers, float32: to_csv's own formatting
            return None
    return columns


def _write_frame(frame: pd.DataFrame, fh, header: bool) -> None:
    """One table (or part of one) into the open text file ``fh``, CRLF rows."""
    columns = _csv_cells(frame)
    if columns is None:
        neutralise_formulas(frame).to_csv(fh, index=False, header=header,
                                          lineterminator="\r\n")
        return
    # The csv writer's defaults are the dialect to_csv uses (minimal quoting, "" escapes).
    writer = csv.writer(fh, lineterminator="\r\n")
    if header:
        writer.writerow(list(frame.columns))
    writer.writerows(zip(*columns, strict=True))


def write_csv(frame: pd.DataFrame, target: str | os.PathLike[str],
              encoding: str = "utf-8") -> None:
    """Write ``frame`` (without its index) as a spreadsheet-safe CSV file, atomically.

    A file name that is not valid UTF-8 is written readably as ``caf\\xe9.txt``
    (see :mod:`analysis.names`).

    Rows end in CRLF (RFC 4180): Python's csv writer quotes a field holding a line break
    only when the break is part of the line terminator, so with plain LF a bare CR inside
    a title would end the row in a spreadsheet and start a new, unescaped cell.
    """
    write_csv_chunks([frame], target, encoding)


def write_csv_chunks(frames: Iterable[pd.DataFrame], target: str | os.PathLike[str],
                     encoding: str = "utf-8") -> None:
    """:func:`write_csv` for a table given in consecutive parts (the same columns): the
    same file, written part by part, so a table read from disk is never held whole."""
    with atomic_path(target) as tmp, open(tmp, "w", encoding=encoding, errors=DISPLAY_ERRORS,
                                          newline="") as fh:
        for n, frame in enumerate(frames):
            _write_frame(frame, fh, header=n == 0)


def _escaped(value):
    """A cell as :func:`_csv_cells` writes it after its pre-filter (a text cell that
    starts with one of :data:`_CANDIDATE_STARTS`)."""
    return _ESCAPE + value if isinstance(value, str) and _needs_escape(value) else value


def write_table_csv(table, target: str | os.PathLike[str], encoding: str = "utf-8") -> None:
    """:func:`write_csv_chunks` of a table on disk (``table.chunks()``), to the same bytes.

    A table that can hand over its rows as the CSV writer takes them
    (:meth:`analysis.table_store.SpilledTable.csv_chunks`: the formula-like text cells
    escaped by this module's rule, as SQLite reads them) is written from those rows
    without making DataFrames: for the large row tables that was about a third of the
    time, and the cells' Python-level checks another fifth
    (tests/analysis/test_table_csv.py).
    """
    rows = getattr(table, "csv_chunks", None)
    chunks = rows(_escaped, "".join(sorted(_CANDIDATE_STARTS))) if rows is not None else None
    if chunks is None:
        write_csv_chunks(table.chunks(), target, encoding)
        return
    with atomic_path(target) as tmp, open(tmp, "w", encoding=encoding, errors=DISPLAY_ERRORS,
                                          newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        for n, part in enumerate(chunks):
            if n == 0:  # no rows, no header: as write_csv_chunks without a part
                writer.writerow(list(table.columns))
            writer.writerows(part)
