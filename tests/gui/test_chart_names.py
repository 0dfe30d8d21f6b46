"""The charts hold up with real names: 80-character group names never collapse a chart,
legends elide with the full name as a tooltip, titles stay whole; the wheel scrolls the
page; the clicked item stays highlighted; mean tones sit on the tone axis."""
from __future__ import annotations

import warnings

import pytest
from gui_corpus import LONG_GROUP, OTHER_GROUP, analyse, close_window, make_corpus, open_window
from matplotlib.backend_bases import MouseEvent, PickEvent
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication


@pytest.fixture(scope="module")
def analysed():
    corpus = make_corpus()
    return corpus, analyse(corpus)


@pytest.fixture(params=[1280, 900], ids=["1280px", "900px"])
def compare(qtbot, analysed, request):
    corpus, results = analysed
    w = open_window(qtbot, corpus, results, request.param)
    w.show_panel("compare")
    # Long names in combo boxes must not hold the window wider than asked.
    assert w.width() <= request.param + 10
    yield w.panels["compare"]
    close_window(w)


def _draw_all(panel):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "axes sizes collapsed" is a UserWarning
        for card in panel.cards.values():
            if card.canvas.isVisible():
                card.canvas.flush()
                card.canvas.draw()


def test_long_group_names_keep_every_chart_whole(qtbot, compare):
    _draw_all(compare)
    legends = 0
    for key, card in compare.cards.items():
        fig = card.canvas.figure
        for ax in fig.axes:
            legend = ax.get_legend()
            if legend is not None:
                legends += 1
                shown = [t.get_text() for t in legend.get_texts()]
                assert all(len(t) <= 46 for t in shown), shown
                full = legend._sinoru_full_labels
                assert any(v.startswith(LONG_GROUP) for v in full.values())
            title = ax.get_title(loc="left").replace("\n", " ")
            inst = compare._instances[key]
            if inst.chart_id == "keyness":
                assert title == inst.title  # whole, wrapped, not cut
    assert legends >= 5


def test_hovering_an_elided_legend_name_shows_it_whole(qtbot, compare):
    card = compare.card("frames")
    canvas = card.canvas
    compare.scroll.verticalScrollBar().setValue(0)  # the frame chart comes first
    _draw_all(compare)
    legend = canvas.figure.axes[0].get_legend()
    text = next(t for t in legend.get_texts() if "\u2026" in t.get_text())
    box = text.get_window_extent()
    ratio = canvas.device_pixel_ratio
    pos = QPoint(int(box.x0 / ratio) + 10, int(canvas.height() - (box.y0 + box.y1) / 2 / ratio))
    qtbot.mouseMove(canvas, pos)
    qtbot.waitUntil(lambda: bool(canvas.toolTip()), timeout=2000)
    assert canvas.toolTip().startswith(LONG_GROUP)


def test_the_wheel_over_a_chart_scrolls_the_page(qtbot, compare):
    canvas = compare.card("frames").canvas
    bar = compare.scroll.verticalScrollBar()
    assert bar.maximum() > 0
    before = bar.value()
    centre = QPointF(canvas.width() / 2, canvas.height() / 2)
    event = QWheelEvent(centre, QPointF(canvas.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, -240), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas, event)
    assert bar.value() > before


def _pick(canvas, gid):
    artist = canvas.figure.findobj(lambda a: a.get_gid() == gid)[0]
    mouse = MouseEvent("button_press_event", canvas, 5, 5, button=1)
    canvas.callbacks.process("pick_event", PickEvent("pick_event", canvas, mouse, artist))
    return artist


def test_the_clicked_bar_stays_highlighted(qtbot, compare):
    canvas = compare.card("frames").canvas
    gids = [g for g in canvas.pickable_gids() if g.startswith("frames|")]
    first = _pick(canvas, gids[0])
    width = first.get_linewidth()
    assert canvas.highlighted_gid() == gids[0] and width > 2
    second = _pick(canvas, gids[1])
    assert canvas.highlighted_gid() == gids[1] and second.get_linewidth() > 2
    assert first.get_linewidth() < 1  # the first bar is back to its own look
    assert compare.drill.gid == gids[1]


def test_mean_tones_sit_in_their_own_band_on_the_tone_axis(qtbot, compare):
    _draw_all(compare)
    ax = compare.card("sentiment").canvas.figure.axes[0]
    means = ax.findobj(lambda a: str(a.get_gid()).startswith("sentiment|mean|"))
    assert {str(m.get_gid()).rsplit("|", 1)[1] for m in means} == {LONG_GROUP, OTHER_GROUP}
    share_top = max(ax.get_yticks())
    assert all(m.get_ydata()[0] > share_top for m in means)
    assert ax.spines["left"].get_bounds()[1] == share_top
    assert any(t.get_text() == "Mean tone" for t in ax.texts)
    assert all(-1 <= m.get_xdata()[0] <= 1 for m in means)  # read on the tone axis
