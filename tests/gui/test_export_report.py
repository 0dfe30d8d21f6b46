"""File > Export report…: the dialog, the background export with Cancel, the offer to open."""
from __future__ import annotations

import csv

import pytest
from gui_corpus import analyse, close_window, make_corpus, open_window
from PySide6.QtCore import QPoint, Qt

NOTE = "Scope: summit coverage, May 2026.\nWire copy only."


@pytest.fixture(scope="module")
def analysed():
    corpus = make_corpus()
    return corpus, analyse(corpus)


@pytest.fixture
def window(qtbot, analysed, no_dialogs):
    corpus, results = analysed
    w = open_window(qtbot, corpus, results)
    yield w
    close_window(w)


@pytest.fixture
def opened(monkeypatch):
    """Files the app asked the desktop to open."""
    from PySide6.QtGui import QDesktopServices

    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: urls.append(url.toLocalFile()) or True))
    return urls


def _menu_action(window, menu_title: str, text: str):
    for menu_action in window.menuBar().actions():
        if menu_action.text().replace("&", "") == menu_title:
            for action in menu_action.menu().actions():
                if action.text().replace("&", "") == text:
                    return action
    raise AssertionError(f"no {menu_title} › {text}")


def _open_dialog(qtbot, window):
    from sinoru_desktop.export_dialog import ExportReportDialog

    _menu_action(window, "File", "Export Report…").trigger()
    dialogs = [d for d in window.findChildren(ExportReportDialog) if d.isVisible()]
    assert len(dialogs) == 1
    qtbot.waitExposed(dialogs[0])
    return dialogs[0]


def _fill(qtbot, dialog, monkeypatch, fmt: str, target, skip=()):
    from PySide6.QtWidgets import QFileDialog

    dialog.format.setCurrentIndex(dialog.format.findData(fmt))
    if fmt == "csv":
        monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                            staticmethod(lambda *a, **k: str(target)))
    else:
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(dialog.browse, Qt.MouseButton.LeftButton)
    assert dialog.path.text() == str(target)
    qtbot.keyClicks(dialog.title, "Summit coverage compared")
    dialog.author.clear()
    qtbot.keyClicks(dialog.author, "A. Analyst")
    dialog.note.setPlainText(NOTE)
    for section in skip:
        box = dialog.sections[section]
        # On the box and its label (a checkbox ignores clicks on its empty right part).
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        assert not dialog.sections[section].isChecked()


def test_export_pdf_from_the_menu(qtbot, window, tmp_path, monkeypatch, opened, no_dialogs):
    from pypdf import PdfReader

    target = tmp_path / "out" / "summit.pdf"
    dialog = _open_dialog(qtbot, window)
    _fill(qtbot, dialog, monkeypatch, "pdf", target, skip=("evidence", "documents"))
    contents = [dialog.outline.item(i).text() for i in range(dialog.outline.count())]
    assert "Summary of findings" in contents
    assert not any(line.startswith("Appendix: documents") for line in contents)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert window.runner.busy and "summit.pdf" in window.runner.label
    qtbot.waitUntil(lambda: bool(opened), timeout=120_000)
    assert opened == [str(target)]
    assert any("Open it now?" in t for t in no_dialogs.texts("question"))
    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Summit coverage compared" in text
    assert "Author: A. Analyst" in text
    assert "Scope: summit coverage, May 2026." in text and "Wire copy only." in text
    assert "Summary of findings" in text and "Appendix B: Methods" in text
    assert "Appendix A: Documents" not in text and "Evidence: passages" not in text
    assert "Report exported" in window.statusBar().currentMessage()


def test_cancelled_export_leaves_no_file(qtbot, window, tmp_path, monkeypatch, opened,
                                         no_dialogs):
    target = tmp_path / "exports" / "cancelled.pdf"
    target.parent.mkdir()
    dialog = _open_dialog(qtbot, window)
    _fill(qtbot, dialog, monkeypatch, "pdf", target)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert window.runner.busy
    _menu_action(window, "Analysis", "Cancel Running Task").trigger()
    assert not window.runner.busy
    assert window.runner.wait(120_000)  # the worker has unwound
    qtbot.wait(50)
    assert list(target.parent.iterdir()) == []  # no report, no temporary file
    assert not opened and not no_dialogs.texts("question")


@pytest.mark.parametrize("fmt", ["html", "xlsx", "csv"])
def test_export_html_xlsx_and_csv_folder(qtbot, window, tmp_path, monkeypatch, opened, fmt):
    target = tmp_path / ("tables" if fmt == "csv" else f"summit.{fmt}")
    dialog = _open_dialog(qtbot, window)
    _fill(qtbot, dialog, monkeypatch, fmt, target, skip=("documents",))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=120_000)
    if fmt == "html":
        page = target.read_text("utf-8")
        assert "<h1>Summit coverage compared</h1>" in page and "Author: A. Analyst" in page
        assert "<p>Wire copy only.</p>" in page and "Appendix A: Documents" not in page
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(target, read_only=True)
        assert "documents" not in book.sheetnames and "frames" in book.sheetnames
        info = {r[0]: r[1] for r in book["report"].iter_rows(min_row=2, values_only=True)}
        assert info["author"] == "A. Analyst" and info["note"] == NOTE
    else:
        names = sorted(p.name for p in target.iterdir())
        assert "report.csv" in names and "frames.csv" in names and "documents.csv" not in names
        with open(target / "report.csv", encoding="utf-8-sig", newline="") as fh:
            info = {r["field"]: r["value"] for r in csv.DictReader(fh)}
        assert info["title"] == "Summit coverage compared"


def test_export_without_results_says_what_to_do(qtbot, no_dialogs):
    from sinoru_desktop.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    _menu_action(w, "File", "Export Report…").trigger()
    assert any("run the analysis first" in t for t in no_dialogs.texts("information"))
