"""CPU seconds of writing an analysis's row tables to its scratch SQLite file
(:meth:`analysis.table_store.TableStore.append`, in the analysing process).

Runs the analysis once (untimed; its row tables on disk, as for a corpus of 2,000
articles or more), keeping every block of rows the run appended. Then appends those
blocks to a new store ``--repeat`` times each way, alternating: one INSERT statement per
row (the earlier way, kept here as the reference) and the store's own
(:func:`analysis.table_store._insert`, several rows per statement), and checks that the
two files hold the same rows (rowid, SQLite type and value of every cell).

Usage::

    python -m benchmarks.bench_table_store --corpus DIR [--repeat 3]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from benchmarks._common import print_table
from benchmarks.bench_tools import load_corpus


def _one_per_statement(con, name: str, columns: list[list]) -> None:
    from analysis.table_store import _quote

    marks = ", ".join("?" * len(columns))
    con.executemany(f"INSERT INTO {_quote(name)} VALUES ({marks})",
                    zip(*columns, strict=True))


def _rows(store) -> list[tuple]:
    """Every cell of every table of ``store``: rowid, SQLite type, value (floats by bits)."""
    from analysis.table_store import _quote

    out = []
    for name in sorted(store._columns):
        cols = ", ".join(f"typeof({_quote(c)}), {_quote(c)}" for c in store._columns[name])
        for row in store._con.execute(f"SELECT rowid, {cols} FROM {_quote(name)} "
                                      "ORDER BY rowid"):
            out.append((name, *(v.hex() if isinstance(v, float) else v for v in row)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from analysis import table_store
    from analysis.config import AnalysisConfig
    from analysis.pipeline import run_analysis

    blocks = []
    append = table_store.TableStore.append

    def keep(self, name, frame):
        blocks.append((name, frame))
        append(self, name, frame)

    table_store.TableStore.append = keep
    try:
        run_analysis(load_corpus(args.corpus), AnalysisConfig(), spill=True)
    finally:
        table_store.TableStore.append = append
    ways = {"one row per statement": _one_per_statement, "store (_insert)": table_store._insert}
    times: dict[str, list[float]] = {way: [] for way in ways}
    stored = {}
    own = table_store._insert
    for _ in range(args.repeat):
        for way, insert in ways.items():
            table_store._insert = insert
            try:
                store = table_store.TableStore()
                c0 = time.process_time()
                for name, frame in blocks:
                    store.append(name, frame)
                store.finish()
                times[way].append(time.process_time() - c0)
            finally:
                table_store._insert = own
            stored.setdefault(way, _rows(store))
    same = all(found == stored["one row per statement"] for found in stored.values())
    rows = sum(len(frame) for _, frame in blocks)
    print(f"{len(blocks)} appends, {rows:,} rows; the same rows both ways: {same}")
    print_table(["way", f"CPU s (median of {args.repeat})", "µs per row"],
                [[way, statistics.median(t), 1e6 * statistics.median(t) / max(rows, 1)]
                 for way, t in times.items()])
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
