"""The detail tables of a project file, read only when and as far as they are needed.

Two kinds, so that opening a project parses none of its large tables:

- :class:`CsvTable`: a table kept as the CSV text the file holds (the small tables, and
  every table of a project saved before the row tables were indexed), parsed the first
  time it is asked for.
- :class:`ProjectTable`: a row-level table (sentences, frame and marker matches, target
  mentions) stored as an SQLite table of its own with an index on ``doc_id``. A drill-down
  or the document view reads only the rows it shows, straight from the file; nothing is
  parsed whole.

:func:`write_row_table` stores a row table in a file being saved and
:func:`read_row_tables` lists those of a file being opened.
"""
from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pandas as pd

from analysis.names import has_surrogates
from analysis.results import read_table_csv

__all__ = ["CsvTable", "ProjectTable", "ProjectTableError", "ROW_TABLES", "matching_rows",
           "document_rows", "read_row_tables", "write_row_table", "ROW_TABLES_DDL"]

#: The row-level tables, stored indexed by document (the others stay CSV text).
ROW_TABLES = ("sentences", "frame_matches", "target_mentions", "marker_matches")

#: The catalogue of a file's row tables: their columns with pandas dtypes (JSON), their
#: row count, and a token naming this exact content (kept when a table is copied
#: unchanged into the next save), so a table is never read from a file that has since
#: been replaced by another project.
ROW_TABLES_DDL = """
CREATE TABLE row_tables (name TEXT PRIMARY KEY, columns TEXT NOT NULL, dtypes TEXT NOT NULL,
    n_rows INTEGER NOT NULL, token TEXT NOT NULL);
"""

#: Indexes beside the one on ``doc_id``, for what a drill-down asks: the rows of one
#: frame, target or marker in table order, and the most strongly toned sentences first.
_INDEXES = {"frame_matches": ("codebook", "frame"), "target_mentions": ("target",),
            "marker_matches": ("marker",), "sentences": ("abs(compound) DESC",)}

#: Rows fetched at a time when a table is filtered: a drill-down stops after the first
#: few parts once each group has its passages.
_PART_ROWS = 2_000
#: Rows fetched at a time when a table is read whole (fewer, larger parts are cheaper).
_WHOLE_ROWS = 100_000


class ProjectTableError(Exception):
    """A row table that can no longer be read from its project file (moved, replaced)."""


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _sql_name(name: str) -> str:
    return _quote(f"rows:{name}")


def _db_value(value):
    """A cell for SQLite: text that is not valid Unicode as its exact UTF-8 bytes."""
    if isinstance(value, str) and has_surrogates(value):
        return value.encode("utf-8", "surrogatepass")
    return value


class CsvTable:
    """One ``results`` table of a ``.sinoru`` file as its UTF-8 CSV bytes.

    Used as a value of :class:`analysis.results.Tables`, which calls :meth:`load` on the
    first ``tables[name]`` and then holds the DataFrame; saving writes :attr:`csv`
    unchanged when the table was never read. Safe to load from several threads.
    """

    def __init__(self, name: str, csv: bytes) -> None:
        self.name = name
        self.csv = csv
        self._lock = threading.Lock()
        self._frame: pd.DataFrame | None = None

    def __repr__(self) -> str:
        return f"CsvTable({self.name!r}, {len(self.csv):,} bytes)"

    def load(self) -> pd.DataFrame:
        """The table as the analysis made it (values exact, undecodable names included)."""
        with self._lock:
            if self._frame is None:
                self._frame = parse_csv(self.csv)
            return self._frame

    def __len__(self) -> int:
        return len(self.load())

    def chunks(self) -> Iterator[pd.DataFrame]:
        yield self.load()

    def rows_for(self, doc_ids: Iterable[str]) -> pd.DataFrame:
        frame = self.load()
        if "doc_id" not in frame.columns:
            return frame.iloc[0:0]
        return frame[frame["doc_id"].isin(list(doc_ids))]


