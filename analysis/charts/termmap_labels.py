"""The term map's labels: an artist that places them when the map is drawn."""
from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties
from matplotlib.patheffects import withStroke
from matplotlib.text import Text
from matplotlib.transforms import IdentityTransform

from analysis.charts.fonts import font_families, safe_text
from analysis.charts.termmap import _LABEL_GAP, LABEL_LIMIT
from analysis.termmap import TermMap, label_order, place_labels

__all__ = ["TermLabels"]


class _MeasuredWidths:
    """Label widths (plus a 2-pixel margin) measured when first asked for. The placement
    stops at the label limit, so most candidates are never measured: measuring a text in
    the fallback fonts is what the map's labels cost."""

    def __init__(self, texts: list[str], measure) -> None:
        self._texts, self._measure = texts, measure
        self._widths: dict[int, float] = {}

    def __getitem__(self, index) -> float:
        width = self._widths.get(index)
        if width is None:
            width = self._widths[index] = self._measure(self._texts[index])
        return width


class TermLabels(Artist):
    """The term labels of one map, placed when the map is drawn.

    Placement needs the axes' pixel size, which a layout (the report's ``tight_layout``,
    the window's constrained layout, a resize) changes after the chart is drawn; labels
    placed once would overlap or leave the axes. This artist places them again at draw
    time whenever the axes' pixels or limits have changed since the last placement."""

    def __init__(self, ax, tm: TermMap, style) -> None:
        super().__init__()
        self.set_in_layout(False)   # the labels stay inside the axes: no extra margin
        self.axes, self.tm, self.style = ax, tm, style
        self.label_limit, self.highlight = LABEL_LIMIT, None
        self.texts: list[Text] = []
        self.terms: list[str] = []
        self._placed_for = None

    def _view(self) -> tuple:
        ax = self.axes
        return (tuple(ax.bbox.bounds), ax.get_xlim(), ax.get_ylim(), self.label_limit,
                self.highlight, ax.figure.dpi)

    def place(self, renderer=None) -> list[str]:
        ax, tm = self.axes, self.tm
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        visible = np.flatnonzero((tm.x >= x0) & (tm.x <= x1) & (tm.y >= y0) & (tm.y <= y1))
        ranked = visible[label_order(tm.z[visible],
                                     tm.table["count_a"].to_numpy()[visible]
                                     + tm.table["count_b"].to_numpy()[visible])]
        if self.highlight is not None:
            ranked = np.concatenate([[self.highlight], ranked[ranked != self.highlight]])
        candidates = ranked[:self.label_limit * 30]   # enough to fill the view
        pixels = ax.transData.transform(np.column_stack([tm.x[candidates], tm.y[candidates]]))
        size = self.style.font_size - 1
        family = list(font_families())
        prop = FontProperties(family=family, size=size)
        terms = tm.table["term"].to_numpy(object)
        texts = [safe_text(terms[i]) for i in candidates]
        if renderer is not None:   # exact widths in the drawing's own font
            widths = _MeasuredWidths(texts, lambda t: renderer.get_text_width_height_descent(
                t, prop, ismath=False)[0] + 2)
        else:
            widths = np.array([len(t) * size * 0.62 * ax.figure.dpi / 72.0 for t in texts]) + 2
        pad = _LABEL_GAP * ax.figure.dpi / 72.0
        bbox = ax.bbox
        placed = place_labels(pixels[:, 0], pixels[:, 1], widths,
                              size * 1.3 * ax.figure.dpi / 72.0, range(len(candidates)),
                              limit=self.label_limit, gap=pad,
                              bounds=(bbox.x0, bbox.y0, bbox.x1, bbox.y1))
        self.texts, self.terms = [], []
        for j, side in placed:
            i = int(candidates[j])
            text = Text(pixels[j, 0] + side * pad, pixels[j, 1], texts[j],
                        va="center", ha="left" if side == 1 else "right",
                        fontproperties=prop, color="#222222", transform=IdentityTransform())
            if i == self.highlight:
                text.set_bbox(dict(boxstyle="round,pad=0.15", fc="#FFF3B0", ec="none"))
            else:   # a white halo keeps a label legible over the crowd of points under it
                text.set_path_effects([withStroke(linewidth=2.4, foreground="white")])
            text.set_figure(ax.figure)
            self.texts.append(text)
            self.terms.append(str(terms[i]))
        self._placed_for = self._view()
        ax._sinoru_labels = self.texts
        return self.terms

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        if self._placed_for != self._view():
            self.place(renderer)
        for text in self.texts:
            text.draw(renderer)
