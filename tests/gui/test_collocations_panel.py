"""The Collocations view as a user drives it: choose a target, click a collocate."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from views_corpus import shown_panel, views_results


@pytest.fixture(scope="module")
def results():
    return views_results()


@pytest.fixture
def panel(qtbot, results):
    from sinoru_desktop.panels.collocations_panel import CollocationsPanel

    widget = shown_panel(qtbot, CollocationsPanel, results, (1280, 800))
    return widget


def test_each_group_lists_what_it_says_around_russia(qtbot, panel):
    panel.target.setCurrentIndex(panel.target.findData("russia"))
    # Three world articles put "sanctions" next to Russia; no state article does.
    assert panel.rows("world")[0] == "sanctions"
    assert "sanctions" not in panel.rows("state")
    assert panel.rows("state")[0] == "friendly"
    model = panel.tables["world"].model()
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Collocate"
    assert model.data(model.index(0, 1)) == "3"     # together three times
    assert "around 4 mentions" in panel.tables["world"].parentWidget().title()


def test_clicking_a_collocate_shows_it_beside_the_target_in_both_groups(qtbot, panel):
    panel.target.setCurrentIndex(panel.target.findData("russia"))
    view = panel.tables["world"]
    index = view.model().index(panel.rows("world").index("partnership"), 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(index).center())
    assert "\u201cpartnership\u201d near Russia" in panel.heading.text()
    world = panel.lists["world"]
    assert world.count() == 2
    assert "Russia" in world.item(0).text() and "partnership" in world.item(0).text()
    assert panel.lists["state"].count() == 2
