"""Analysis ▸ Analysis Settings…: the analyst's stop words, phrase length, minimum
documents, topics and analyzers; saved in the project, undoable, and a change marks the
results out of date."""
from __future__ import annotations

import pytest
from menu_actions import menu_action
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from sinoru_desktop.analysis_options import AnalysisOptionsDialog


def open_settings(window) -> AnalysisOptionsDialog:
    menu_action(window, "analysis", "Analysis Settings").trigger()
    dialog = window._dialogs[-1]
    assert isinstance(dialog, AnalysisOptionsDialog) and dialog.isVisible()
    return dialog


def keyness_terms(results) -> set[str]:
    comp = results.comparisons[0]["keyness"]
    return {row["term"] for side in ("a", "b") for row in comp[side]}


@pytest.fixture
def window(two_group_window):
    return two_group_window


def test_settings_change_the_analysis_and_are_saved(qtbot, window, make_window, tmp_path,
                                                    no_dialogs):
    menu_action(window, "analysis", "Run Analysis").trigger()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=120_000)
    assert "sanctions" in keyness_terms(window.state.results)

    dialog = open_settings(window)
    dialog.ngram_max.setValue(1)
    qtbot.keyClicks(dialog.own_words, "Sanctions, said")
    dialog.analyzers["readability"].setChecked(False)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    kw = window.state.config.keyness
    assert (kw.ngram_max, kw.extra_stopwords) == (1, ("sanctions", "said"))
    assert window.state.config.skip == ("readability",)
    assert window.isWindowModified()
    assert window.stale_banner.isVisible()
    assert "Change the analysis settings" in window.stale_banner.label.text()

    qtbot.mouseClick(window.stale_banner.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=120_000)
    terms = keyness_terms(window.state.results)
    assert terms and "sanctions" not in terms and all(" " not in t for t in terms)
    assert any("Switched off" in w and "readability" in w
               for w in window.state.results.warnings)

    path = tmp_path / "settings.sinoru"
    window.save_to(str(path))
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=30_000)
    again = make_window()
    again.open_project(str(path))
    qtbot.waitUntil(lambda: again.state.project_path is not None and not again.runner.busy,
                    timeout=30_000)
    shown = open_settings(again)
    assert shown.ngram_max.value() == 1
    assert shown.own_words.toPlainText() == "sanctions\nsaid"
    assert not shown.analyzers["readability"].isChecked()
    assert shown.analyzers["topics"].isChecked()
    shown.reject()


def test_settings_are_undoable_and_cancel_changes_nothing(qtbot, window, no_dialogs):
    before = window.state.config
    dialog = open_settings(window)
    dialog.n_topics.setValue(9)
    dialog.stopwords.setCurrentIndex(dialog.stopwords.findData("none"))
    dialog.reject()
    assert window.state.config == before and not window.isWindowModified()

    dialog = open_settings(window)
    dialog.n_topics.setValue(9)
    dialog.stopwords.setCurrentIndex(dialog.stopwords.findData("none"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert window.state.config.n_topics == 9
    assert window.state.config.keyness.stopwords == "none"
    menu_action(window, "edit", "Undo").trigger()
    assert window.state.config == before and not window.isWindowModified()
