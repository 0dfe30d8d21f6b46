"""The codebook editor with multilingual terms: each term's language is shown and edited,
and "Test a term" finds Chinese and Russian terms in the documents of their language."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from analysis.codebook import Term, parse_codebook
from analysis.corpus import Corpus, Document

DOCS = {
    "en1": ("en", "Both sides praised their strategic partnership."),
    "zh1": ("zh", "双方表示，中俄全面战略协作伙伴关系不断深化。"),
    "zh2": ("zh", "评论员谈到睦邻友好合作的传统。"),
    "ru1": ("ru", "Министры говорили о всеобъемлющем партнёрстве двух стран."),
}


@pytest.fixture
def panel(qtbot):
    from sinoru_desktop.panels import CodebookPanel
    from sinoru_desktop.state import AppState

    state = AppState()
    state.set_corpus(Corpus(Document(k, text, meta={"language": lang, "group": lang,
                                                     "outlet": f"Outlet {k}"})
                            for k, (lang, text) in DOCS.items()), dirty=False)
    widget = CodebookPanel(state)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    with qtbot.waitExposed(widget):
        widget.show()
    for i in range(widget.books.count()):
        if widget.books.item(i).data(Qt.ItemDataRole.UserRole) == "china_russia":
            widget.books.setCurrentRow(i)
    widget.frames.setCurrentRow(0)
    return widget


def _rows(editor) -> dict[str, str]:
    tree = editor.list
    return {tree.topLevelItem(i).text(0): tree.topLevelItem(i).text(1)
            for i in range(tree.topLevelItemCount())}


def _row_of(editor, text: str):
    tree = editor.list
    return next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).text(0) == text)


def _choose(box, code: str) -> None:
    box.setCurrentIndex(box.findData(code))


def _saved_frame(panel):
    return parse_codebook(panel.state.codebooks["china_russia"]).frames[0]


def test_the_term_list_shows_each_terms_language(panel):
    rows = _rows(panel.terms)
    assert rows["strategic partnership"] == "en (English)"
    assert rows["全面战略协作伙伴关系"] == "zh (Chinese)"
    assert rows["безграничное партнёрство"] == "ru (Russian)"
    assert panel.frames.currentItem().text().endswith(": en, zh, ru)")
    assert _rows(panel.exclusions)["新时代中国特色社会主义"] == "zh (Chinese)"


def test_adding_a_russian_term_and_correcting_a_terms_language(qtbot, panel):
    _choose(panel.terms.language, "ru")
    # QTest types ASCII only (qasciikey); non-Latin text goes in as a paste would.
    panel.terms.entry.insert("всестороннее сотрудничество")
    qtbot.mouseClick(panel.terms.add_button, Qt.MouseButton.LeftButton)
    assert _rows(panel.terms)["всестороннее сотрудничество"] == "ru (Russian)"
    assert Term("всестороннее сотрудничество", "ru") in _saved_frame(panel).terms
    # A Chinese term added by mistake as English, then given its language.
    _choose(panel.terms.language, "en")
    panel.terms.entry.insert("睦邻友好合作")
    qtbot.mouseClick(panel.terms.add_button, Qt.MouseButton.LeftButton)
    assert Term("睦邻友好合作", "en") in _saved_frame(panel).terms
    panel.terms.list.setCurrentItem(_row_of(panel.terms, "睦邻友好合作"))
    # The list's context menu (right-click) sets the selected terms' language.
    menu = [a.text() for a in panel.terms.list.actions()]
    assert "Set language: zh (Chinese)" in menu
    panel.terms.language_actions["zh"].trigger()
    assert _rows(panel.terms)["睦邻友好合作"] == "zh (Chinese)"
    terms = _saved_frame(panel).terms
    assert Term("睦邻友好合作", "zh") in terms and Term("睦邻友好合作", "en") not in terms
    source = panel.source.toPlainText()
    assert "    zh:\n" in source and "睦邻友好合作" in source
    # A language typed into the list must be a code; anything else is put back.
    _row_of(panel.terms, "всестороннее сотрудничество").setText(1, "Russian please")
    assert _rows(panel.terms)["всестороннее сотрудничество"] == "ru (Russian)"
    _row_of(panel.terms, "всестороннее сотрудничество").setText(1, "uk")
    assert _rows(panel.terms)["всестороннее сотрудничество"] == "uk"
    assert Term("всестороннее сотрудничество", "uk") in _saved_frame(panel).terms


def test_testing_chinese_and_russian_terms_from_the_list(qtbot, panel):
    tester = panel.tester
    # Choosing a term in the list puts it, with its language, into the tester.
    panel.terms.list.setCurrentItem(_row_of(panel.terms, "全面战略协作伙伴关系"))
    assert tester.term.text() == "全面战略协作伙伴关系"
    assert tester.language.currentData() == "zh"
    qtbot.mouseClick(tester.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tester.last_count is not None, timeout=10_000)
    assert tester.last_count == 1
    assert ("matches 1 time in 1 of 2 documents in zh (Chinese)"
            in tester.result.text())
    assert "全面战略协作伙伴关系" in tester.sample.item(0).text()
    # A Russian term finds its inflected form.
    panel.terms.list.setCurrentItem(_row_of(panel.terms, "всеобъемлющее партнёрство"))
    assert tester.language.currentData() == "ru"
    qtbot.mouseClick(tester.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tester.last_count == 1, timeout=10_000)
    assert "всеобъемлющем партнёрстве" in tester.sample.item(0).text()
    assert "1 of 1 documents in ru (Russian)" in tester.result.text()
    # A Chinese term with a wildcard is refused with the reason.
    tester.term.setText("伙伴*")
    _choose(tester.language, "zh")
    qtbot.mouseClick(tester.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cannot be used" in tester.result.text(), timeout=10_000)
    assert "wildcard" in tester.result.text()
    # No document in a language: said so, not "0 of 4".
    tester.term.setText("partenariat")
    tester.language.setEditText("fr")
    qtbot.mouseClick(tester.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "No document is in fr" in tester.result.text(), timeout=10_000)
