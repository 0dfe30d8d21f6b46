"""A codebook edited in the app is reported as edited: add a term in the Codebooks view,
Apply and re-run, File › Export Report… → PDF; the report must not describe the figures
as coming from the built-in codebook of the same version."""
from __future__ import annotations

from dataclasses import replace

import pytest
from gui_corpus import analyse, close_window, make_corpus, open_window
from menu_actions import menu_action
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from small_corpus import FAST


@pytest.fixture
def window(qtbot, no_dialogs, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    # The export offers to open the PDF; the test reads it instead.
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: True))
    corpus = make_corpus()
    w = open_window(qtbot, corpus, analyse(corpus))
    w.state.set_config(replace(w.state.config, **FAST), dirty=False)
    yield w
    close_window(w)


def export_pdf(qtbot, window, monkeypatch, target) -> str:
    from pypdf import PdfReader

    from sinoru_desktop.export_dialog import ExportReportDialog

    menu_action(window, "file", "Export Report…").trigger()
    (dialog,) = [d for d in window.findChildren(ExportReportDialog) if d.isVisible()]
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(dialog.browse, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: target.exists() and not window.runner.busy, timeout=120_000)
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(target).pages)


def test_report_says_the_codebook_was_edited(qtbot, window, tmp_path, monkeypatch,
                                             no_dialogs):
    before = export_pdf(qtbot, window, monkeypatch, tmp_path / "before.pdf")
    assert "China-Russia relations (v1.1)" in before
    assert "edited" not in before

    window.show_panel("codebooks")
    panel = window.panels["codebooks"]
    row = next(i for i in range(panel.books.count())
               if panel.books.item(i).data(Qt.ItemDataRole.UserRole) == "china_russia")
    panel.books.setCurrentRow(row)
    panel.frames.setCurrentRow(0)
    qtbot.keyClicks(panel.terms.entry, "ironclad friendship")
    qtbot.mouseClick(panel.terms.add_button, Qt.MouseButton.LeftButton)
    old = window.state.results
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state.results is not old and not window.runner.busy,
                    timeout=120_000)

    after = export_pdf(qtbot, window, monkeypatch, tmp_path / "after.pdf")
    assert "China-Russia relations (v1.1, edited in the app)" in after
    # the methods appendix
    assert "Codebook 'China-Russia relations (v1.1, edited in the app)' (china_russia)" in after
    # The codebooks nobody touched keep their plain version.
    assert "Generic news frames (v1.0)" in after
