"""Import as a new user does it: Welcome → Import articles… → Add folder… → Import, then
the automatic analysis, then more dialogs (Help › About) in the same session."""
from __future__ import annotations

from dataclasses import replace

import pytest
from menu_actions import menu_action
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLabel
from small_corpus import FAST

from sinoru_desktop.import_dialog import ImportDialog


@pytest.fixture
def window(make_window):
    w = make_window(auto_analyse=True)
    w.state.set_config(replace(w.state.config, **FAST), dirty=False)
    return w


def shown_dialogs(title: str) -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QDialog) and w.isVisible() and w.windowTitle() == title]


def test_import_a_folder_through_the_dialog_then_open_about(qtbot, window, seeds_dir,
                                                            monkeypatch, no_dialogs):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *args, **kwargs: str(seeds_dir)))
    qtbot.mouseClick(window.welcome.import_button, Qt.MouseButton.LeftButton)
    (dialog,) = [d for d in shown_dialogs("Import articles") if isinstance(d, ImportDialog)]
    qtbot.mouseClick(dialog.add_folder_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen_paths() == [str(seeds_dir)]
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    # The import, then the analysis it starts by itself.
    state = window.state
    qtbot.waitUntil(lambda: state.results is not None and not window.runner.busy,
                    timeout=180_000)
    assert no_dialogs.calls == []
    n_articles = sum(1 for p in seeds_dir.iterdir() if p.suffix == ".txt")
    assert len(state.corpus) == n_articles
    # The manifest gave every article its group, and the analysis compared them.
    assert set(state.results.group_names) == {"chinese", "western"}
    (report,) = shown_dialogs("Import report")
    assert report.findChild(QLabel).text().startswith(f"<b>{n_articles} imported</b>")
    report.reject()

    # Later dialogs still open: Help › About through the menu.
    menu_action(window, "help", "About Sinoru").trigger()
    (about,) = shown_dialogs("About Sinoru")
    assert "Sinoru Desktop" in about.findChild(QLabel).text()
    about.reject()
    # ... and the import dialog again.
    menu_action(window, "file", "Import Articles…").trigger()
    assert len(shown_dialogs("Import articles")) == 1
    assert no_dialogs.calls == []


def test_add_folder_shows_the_manifest_it_will_use(qtbot, window, tmp_path, monkeypatch,
                                                   no_dialogs):
    """The folder's manifest.csv is what gives the articles their groups: the dialog shows
    it in the Manifest field as soon as the folder is added, not only after the import."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Moscow and Beijing signed an energy deal.", "utf-8")
    (folder / "manifest.csv").write_text("file,group\na.txt,east\n", "utf-8")
    plain = tmp_path / "plain"
    plain.mkdir()
    chosen = iter([str(plain), str(folder)])
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *args, **kwargs: next(chosen)))
    qtbot.mouseClick(window.welcome.import_button, Qt.MouseButton.LeftButton)
    (dialog,) = [d for d in shown_dialogs("Import articles") if isinstance(d, ImportDialog)]
    qtbot.mouseClick(dialog.add_folder_button, Qt.MouseButton.LeftButton)
    assert dialog.manifest.text() == ""  # no manifest in that folder
    qtbot.mouseClick(dialog.add_folder_button, Qt.MouseButton.LeftButton)
    assert dialog.manifest.text() == str(folder / "manifest.csv")
    dialog.reject()
