"""Project values that are not plain text: undecodable file names are kept exactly (issue
12, item 2), BLOBs where text belongs are decoded or refused naming the column (item 8),
and every save failure, also in the autosave thread, is a clear ProjectError."""
from __future__ import annotations

import logging
import sqlite3

import pandas as pd
import pytest

from analysis.corpus import Corpus, Document
from analysis.results import SCHEMA, Results
from sinoru_desktop import project as project_mod
from sinoru_desktop.project import Autosaver, Project, ProjectError, load_project, save_project

# What Python makes of the Latin-1 file name b"caf\xe9.txt" on a UTF-8 system.
NAME = "articles/caf\udce9.txt"


def undecodable_project() -> Project:
    docs = [Document("cafe", "Trade talks went on.", meta={"title": "Trade", "file": NAME},
                     source=NAME, sha256="ab" * 32),
            Document("b", "Sanctions bite.", source="articles/b.txt", sha256="cd" * 32)]
    results = Results({"schema": SCHEMA, "schema_version": 1,
                       "provenance": [{"doc_id": "cafe", "source": NAME}]},
                      {"documents": pd.DataFrame({"doc_id": ["cafe", "b"],
                                                  "source": [NAME, "articles/b.txt"]})})
    return Project(corpus=Corpus(docs), results=results,
                   provenance=[{"time": "t", "event": "import",
                                "detail": {"files": [{"path": NAME}]}}],
                   codebooks={"mine": f"id: mine\n# from {NAME}\n"})


def test_an_undecodable_file_name_is_saved_and_loaded_exactly(tmp_path):
    path = tmp_path / "study.sinoru"
    save_project(undecodable_project(), path)
    loaded = load_project(path)
    doc = loaded.corpus["cafe"]
    assert doc.source == NAME and doc.meta["file"] == NAME
    assert loaded.provenance[0]["detail"]["files"][0]["path"] == NAME
    assert loaded.results.data["provenance"][0]["source"] == NAME
    assert loaded.results.table("documents")["source"].tolist() == [NAME, "articles/b.txt"]
    assert loaded.codebooks["mine"].endswith(f"{NAME}\n")
    assert loaded.corpus["b"].source == "articles/b.txt"


def test_any_save_failure_is_a_project_error(tmp_path, monkeypatch):
    def broken(con, project, *_progress):
        raise TypeError("unexpected value")

    monkeypatch.setattr(project_mod, "_write", broken)
    with pytest.raises(ProjectError, match=r"study.sinoru: could not be saved \(TypeError: "
                                           r"unexpected value\)"):
        save_project(Project(), tmp_path / "study.sinoru")
    assert list(tmp_path.iterdir()) == []


def test_autosave_writes_undecodable_names(tmp_path):
    saver = Autosaver()
    target = tmp_path / "autosave-1.sinoru"
    assert saver.save(undecodable_project(), target)
    saver.wait()
    assert saver.last_error is None
    assert load_project(target).corpus["cafe"].source == NAME


def test_autosave_reports_a_failure_and_keeps_working(tmp_path, monkeypatch, caplog):
    saver = Autosaver()
    target = tmp_path / "autosave-1.sinoru"

    def broken(con, project, *_progress):
        raise RuntimeError("boom")

    monkeypatch.setattr(project_mod, "_write", broken)
    with caplog.at_level(logging.WARNING, logger="sinoru_desktop.project"):
        saver.save(Project(), target)
        saver.wait()
    assert saver.last_error == "could not be saved (RuntimeError: boom)"
    assert "Autosave to" in caplog.text and "boom" in caplog.text
    monkeypatch.undo()
    assert saver.save(undecodable_project(), target)
    saver.wait()
    assert saver.last_error is None and target.exists()


def test_main_window_tells_of_a_failed_autosave(qtbot, no_dialogs, monkeypatch):
    from sinoru_desktop.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    monkeypatch.setattr(project_mod, "_write", lambda con, p, *_progress: 1 / 0)
    window.load_into_state(Project(corpus=undecodable_project().corpus), None, dirty=True)
    window._on_autosave()
    window.autosaver.wait()
    window._on_autosave()  # the next tick shows what went wrong
    window.autosaver.wait()
    assert window.statusBar().currentMessage() == (
        "Autosave failed: could not be saved (ZeroDivisionError: division by zero)")
    window.state.set_dirty(False)
    window.runner.shutdown()


# BLOBs where text belongs ------------------------------------------------------------------
def _poke(path, sql, *args):
    con = sqlite3.connect(path)
    con.execute(sql, args)
    con.commit()
    con.close()


def test_a_utf8_blob_where_text_belongs_loads_as_text(tmp_path):
    path = tmp_path / "study.sinoru"
    save_project(undecodable_project(), path)
    _poke(path, "UPDATE documents SET text = ? WHERE doc_id = 'b'", "Санкции кусаются.".encode())
    _poke(path, "UPDATE info SET value = ? WHERE key = 'created'", b"2026-01-01")
    loaded = load_project(path)
    assert loaded.corpus["b"].text == "Санкции кусаются."
    assert isinstance(loaded.corpus["b"].text, str)
    assert loaded.created == "2026-01-01"


@pytest.mark.parametrize("sql, value, message", [
    ("UPDATE documents SET text = ? WHERE doc_id = 'b'", b"\xff\xfe\x00bad",
     "column 'documents.text' of the row doc_id = 'b' holds bytes that are not UTF-8 text"),
    ("UPDATE documents SET meta = ? WHERE doc_id = 'cafe'", 42,  # stored as the text '42'
     "column 'documents.meta' of the row doc_id = 'cafe' is not a JSON object"),
    ("UPDATE info SET value = ? WHERE key = 'created'", None,
     "column 'info.value' of the row key = 'created' holds nothing \\(NULL\\) where text"),
    ("UPDATE codebooks SET yaml = ?", b"\x80\x81",
     "column 'codebooks.yaml' of the row codebook_id = 'mine' holds bytes that are not UTF-8"),
])
def test_a_value_that_is_not_text_is_refused_naming_the_column(tmp_path, sql, value, message):
    path = tmp_path / "study.sinoru"
    save_project(undecodable_project(), path)
    _poke(path, sql, value)
    with pytest.raises(ProjectError, match=f"study.sinoru: the file is damaged: {message}"):
        load_project(path)


def test_views_show_an_undecodable_name_readably():
    from analysis.ingest import ImportReport, ImportResult
    from sinoru_desktop.import_dialog import report_rows
    from sinoru_desktop.panels.corpus_panel import corpus_frame

    corpus = undecodable_project().corpus
    # Qt would silently drop the undecodable byte ("cafe.txt" -> "caf.txt").
    assert corpus_frame(corpus).loc["cafe", "source"] == "articles/caf\\xe9.txt"
    rows = report_rows(ImportResult(corpus, ImportReport()))
    assert rows["imported"][0][0] == "articles/caf\\xe9.txt"
