"""Row tables on disk: a large analysis keeps sentences, matches and mentions in a SQLite
file; what it reads back, the results.json and the CSV files equal the in-memory run's."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from article_corpus import article_corpus, assert_same

from analysis.config import AnalysisConfig
from analysis.pipeline import run_analysis
from analysis.results import Results
from analysis.table_store import TableStore

FAST = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2)


@pytest.fixture(scope="module")
def corpus():
    return article_corpus(30)


@pytest.fixture(scope="module")
def in_memory(corpus):
    return run_analysis(corpus, FAST, jobs=1, spill=False)


@pytest.fixture(scope="module")
def on_disk(corpus):
    # Blocks of 7 documents: the tables are written and kept in several parts.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("analysis.map_stage.BLOCK_DOCUMENTS", 7)
        return run_analysis(corpus, FAST, jobs=1, spill=True)


def test_row_tables_stay_on_disk_until_asked_for(on_disk):
    for name in ("sentences", "frame_matches", "marker_matches", "target_mentions"):
        assert on_disk.tables.on_disk(name), name
        assert on_disk.tables.n_rows(name) > 0
    assert not on_disk.tables.on_disk("documents")


def test_disk_backed_run_equals_the_in_memory_run(in_memory, on_disk):
    assert_same(in_memory, on_disk)  # results.json (time aside) and every table


def test_written_files_are_byte_identical(in_memory, on_disk, tmp_path):
    a, b = tmp_path / "memory", tmp_path / "disk"
    in_memory.write(a)
    on_disk.write(b)
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert "sentences.csv" in names
    for name in names:
        left, right = (a / name).read_text(encoding="utf-8"), (b / name).read_text(encoding="utf-8")
        if name == "results.json":
            left, right = (json.loads(t) for t in (left, right))
            left.pop("created"), right.pop("created")
        assert left == right, name
    loaded = Results.load(b)
    assert len(loaded.tables["sentences"]) == on_disk.tables.n_rows("sentences")


def test_drill_down_reads_one_documents_passages(in_memory, on_disk):
    wanted = ["a003", "a011"]
    got = on_disk.tables.rows_for("sentences", wanted)
    whole = in_memory.tables["sentences"]
    expected = whole[whole["doc_id"].isin(wanted)]  # row numbers of the whole table
    assert set(got["doc_id"]) == set(wanted)
    pd.testing.assert_frame_equal(got, expected)


def test_results_json_written_in_parts_equals_one_dump(in_memory):
    assert in_memory.to_json() == json.dumps(in_memory.to_dict(), ensure_ascii=False,
                                             indent=2)


def test_store_keeps_values_and_types():
    frame = pd.DataFrame({"doc_id": ["a", "a", "b"], "n": np.array([1, 2, 3], dtype=np.int64),
                          "score": [0.5, np.nan, -1.25], "negated": [True, False, True],
                          "term": ["x", "=1+1", "ü"]})
    store = TableStore()
    store.append("t", frame.iloc[:2])
    store.append("t", frame.iloc[2:])
    store.finish()
    table = store.table("t")
    pd.testing.assert_frame_equal(table.load(), frame)
    pd.testing.assert_frame_equal(table.rows_for(["b"]), frame.iloc[2:], check_index_type=False)
    path = store.path
    assert path.is_file()
    del store, table
    import gc

    gc.collect()
    assert not path.exists()  # the scratch file goes with the store


@pytest.mark.parametrize("order", [["a", "a", "b", "b", "b", "c"],
                                   ["a", "b", "a", "c", "c", "b"]])
def test_a_documents_rows_read_back_however_they_were_appended(order):
    """A document's rows and their count, whether its rows go on from one append to the
    next (read by rowid) or come back after another document's (read through an index)."""
    frame = pd.DataFrame({"doc_id": order, "n": np.arange(6, dtype=np.int64),
                          "negated": [True, False] * 3})
    store = TableStore()
    for first, last in ((0, 1), (1, 4), (4, 6)):
        store.append("t", frame.iloc[first:last])
    store.finish()
    table = store.table("t")
    for wanted in (["a"], ["c", "a"], ["b", "nobody"], []):
        pd.testing.assert_frame_equal(table.rows_for(wanted), frame[frame.doc_id.isin(wanted)],
                                      check_index_type=False)
    assert store.row_counts("t") == frame.doc_id.value_counts().to_dict()


def test_results_sent_to_another_process_carry_the_tables(in_memory, on_disk):
    # The app's worker process pickles its results: the disk tables travel as DataFrames.
    import pickle

    copy = pickle.loads(pickle.dumps(on_disk))
    assert not copy.tables.on_disk("sentences")
    pd.testing.assert_frame_equal(copy.tables["sentences"], in_memory.tables["sentences"])