def parse_csv(csv: bytes) -> pd.DataFrame:
    """A table saved by ``DataFrame.to_csv(index=False)`` (text, then UTF-8 with
    "surrogatepass"); an empty or damaged table reads as an empty DataFrame."""
    try:
        return read_table_csv(io.BytesIO(csv), encoding="utf-8",
                              encoding_errors="surrogatepass")
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        return pd.DataFrame()


class ProjectTable:
    """A row table stored in a project file, read from it by document or by value.

    Each read opens the file read-only for as long as it takes (a file held open could not
    be replaced by the next save on every system) and checks that the file still holds
    this very table (:attr:`token`). After a save under another name the table is read
    from the new file (:meth:`moved_to`).
    """

    def __init__(self, path: str | Path, name: str, columns: list[str],
                 dtypes: dict[str, str], n_rows: int, token: str) -> None:
        self.path = str(path)
        self.name = name
        self.columns = list(columns)
        self.dtypes = dict(dtypes)
        self.n_rows = n_rows
        self.token = token

    def __repr__(self) -> str:
        return f"ProjectTable({self.name!r}, {self.n_rows:,} rows)"

    def __len__(self) -> int:
        return self.n_rows

    def moved_to(self, path: str | Path) -> None:
        """Read from ``path`` from now on: a save wrote this table there, unchanged."""
        self.path = str(path)

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            con = sqlite3.connect(f"{Path(self.path).resolve().as_uri()}?mode=ro", uri=True,
                                  check_same_thread=False)
        except sqlite3.Error as exc:
            raise ProjectTableError(f"{self.path}: {exc}") from exc
        try:
            row = con.execute("SELECT token FROM row_tables WHERE name = ?",
                              (self.name,)).fetchone()
            if row is None or row[0] != self.token:
                raise ProjectTableError(f"{Path(self.path).name} no longer holds this "
                                        f"project's table {self.name}")
            yield con
        except sqlite3.Error as exc:
            raise ProjectTableError(f"{Path(self.path).name}: {exc}") from exc
        finally:
            con.close()

    def _frame(self, rows: list[tuple], index: list[int] | None = None,
               columns: list[str] | None = None) -> pd.DataFrame:
        columns = self.columns if columns is None else columns
        frame = pd.DataFrame.from_records(rows, columns=columns, coerce_float=False)
        for column in columns:
            dtype = self.dtypes[column]
            values = frame[column]
            if values.dtype == object and any(type(v) is bytes for v in values):
                # Text that was not valid Unicode, stored as its bytes.
                values = frame[column] = pd.Series(
                    [v.decode("utf-8", "surrogatepass") if type(v) is bytes else v
                     for v in values], index=values.index, dtype=object)
            if str(values.dtype) != dtype:
                frame[column] = values.astype(dtype)
        if index is not None:
            frame.index = pd.Index(index, dtype="int64")
        return frame

    def _parts(self, sql: str, params: Iterable = (), columns: list[str] | None = None,
               size: int = _PART_ROWS) -> Iterator[pd.DataFrame]:
        """The rows of ``SELECT rowid, <columns> ...`` as DataFrames indexed by their row
        number in the whole table, ``size`` rows at a time."""
        with self._connection() as con:
            cursor = con.execute(sql, tuple(params))
            while rows := cursor.fetchmany(size):
                yield self._frame([r[1:] for r in rows], [r[0] - 1 for r in rows], columns)

    def _select(self, where: str = "", order: str = "rowid",
                columns: list[str] | None = None) -> str:
        cols = ", ".join(_quote(c) for c in (self.columns if columns is None else columns))
        return (f"SELECT rowid, {cols} FROM {_sql_name(self.name)}"
                + (f" WHERE {where}" if where else "") + f" ORDER BY {order}")

    def chunks(self) -> Iterator[pd.DataFrame]:
        """The whole table in row order, in parts."""
        if not self.columns:
            yield pd.DataFrame()
            return
        yield from self._parts(self._select(), size=_WHOLE_ROWS)

    def load(self) -> pd.DataFrame:
        """The whole table (what the analysis held)."""
        parts = list(self.chunks())
        frame = parts[0] if len(parts) == 1 else (
            pd.concat(parts) if parts else self._frame([]))
        return frame.reset_index(drop=True)

    def rows_for(self, doc_ids: Iterable[str], columns: list[str] | None = None
                 ) -> pd.DataFrame:
        """The rows of the documents ``doc_ids`` (only ``columns``, when given), in table
        order, indexed by their row number in the whole table (read through the index on
        ``doc_id``)."""
        wanted = [_db_value(str(d)) for d in dict.fromkeys(doc_ids)]
        columns = self.columns if columns is None else [c for c in columns
                                                        if c in self.columns]
        if "doc_id" not in self.columns or not wanted:
            return self._frame([], columns=columns)
        parts = []
        for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
            part = wanted[start:start + 500]
            parts.extend(self._parts(self._select(
                f"doc_id IN ({', '.join('?' * len(part))})", columns=columns), part, columns))
        if not parts:
            return self._frame([], columns=columns)
        return pd.concat(parts).sort_index() if len(parts) > 1 else parts[0]

    def select(self, equal: Mapping[str, str], strongest: str | None = None
               ) -> Iterator[pd.DataFrame]:
        """Rows whose columns ``equal`` hold the given text, in table order (or the largest
        absolute ``strongest`` first, ties in table order), a part at a time."""
        if any(c not in self.columns for c in equal) or (
                strongest is not None and strongest not in self.columns):
            return
        # A text column is compared as stored (so its index is used); any other as text,
        # as the table in memory is filtered (``astype(str)``).
        where = " AND ".join(
            f"{_quote(c)} = ?" if self.dtypes.get(c) in ("str", "object") else
            f"CAST({_quote(c)} AS TEXT) = ?" for c in equal)
        order = f"abs({_quote(strongest)}) DESC, rowid" if strongest else "rowid"
        yield from self._parts(self._select(where, order),
                               [_db_value(v) for v in equal.values()])


