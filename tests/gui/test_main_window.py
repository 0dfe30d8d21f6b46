"""The main window: welcome page, unsaved-changes prompt, open/save, recovery, About."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from analysis.corpus import Corpus, Document
from sinoru_desktop import settings as app_settings
from sinoru_desktop.main_window import MainWindow
from sinoru_desktop.project import Project, load_project, save_project


def corpus() -> Corpus:
    return Corpus([
        Document("a1", "Moscow and Beijing signed a deal.",
                 meta={"title": "Deal", "outlet": "TASS", "group": "russian"}, sha256="1" * 64),
        Document("a2", "Analysts doubt the partnership.",
                 meta={"title": "Doubts", "outlet": "Reuters", "group": "western"}, sha256="2" * 64),
    ])


def _wait_idle(qtbot, window):
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60_000)


def _save(qtbot, window, path) -> None:
    """Save in the background, as the app does, and wait for the save to end."""
    assert window.save_to(str(path))
    assert window.saver.busy  # it runs in the task runner, not on the GUI thread
    qtbot.waitUntil(lambda: not window.saver.busy, timeout=60_000)


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    with qtbot.waitExposed(w):
        w.show()
    yield w
    w.state.set_dirty(False)
    w.runner.shutdown()


def test_first_start_shows_welcome_with_three_actions(window):
    assert window.pages.currentWidget() is window.welcome
    texts = [b.text() for b in (window.welcome.demo_button, window.welcome.import_button)]
    assert texts == ["Open the demo project", "Import articles…"]
    assert window.welcome.no_recent.isVisibleTo(window)
    assert window.windowTitle() == "Untitled[*] — Sinoru"


def test_standard_shortcuts(window):
    shortcuts = {a.text(): a.shortcut() for m in window.menuBar().actions()
                 for a in m.menu().actions()}
    assert shortcuts["&Save"] == QKeySequence(QKeySequence.StandardKey.Save)
    assert shortcuts["&Open…"] == QKeySequence(QKeySequence.StandardKey.Open)
    assert shortcuts["&Find in Articles…"] == QKeySequence(QKeySequence.StandardKey.Find)
    assert shortcuts["&Run Analysis"] == QKeySequence("F5")


def test_close_with_unsaved_changes_asks(qtbot, window, no_dialogs, tmp_path, monkeypatch):
    window.load_into_state(Project(corpus=corpus()), None, dirty=True)
    no_dialogs.answers["warning"] = QMessageBox.StandardButton.Cancel
    assert not window.close()
    assert window.isVisible()
    assert "Save the changes to this project" in no_dialogs.texts("warning")[0]

    target = tmp_path / "kept.sinoru"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    no_dialogs.answers["warning"] = QMessageBox.StandardButton.Save
    assert not window.close()  # it saves first, in the background, then closes
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
    assert load_project(target).corpus.ids == ["a1", "a2"]
    assert not window.state.dirty


def test_discard_closes_without_saving(window, no_dialogs, tmp_path):
    window.load_into_state(Project(corpus=corpus()), None, dirty=True)
    no_dialogs.answers["warning"] = QMessageBox.StandardButton.Discard
    assert window.close()
    assert list(tmp_path.glob("*.sinoru")) == []


def test_save_open_round_trip_and_recent(qtbot, window, no_dialogs, tmp_path):
    path = tmp_path / "study.sinoru"
    window.load_into_state(Project(corpus=corpus()), None, dirty=True)
    _save(qtbot, window, path)
    assert window.windowTitle() == "study[*] — Sinoru" and not window.isWindowModified()
    window.new_project()
    assert not window.state.has_documents
    assert window.open_project(str(path))
    _wait_idle(qtbot, window)
    assert window.state.corpus.ids == ["a1", "a2"]
    assert app_settings.recent_projects() == [str(path.resolve())]
    assert window.pages.currentIndex() == 1
    assert no_dialogs.calls == []


@pytest.mark.parametrize("content, reason", [
    (b"\x00\x01garbage" * 50, "this is not a Sinoru project file"),
    (b"", "the file is empty"),
])
def test_opening_a_bad_file_gives_a_message(qtbot, window, no_dialogs, tmp_path, content,
                                            reason):
    path = tmp_path / "broken.sinoru"
    path.write_bytes(content)
    window.open_project(str(path))
    _wait_idle(qtbot, window)
    (text,) = no_dialogs.texts("warning")
    assert "broken.sinoru" in text and reason in text
    assert window.pages.currentWidget() is window.welcome


def test_failed_save_keeps_project_dirty_and_says_why(qtbot, window, no_dialogs, tmp_path):
    window.load_into_state(Project(corpus=corpus()), None, dirty=True)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    _save(qtbot, window, blocker / "study.sinoru")
    assert window.state.dirty
    assert "study.sinoru: could not be saved" in no_dialogs.texts("warning")[0]


def test_autosave_and_recovery_after_crash(qtbot, window, no_dialogs, tmp_path):
    window.load_into_state(Project(corpus=corpus()), str(tmp_path / "orig.sinoru"), dirty=True)
    window._on_autosave()
    window.autosaver.wait()
    mine = app_settings.recovery_path()
    assert load_project(mine).corpus.ids == ["a1", "a2"]
    # Simulate a crash: the autosave of a process that no longer runs is left behind.
    crashed = app_settings.recovery_path(pid=2**22 + 12345)
    mine.rename(crashed)

    other = MainWindow()
    qtbot.addWidget(other)
    no_dialogs.answers["question"] = QMessageBox.StandardButton.Yes
    assert other.offer_recovery()
    assert "did not close properly" in no_dialogs.texts("question")[0]
    assert "orig.sinoru" in no_dialogs.texts("question")[0]
    assert other.state.corpus.ids == ["a1", "a2"] and other.state.dirty
    assert other.state.project_path == str(tmp_path / "orig.sinoru")
    assert not crashed.exists()
    other.state.set_dirty(False)


def test_recovery_declined_deletes_the_file(qtbot, window, no_dialogs):
    crashed = app_settings.recovery_path(pid=2**22 + 999)
    save_project(Project(corpus=corpus()), crashed)
    no_dialogs.answers["question"] = QMessageBox.StandardButton.No
    assert not window.offer_recovery()
    assert not crashed.exists() and not window.state.has_documents


def test_clean_save_removes_recovery_file(qtbot, window, no_dialogs, tmp_path):
    window.load_into_state(Project(corpus=corpus()), None, dirty=True)
    window._on_autosave()
    window.autosaver.wait()
    assert app_settings.recovery_path().exists()
    _save(qtbot, window, tmp_path / "s.sinoru")
    assert not app_settings.recovery_path().exists()


def test_about_lists_versions_and_accuracy(qtbot, window):
    from sinoru_desktop.about import library_versions, model_accuracy_lines

    names = [n for n, _v in library_versions()]
    assert names[:4] == ["Sinoru", "Python", "Qt", "PySide6"]
    assert {"pandas", "scikit-learn", "matplotlib", "textstat"} <= set(names)
    lines = model_accuracy_lines({"models": {"target_sentiment": {
        "name": "tsc-linear", "accuracy": {"macro_f1": 0.6234, "ci95": [0.59, 0.65],
                                           "data": "NewsMTSC test", "n": 1000}}}})
    assert lines == ["tsc-linear: macro-F1 0.62 (95% CI 0.59–0.65), NewsMTSC test, n = 1000"]
    assert model_accuracy_lines({"models": {"sentiment": {"name": "vader"}}}) == \
        ["vader: not measured"]
    window.show_about()
    dialog = window._dialogs[-1]
    assert dialog.isVisible() and dialog.windowTitle() == "About Sinoru"
    dialog.close()


def test_document_request_switches_view(window):
    window.load_into_state(Project(corpus=corpus()), None)
    window.state.documentRequested.emit("a2", 0, 5)
    assert window.pages.currentIndex() == 1
    assert window.nav.currentItem().text() == "Document"



def test_analysis_request_runs_pipeline_and_sets_results(qtbot, window, no_dialogs):
    window.load_into_state(Project(corpus=corpus()), None)
    window.state.analysisRequested.emit()
    _wait_idle(qtbot, window)
    assert no_dialogs.calls == []
    results = window.state.results
    assert results is not None
    assert sorted(results.group_names) == ["russian", "western"]
    assert results.groups["russian"]["n_documents"] == 1
    assert "Analysis finished: 2 groups" in window.statusBar().currentMessage()
    assert no_dialogs.calls == []


def test_codebook_with_syntax_error_gives_message(qtbot, window, no_dialogs):
    window.load_into_state(Project(corpus=corpus()), None)
    window.state.codebooks = {"generic": "frames: [conflict, {label: oops"}
    window.state.analysisRequested.emit()
    _wait_idle(qtbot, window)
    (text,) = no_dialogs.texts("warning")
    assert text.startswith("Analysis failed\nThe analysis could not run:")
    assert "codebook 'generic'" in text
    assert window.state.results is None


def test_closing_during_a_run_cancels_it(qtbot, window, no_dialogs):
    big = Corpus(Document(f"d{i}", "Beijing and Moscow agreed on trade. " * 40,
                          meta={"group": "ab"[i % 2]}) for i in range(200))
    window.load_into_state(Project(corpus=big), None)
    window.state.analysisRequested.emit()
    assert window.runner.busy
    assert window.close()
    assert not window.runner.busy and window.runner.wait(30_000)
    assert window.state.results is None and no_dialogs.calls == []


def _drop(window, paths):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)


def test_dropping_a_project_file_opens_it(qtbot, window, no_dialogs, tmp_path):
    path = tmp_path / "dropped.sinoru"
    save_project(Project(corpus=corpus()), path)
    _drop(window, [path])
    _wait_idle(qtbot, window)
    assert window.state.corpus.ids == ["a1", "a2"]
    assert window.windowTitle() == "dropped[*] — Sinoru"


def test_dropping_files_starts_an_import(qtbot, window, monkeypatch, tmp_path):
    started = []
    monkeypatch.setattr(window, "start_import", lambda paths, manifest=None: started.append(paths))
    files = [tmp_path / "a.txt", tmp_path / "b.html"]
    _drop(window, files)
    assert started == [[str(f) for f in files]]


def test_geometry_is_remembered(qtbot, no_dialogs):
    first = MainWindow()
    qtbot.addWidget(first)
    first.resize(700, 500)  # inside the offscreen screen, so it is not clamped
    assert first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (700, 500)


def test_theme_follows_choice(qtbot):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from sinoru_desktop.theme import ThemeManager

    app = QApplication.instance()
    old = QPalette(app.palette())
    theme = ThemeManager(app, "dark")
    try:
        assert theme.is_dark()
        assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
        theme.set_theme("light")
        assert app.palette().color(QPalette.ColorRole.Window).lightness() > 180
    finally:
        app.setPalette(old)


def test_about_without_results_reads_the_shipped_model_cards():
    from analysis.models.target_sentiment import load_target_model
    from sinoru_desktop.about import model_accuracy_lines

    model = load_target_model()
    lines = model_accuracy_lines(None)
    if model is None:
        assert lines == ["Sentiment models: not measured"]
    else:
        f1 = model.accuracy["macro_f1"]
        assert lines[0].startswith(f"{model.name}: macro-F1 {f1:.2f} (95% CI ")
