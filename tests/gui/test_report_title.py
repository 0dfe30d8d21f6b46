"""The report's title before the project is first saved: it names the imported folder,
never "Untitled" (the window's name for an unsaved project)."""
from __future__ import annotations

from dataclasses import replace

from gui_corpus import make_corpus
from PySide6.QtCore import Qt

from analysis.corpus import Corpus


def test_report_of_an_unsaved_project_is_named_after_its_folder(qtbot, make_window, tmp_path,
                                                                monkeypatch, no_dialogs):
    from pypdf import PdfReader
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog

    from sinoru_desktop.export_dialog import ExportReportDialog
    from sinoru_desktop.project import Project

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: True))
    corpus = Corpus([replace(d, source=f"/data/summit-coverage/{d.doc_id}.txt")
                     for d in make_corpus()])
    window = make_window()
    window.load_into_state(Project(corpus=corpus, config=replace(
        window.state.config, n_boot=100, n_perm=100)), None)
    assert window.state.project_path is None and window.windowTitle().startswith("Untitled")
    window.run_analysis()
    qtbot.waitUntil(lambda: window.state.results is not None and not window.runner.busy,
                    timeout=120_000)

    from sinoru_desktop.exports import show_report_export

    dialog = show_report_export(window)
    assert isinstance(dialog, ExportReportDialog)
    assert dialog.title.placeholderText() == "Sinoru report: summit-coverage"
    target = tmp_path / "report.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(dialog.browse, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: target.exists() and not window.runner.busy, timeout=120_000)
    first = PdfReader(target).pages[0].extract_text()
    assert "Sinoru report: summit-coverage" in first
    assert "Untitled" not in first


def test_results_saved_as_untitled_get_a_title_from_their_groups():
    """Projects analysed before this fix carry the corpus name "Untitled"."""
    from analysis.report.options import ReportOptions, report_title
    from analysis.results import Results

    old = Results({"corpus_name": "Untitled", "groups": {"state": {}, "world": {}}})
    assert report_title(old, ReportOptions()) == "Sinoru report: state vs world"
