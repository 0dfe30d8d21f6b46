"""results.json written in parts (a project's save, ``--out``) is exactly one indented dump
of the results, however many rows its lists hold, and leaves next to no cyclic garbage
for the app's collector to walk while a large project is saved."""
from __future__ import annotations

import gc
import json
import math

import numpy as np

from analysis.names import json_text
from analysis.results import SCHEMA, SCHEMA_VERSION, Results, clean_json


def _row(i: int):
    """Rows of every shape a results list holds, in turn."""
    kinds = [
        {"doc_id": f"d{i:05d}", "group": "chinese" if i % 2 else "western",
         "frames": {"generic.conflict": i * 0.25, "generic.economic": None},
         "sentiment": {"mean": np.float64(-0.5 + i / 1000), "n": np.int64(i)},
         "targets": {"china": [0.1, math.nan, -math.inf]}, "meta": {}},
        {"title": "Кремль и 中国\n\"quoted\", line\nbreak", "source": f"caf\udce9{i}.txt",
         "list": [], "nested": [[1, 2], [], [{"a": [True, False, None]}]]},
        {},
        [],
        "a bare string",
        i,
        [{"deep": {"deeper": {"deepest": [i, i + 0.5]}}}],
    ]
    return kinds[i % len(kinds)]


def _results(n_rows: int) -> Results:
    return Results({"schema": SCHEMA, "schema_version": SCHEMA_VERSION,
                    "documents": [_row(i) for i in range(n_rows)],
                    "one": [_row(1)], "empty": [], "groups": {"a": {"n_documents": n_rows}},
                    "warnings": ["w\udcff", "x"], "comparisons": [_row(0), _row(1)]})


def _one_dump(results: Results) -> str:
    return json_text(json.dumps(clean_json(results.data), ensure_ascii=False, indent=2))


def test_parts_join_to_one_indented_dump_at_every_row_count():
    for n_rows in (0, 1, 2, 199, 200, 201, 400, 457):
        results = _results(n_rows)
        text = results.to_json()
        assert text == _one_dump(results), n_rows
        text.encode("utf-8")  # the undecodable names are escaped
        assert json.loads(text)["documents"] == json.loads(_one_dump(results))["documents"]


def test_writing_many_rows_leaves_next_to_no_cyclic_garbage():
    results = _results(5_000)
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        size = sum(len(part) for part in results.json_parts())
        garbage = gc.collect()
    finally:
        if was_enabled:
            gc.enable()
    assert size > 500_000
    # One indenting encoder call per row left ~30 objects in a cycle each (150,000 here).
    assert garbage < 5_000
