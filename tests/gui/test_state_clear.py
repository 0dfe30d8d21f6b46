"""The state is always clear: the Compare view after an analysis, the stage on the
progress bar, what Cancel did, results marked out of date after a change (with "Run
again"), nothing left over from the previous project, and view choices saved."""
from __future__ import annotations

from dataclasses import replace

import pytest
from menu_actions import menu_action
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from analysis.pipeline import STAGE_LABELS


def analyse(qtbot, window) -> None:
    menu_action(window, "analysis", "Run Analysis").trigger()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=120_000)
    assert window.state.results is not None


@pytest.fixture
def window(two_group_window):
    return two_group_window


def test_analysis_names_its_stages_then_shows_compare(qtbot, window, no_dialogs):
    window.show_panel("corpus")
    labels: list[str] = []
    window.runner.stageChanged.connect(
        lambda _stage: labels.append(window.progress_widget._label.text()))
    analyse(qtbot, window)
    assert window.nav.currentItem().text() == "Compare"
    assert window.panel_stack.currentWidget() is window.panels["compare"]
    # The bar said what the engine was doing, stage by stage.
    assert f"Analysing 8 documents: {STAGE_LABELS['documents']}…" in labels
    assert f"Analysing 8 documents: {STAGE_LABELS['compare']}…" in labels
    assert no_dialogs.calls == []


def test_cancel_says_so_and_keeps_the_previous_results(qtbot, window, no_dialogs):
    analyse(qtbot, window)
    before = window.state.results
    menu_action(window, "analysis", "Run Analysis").trigger()
    assert window.runner.busy
    qtbot.mouseClick(window.progress_widget._cancel, Qt.MouseButton.LeftButton)
    assert not window.runner.busy
    assert window.statusBar().currentMessage() == \
        "Analysis cancelled. The results shown are from the previous run."
    window.runner.wait(60_000)
    qtbot.wait(50)  # a late result of the cancelled run must not arrive
    assert window.state.results is before


def test_a_change_marks_results_out_of_date_until_run_again(qtbot, window, no_dialogs):
    analyse(qtbot, window)
    banner = window.stale_banner
    assert not banner.isVisible()

    # A codebook edit: the results are out of date, and the banner says why.
    window.show_panel("codebooks")
    codebooks = window.panels["codebooks"]
    codebooks.frames.setCurrentRow(0)
    qtbot.keyClicks(codebooks.terms.entry, "friendly neighbours")
    qtbot.mouseClick(codebooks.terms.add_button, Qt.MouseButton.LeftButton)
    assert window.state.results_stale and banner.isVisible()
    assert "Out of date" in banner.label.text() and "Edit codebook" in banner.label.text()

    # Undoing the edit brings back the project the results were made from.
    menu_action(window, "edit", "Undo").trigger()
    assert not banner.isVisible()
    menu_action(window, "edit", "Redo").trigger()
    assert banner.isVisible()

    # Grouping and settings count too; "Run again" re-runs and clears the mark.
    qtbot.mouseClick(banner.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=120_000)
    assert not window.state.results_stale and not banner.isVisible()
    window.show_panel("corpus")
    doc = window.state.corpus["d0"]
    window.state.update_documents([doc.with_meta(group="west")], "Set group")
    assert banner.isVisible()


def test_out_of_date_results_stay_marked_after_save_and_reopen(qtbot, window, make_window,
                                                               tmp_path, monkeypatch, no_dialogs):
    analyse(qtbot, window)
    window.state.edit("Topics", config=replace(window.state.config, n_topics=3))
    assert window.stale_banner.isVisible()
    path = tmp_path / "stale.sinoru"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), "")))
    menu_action(window, "file", "Save As").trigger()
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=30_000)

    again = make_window()
    again.open_project(str(path))
    qtbot.waitUntil(lambda: again.state.results is not None, timeout=30_000)
    assert again.state.results_stale and again.stale_banner.isVisible()


def test_new_project_clears_the_term_test_and_the_passages(qtbot, window, no_dialogs):
    analyse(qtbot, window)
    codebooks = window.panels["codebooks"]
    codebooks.tester.term.setText("partnership")
    codebooks.tester.test()
    qtbot.waitUntil(lambda: codebooks.tester.last_count is not None, timeout=30_000)
    assert codebooks.tester.last_count > 0
    assert codebooks.tester.sample.count() > 0
    compare = window.panels["compare"]
    compare.drill.show_item("frames|china_russia/strategic_partnership|")
    compare.drill.show()
    assert any(lst.count() for lst in compare.drill.lists.values())

    menu_action(window, "file", "New Project").trigger()
    assert codebooks.tester.term.text() == "" and codebooks.tester.sample.count() == 0
    assert "Type a term" in codebooks.tester.result.text()
    assert compare.drill.gid == "" and not compare.drill.isVisible()
    assert not any(lst.count() for lst in compare.drill.lists.values())


def test_view_choices_are_saved_with_the_project(qtbot, window, make_window, tmp_path,
                                                  no_dialogs):
    analyse(qtbot, window)
    compare = window.panels["compare"]
    assert compare.codebook.count() >= 2
    compare.codebook.setCurrentIndex(1)
    chosen = compare.codebook.currentData()
    concordance = window.panels["concordance"]
    sort = concordance.sort.itemText(concordance.sort.count() - 1)
    concordance.sort.setCurrentText(sort)

    path = tmp_path / "views.sinoru"
    window.state.set_dirty()
    window.save_to(str(path))
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=30_000)
    again = make_window()
    again.open_project(str(path))
    qtbot.waitUntil(lambda: again.state.results is not None, timeout=30_000)
    assert again.panels["compare"].codebook.currentData() == chosen
    assert again.panels["concordance"].sort.currentText() == sort
