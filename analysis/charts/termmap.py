"""The term map chart: every term of a comparison as one point."""
from __future__ import annotations

import numpy as np

from analysis.charts._common import (
    colors_for,
    data_of,
    finish_axes,
    no_data,
    resolve_style,
)
from analysis.termmap import TermMap, comparison_key

__all__ = ["draw_term_map", "term_map_of", "relabel_term_map", "per_million"]

#: Most labels drawn at once: more would not be read, and each costs drawing time.
LABEL_LIMIT = 36
#: Points between a term's dot and its label.
_LABEL_GAP = 3.0
#: Colour steps on each side of zero.
_STEPS = 8


def per_million(value: float) -> str:
    """Tick text of a log10 per-million position: ``2.0 -> "100"``."""
    f = 10 ** value
    if f >= 1:
        return f"{f:,.0f}"
    return f"{f:.2g}"


def term_map_of(results, comparison, axes: str = "freq") -> TermMap | None:
    """The :class:`TermMap` of ``comparison`` (a pair ``(a, b)``), None when not stored."""
    tables = getattr(results, "tables", None) or {}
    table = tables.get("term_map")
    if table is None or table.empty or comparison is None:
        return None
    rows = table[table["comparison"].astype(str) == comparison_key(*comparison)]
    return TermMap(rows, axes) if len(rows) else None


def _colormap(color_a: str, color_b: str):
    # matplotlib is imported where a chart is drawn: a report's text needs none of it.
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("sinoru_keyness", [color_b, "#C8C8C8", color_a])


def draw_term_map(ax, results, *, comparison=None, axes: str = "freq", highlight=None,
                  label_limit: int = LABEL_LIMIT, style=None) -> str:
    """Every term of a comparison, placed by its frequency in each group.

    ``comparison`` is ``(a, b)``; ``axes`` ``"freq"`` (frequency in a against b) or
    ``"z"`` (pooled frequency against keyness z); ``highlight`` a term to ring and label
    (a search). Points are a few marker lines (one per colour step) with gid
    ``"termmap|a|b|"``; a pick is resolved by the nearest point
    (:meth:`TermMap.nearest`), not by matplotlib.
    """
    style = resolve_style(style)
    data = data_of(results)
    if comparison is None and data.get("comparisons"):
        comparison = (data["comparisons"][0]["a"], data["comparisons"][0]["b"])
    tm = term_map_of(results, comparison, axes)
    if tm is None:
        return no_data(ax, "No term map for these results: run the analysis again to "
                           "place every term of the two groups.")
    a, b = comparison
    colors = colors_for(data, style)
    z = tm.z
    vmax = max(3.0, float(np.nanpercentile(np.abs(z), 99))) if len(z) else 3.0
    cmap = _colormap(colors.get(a, "#0072B2"), colors.get(b, "#D55E00"))
    # One marker line per colour step, weakest first so the distinctive terms lie on top of
    # the crowd of shared words. Agg stamps a marker line ~3x faster than it draws a
    # scatter collection, which keeps 50,000 terms interactive.
    level = np.clip(np.round(z / vmax * _STEPS), -_STEPS, _STEPS).astype(int)
    size = 2.6 if len(tm) > 2000 else 4.6
    for step in sorted(set(level.tolist()), key=abs):
        mask = level == step
        (line,) = ax.plot(tm.x[mask], tm.y[mask], ls="", marker="o", ms=size, mew=0,
                          alpha=0.85, color=cmap(0.5 + step / (2 * _STEPS)), rasterized=True)
        line.set_gid(f"termmap|{a}|{b}|")
    order = np.argsort(np.abs(z), kind="stable")
    ax._sinoru_term_map = (tm, order)
    lo = min(tm.x.min(), tm.y.min() if axes == "freq" else tm.x.min())
    hi = max(tm.x.max(), tm.y.max() if axes == "freq" else tm.x.max())
    pad = 0.05 * max(hi - lo, 1.0)
    ax.set_xlim(lo - pad, hi + pad)
    if axes == "freq":
        ax.set_ylim(lo - pad, hi + pad)
        ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color="#999999", lw=0.7,
                ls="--", zorder=0)
        ax.set_xlabel(f"{a}: frequency per million words (log)")
        ax.set_ylabel(f"{b}: frequency per million words (log)")
        _log_ticks(ax.yaxis, lo - pad, hi + pad, tm.floor)
    else:
        ax.axhline(0, color="#999999", lw=0.7, ls="--", zorder=0)
        ax.set_xlabel("frequency in both groups, per million words (log)")
        ax.set_ylabel(f"keyness z (+ {a}, \u2212 {b})")
    _log_ticks(ax.xaxis, lo - pad, hi + pad, tm.floor)
    ax.set_title(f"Term map: {a} vs {b}", loc="left")
    finish_axes(ax, style)
    highlighted = tm.index_of(highlight) if highlight else None
    if highlighted is not None:
        ax.scatter([tm.x[highlighted]], [tm.y[highlighted]], s=90, facecolors="none",
                   edgecolors="#000000", linewidths=1.4, zorder=5)
    relabel_term_map(ax, label_limit=label_limit, highlight=highlighted, style=style)
    n_a = int((tm.table["count_a"] > 0).sum())
    n_b = int((tm.table["count_b"] > 0).sum())
    where = ("above the dashed line: more frequent in " + b + "; below: in " + a
             if axes == "freq" else "above zero: distinctive of " + a + "; below: of " + b)
    return (f"All {len(tm):,} terms of {a} ({n_a:,} used) and {b} ({n_b:,} used), per "
            f"million words on log scales; {where}. Colour: keyness z (log-odds ratio with "
            f"an informative Dirichlet prior), {a} one end, {b} the other, grey shared. "
            "Terms a group never uses sit on its lowest line. Labels: the most distinctive "
            "terms that fit without overlapping.")


def _log_ticks(axis, lo: float, hi: float, floor: float) -> None:
    bottom = float(np.log10(floor))
    # Decades, and 2x / 5x steps when the view spans less than two decades.
    steps = (0.0,) if hi - lo >= 2 else (0.0, np.log10(2), np.log10(5))
    ticks = [bottom] + [float(d + s) for d in range(int(np.floor(lo)), int(np.ceil(hi)) + 1)
                        for s in steps if lo <= d + s <= hi and d + s - bottom > 0.12]
    from matplotlib.ticker import FixedLocator, FuncFormatter

    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(FuncFormatter(
        lambda v, _pos: "not used" if abs(v - bottom) < 1e-9 else per_million(v)))


def relabel_term_map(ax, *, label_limit: int = LABEL_LIMIT, highlight: int | None = None,
                     style=None) -> list[str]:
    """(Re)place labels for the most distinctive terms visible in the current view.

    Called after drawing and after every zoom: a zoomed view labels its own strongest
    terms. Labels never overlap and stay inside the axes, and they are placed again
    whenever the chart is drawn at another size. Returns the labelled terms.
    """
    layer = getattr(ax, "_sinoru_label_layer", None)
    if layer is None:
        from analysis.charts.termmap_labels import TermLabels

        layer = TermLabels(ax, ax._sinoru_term_map[0], resolve_style(style))
        ax.add_artist(layer)
        layer.set_zorder(6)
        ax._sinoru_label_layer = layer
    elif style is not None:
        layer.style = resolve_style(style)
    layer.label_limit, layer.highlight = label_limit, highlight
    renderer = getattr(ax.figure.canvas, "get_renderer", None)   # Agg canvases have one
    return layer.place(renderer() if renderer else None)
