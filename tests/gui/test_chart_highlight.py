"""A clicked chart item is outlined on screen without drawing the whole figure again:
what the window shows equals a full redraw of the chart with that item outlined, the item
clicked before is back to its own look, and what lies on the item (its label, its error
bar) stays visible."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent, PickEvent
from matplotlib.colors import to_rgb
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from analysis.charts._common import pickable
from sinoru_desktop.panels.chart_canvas import HIGHLIGHT_EDGE, ChartCanvas

BAR_COLOUR = "#E69F00"


def _bars_with_labels(ax) -> str:
    bars = ax.barh(range(6), np.arange(2, 8), color=BAR_COLOUR, linewidth=0)
    for i, bar in enumerate(bars):
        pickable(bar, "frames", f"frame {i}", "western")
        ax.text(0.3, i, f"frame {i}", va="center")  # drawn on the bar, after it
    ax.errorbar(np.arange(2, 8), range(6), xerr=0.6, fmt="none", ecolor="#333333")
    point, = ax.plot([1.0], [2.5], "o", markersize=9, color="#56B4E9")
    pickable(point, "sentiment", "mean", "western")
    term = ax.text(5.0, 0.0, "sanctions", va="center")
    pickable(term, "term", "sanctions", "western")
    return "six frames"


@pytest.fixture
def canvas(qtbot):
    canvas = ChartCanvas(height_px=300)
    qtbot.addWidget(canvas)
    canvas.resize(620, 300)
    canvas.plot(_bars_with_labels)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.flush()
    qtbot.wait(200)  # the layout has settled: nothing left to draw
    canvas.full_draws = 0

    def count(_event) -> None:
        canvas.full_draws += 1

    canvas.mpl_connect("draw_event", count)
    return canvas


def _click(canvas, gid: str):
    artist = canvas.figure.findobj(lambda a: a.get_gid() == gid)[0]
    mouse = MouseEvent("button_press_event", canvas, 5, 5, button=1)
    canvas.callbacks.process("pick_event", PickEvent("pick_event", canvas, mouse, artist))
    QApplication.processEvents()
    return artist


def _shown(canvas) -> np.ndarray:
    """The window's pixels of the chart (RGB)."""
    image = canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * height)
    pixels = rows.reshape(height, image.bytesPerLine())[:, :width * 3]
    return pixels.reshape(height, width, 3).copy()  # the image is gone once this returns


def _redrawn(canvas) -> np.ndarray:
    """The same chart as a full redraw shows it."""
    canvas.draw()
    return _shown(canvas)


def _inside(canvas, artist) -> tuple[slice, slice]:
    """Rows and columns of the window that ``artist`` covers."""
    box = artist.get_window_extent()
    height = canvas.height()
    return (slice(round(height - box.y1), round(height - box.y0)),
            slice(round(box.x0), round(box.x1)))


def _near(pixels: np.ndarray, colour: str, tolerance: int = 20) -> np.ndarray:
    target = np.array([round(c * 255) for c in to_rgb(colour)])
    return np.abs(pixels.astype(int) - target).max(axis=-1) <= tolerance


def _outlined(shown: np.ndarray, canvas, bar) -> float:
    """The share of the bar's rows with the dark outline at its end (its start is on
    the axis line, which is dark too)."""
    rows, cols = _inside(canvas, bar)
    end = shown[rows.start + 3:rows.stop - 3, cols.stop - 3:cols.stop + 3]
    return float(_near(end, HIGHLIGHT_EDGE).any(axis=1).mean())


def test_a_clicked_bar_is_outlined_without_a_full_redraw(canvas):
    before = _shown(canvas)
    bar = _click(canvas, "frames|frame 4|western")
    shown = _shown(canvas)
    assert canvas.full_draws == 0
    assert canvas.highlighted_gid() == "frames|frame 4|western"
    assert _outlined(shown, canvas, bar) > 0.9
    assert _outlined(before, canvas, bar) < 0.2
    # Its label is still drawn on it (inside the outline).
    rows, cols = _inside(canvas, bar)
    label = shown[rows.start + 4:rows.stop - 4, cols.start + 4:cols.start + 60]
    assert (~_near(label, BAR_COLOUR, 40)).sum() > 20
    differs = np.abs(shown.astype(int) - _redrawn(canvas).astype(int)).max(axis=-1)
    assert (differs > 24).sum() == 0


def test_the_item_clicked_before_is_back_to_its_own_look(canvas):
    before = _shown(canvas)
    first = _click(canvas, "frames|frame 1|western")
    _click(canvas, "sentiment|mean|western")
    _click(canvas, "frames|frame 3|western")
    shown = _shown(canvas)
    assert canvas.full_draws == 0
    rows, cols = _inside(canvas, first)
    wide = (slice(rows.start - 4, rows.stop + 4), slice(cols.start, cols.stop + 4))
    assert np.array_equal(shown[wide], before[wide])
    differs = np.abs(shown.astype(int) - _redrawn(canvas).astype(int)).max(axis=-1)
    # A point lying partly on the clicked bar is drawn over itself at the bar's edge:
    # a few of its antialiased edge pixels come out a shade darker.
    assert (differs > 24).sum() <= 12 and differs.max() < 64


def test_a_clicked_term_turns_bold_on_its_background(canvas):
    term = _click(canvas, "term|sanctions|western")
    shown = _shown(canvas)
    assert canvas.full_draws == 0 and term.get_fontweight() == "bold"
    rows, cols = _inside(canvas, term.get_bbox_patch())
    assert _near(shown[rows, cols], "#ffe9a8", 8).mean() > 0.4
    assert np.array_equal(shown, _redrawn(canvas))


def test_a_click_after_a_redraw_with_an_outline_still_moves_it(canvas):
    first = _click(canvas, "frames|frame 0|western")
    canvas.draw()  # e.g. a new size: the outline is drawn with the figure
    canvas.full_draws = 0
    _click(canvas, "frames|frame 5|western")
    shown = _shown(canvas)
    assert first.get_linewidth() < 1
    assert _outlined(shown, canvas, first) < 0.2
    assert np.array_equal(shown, _redrawn(canvas))