def write_row_table(con: sqlite3.Connection, name: str, table, sources: dict[str, str]
                    ) -> ProjectTable | None:
    """Store row table ``name`` in the project file being written through ``con``.

    A :class:`ProjectTable` is copied inside SQLite from its file, which must be attached
    as the schema ``sources[its path]``; any other table (a DataFrame, a table of an older
    project) is written from its rows. Returns the stored :class:`ProjectTable` when it was
    copied unchanged (it may then be read from the new file), else None.
    """
    if isinstance(table, ProjectTable):
        source = sources[table.path]
        found = con.execute(f"SELECT token FROM {source}.row_tables WHERE name = ?",
                            (name,)).fetchone()
        if found is None or found[0] != table.token:
            raise ProjectTableError(f"{Path(table.path).name} no longer holds this project's "
                                    f"table {name}")
        _create(con, name, table.columns)
        if table.columns:
            cols = ", ".join(_quote(c) for c in table.columns)
            con.execute(f"INSERT INTO {_sql_name(name)} ({cols}) SELECT {cols} FROM "
                        f"{source}.{_sql_name(name)} ORDER BY rowid")
        _catalogue(con, name, table.columns, table.dtypes, table.n_rows, table.token)
        return table
    columns: list[str] | None = None
    dtypes: dict[str, str] = {}
    n_rows = 0
    for part in _parts_of(table):
        if columns is None:
            columns = [str(c) for c in part.columns]
            dtypes = {str(c): str(t) for c, t in part.dtypes.items()}
            _create(con, name, columns)
        if not len(part) or not columns:
            continue
        values = [part[c].tolist() for c in part.columns]
        for i, c in enumerate(part.columns):
            # Text (object or str) as _db_value stores it; one check per column first,
            # since a cell that is not valid Unicode is rare.
            if part[c].dtype.kind not in "biuf" and has_surrogates(
                    "".join(v for v in values[i] if type(v) is str)):
                values[i] = [_db_value(v) for v in values[i]]
        con.executemany(f"INSERT INTO {_sql_name(name)} VALUES ({', '.join('?' * len(values))})",
                        zip(*values, strict=True))
        n_rows += len(part)
    _catalogue(con, name, columns or [], dtypes, n_rows, uuid.uuid4().hex)
    return None