def test_results_packed_for_a_clusters_client_write_the_same_files(corpus, in_memory,
                                                                    tmp_path):
    # A cluster's worker sends the row tables as their file; the client's copy, from a
    # scratch file of its own, writes and drills down as the results it was made from.
    import gc
    import pickle

    from analysis.cluster import _packed, _unpacked

    on_disk = run_analysis(corpus, FAST, jobs=1, spill=True)   # its tables not yet read
    received = _unpacked(pickle.loads(pickle.dumps(_packed(on_disk))))
    assert received.tables.on_disk("sentences") and not received.tables.on_disk("documents")
    scratch = received.tables.stored("sentences").store.path
    assert scratch != on_disk.tables.stored("sentences").store.path
    in_memory.write(tmp_path / "memory")
    received.write(tmp_path / "received")
    names = sorted(p.name for p in (tmp_path / "memory").iterdir())
    assert "sentences.csv" in names and "target_mentions.csv" in names
    assert names == sorted(p.name for p in (tmp_path / "received").iterdir())
    for name in names:
        left, right = ((tmp_path / d / name).read_bytes() for d in ("memory", "received"))
        if name == "results.json":
            left, right = (json.loads(t) for t in (left, right))
            left.pop("created"), right.pop("created")
        assert left == right, name
    pd.testing.assert_frame_equal(received.tables.rows_for("sentences", ["a003"]),
                                  on_disk.tables.rows_for("sentences", ["a003"]))
    del received
    gc.collect()
    assert not scratch.exists()   # the client's scratch file goes with its results


def test_packed_tables_that_cannot_be_written_leave_no_scratch_folder(corpus, monkeypatch,
                                                                      tmp_path):
    import tempfile

    from analysis.table_store import pack_tables, unpack_tables

    on_disk = run_analysis(corpus, FAST, jobs=1, spill=True)
    packed = pack_tables({"sentences": on_disk.tables.stored("sentences")})
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def full_disk(self, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pathlib.Path.write_bytes", full_disk)
    with pytest.raises(OSError, match="No space left"):
        unpack_tables(packed)
    assert list(tmp_path.iterdir()) == []


def _cells(con, name: str) -> list[tuple]:
    """Every row of table ``name`` with its rowid, each cell with its SQLite type (floats
    by their bits)."""
    cols = [r[1] for r in con.execute(f'PRAGMA table_info("{name}")')]
    picked = ", ".join(f'typeof("{c}"), "{c}"' for c in cols)
    return [tuple(v.hex() if isinstance(v, float) else v for v in row)
            for row in con.execute(f'SELECT rowid, {picked} FROM "{name}" ORDER BY rowid')]


@pytest.mark.parametrize("width", [1, 5, 11, 40])
@pytest.mark.parametrize("rows", [1, 31, 32, 33, 100, 1000])
def test_rows_written_as_one_statement_per_row_would(width, rows):
    """Several rows per INSERT statement store the very rows, types and rowids the
    sqlite3 module stores one statement per row (the earlier way)."""
    import sqlite3

    from analysis.table_store import _insert, _quote, _values

    rng = np.random.default_rng(rows * 100 + width)
    text = pd.StringDtype("python", na_value=np.nan)  # as the analyzers' text columns
    kinds = [
        lambda: np.array([f"doc{i // 3}" for i in range(rows)], dtype=object),
        lambda: rng.integers(-10**12, 10**12, rows),
        lambda: np.where(rng.random(rows) < 0.2, np.nan, rng.normal(size=rows) * 1e-3),
        lambda: rng.random(rows) < 0.5,
        lambda: pd.array(rng.choice(["x", "=1+1", "ü", "名", "", None], rows), dtype=text),
        lambda: np.array(rng.choice(["a", None, "b"], rows), dtype=object),
    ]
    frame = pd.DataFrame({f"c{j}": kinds[j % len(kinds)]() for j in range(width)})
    columns = [_values(frame[c]) for c in frame.columns]
    con = sqlite3.connect(":memory:")
    cols = ", ".join(_quote(c) for c in frame.columns)
    for name in ("one", "many"):
        con.execute(f"CREATE TABLE {name} ({cols})")
    con.executemany(f"INSERT INTO one VALUES ({', '.join('?' * width)})", zip(*columns, strict=True))
    _insert(con, "many", columns)
    _insert(con, "many", [c[:3] for c in columns])  # a second append goes on after it
    con.executemany(f"INSERT INTO one VALUES ({', '.join('?' * width)})",
                    zip(*[c[:3] for c in columns], strict=True))
    assert _cells(con, "many") == _cells(con, "one")
