"""Every user edit (documents, codebooks, targets) marks the project modified, is saved
with it, is covered by the unsaved-changes prompt, and can be undone from the Edit menu."""
from __future__ import annotations

import pytest
from menu_actions import menu_action
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox

from analysis.corpus import Corpus, Document
from sinoru_desktop.main_window import MainWindow
from sinoru_desktop.project import Project

TEXTS = {
    "a1": ("east", "Moscow and Beijing signed a new energy agreement on Tuesday."),
    "b1": ("west", "Analysts in Brussels questioned the energy agreement and its terms."),
}


@pytest.fixture
def window(make_window):
    w = make_window()
    corpus = Corpus(Document(k, text, meta={"group": g, "title": f"Title {k}"})
                    for k, (g, text) in TEXTS.items())
    w.load_into_state(Project(corpus=corpus), None)
    return w


def save_as(qtbot, window, monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), "")))
    menu_action(window, "file", "Save As").trigger()
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=30_000)


def reopen(qtbot, make_window, path) -> MainWindow:
    again = make_window()
    assert again.open_project(str(path))
    qtbot.waitUntil(lambda: again.state.project_path is not None and not again.runner.busy,
                    timeout=30_000)
    return again


def add_term(qtbot, window, term: str) -> None:
    """Codebooks view: pick china_russia, its first frame, type a term, press Add."""
    window.show_panel("codebooks")
    panel = window.panels["codebooks"]
    row = next(i for i in range(panel.books.count())
               if panel.books.item(i).data(Qt.ItemDataRole.UserRole) == "china_russia")
    panel.books.setCurrentRow(row)
    panel.frames.setCurrentRow(0)
    qtbot.keyClicks(panel.terms.entry, term)
    qtbot.mouseClick(panel.terms.add_button, Qt.MouseButton.LeftButton)


def frame_terms(window) -> list[str]:
    return window.panels["codebooks"].terms.values()


def edit_cell(qtbot, view, row: int, column: int, text: str) -> None:
    """Double-click-style edit of a table cell: open its editor, type, press Enter."""
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits the editor's text on its way out of the event loop.
    qtbot.waitUntil(lambda: index.data() == text, timeout=3000)


def test_a_codebook_term_is_saved_with_the_project(qtbot, window, make_window, tmp_path,
                                                   monkeypatch, no_dialogs):
    assert not window.isWindowModified()
    add_term(qtbot, window, "ironclad friendship")
    assert "ironclad friendship" in frame_terms(window)
    assert window.isWindowModified()  # the title shows "*"
    assert window.panels["codebooks"].books.currentItem().text() == \
        "china_russia (built-in, edited)"

    path = tmp_path / "study.sinoru"
    save_as(qtbot, window, monkeypatch, path)
    assert not window.isWindowModified()

    again = reopen(qtbot, make_window, path)
    panel = again.panels["codebooks"]
    again.show_panel("codebooks")
    row = next(i for i in range(panel.books.count())
               if panel.books.item(i).data(Qt.ItemDataRole.UserRole) == "china_russia")
    panel.books.setCurrentRow(row)
    panel.frames.setCurrentRow(0)
    assert "ironclad friendship" in frame_terms(again)
    assert panel.books.currentItem().text() == "china_russia (built-in, edited)"
    assert no_dialogs.calls == []


def test_undo_and_redo_a_codebook_edit_from_the_edit_menu(qtbot, window, no_dialogs):
    add_term(qtbot, window, "ironclad friendship")
    undo = menu_action(window, "edit", "Undo")
    assert undo.isEnabled() and "Edit codebook" in undo.text()
    assert undo.shortcut().toString() == "Ctrl+Z"
    undo.trigger()
    assert "ironclad friendship" not in frame_terms(window)
    assert "china_russia" not in window.state.codebooks
    assert window.panels["codebooks"].books.currentItem().text() == "china_russia (built-in)"
    assert not window.isWindowModified()  # back to the state on disk
    menu_action(window, "edit", "Redo").trigger()
    assert "ironclad friendship" in frame_terms(window)
    assert window.isWindowModified()


def test_a_target_alias_is_saved_undone_and_redone(qtbot, window, make_window, tmp_path,
                                                   monkeypatch, no_dialogs):
    window.show_panel("targets")
    panel = window.panels["targets"]
    aliases = panel.frame()["aliases"]
    row = int(panel.frame().index[panel.frame()["id"] == "russia"][0])
    before = aliases[row]
    edit_cell(qtbot, panel.table, row, 2, before + "; the Kremlin's team")
    assert window.isWindowModified()
    assert "the Kremlin's team" in window.state.targets_yaml

    menu_action(window, "edit", "Undo").trigger()
    assert panel.frame()["aliases"][row] == before
    assert window.state.targets_yaml is None
    assert not window.isWindowModified()
    menu_action(window, "edit", "Redo").trigger()
    assert "the Kremlin's team" in panel.frame()["aliases"][row]

    path = tmp_path / "targets.sinoru"
    save_as(qtbot, window, monkeypatch, path)
    again = reopen(qtbot, make_window, path)
    again.show_panel("targets")
    assert "the Kremlin's team" in again.panels["targets"].frame()["aliases"][row]


def test_a_corpus_edit_is_undone_from_the_edit_menu(qtbot, window, no_dialogs):
    window.show_panel("corpus")
    corpus = window.panels["corpus"]
    view = corpus.view
    model = view.model()
    column = next(c for c in range(model.columnCount())
                  if model.headerData(c, Qt.Orientation.Horizontal) == "Group")
    row = next(r for r in range(model.rowCount())
               if model.index(r, column).data() == "east")
    edit_cell(qtbot, view, row, column, "state media")
    assert {d.get("group") for d in window.state.corpus} == {"state media", "west"}
    assert window.isWindowModified()
    undo = menu_action(window, "edit", "Undo")
    assert "Edit group" in undo.text()
    undo.trigger()
    assert {d.get("group") for d in window.state.corpus} == {"east", "west"}
    assert "east" in [model.index(r, column).data() for r in range(model.rowCount())]
    assert not window.isWindowModified()


@pytest.mark.parametrize("answer, closes", [(QMessageBox.StandardButton.Cancel, False),
                                            (QMessageBox.StandardButton.Discard, True)])
def test_quit_after_an_edit_asks_to_save(qtbot, window, no_dialogs, answer, closes):
    add_term(qtbot, window, "ironclad friendship")
    no_dialogs.answers["warning"] = answer
    quit_action = menu_action(window, "file", "Quit")
    assert quit_action.shortcut().toString() == "Ctrl+Q"
    quit_action.trigger()
    assert no_dialogs.texts("warning") == \
        ["Unsaved changes\nSave the changes to this project before closing it?"]
    assert window.isVisible() is not closes