#: Rows written at a time: their cells as Python objects are a few times the table's
#: size in memory, so a large table is never converted whole.
_WRITE_ROWS = 50_000


def _parts_of(table) -> Iterator[pd.DataFrame]:
    for chunk in ([table] if isinstance(table, pd.DataFrame) else table.chunks()):
        if len(chunk) <= _WRITE_ROWS:
            yield chunk
            continue
        for start in range(0, len(chunk), _WRITE_ROWS):
            yield chunk.iloc[start:start + _WRITE_ROWS]


def _create(con: sqlite3.Connection, name: str, columns: list[str]) -> None:
    if columns:  # SQLite has no table without columns: an empty one is catalogued only
        con.execute(f"CREATE TABLE {_sql_name(name)} ({', '.join(map(_quote, columns))})")
        if "doc_id" in columns:
            con.execute(f"CREATE INDEX {_quote(f'rows:{name}:doc_id')} "
                        f"ON {_sql_name(name)} (doc_id)")
        keys = _INDEXES.get(name, ())
        if keys and all(k.removeprefix("abs(").split(")")[0] in columns for k in keys):
            con.execute(f"CREATE INDEX {_quote(f'rows:{name}:drill')} "
                        f"ON {_sql_name(name)} ({', '.join(keys)})")


def _catalogue(con, name, columns, dtypes, n_rows, token) -> None:
    con.execute("INSERT INTO row_tables VALUES (?, ?, ?, ?, ?)",
                (_db_value(name), json.dumps(columns), json.dumps(dtypes), n_rows, token))


def read_row_tables(con: sqlite3.Connection, path: str | Path) -> dict[str, ProjectTable]:
    """The row tables of the project file open as ``con`` (none in older files)."""
    if con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'row_tables'"
                   ).fetchone() is None:
        return {}
    return {name: ProjectTable(path, name, json.loads(columns), json.loads(dtypes), n, token)
            for name, columns, dtypes, n, token in con.execute(
                "SELECT name, columns, dtypes, n_rows, token FROM row_tables")}


def matching_rows(tables, name: str, equal: Mapping[str, str] | None = None,
                  strongest: str | None = None) -> Iterator[pd.DataFrame]:
    """Rows of table ``name`` (of :class:`analysis.results.Tables`) whose columns
    ``equal`` hold the given text, in table order or the largest absolute ``strongest``
    first, a part at a time: a stored row table is read from its file only as far as it
    is consumed, any other table is filtered in memory."""
    equal = dict(equal or {})
    if name not in tables:
        return
    stored = tables.stored(name)
    if isinstance(stored, ProjectTable):
        yield from stored.select(equal, strongest)
        return
    frame = tables[name]
    if frame.empty or any(c not in frame.columns for c in equal):
        return
    for column, value in equal.items():
        frame = frame[frame[column].astype(str) == value]
    if strongest is not None:
        if strongest not in frame.columns:
            return
        frame = frame.assign(_strength=frame[strongest].abs()).sort_values(
            "_strength", ascending=False, kind="mergesort").drop(columns="_strength")
    yield frame


def document_rows(tables, name: str, doc_ids: Iterable[str],
                  columns: list[str] | None = None) -> pd.DataFrame:
    """The rows of table ``name`` (of :class:`analysis.results.Tables`) that belong to the
    documents ``doc_ids`` (only ``columns`` of them, when given), in table order: a
    stored row table reads only those rows; an empty DataFrame when the table is absent
    or has no ``doc_id``."""
    if name not in tables:
        return pd.DataFrame()
    stored = tables.stored(name)
    if isinstance(stored, ProjectTable):
        return stored.rows_for(doc_ids, columns)
    frame = tables[name]
    if frame.empty or "doc_id" not in frame.columns:
        return pd.DataFrame()
    # As text: a table parsed from CSV reads ids such as "2024" as numbers.
    rows = frame[frame["doc_id"].astype(str).isin({str(d) for d in doc_ids})]
    return rows if columns is None else rows[[c for c in columns if c in rows.columns]]
