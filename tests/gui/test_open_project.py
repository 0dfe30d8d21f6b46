"""File > Open… on a saved, analysed project: the Compare view shows its charts at once,
the row-level tables stay in the file (a drill-down reads its rows by index), the views
out of sight are not built, and every chart and passage equals what the unsaved project
showed."""
from __future__ import annotations

from dataclasses import replace

import pytest
from chart_clicks import pick_passages
from menu_actions import menu_action
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QFileDialog

ROW_TABLES = ("frame_matches", "sentences", "target_mentions", "marker_matches")


@pytest.fixture(scope="module")
def analysed():
    """The small two-group corpus with the results of its analysis (fast settings)."""
    from small_corpus import FAST, two_group_corpus

    from analysis.config import AnalysisConfig
    from analysis.pipeline import run_analysis
    from sinoru_desktop.project import Project

    corpus = two_group_corpus()
    config = replace(AnalysisConfig(), **FAST)
    return Project(corpus=corpus, config=config, results=run_analysis(corpus, config))


def charts_in_view(compare) -> list:
    return [c for c in compare.cards.values()
            if c.isVisible() and not c.visibleRegion().isEmpty()]


def wait_charts(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.panel_stack.currentWidget() is window.panels["compare"]
                    and charts_in_view(window.panels["compare"])
                    and all(c.built for c in charts_in_view(window.panels["compare"])),
                    timeout=60_000)


def compare_menus(compare) -> tuple[list[str], ...]:
    """What the Compare view offers: group-by columns, groups (with their sizes), splits."""
    return ([compare.group_by.itemText(i) for i in range(compare.group_by.count())],
            [compare.group_list.item(i).text() for i in range(compare.group_list.count())],
            [compare.split_by.itemText(i) for i in range(compare.split_by.count())])


def first_frame_drill(qtbot, compare):
    """Click the frame bars one by one until a click lists passages; (gid, passages)."""
    canvas = compare.card("frames").canvas
    for gid in canvas.pickable_gids():
        shown = pick_passages(qtbot, canvas, compare.drill, gid)
        if not shown.empty:
            return gid, shown
    raise AssertionError(f"no frame bar lists passages: {canvas.pickable_gids()}")


def test_file_open_shows_the_saved_charts_and_passages(qtbot, make_window, analysed,
                                                       tmp_path, monkeypatch, no_dialogs):
    from sinoru_desktop.project import save_project

    path = tmp_path / "study.sinoru"
    save_project(analysed, path)

    # What the project shows before it is saved: the same corpus and results, in memory.
    before = make_window()
    before.load_into_state(analysed, None)
    wait_charts(qtbot, before)
    gid, expected = first_frame_drill(qtbot, before.panels["compare"])

    window = make_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    menu_action(window, "file", "Open").trigger()
    qtbot.waitUntil(lambda: window.state.project_path == str(path.resolve())
                    and not window.runner.busy, timeout=60_000)
    wait_charts(qtbot, window)
    compare = window.panels["compare"]
    tables = window.state.results.tables

    # The charts are drawn from the aggregates: no row-level table has been read, and
    # the views the user has not opened do not exist yet.
    assert all(tables.on_disk(name) for name in ROW_TABLES if name in tables), repr(tables)
    assert not window.panels.built("termmap") and not window.panels.built("timeline")
    # (The message shows for 8 s; a loaded test machine may take longer to draw.)
    assert f"Opened study.sinoru: {len(analysed.corpus)} documents." in messages

    # Each chart in view names the same bars, with the same caption, as before saving.
    for card in charts_in_view(compare):
        twin = before.panels["compare"].cards[next(k for k, c in compare.cards.items()
                                                    if c is card)]
        assert card.canvas.pickable_gids() == twin.canvas.pickable_gids()
        assert card.caption.text() == twin.caption.text()
    assert set(analysed.results.group_names) <= {g.rsplit("|", 1)[-1] for g in
                                                 compare.card("frames").canvas.pickable_gids()}
    # The columns, groups and splits on offer (made on the loading thread) are the same.
    menus = compare_menus(compare)
    assert menus == compare_menus(before.panels["compare"])
    assert len(menus[1]) == len(analysed.results.group_names) and len(menus[2]) > 1

    # A frame bar drills down to the very passages it listed before saving, read from the
    # file by index: the frame matches are still not read whole.
    shown = pick_passages(qtbot, compare.card("frames").canvas, compare.drill, gid)
    assert tables.on_disk("frame_matches")
    assert shown.to_dict("records") == expected.to_dict("records")
    row = shown.iloc[0]
    text = window.state.corpus[row["doc_id"]].text
    assert text[int(row["start"]):int(row["end"])] == row["match"]

    # The Edit menu offers the Corpus view's actions although that view was never shown.
    edit = window.menus["edit"]
    edit.popup(window.mapToGlobal(QPoint(10, 10)))
    qtbot.waitUntil(edit.isVisible)
    names = [a.text() for a in edit.actions()]
    edit.hide()
    assert "Set group…" in names and "Apply outlet presets" in names

    # Opening a hidden view builds it, with the project's results in it.
    window.show_panel("tests")
    assert window.panels.built("tests")
    compare.grab().save(str(tmp_path / "opened_compare.png"))
    assert no_dialogs.calls == []
