"""Export what the analyst is looking at: a chart (PNG/SVG/PDF, with or without its
caption), concordance and drill-down passages (CSV/XLSX and the clipboard), any table."""
from __future__ import annotations

import csv

import pytest
from gui_corpus import analyse, close_window, make_corpus, open_window
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage

from analysis.corpus import Corpus, Document

FORMULA_TITLE = '=HYPERLINK("https://example.org","win")'


@pytest.fixture(scope="module")
def analysed():
    corpus = make_corpus()
    extra = Document("x1", "A multipolar world needs win-win cooperation, the editor wrote.",
                     meta={"group": "Western wire services and broadsheets",
                           "outlet": "Blog", "title": FORMULA_TITLE})
    corpus = Corpus([*corpus.documents, extra])
    return corpus, analyse(corpus)


@pytest.fixture
def window(qtbot, analysed):
    corpus, results = analysed
    w = open_window(qtbot, corpus, results)
    yield w
    close_window(w)


@pytest.fixture
def save_as(monkeypatch):
    """Answer the next Save dialog with a path (set ``save_as.path``)."""
    from PySide6.QtWidgets import QFileDialog

    class Answer:
        path = ""

    def fake(*_args, **_kwargs):
        return str(Answer.path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return Answer


def _action(actions, text):
    return next(a for a in actions if a.text() == text)


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(p.extract_text() for p in PdfReader(path).pages)


def test_chart_exports_pdf_png_svg_with_and_without_caption(qtbot, window, tmp_path, save_as):
    window.show_panel("compare")
    card = window.panels["compare"].card("frames")
    card.canvas.flush()
    caption_words = card.caption.text().split("\n")[0].split()[:5]
    assert len(caption_words) == 5
    menu = card.canvas.context_menu()
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Export as PNG…", "Export as SVG…", "Export as PDF…", "Include the caption in exports"]
    for suffix in ("pdf", "png", "svg"):
        save_as.path = tmp_path / f"with.{suffix}"
        _action(menu.actions(), f"Export as {suffix.upper()}…").trigger()
    assert " ".join(caption_words) in " ".join(_pdf_text(tmp_path / "with.pdf").split())
    assert caption_words[0] in (tmp_path / "with.svg").read_text("utf-8")

    _action(menu.actions(), "Include the caption in exports").trigger()  # untick
    menu = card.canvas.context_menu()
    assert not _action(menu.actions(), "Include the caption in exports").isChecked()
    for suffix in ("pdf", "png"):
        save_as.path = tmp_path / f"without.{suffix}"
        _action(menu.actions(), f"Export as {suffix.upper()}…").trigger()
    assert " ".join(caption_words) not in " ".join(_pdf_text(tmp_path / "without.pdf").split())
    # The caption adds height under the chart.
    assert QImage(str(tmp_path / "with.png")).height() > \
        QImage(str(tmp_path / "without.png")).height()
    assert not list(tmp_path.glob(".*.part"))


def test_concordance_exports_csv_xlsx_and_copies_passages(qtbot, window, tmp_path, save_as):
    window.show_panel("concordance")
    panel = window.panels["concordance"]
    qtbot.keyClicks(panel.query, "win-win cooperation")
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    n = panel.model.rowCount()
    assert n >= 3
    actions = panel.table.actions()
    save_as.path = tmp_path / "kwic.csv"
    _action(actions, "Export table as CSV or XLSX…").trigger()
    with open(save_as.path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n
    assert {r["match"].lower() for r in rows} == {"win-win cooperation"}
    assert "'" + FORMULA_TITLE in {r["title"] for r in rows}  # neutralised, not a formula
    assert {r["doc_id"] for r in rows} >= {"c1", "x1"}
    save_as.path = tmp_path / "kwic.xlsx"
    _action(actions, "Export table as CSV or XLSX…").trigger()
    from openpyxl import load_workbook

    sheet = load_workbook(save_as.path).active
    assert sheet.max_row == n + 1
    titles = [c.value for c in sheet["A"] + sheet["B"] + sheet["C"] + sheet["D"] + sheet["E"]]
    assert FORMULA_TITLE in titles or any(FORMULA_TITLE in str(v) for row in sheet.iter_rows(
        values_only=True) for v in row)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)

    panel.table.selectRow(0)
    _action(actions, "Copy passages with their sources").trigger()
    text = QGuiApplication.clipboard().text()
    first = panel.model.frame.iloc[0]
    assert text.splitlines()[0].startswith(f"…{first['left']}[{first['match']}]")
    assert text.splitlines()[1].startswith(f"    — {first['outlet']}, “{first['title']}”")
    assert len(text.splitlines()) == 2


def test_drilldown_copy_and_export_passages(qtbot, window, tmp_path, save_as, analysed):
    _corpus, results = analysed
    window.show_panel("compare")
    drill = window.panels["compare"].drill
    drill.show_item(f"term|multipolar world|{results.group_names[0]}")
    n_lines = sum(lst.count() for lst in drill.lists.values())
    qtbot.mouseClick(drill.copy_button, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    assert text.count("\n    — ") == n_lines >= 3
    assert "[multipolar world]" in text and "Global Times" in text
    save_as.path = tmp_path / "passages.xlsx"
    qtbot.mouseClick(drill.export_button, Qt.MouseButton.LeftButton)
    from openpyxl import load_workbook

    rows = list(load_workbook(save_as.path).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("group", "outlet", "title", "doc_id")
    assert len(rows) == n_lines + 1
    assert {r[0] for r in rows[1:]} == set(results.group_names)


def test_file_export_table_saves_the_corpus_table(qtbot, window, tmp_path, save_as,
                                                  no_dialogs):
    window.show_panel("corpus")
    save_as.path = tmp_path / "corpus.csv"
    for menu in window.menuBar().actions():
        if menu.text() == "&File":
            _action(menu.menu().actions(), "Export &Table…").trigger()
    with open(save_as.path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 7
    assert "'" + FORMULA_TITLE in {v for r in rows for v in r.values()}
    window.show_panel("compare")
    for menu in window.menuBar().actions():
        if menu.text() == "&File":
            _action(menu.menu().actions(), "Export &Table…").trigger()
    assert any("has no table" in t for t in no_dialogs.texts("information"))
