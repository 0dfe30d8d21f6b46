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


def cut(text: str, at) -> list[str]:
    """``text`` cut at the positions ``at``."""
    edges = [0, *sorted(at), len(text)]
    return [text[a:b] for a, b in zip(edges, edges[1:], strict=False)]


@pytest.mark.parametrize("text", [
    '{"schema": "x", "documents": [{"doc_id": "d1", "tone": 0.5}, {"doc_id": "d2"}], "n": 2}',
    '{"n": [1.5e-3, -0.25, 12345, 1E+9, -Infinity, true, false, null, "x\\u00e9\\"y"],'
    ' "m": 1.5e10, "e": []}  ', '{"a": [ "\u00e9\udce9", {"k": [1, 2.5]} ] , "b": -12.5e-1}',
    '{"a": [1, 2,]}', '{"a": [1 2]}', '{"a": [1, 2', '{"a": 1} x', '{"a" 1}', '{"a": [,]}',
    '[1.25, 2]', '  '])
def test_results_json_parsed_from_chunks_equals_one_parse(text):
    """Cut anywhere (inside a number, a string, a literal, between tokens), the chunks
    parse to what the whole text parses to, or raise as it does."""
    cuts = [cut(text, [i]) for i in range(len(text) + 1)]
    cuts += [cut(text, range(step, len(text), step)) for step in (1, 2, 3, 7)]
    try:
        expected = json.dumps(json.loads(text))
    except json.JSONDecodeError:
        for chunks in cuts:
            with pytest.raises(json.JSONDecodeError):
                loads_in_pieces(iter(chunks))
        return
    for chunks in cuts:
        assert json.dumps(loads_in_pieces(iter(chunks))) == expected, chunks


def row_tables_project() -> Project:
    """Row tables with every kind of column the analysis writes: text (one undecodable
    name, an empty string, a missing value), integers, floats with NaN, booleans."""
    docs = [Document(f"d{i}", f"Text {i}.", meta={"group": "east" if i % 2 else "west"})
            for i in range(6)]
    sentences = pd.DataFrame({
        "doc_id": ["d0", "d0", "d1", "d2", "d2", "d2", "d5\udce9"],
        "sentence": [0, 1, 0, 0, 1, 2, 0],
        "start": [0, 10, 0, 0, 5, 9, 0],
        "compound": [0.5, -0.9, float("nan"), 0.9, -0.5, 0.1, -0.9],
    })
    frame_matches = pd.DataFrame({
        "doc_id": ["d2", "d0", "d2", "d1"], "codebook": ["cb", "cb", "cb", "other"],
        "frame": ["1", "alliance", "1", "alliance"],
        "rule": ["ally", "", None, 'say "no",\nnow'],
        "negated": [False, True, False, False], "start": [3, 4, 5, 6]})
    return Project(corpus=Corpus(docs), results=Results(
        {"schema": SCHEMA, "schema_version": 1},
        {"sentences": sentences, "frame_matches": frame_matches,
         "documents": pd.DataFrame({"doc_id": [d.doc_id for d in docs]})}))


def test_row_tables_are_read_by_document_with_their_values_and_types(tmp_path):
    from sinoru_desktop.project_tables import ProjectTable, document_rows

    path = tmp_path / "rows.sinoru"
    original = row_tables_project()
    save_project(original, path)
    tables = load_project(path).results.tables
    assert isinstance(tables.stored("sentences"), ProjectTable)
    assert tables.n_rows("sentences") == 7 and tables.on_disk("sentences")

    for name in ("sentences", "frame_matches"):
        expected = original.results.tables[name]
        got = document_rows(tables, name, ["d2", "d0", "d5\udce9", "nobody"])
        # In table order, indexed by the row's number in the whole table.
        wanted = expected[expected["doc_id"].isin(["d2", "d0", "d5\udce9"])]
        pd.testing.assert_frame_equal(got, wanted)
        assert tables.on_disk(name)
        pd.testing.assert_frame_equal(tables[name], expected)  # read whole, the same


def test_matching_rows_from_the_file_equal_filtering_in_memory(tmp_path):
    from sinoru_desktop.project_tables import matching_rows

    path = tmp_path / "rows.sinoru"
    original = row_tables_project()
    save_project(original, path)
    on_disk = load_project(path).results.tables
    in_memory = original.results.tables
    for name, equal, strongest in [("frame_matches", {"codebook": "cb", "frame": "1"}, None),
                                   ("frame_matches", {"frame": "alliance"}, None),
                                   ("frame_matches", {"codebook": "none"}, None),
                                   ("sentences", {}, "compound")]:
        read = list(matching_rows(on_disk, name, equal, strongest))
        expected = pd.concat(list(matching_rows(in_memory, name, equal, strongest)))
        got = pd.concat(read) if read else expected.iloc[0:0]
        pd.testing.assert_frame_equal(got, expected)
        assert on_disk.on_disk(name)
    strongest = pd.concat(list(matching_rows(on_disk, "sentences", {}, "compound")))
    # Strongest tone first, ties in table order, no tone last.
    assert strongest["compound"].tolist()[:4] == [-0.9, 0.9, -0.9, 0.5]
    assert pd.isna(strongest["compound"].iloc[-1])


