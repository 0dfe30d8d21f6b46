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
            copies.append(pool.apply_async(_copy_table, (tables.stored(name).where(),
                                                         str(out / f"{name}.csv"))))
        Results(results.data, Tables({name: tables.stored(name) for name in tables
                                      if name not in on_disk})).write(out)
        for copy in copies:
            copy.get()   # a worker's OSError is raised here


def _copy_table(where: tuple, target: str) -> None:
    """Write the spilled table at ``where`` (:meth:`SpilledTable.where`) as the CSV
    ``target`` (in a worker process), in parts as :meth:`Results.write` does."""
    from analysis.cells import write_table_csv
    from analysis.table_store import open_spilled

    write_table_csv(open_spilled(*where), target)
