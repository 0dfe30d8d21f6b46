"""Write an analysis's results into a folder on every core.

A large analysis keeps its row tables (sentences, frame and marker matches, target
mentions) in a scratch SQLite file (:mod:`analysis.table_store`). Turning them into CSV
files was most of the time ``sinoru analyze`` spent writing, on one core. Here worker
processes copy them from that file, each table into its own CSV, while this process
writes results.json and the tables held in memory. The files are the ones
:meth:`analysis.results.Results.write` writes: the same code writes each of them.

The row tables are final once the documents are measured, while the groups are still
to be compared on one core: :class:`TableCopies` starts copying them then, into a scratch
folder inside the results folder, and moves each file into place only when the rest of
the results is written (a run that fails or is cancelled leaves no file of its own).
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

from analysis.results import Results, Tables

__all__ = ["write_results", "TableCopies"]


def _pool(jobs: int):
    return multiprocessing.get_context("spawn").Pool(jobs)


class TableCopies:
    """CSV files of row tables on disk, written by worker processes from the moment the
    tables are final (see the module's doc). :func:`write_results` skips these tables and
    calls :meth:`finish`; whoever starts the copies calls :meth:`cancel` when the results
    will not be written (it does nothing after :meth:`finish`)."""

    def __init__(self, tables: dict, out_dir: str | Path, jobs: int) -> None:
        """Start copying ``tables`` (``name -> SpilledTable``) on ``jobs`` processes.
        OSError when the results folder cannot be made."""
        self.out = Path(out_dir)
        self._made = not self.out.exists()
        self.out.mkdir(parents=True, exist_ok=True)
        self._scratch = Path(tempfile.mkdtemp(prefix=".sinoru-tables-", dir=self.out))
        self.where = {name: table.where() for name, table in tables.items()}
        names = sorted(tables, key=lambda name: -len(tables[name]))   # the longest first
        self._pool = _pool(max(1, min(len(names), jobs)))
        self._copies = {name: self._pool.apply_async(
            _copy_table, (self.where[name], str(self._scratch / f"{name}.csv")))
            for name in names}

    def covers(self, name: str, table) -> bool:
        """Whether the CSV of ``table`` (table ``name`` of the results) is being written."""
        return name in self.where and getattr(table, "where", None) is not None \
            and table.where() == self.where[name]

    def finish(self) -> None:
        """Wait for every copy (a worker's OSError is raised here), then move the files
        into the results folder."""
        try:
            for copy in self._copies.values():
                copy.get()
            for name in self._copies:
                os.replace(self._scratch / f"{name}.csv", self.out / f"{name}.csv")
        finally:
            self._close(remove_folder=False)

    def cancel(self) -> None:
        """Stop the copies and remove what they wrote (and the results folder, when it
        was made for them and is left empty)."""
        if self._pool is None:
            return
        self._close(remove_folder=self._made)

    def _close(self, remove_folder: bool) -> None:
        if self._pool is None:
            return
        self._pool.terminate()
        self._pool.join()
        self._pool = None
        shutil.rmtree(self._scratch, ignore_errors=True)
        if remove_folder:
            try:
                self.out.rmdir()
            except OSError:
                pass  # not empty: it holds other files now


def write_results(results: Results, out_dir: str | Path, jobs: int | None = None,
                  started: TableCopies | None = None) -> None:
    """:meth:`Results.write` into ``out_dir``, the row tables on disk written by up to
    ``jobs`` worker processes (default: one per core), those of ``started`` by its own
    (then finished). OSError names what failed."""
    from analysis.map_stage import default_jobs

    tables = results.tables
    copied = {name for name in tables
              if started is not None and started.covers(name, tables.stored(name))}
    on_disk = sorted((name for name in tables if tables.on_disk(name) and name not in copied),
                     key=lambda name: -tables.n_rows(name))   # the longest first
    # A daemonic process (e.g. the app's worker) may not start processes of its own.
    if not on_disk or multiprocessing.current_process().daemon:
        Results(results.data, Tables({name: tables.stored(name) for name in tables
                                      if name not in copied})).write(out_dir)
        if started is not None:
            started.finish()
        return
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    jobs = max(1, min(len(on_disk), jobs or default_jobs()))
    with _pool(jobs) as pool:
        copies = []
        for name in on_disk:
            copies.append(pool.apply_async(_copy_table, (tables.stored(name).where(),
                                                         str(out / f"{name}.csv"))))
        Results(results.data, Tables({name: tables.stored(name) for name in tables
                                      if name not in on_disk and name not in copied})
                ).write(out)
        for copy in copies:
            copy.get()   # a worker's OSError is raised here
    if started is not None:
        started.finish()


def _copy_table(where: tuple, target: str) -> None:
    """Write the spilled table at ``where`` (:meth:`SpilledTable.where`) as the CSV
    ``target`` (in a worker process), in parts as :meth:`Results.write` does."""
    from analysis.cells import write_table_csv
    from analysis.table_store import open_spilled

    write_table_csv(open_spilled(*where), target)