def test_a_save_moves_the_row_tables_to_the_new_file_but_a_recovery_copy_does_not(tmp_path):
    from sinoru_desktop.project_tables import ProjectTableError

    first, copy, second = (tmp_path / n for n in ("a.sinoru", "copy.sinoru", "b.sinoru"))
    save_project(row_tables_project(), first)
    project = load_project(first)
    save_project(project, copy, adopt=False)  # an autosave's recovery file
    copy.unlink()
    assert len(project.results.tables.rows_for("sentences", ["d0"])) == 2
    save_project(project, second)
    first.unlink()
    assert len(project.results.tables.rows_for("sentences", ["d0"])) == 2
    assert len(load_project(second).results.tables.rows_for("sentences", ["d0"])) == 2

    # A file replaced by another project's is never read as this one's tables.
    save_project(row_tables_project(), second)
    with pytest.raises(ProjectTableError):
        project.results.tables.rows_for("sentences", ["d0"])
    # ... and a recovered project keeps its tables in memory: its file is removed.
    recovered = load_project(second, in_memory=True)
    second.unlink()
    pd.testing.assert_frame_equal(recovered.results.tables["sentences"],
                                  row_tables_project().results.tables["sentences"])


def test_a_newer_format_is_refused_by_name(tmp_path):
    from sinoru_desktop.project import SCHEMA_VERSION, ProjectError

    path = tmp_path / "new.sinoru"
    save_project(row_tables_project(), path)
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE info SET value = ? WHERE key = 'schema_version'",
                    (str(SCHEMA_VERSION + 1),))
    con.close()
    with pytest.raises(ProjectError, match="newer Sinoru"):
        load_project(path)


def test_results_json_is_stored_as_its_exact_text(tmp_path):
    """A save writes results.json in chunks of a megabyte and opening reads it in chunks
    of four (a character may be cut between two): the file holds exactly its text, as
    text, and the project reads back equal."""
    project = analysed_project()
    rows = [{"doc_id": f"d{i}", "title": f"“Quoted” Зеленский 習近平 {i}", "file": "bad\udce9.txt",
             "tone": i / 7} for i in range(40_000)]
    project.results = Results({"schema": SCHEMA, "schema_version": 1, "documents": rows,
                               "corpus_name": "Ünïcode"}, project.results.tables)
    path = tmp_path / "big.sinoru"
    save_project(project, path)

    con = sqlite3.connect(path)
    try:
        (kind, body), = con.execute(
            "SELECT typeof(body), body FROM results WHERE name = 'results.json'")
    finally:
        con.close()
    assert len(body.encode("utf-8")) > 4 * 2**20  # read back in more than one chunk too
    assert kind == "text" and body == project.results.to_json()
    back = load_project(path).results
    assert back.data["documents"] == project.results.to_dict()["documents"]
    assert back.data["corpus_name"] == "Ünïcode"


def test_ids_that_look_like_numbers_come_back_as_text(tmp_path):
    path = tmp_path / "numbered.sinoru"
    tables = {"documents": pd.DataFrame({"doc_id": ["000123", "7"], "outlet": ["2024", "x"],
                                         "sentiment": [0.25, -0.5]}),
              "keyness": pd.DataFrame({"term": ["2024", "talks"], "z": [3.1, -2.0]})}
    save_project(Project(corpus=Corpus([Document("000123", "Leaders met."),
                                        Document("7", "Talks.")]),
                         results=Results({"schema": SCHEMA, "schema_version": 1}, tables)),
                 path)
    opened = load_project(path).results.tables
    assert opened["documents"]["doc_id"].tolist() == ["000123", "7"]
    assert opened["documents"]["outlet"].tolist() == ["2024", "x"]
    assert opened["keyness"]["term"].tolist() == ["2024", "talks"]


def test_detail_tables_are_stored_as_their_exact_csv_text(tmp_path):
    """A save writes each detail table's CSV a few thousand cells at a time (pandas holds
    the interpreter lock while it formats a call's rows): the file holds exactly the text
    of one ``to_csv`` call, as text, or as the BLOB of its exact bytes when it holds an
    undecodable file name; and a table opened and never asked for is saved again as it
    was."""
    n = 3_000  # 27,000 cells in 9 columns: several calls; over a megabyte of text
    documents = pd.DataFrame({
        "doc_id": [f"{i:06d}" for i in range(n)],
        "title": [f"“Quoted”, \"said\" Зеленский 習近平\n{i} " + "ü" * 200 for i in range(n)],
        "tone": [i / 7 if i % 5 else float("nan") for i in range(n)],
        "words": range(n), "kept": [i % 2 == 0 for i in range(n)],
        "share": [1e-12 * i for i in range(n)], "outlet": ["A, B"] * n,
        "empty": [None] * n, "big": [10.0 ** (i % 30) for i in range(n)]})
    # Midnight in the first rows only: one format for the whole column, as one call.
    dated = pd.DataFrame({"when": pd.to_datetime(["2024-05-01"] * 6_000
                                                 + ["2024-05-01 12:30"] * 6_000,
                                                 format="ISO8601"),
                          "n": range(12_000)})
    files = pd.DataFrame({"file": ["bad\udce9.txt", "good.txt"], "n": [1, 2]})
    project = analysed_project()
    project.results = Results(project.results.data, {
        **{name: project.results.tables[name] for name in project.results.tables},
        "documents": documents, "keyness": dated, "tests": files})
    expected = {name: frame.to_csv(index=False).encode("utf-8", "surrogatepass")
                for name, frame in (("documents", documents), ("keyness", dated),
                                    ("tests", files))}
    assert len(expected["documents"]) > 2**20

    def stored(path):
        con = sqlite3.connect(path)
        try:
            return {name: (kind, body) for name, kind, body in con.execute(
                "SELECT name, typeof(body), CAST(body AS BLOB) FROM results")}
        finally:
            con.close()

    first, again = tmp_path / "first.sinoru", tmp_path / "again.sinoru"
    save_project(project, first)
    save_project(load_project(first), again)  # the tables unparsed this time
    for path in (first, again):
        rows = stored(path)
        for name, body in expected.items():
            assert rows[name] == ("blob" if name == "tests" else "text", body)
    opened = load_project(again).results.tables["documents"]
    assert opened["title"].tolist() == documents["title"].tolist()
