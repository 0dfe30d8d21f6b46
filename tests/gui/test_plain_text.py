"""Imported text is shown as its characters, never as markup: a title "<img src=…>" loads
no image and "US<China trade…" does not shrink to "US" (document view, corpus table,
drill-down, concordance, chart captions, message boxes)."""
from __future__ import annotations

import pytest
from gui_corpus import (
    IMG_TITLE,
    LINK_TITLE,
    LT_TITLE,
    analyse,
    close_window,
    make_corpus,
    open_window,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtGui import QTextDocument

TITLES = {"c1": LT_TITLE, "c2": IMG_TITLE, "c3": LINK_TITLE}


def shown(text: str, fmt=Qt.TextFormat.AutoText) -> str:
    """What Qt displays for ``text`` in a label, tooltip or message box of format ``fmt``."""
    rich = fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText
                                             and QtGui.mightBeRichText(text))
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


@pytest.fixture(scope="module")
def analysed():
    corpus = make_corpus()
    return corpus, analyse(corpus)


@pytest.fixture
def window(qtbot, analysed):
    corpus, results = analysed
    w = open_window(qtbot, corpus, results)
    yield w
    close_window(w)


@pytest.mark.parametrize("doc_id", list(TITLES))
def test_document_view_shows_the_title_as_text(window, doc_id):
    window.show_panel("document")
    panel = window.panels["document"]
    panel.picker.setCurrentIndex(panel.picker.findData(doc_id))
    assert shown(panel.info.text(), panel.info.textFormat()).startswith(TITLES[doc_id] + " \u2014")
    assert panel.picker.currentText().startswith(TITLES[doc_id])


def test_corpus_table_cells_and_tooltips_show_titles_as_text(window):
    window.show_panel("corpus")
    model = window.panels["corpus"].view.model()
    titles = [c for c in range(model.columnCount())
              if model.headerData(c, Qt.Orientation.Horizontal) in ("title", "Title")]
    assert titles
    seen = {}
    for row in range(model.rowCount()):
        index = model.index(row, titles[0])
        tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
        seen[index.data()] = shown(tip) if tip else None
    for title in TITLES.values():
        assert title in seen
        if len(title) > 40:  # long cells carry their text as a tooltip
            assert seen[title] == title


def test_drilldown_and_kwic_lines_show_sources_as_text(qtbot, window, analysed):
    from sinoru_desktop.panels.kwic_list import HTML_ROLE

    _corpus, results = analysed
    window.show_panel("compare")
    drill = window.panels["compare"].drill
    group = results.group_names[0]
    drill.show_item(f"term|win-win cooperation|{group}")
    lines = [lst.item(i) for lst in drill.lists.values() for i in range(lst.count())]
    assert lines
    sources = " ".join(shown(item.toolTip()) for item in lines)
    rendered = " ".join(shown(item.data(HTML_ROLE), Qt.TextFormat.RichText) for item in lines)
    for title in (IMG_TITLE, LT_TITLE):
        assert title in sources and title in rendered
    drill.show_item(f"term|<img src=x>|{group}")
    assert '"<img src=x>"' in shown(drill.heading.text(), drill.heading.textFormat())


def test_concordance_rows_show_titles_as_text(qtbot, window):
    window.show_panel("concordance")
    panel = window.panels["concordance"]
    qtbot.keyClicks(panel.query, "multipolar world")
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    model = panel.table.model()
    column = [c for c in range(model.columnCount())
              if model.headerData(c, Qt.Orientation.Horizontal) == "Title"][0]
    cells = {model.index(r, column).data(): model.data(model.index(r, column),
                                                       Qt.ItemDataRole.ToolTipRole)
             for r in range(model.rowCount())}
    assert LT_TITLE in cells and LINK_TITLE in cells
    assert shown(cells[LINK_TITLE]) == LINK_TITLE
    assert "multipolar world" in shown(panel.count.text(), panel.count.textFormat()) or \
        "match" in panel.count.text()


def test_chart_captions_and_group_tooltips_are_text(qtbot, window):
    window.show_panel("compare")
    compare = window.panels["compare"]
    for card in compare.cards.values():
        assert card.caption.textFormat() == Qt.TextFormat.PlainText
    tips = [shown(compare.group_list.item(i).toolTip())
            for i in range(compare.group_list.count())]
    assert any("Peace and Development (China Institute" in t for t in tips)


def test_export_error_message_shows_the_path_as_text(qtbot, window, tmp_path, monkeypatch,
                                                     no_dialogs):
    from PySide6.QtWidgets import QFileDialog

    from sinoru_desktop.export_dialog import ExportReportDialog

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "<a href=https://example.org>report</a>.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    for menu in window.menuBar().actions():
        if menu.text() == "&File":
            next(a for a in menu.menu().actions() if a.text() == "&Export Report…").trigger()
    dialog = [d for d in window.findChildren(ExportReportDialog) if d.isVisible()][0]
    dialog.format.setCurrentIndex(dialog.format.findData("html"))
    qtbot.mouseClick(dialog.browse, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(no_dialogs.texts("warning")), timeout=60_000)
    kind, title, text = no_dialogs.calls[-1]
    assert title == "Export failed"
    assert shown(text).startswith(f"{target}: the report could not be written")


def test_cannot_open_project_message_shows_the_file_name_as_text(qtbot, window, tmp_path,
                                                                 monkeypatch, no_dialogs):
    # A damaged project whose name looks like markup: File > Open… names it as it is.
    from menu_actions import menu_action
    from PySide6.QtWidgets import QFileDialog

    bad = tmp_path / "<img src=x> study.sinoru"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(bad), "")))
    menu_action(window, "file", "Open…").trigger()
    qtbot.waitUntil(lambda: bool(no_dialogs.texts("warning")), timeout=30_000)
    kind, title, text = no_dialogs.calls[-1]
    assert title == "Cannot open project"
    assert shown(text).startswith("<img src=x> study.sinoru: ")
    assert "\n" not in shown(text).strip()
