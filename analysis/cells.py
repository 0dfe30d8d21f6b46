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

import os
from collections.abc import Iterable

import pandas as pd

from analysis.atomic import atomic_path
from analysis.names import DISPLAY_ERRORS

__all__ = ["FORMULA_STARTS", "neutralise_formulas", "restore_formulas", "write_csv",
           "write_csv_chunks"]

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


def write_csv(frame: pd.DataFrame, target: str | os.PathLike[str],
              encoding: str = "utf-8") -> None:
    """Write ``frame`` (without its index) as a spreadsheet-safe CSV file, atomically.

    A file name that is not valid UTF-8 is written readably as ``caf\\xe9.txt``
    (see :mod:`analysis.names`).

    Rows end in CRLF (RFC 4180): Python's csv writer quotes a field holding a line break
    only when the break is part of the line terminator, so with plain LF a bare CR inside
    a title would end the row in a spreadsheet and start a new, unescaped cell.
    """
    with atomic_path(target) as tmp:
        neutralise_formulas(frame).to_csv(tmp, index=False, encoding=encoding,
                                          lineterminator="\r\n", errors=DISPLAY_ERRORS)


def write_csv_chunks(frames: Iterable[pd.DataFrame], target: str | os.PathLike[str],
                     encoding: str = "utf-8") -> None:
    """:func:`write_csv` for a table given in consecutive parts (the same columns): the
    same file, written part by part, so a table read from disk is never held whole."""
    with atomic_path(target) as tmp, open(tmp, "w", encoding=encoding, errors=DISPLAY_ERRORS,
                                          newline="") as fh:
        for n, frame in enumerate(frames):
            neutralise_formulas(frame).to_csv(fh, index=False, header=n == 0,
                                              lineterminator="\r\n")
