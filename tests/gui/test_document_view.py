"""The Document view keeps sentence-tone shading and frame highlights apart, whatever the
user clicked before switching documents."""
from __future__ import annotations

import pytest
from gui_corpus import analyse, make_corpus
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor


@pytest.fixture(scope="module")
def corpus():
    return make_corpus()


@pytest.fixture(scope="module")
def results(corpus):
    return analyse(corpus)


@pytest.fixture
def panel(qtbot, corpus, results):
    from sinoru_desktop.panels import DocumentPanel
    from sinoru_desktop.state import AppState

    state = AppState()
    state.set_corpus(corpus)
    state.set_results(results)
    view = DocumentPanel(state)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    with qtbot.waitExposed(view):
        view.show()
    return view


def _background_at(panel, offset: int):
    cursor = QTextCursor(panel.text.document())
    cursor.setPosition(panel._qpos(offset) + 1)  # format of the character before
    return cursor.charFormat().background()


def _click_inside_frame_match(qtbot, panel, results, doc_id: str) -> None:
    matches = results.table("frame_matches")
    row = matches[(matches["doc_id"] == doc_id)
                  & (matches["codebook"] == panel.codebook.currentData())].iloc[0]
    cursor = QTextCursor(panel.text.document())
    cursor.setPosition(panel._qpos(int(row["start"]) + 1))
    point = panel.text.cursorRect(cursor).center() + QPoint(1, 0)
    qtbot.mouseClick(panel.text.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert _background_at(panel, int(row["start"]) + 1).style() != Qt.BrushStyle.NoBrush


def _neutral_frame_free_sentences(results, doc_id: str):
    sentences = results.table("sentences")
    sentences = sentences[sentences["doc_id"] == doc_id]
    matches = results.table("frame_matches")
    matches = matches[matches["doc_id"] == doc_id]
    out = []
    for s in sentences.itertuples(index=False):
        overlaps = ((matches["start"] < s.end) & (matches["end"] > s.start)).any()
        if abs(float(s.compound)) < 0.05 and not overlaps:
            out.append((int(s.start), int(s.end)))
    return out


@pytest.mark.parametrize("switch", ["picker", "drill-down"])
def test_neutral_sentences_keep_the_plain_background_after_a_click(qtbot, panel, results,
                                                                   switch):
    panel.show_document("c1")
    _click_inside_frame_match(qtbot, panel, results, "c1")
    neutral = _neutral_frame_free_sentences(results, "w1")
    assert neutral, "the test corpus needs a neutral sentence without frames in w1"
    if switch == "picker":
        panel.picker.setCurrentIndex(panel.picker.findData("w1"))
    else:  # a drill-down passage double-clicked: the state asks for the document
        panel.state.documentRequested.emit("w1", neutral[0][0], neutral[0][0])
    assert panel.doc_id == "w1"
    for start, end in neutral:
        for offset in (start, (start + end) // 2, end - 1):
            brush = _background_at(panel, offset)
            assert brush.style() == Qt.BrushStyle.NoBrush, (
                f"neutral sentence at {start}..{end} has background {brush.color().name()}")
