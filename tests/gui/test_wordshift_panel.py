"""The Word shift view as a user drives it: pick groups and scope, click a bar."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from views_corpus import shown_panel, views_results


@pytest.fixture(scope="module")
def results():
    return views_results()


@pytest.fixture
def panel(qtbot, results):
    from sinoru_desktop.panels.wordshift_panel import WordShiftPanel

    widget = shown_panel(qtbot, WordShiftPanel, results, (1024, 700))
    return widget


def test_sentiment_shift_lists_the_words_that_make_the_state_group_warmer(panel):
    assert panel.pair.currentText() == "state vs world"
    # "friendly" (4 uses, VADER +2.2) is used only by the state articles: the top bar.
    assert panel.bars()[0] == "friendly"
    assert "crisis" in panel.bars()          # a negative word state uses less
    caption = panel.card.caption.text()
    assert "state +2.25, world -1.79" in caption.replace("\u2212", "-")


def test_target_scope_shows_only_words_near_the_target(qtbot, panel):
    index = panel.scope.findData("target:russia")
    assert index > 0, [panel.scope.itemText(i) for i in range(panel.scope.count())]
    panel.scope.setCurrentIndex(index)
    assert "mentioning Russia" in panel.card.caption.text()
    # "wonderful" stands in a sentence without Russia; "friendly" shares one with it.
    assert "wonderful" not in panel.bars()
    assert "friendly" in panel.bars()


def test_clicking_a_bar_opens_both_groups_passages(qtbot, panel):
    canvas = panel.card.canvas
    canvas.flush()
    bar = canvas.figure.findobj(lambda a: a.get_gid() == "term|crisis|")[0]
    x, y = canvas.figure.axes[0].transData.transform(
        (bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2))
    ratio = canvas.device_pixel_ratio
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton,
                     pos=QPoint(round(x / ratio), round(canvas.height() - y / ratio)))
    assert panel.drill.isVisible()
    assert panel.drill.lists["world"].count() == 3     # "crisis" in three world articles
    assert "No passages" in panel.drill.lists["state"].item(0).text()
