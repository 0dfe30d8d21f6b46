"""The Term map view driven as a user does: choose, search, zoom with the wheel, click."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from views_corpus import shown_panel, views_results


@pytest.fixture(scope="module")
def results():
    return views_results()


@pytest.fixture
def panel(qtbot, results):
    from sinoru_desktop.panels.termmap_panel import TermMapPanel

    widget = shown_panel(qtbot, TermMapPanel, results, (1280, 800))
    widget.canvas.flush()
    return widget


def _screen_pos(panel, term: str) -> QPoint:
    """Where the user sees ``term``'s point on the canvas (Qt coordinates)."""
    panel.canvas.flush()
    tm = panel.term_map
    i = tm.index_of(term)
    ax = panel.canvas.figure.axes[0]
    x, y = ax.transData.transform((tm.x[i], tm.y[i]))
    ratio = panel.canvas.device_pixel_ratio
    return QPoint(round(x / ratio), round(panel.canvas.height() - y / ratio))


def test_map_shows_every_term_with_labels(panel, results):
    assert panel.pair.currentText() == "state vs world"
    n = len(results.table("term_map").query("comparison == 'state|world'"))
    assert f"All {n:,} terms of state" in panel.caption.text()
    lines = [ln for ln in panel.canvas.figure.axes[0].lines
             if (ln.get_gid() or "").startswith("termmap|state|world")]
    assert sum(len(ln.get_xdata()) for ln in lines) == n
    assert panel.labelled_terms()


def test_search_rings_and_describes_the_term(qtbot, panel):
    qtbot.keyClicks(panel.search, "sanct")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.highlight == "sanctions"
    assert "\u201csanctions\u201d: never in state" in panel.info.text()
    assert "4 times in world" in panel.info.text()
    assert panel.labelled_terms()[0] == "sanctions"
    panel.find("no such word at all")
    assert "No term" in panel.info.text()


def test_click_on_a_point_shows_both_groups_in_context(qtbot, panel):
    qtbot.mouseClick(panel.canvas, Qt.MouseButton.LeftButton, pos=_screen_pos(panel, "trade"))
    assert panel.drill.isVisible()
    assert panel.drill.heading.text().startswith('Distinctive term "trade"')
    # "trade": once in the state articles, twice in the world ones, side by side.
    assert panel.drill.lists["state"].count() == 1
    assert panel.drill.lists["world"].count() == 2
    assert "\u201ctrade\u201d: once in state" in panel.info.text()


def test_click_on_empty_space_picks_nothing(qtbot, panel):
    qtbot.mouseClick(panel.canvas, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not panel.drill.isVisible()


def test_wheel_zooms_around_the_cursor_and_relabels(qtbot, panel):
    ax = panel.canvas.figure.axes[0]
    width = ax.get_xlim()[1] - ax.get_xlim()[0]
    pos = QPointF(_screen_pos(panel, "sanctions"))
    event = QWheelEvent(pos, panel.canvas.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(panel.canvas, event)
    new_width = ax.get_xlim()[1] - ax.get_xlim()[0]
    assert new_width == pytest.approx(width * 0.8)
    tm = panel.term_map
    i = tm.index_of("sanctions")
    assert ax.get_xlim()[0] <= tm.x[i] <= ax.get_xlim()[1]
    for term in panel.labelled_terms():
        j = tm.index_of(term)
        assert ax.get_xlim()[0] <= tm.x[j] <= ax.get_xlim()[1]


def test_switching_axes_places_terms_by_keyness(qtbot, panel):
    panel.axes_mode.setCurrentIndex(1)
    ax = panel.canvas.figure.axes[0]
    assert "keyness z" in ax.get_ylabel()
    assert panel.term_map.axes == "z"


def test_map_exports_as_png_and_svg(qtbot, panel, tmp_path, monkeypatch):
    from sinoru_desktop.panels import chart_canvas

    for kind in ("PNG", "SVG"):
        target = tmp_path / f"map.{kind.lower()}"
        monkeypatch.setattr(chart_canvas, "ask_export_path", lambda *_a, t=target: str(t))
        menu = panel.canvas.context_menu()   # what a right-click on the map opens
        next(a for a in menu.actions() if kind in a.text()).trigger()
        menu.deleteLater()
        assert target.stat().st_size > 1000
    assert "<svg" in (tmp_path / "map.svg").read_text()
