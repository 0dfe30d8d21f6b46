"""Write an analysis's results into a folder on every core.

A large analysis keeps its row tables (sentences, frame and marker matches, target
mentions) in a scratch SQLite file (:mod:`analysis.table_store`). Turning them into CSV
files was most of the time ``sinoru analyze`` spent writing, on one core. Here worker
processes copy them from that file, each table into its own CSV, while this process
writes results.json and the tables held in memory. The files are the ones
:meth:`analysis.results.Results.write` writes: the same code writes each of them.
"""
from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

from analysis.results import Results, Tables

__all__ = ["write_results"]


def write_results(results: Results, out_dir: str | Path, jobs: int | None = None) -> None:
    """:meth:`Results.write` into ``out_dir``, the row tables on disk written by up to
    ``jobs`` worker processes (default: one per core). OSError names what failed."""
    from analysis.map_stage import default_jobs

    tables = results.tables
    on_disk = sorted((name for name in tables if tables.on_disk(name)),
                     key=lambda name: -tables.n_rows(name))   # the longest first
    # A daemonic process (e.g. the app's worker) may not start processes of its own.
    if not on_disk or multiprocessing.current_process().daemon:
        results.write(out_dir)
        return
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    jobs = max(1, min(len(on_disk), jobs or default_jobs()))
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        copies = []
        for name in on_disk:
            table = tables.stored(name)
            copies.append(pool.apply_async(_copy_table, (
                str(table.store.path), table.name, table.columns, table.dtypes, len(table),
                str(out / f"{name}.csv"))))
        Results(results.data, Tables({name: tables.stored(name) for name in tables
                                      if name not in on_disk})).write(out)
        for copy in copies:
            copy.get()   # a worker's OSError is raised here


class _FileStore:
    """One table of a finished :class:`analysis.table_store.TableStore`, opened read-only
    from its file in another process: what :class:`SpilledTable` reads of a store."""

    def __init__(self, path: str, name: str, columns: list, dtypes: dict, rows: int) -> None:
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self._columns, self._dtypes, self._rows = {name: columns}, {name: dtypes}, {name: rows}

    def _query(self, sql: str, params=()):
        from analysis.table_store import CHUNK_ROWS

        cursor = self._con.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield rows


def _copy_table(path: str, name: str, columns: list, dtypes: dict, rows: int,
                target: str) -> None:
    """Write spilled table ``name`` of the SQLite file ``path`` as the CSV ``target``
    (in a worker process), in parts as :meth:`Results.write` does."""
    from analysis.cells import write_csv_chunks
    from analysis.table_store import SpilledTable

    store = _FileStore(path, name, columns, dtypes, rows)
    try:
        write_csv_chunks(SpilledTable(store, name).chunks(), target)
    finally:
        store._con.close()
