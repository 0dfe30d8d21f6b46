"""A project's detail tables are parsed when first asked for, not when it opens, and a
table nobody asked for is saved again exactly as it was read."""
from __future__ import annotations

import json
import math
import sqlite3

import pandas as pd
import pytest

from analysis.corpus import Corpus, Document
from analysis.results import SCHEMA, Results
from sinoru_desktop.json_pieces import loads_in_pieces
from sinoru_desktop.project import Project, load_project, save_project


def analysed_project() -> Project:
    docs = [Document("d1", "Leaders met in Moscow.", meta={"group": "east"}),
            Document("d2", "Sanctions bite, critics say.", meta={"group": "west"})]
    tables = {
        "documents": pd.DataFrame({"doc_id": ["d1", "d2"], "sentiment": [0.25, -0.5]}),
        # A title with a comma, quotes, a line break and an undecodable file name.
        "frame_matches": pd.DataFrame({"doc_id": ["d1", "d2", "d2"],
                                       "term": ["met", 'say "no",\nnow', "bite\udce9"],
                                       "start": [8, 21, 10]}),
        "sentences": pd.DataFrame({"doc_id": ["d1", "d2"], "tone": [0.1, float("nan")]}),
    }
    return Project(corpus=Corpus(docs),
                   results=Results({"schema": SCHEMA, "schema_version": 1}, tables))


def bodies(path) -> dict[str, bytes]:
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT name, CAST(body AS BLOB) FROM results"))
    finally:
        con.close()


def test_tables_are_parsed_when_first_asked_for(tmp_path):
    path = tmp_path / "study.sinoru"
    original = analysed_project()
    save_project(original, path)
    tables = load_project(path).results.tables

    assert list(tables) == ["documents", "frame_matches", "sentences"]
    assert "sentences" in tables and "keyness" not in tables
    assert all(tables.on_disk(name) for name in tables)  # asking "in" parsed nothing
    frame = tables["frame_matches"]
    assert not tables.on_disk("frame_matches") and tables.on_disk("sentences")
    pd.testing.assert_frame_equal(frame, original.results.tables["frame_matches"])
    assert tables.rows_for("sentences", ["d2"])["doc_id"].tolist() == ["d2"]
    pd.testing.assert_frame_equal(tables["sentences"], original.results.tables["sentences"])


def test_tables_never_asked_for_are_saved_unchanged(tmp_path):
    first, second = tmp_path / "a.sinoru", tmp_path / "b.sinoru"
    save_project(analysed_project(), first)
    opened = load_project(first)
    opened.results.tables["documents"]  # one table read, the others not
    save_project(opened, second)
    assert bodies(second) == bodies(first)
    again = load_project(second).results.tables
    pd.testing.assert_frame_equal(again["frame_matches"],
                                  analysed_project().results.tables["frame_matches"])


@pytest.mark.parametrize("text", [
    '{"schema": "x", "documents": [{"doc_id": "d1", "tone": 0.5}, {"doc_id": "d2"}], "n": 2}',
    ' {\n  "a" : [ ] ,\n  "b": {"c": [1, [2]]}, "a": [3] }\n', '{}', '[1, 2]', '{"x": NaN}',
    '{"a": [1, 2,]}', '{"a": [1 2]}', '{"a": [1, 2', '{"a": 1} x', '{1: 2}', '{"a" 1}', '',
    '{"a": [,]}'])
def test_results_json_parsed_in_pieces_equals_one_parse(text):
    try:
        expected = json.loads(text)
    except json.JSONDecodeError:
        with pytest.raises(json.JSONDecodeError):
            loads_in_pieces(text)
        return
    assert loads_in_pieces(text) == expected or (text == '{"x": NaN}'
                                                 and math.isnan(loads_in_pieces(text)["x"]))
