"""The new views hold up with real names: with an 80-character group name, opening Term
map, Word shift or Collocations never holds the window wider than the screen; the full
name stays one hover away."""
from __future__ import annotations

import pytest
from gui_corpus import LONG_GROUP, analyse, close_window, make_corpus, open_window


@pytest.fixture(scope="module")
def analysed():
    corpus = make_corpus()
    return corpus, analyse(corpus)


@pytest.mark.parametrize("view", ["termmap", "wordshift", "collocations"])
def test_a_long_group_name_keeps_the_window_at_1024(qtbot, analysed, view, no_dialogs):
    corpus, results = analysed
    window = open_window(qtbot, corpus, results, 1024)
    try:
        window.show_panel(view)
        qtbot.wait(20)
        assert window.minimumSizeHint().width() <= 1024
        assert window.width() <= 1024 + 10
        panel = window.panels[view]
        if view == "collocations":
            box = panel.tables[LONG_GROUP].parentWidget()
            assert LONG_GROUP not in box.title() and box.title().startswith(LONG_GROUP[:12])
            assert box.toolTip().startswith(LONG_GROUP)
        else:
            assert LONG_GROUP in panel.pair.itemData(panel.pair.currentIndex(), 3)  # tooltip
    finally:
        close_window(window)
