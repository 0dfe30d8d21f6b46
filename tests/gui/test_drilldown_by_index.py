"""Drilling down in an opened project reads the passages from the project file by
document, never the whole row table, and shows exactly what the unsaved project showed:
for frames, targets and sentence tone, in the document a passage opens, after Save As
with the first file gone, and in a project saved before the tables were indexed."""
from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from chart_clicks import pick_passages
from menu_actions import menu_action, open_through_file_menu
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

ROW_TABLES = ("frame_matches", "sentences", "target_mentions", "marker_matches")
#: The Compare charts whose bars list passages, each with the row table behind it.
CHARTS = ("frames", "targets", "sentiment")


@pytest.fixture(scope="module")
def analysed():
    from small_corpus import FAST, two_group_corpus

    from analysis.config import AnalysisConfig
    from analysis.pipeline import run_analysis
    from sinoru_desktop.project import Project

    corpus = two_group_corpus()
    config = replace(AnalysisConfig(), **FAST)
    return Project(corpus=corpus, config=config, results=run_analysis(corpus, config))


def open_file(qtbot, make_window, monkeypatch, path):
    window = open_through_file_menu(qtbot, make_window(), monkeypatch, path)
    return window


def drill_all(qtbot, window) -> dict[str, list[dict]]:
    """Click every bar of the charts in :data:`CHARTS`: gid -> the passages listed."""
    compare = window.panels["compare"]
    shown = {}
    for chart in CHARTS:
        canvas = compare.card(chart).canvas
        for gid in canvas.pickable_gids():
            shown[gid] = pick_passages(qtbot, canvas, compare.drill, gid).to_dict("records")
    return shown


def open_first_passage(qtbot, window, gid: str) -> list:
    """Click chart item ``gid``, double-click the first passage listed; the marks of the
    document it opens."""
    compare = window.panels["compare"]
    pick_passages(qtbot, compare.card(gid.split("|")[0]).canvas, compare.drill, gid)
    lst = next(lst for lst in compare.drill.lists.values() if lst.spans())
    centre = lst.visualItemRect(lst.item(0)).center()
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    document = window.panels["document"]
    qtbot.waitUntil(lambda: window.panel_stack.currentWidget() is document, timeout=10_000)
    return sorted((s.start, s.end, s.kind, s.tip) for s in document.spans)


def as_format_1(path) -> None:
    """Rewrite a saved project as a Sinoru of format 1 saved it: every table as CSV text
    in ``results``, no indexed row tables."""
    from sinoru_desktop.project import load_project

    tables = load_project(path).results.tables
    con = sqlite3.connect(path)
    with con:
        for name in ROW_TABLES:
            if name in tables:
                con.execute("INSERT INTO results VALUES (?, ?)",
                            (name, tables[name].to_csv(index=False)))
                con.execute(f'DROP TABLE "rows:{name}"')
        con.execute("DROP TABLE row_tables")
        con.execute("UPDATE info SET value = '1' WHERE key = 'schema_version'")
    con.close()


def test_drill_down_reads_passages_by_document_from_the_file(
        qtbot, make_window, analysed, tmp_path, monkeypatch, no_dialogs):
    from sinoru_desktop.project import save_project

    unsaved = make_window()
    unsaved.load_into_state(analysed, None)
    expected = drill_all(qtbot, unsaved)
    assert sum(bool(p) for p in expected.values()) >= 3, expected.keys()
    frame_gid = next(g for g, p in expected.items() if g.startswith("frames|") and p)
    expected_marks = open_first_passage(qtbot, unsaved, frame_gid)
    assert any(kind == "frame" for _s, _e, kind, _t in expected_marks)

    first = tmp_path / "first.sinoru"
    save_project(analysed, first)
    window = open_file(qtbot, make_window, monkeypatch, first)
    tables = window.state.results.tables

    assert drill_all(qtbot, window) == expected
    window.show_panel("compare")
    assert open_first_passage(qtbot, window, frame_gid) == expected_marks
    # Every passage and every mark came from the file by document: no table read whole.
    assert all(tables.on_disk(name) for name in ROW_TABLES if name in tables), repr(tables)

    # Save As elsewhere, then the first file goes: the passages come from the new file.
    second = tmp_path / "second.sinoru"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(second), "")))
    menu_action(window, "file", "Save As").trigger()
    qtbot.waitUntil(lambda: not window.saver.busy
                    and window.state.project_path == str(second.resolve()), timeout=60_000)
    first.unlink()
    window.show_panel("compare")
    assert drill_all(qtbot, window) == expected
    assert no_dialogs.calls == []


def test_a_project_saved_before_the_index_opens_and_is_indexed_when_saved(
        qtbot, make_window, analysed, tmp_path, monkeypatch, no_dialogs):
    from sinoru_desktop.project import load_project, save_project

    unsaved = make_window()
    unsaved.load_into_state(analysed, None)
    expected = drill_all(qtbot, unsaved)

    old = tmp_path / "old.sinoru"
    save_project(analysed, old)
    as_format_1(old)
    window = open_file(qtbot, make_window, monkeypatch, old)
    assert drill_all(qtbot, window) == expected

    # Saved again, its row tables are stored indexed and list the same passages.
    menu_action(window, "file", "Save").trigger()
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=60_000)
    con = sqlite3.connect(old)
    names = {n for (n,) in con.execute("SELECT name FROM row_tables")}
    con.close()
    assert names == {n for n in ROW_TABLES if n in analysed.results.tables}
    again = open_file(qtbot, make_window, monkeypatch, old)
    assert drill_all(qtbot, again) == expected
    reopened = load_project(old).results.tables
    for name in names:
        assert reopened.on_disk(name)
    assert no_dialogs.calls == []
