"""The corpus view: table contents, filters, in-place and bulk metadata edits."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from analysis.corpus import Corpus, Document
from analysis.results import SCHEMA, Results
from sinoru_desktop.panels.corpus_panel import COLUMNS, CorpusPanel
from sinoru_desktop.state import AppState


def make_corpus() -> Corpus:
    return Corpus([
        Document("x1", "Xi and Putin pledged a no-limits partnership.",
                 meta={"title": "No limits", "outlet": "Xinhua", "group": "chinese",
                       "date": "2022-02-04"}),
        Document("r1", "Reuters: the partnership has limits, analysts said.",
                 meta={"title": "Limits", "outlet": "Reuters", "group": "western",
                       "author": "J. Doe"}),
        Document("t1", "TASS reported energy deals.",
                 meta={"title": "Energy", "outlet": "TASS", "group": ""}),
    ])


@pytest.fixture
def panel(qtbot):
    state = AppState()
    state.set_corpus(make_corpus(), dirty=False)
    state.set_results(Results({"schema": SCHEMA, "schema_version": 1}))
    p = CorpusPanel(state)
    qtbot.addWidget(p)
    with qtbot.waitExposed(p):
        p.show()
    return p


def cell(panel, row, column):
    col = list(COLUMNS).index(column)
    return panel.model.data(panel.model.index(row, col))


def test_table_shows_metadata_and_word_counts(panel):
    m = panel.model
    assert m.rowCount() == 3
    assert [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())] == \
        ["Title", "Outlet", "Outlet type", "Group", "Date", "Author", "Language", "Words"]
    assert [cell(panel, r, "title") for r in range(3)] == ["No limits", "Limits", "Energy"]
    assert [cell(panel, r, "words") for r in range(3)] == ["7", "7", "4"]
    assert panel.count_label.text() == "3 documents"


def test_filters_by_metadata_group_and_text(qtbot, panel):
    panel.filter_edit.setText("reuters")
    panel.apply_filter()
    assert [panel.model.row_label(r) for r in range(panel.model.rowCount())] == ["r1"]
    assert panel.count_label.text() == "1 of 3 documents shown"
    panel.filter_edit.clear()
    panel.text_search.setText("PARTNERSHIP")
    panel.apply_filter()
    assert sorted(panel.model.frame.index) == ["r1", "x1"]
    panel.group_combo.setCurrentText("chinese")
    panel.apply_filter()
    assert list(panel.model.frame.index) == ["x1"]
    assert [panel.group_combo.itemText(i) for i in range(panel.group_combo.count())] == \
        ["All groups", "chinese", "western"]


def test_edit_in_place_updates_state_marks_dirty_and_results_out_of_date(qtbot, panel):
    state = panel.state
    with qtbot.waitSignal(state.dirtyChanged):
        assert panel.model.setData(panel.model.index(2, list(COLUMNS).index("group")), "russian")
    assert state.corpus["t1"].meta["group"] == "russian"
    assert state.dirty and state.results is not None and state.results_stale
    assert cell(panel, 2, "group") == "russian"
    assert "russian" in [panel.group_combo.itemText(i) for i in range(panel.group_combo.count())]


def test_words_column_is_not_editable(panel):
    index = panel.model.index(0, list(COLUMNS).index("words"))
    assert not panel.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not panel.model.setData(index, "12")


def test_bulk_set_group_for_selected_rows(qtbot, panel, monkeypatch):
    panel.view.selectRow(0)
    panel.view.selectionModel().select(
        panel.model.index(2, 0), panel.view.selectionModel().SelectionFlag.Select
        | panel.view.selectionModel().SelectionFlag.Rows)
    assert panel.selected_ids() == ["x1", "t1"]
    monkeypatch.setattr(QInputDialog, "getItem",
                        staticmethod(lambda *a, **k: ("state media", True)))
    panel.set_group_action.trigger()
    corpus = panel.state.corpus
    assert [corpus[i].meta["group"] for i in ("x1", "r1", "t1")] == \
        ["state media", "western", "state media"]
    assert panel.state.dirty
    assert panel.selected_ids() == ["x1", "t1"]   # the selection survives the rebuild


def test_sorting_by_words_keeps_rows_whole(panel):
    panel.view.sortByColumn(list(COLUMNS).index("words"), Qt.SortOrder.AscendingOrder)
    assert panel.model.row_label(0) == "t1"
    assert cell(panel, 0, "title") == "Energy"


def test_open_document_requests_it(qtbot, panel):
    panel.view.selectRow(1)
    with qtbot.waitSignal(panel.state.documentRequested) as blocker:
        panel.open_action.trigger()
    assert blocker.args == ["r1", 0, 0]


def test_outlet_dialog_saves_user_registry_and_presets_fill_group(qtbot, panel, no_dialogs):
    from sinoru_desktop.panels.corpus_panel import show_outlet_dialog
    from sinoru_desktop.settings import user_registry_path

    dialog = show_outlet_dialog(panel, "TASS Russian News Agency Weekly")
    qtbot.addWidget(dialog)
    dialog.name.setText("Energy Wire")
    dialog.domains.setText("energywire.example")
    dialog.outlet_type.setCurrentText("trade press")
    dialog.group.setText("industry")
    dialog.buttons.accepted.emit()
    assert no_dialogs.calls == []
    assert "Energy Wire" in user_registry_path().read_text(encoding="utf-8")

    state = panel.state
    state.update_documents([state.corpus["t1"].with_meta(outlet="Energy Wire")])
    assert panel.apply_presets(["t1", "r1"]) >= 1
    t1 = state.corpus["t1"]
    assert (t1.meta["outlet_type"], t1.meta["group"]) == ("trade press", "industry")


def test_outlet_dialog_requires_name_and_group(qtbot, panel, no_dialogs):
    from sinoru_desktop.panels.corpus_panel import show_outlet_dialog

    dialog = show_outlet_dialog(panel, "")
    qtbot.addWidget(dialog)
    dialog.buttons.accepted.emit()
    assert dialog.isVisible()
    assert "Give the outlet's name and its group." in no_dialogs.texts("warning")[0]


_PAGE = """<html><head><title>Ports reopen | Daily Harbour</title>
<meta property="og:site_name" content="Daily Harbour"></head><body>
<nav><a>Home</a> <a>World</a> <a>Business</a></nav><article><h1>Ports reopen</h1>
<p>The harbour authority said on Tuesday that all three container terminals had resumed
work after the storm closed them for two days.</p>
<p>Shipping lines warned that backlogs would take a week to clear, and several vessels
remained anchored outside the breakwater.</p></article>
<aside><h3>Related stories</h3><ul><li><a>Storm closes the harbour for a second time this
year</a></li></ul></aside></body></html>"""


def test_web_page_switches_between_article_and_whole_page(qtbot, tmp_path, no_dialogs):
    from analysis.ingest import import_paths

    page = tmp_path / "ports.html"
    page.write_text(_PAGE, encoding="utf-8")
    state = AppState()
    state.set_corpus(import_paths([page]).corpus, dirty=False)
    panel = CorpusPanel(state)
    qtbot.addWidget(panel)
    with qtbot.waitExposed(panel):
        panel.show()
    words_article = int(cell(panel, 0, "words"))
    panel.view.selectRow(0)

    panel.whole_page_action.trigger()
    assert "Storm closes the harbour" in state.corpus["ports"].text
    assert int(cell(panel, 0, "words")) > words_article + 10
    assert state.dirty

    panel.article_action.trigger()
    assert "Storm closes the harbour" not in state.corpus["ports"].text
    assert int(cell(panel, 0, "words")) == words_article
    assert no_dialogs.calls == []

    # The saved page has changed since the import: the user is told, nothing changes.
    panel.whole_page_action.trigger()
    page.write_text(_PAGE.replace("Tuesday", "Monday"), encoding="utf-8")
    panel.article_action.trigger()
    assert "Storm closes the harbour" in state.corpus["ports"].text
    [(_kind, title, text)] = no_dialogs.calls
    assert title == "Use article only" and "ports.html" in text and "changed" in text


def test_language_is_shown_and_editable(qtbot, tmp_path):
    from analysis.ingest import import_paths

    (tmp_path / "ru.txt").write_text("Переговоры возобновились\n\nДелегации снова встретились "
                                     "в пятницу и согласовали график работы.\n",
                                     encoding="utf-8")
    (tmp_path / "zh.txt").write_text("港口恢复运营\n\n港务局周二表示，三个集装箱码头已全部恢复作业。\n",
                                     encoding="utf-8")
    state = AppState()
    state.set_corpus(import_paths([tmp_path]).corpus, dirty=False)
    panel = CorpusPanel(state)
    qtbot.addWidget(panel)
    assert [cell(panel, r, "language") for r in range(2)] == ["ru", "zh"]
    index = panel.model.index(0, list(COLUMNS).index("language"))
    assert panel.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert panel.model.setData(index, "uk")
    assert state.corpus["ru"].meta["language"] == "uk"
