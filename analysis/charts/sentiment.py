"""Sentiment charts: the distribution of sentence tone per group, and tone toward targets."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from analysis.charts._common import (
    OUTLET_POINTS_TEXT,
    REST_COLOR,
    ci_err,
    colors_for,
    data_of,
    document_dots,
    finish_axes,
    group_n_labels,
    interval_text,
    is_num,
    join_caption,
    n_text,
    no_data,
    num,
    outlet_marks,
    pickable,
    resolve_style,
    select_groups,
    small_sample_text,
    top_legend,
    unavailable_text,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw_sentiment_distribution", "draw_target_sentiment", "target_rows"]


def _outlets(results, section, keys, groups, wanted: bool):
    if not wanted:
        return {}
    from analysis.split import outlet_means

    return outlet_means(results, section, keys, groups)


def draw_sentiment_distribution(ax: Axes, results, *, groups: Sequence[str] | None = None,
                                outlet_points: bool = False, style=None) -> str:
    """Per group: the distribution of sentence compound scores (share of sentences per bin,
    as a step line) and, above it, the mean document sentiment with its 95% CI.

    Pickable: the step line (gid ``"sentiment|distribution|<group>"``) and the mean point
    (gid ``"sentiment|mean|<group>"``).
    """
    st = resolve_style(style)
    data = data_of(results)
    gs = select_groups(data, groups)
    colors = colors_for(data, st)
    top = 0.0
    drawn = []
    n_sent = {}
    for g in gs:
        sent = (data["groups"][g] or {}).get("sentiment") or {}
        dist = sent.get("distribution") or {}
        edges, counts = dist.get("bins") or [], dist.get("counts") or []
        if len(edges) == len(counts) + 1 and counts and sum(counts) > 0:
            total = float(sum(counts))
            share = np.asarray(counts, dtype=float) / total * 100.0
            color = colors.get(g, REST_COLOR)
            ax.stairs(share, edges, fill=True, color=color, alpha=0.10, linewidth=0)
            step = ax.stairs(share, edges, color=color, linewidth=1.6, label=g)
            pickable(step, "sentiment", "distribution", g)
            top = max(top, float(share.max()))
            n_sent[g] = int(total)
            drawn.append(g)
    means = [(g, (data["groups"][g] or {}).get("sentiment") or {}) for g in gs]
    means = [(g, s) for g, s in means if is_num(s.get("mean"))]
    if not drawn and not means:
        return no_data(ax, "No sentiment figures.")
    base = top * 1.12 if top else 1.0
    step_y = max(top, 1.0) * 0.07
    outlets = _outlets(results, "sentiment", ["mean"], gs, outlet_points)
    for j, (g, s) in enumerate(means):
        y = base + j * step_y
        color = colors.get(g, REST_COLOR)
        err = ci_err(s["mean"], s.get("ci95"))
        if err is not None:
            ax.errorbar([s["mean"]], [y], xerr=[[err[0]], [err[1]]], fmt="none", ecolor=color,
                        elinewidth=1.2, capsize=3)
        (pt,) = ax.plot([s["mean"]], [y], marker="o", color=color, markersize=6,
                        linestyle="none")
        pickable(pt, "sentiment", "mean", g)
        document_dots(ax, s.get("documents"), y, color=color)
        outlet_marks(ax, outlets.get(("mean", g)), y, group=g)
    ax.axvline(0.0, color="#999999", linewidth=0.7, linestyle=":")
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(0, base + max(1, len(means)) * step_y + step_y)
    ax.set_xlabel("Sentence tone (VADER compound, −1 negative … +1 positive)",
                  fontsize=st.font_size)
    ax.set_ylabel("Share of sentences (%)" if drawn else "", fontsize=st.font_size)
    if drawn and means:
        _means_band(ax, top, base, step_y, st)
    ax.set_title("Sentiment", fontsize=st.font_size + 1.5, loc="left")
    labels = group_n_labels(data, gs)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=colors.get(g, REST_COLOR), marker="o", linewidth=1.6,
                      label=labels[g]) for g in gs]
    top_legend(ax, handles, st)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    finish_axes(ax, st)
    mean_txt = "; ".join(f"{g} mean {num(s['mean'])} ({_spread_text(s)})" for g, s in means)
    sent_txt = ("Sentences: " + ", ".join(f"{g} {n}" for g, n in n_sent.items()) + "."
                if n_sent else "")
    return join_caption(
        "Lines: the distribution of sentence tone in each group (share of sentences per "
        "bin). Filled dots: mean document tone.", interval_text(data, gs, st.small_n),
        OUTLET_POINTS_TEXT if outlet_points else "",
        (mean_txt + ".") if mean_txt else "", sent_txt, n_text(data, gs),
        unavailable_text(data, gs, "sentiment"), small_sample_text(data, gs, st.small_n))


def _means_band(ax: Axes, top: float, base: float, step: float, st) -> None:
    """Keep the "share of sentences" scale to the histogram and give the mean points a band
    of their own above it, read on the tone (x) axis: the means are tones, not shares."""
    from matplotlib.ticker import MaxNLocator
    from matplotlib.transforms import blended_transform_factory

    ticks = [t for t in MaxNLocator(nbins=5).tick_values(0, top) if 0 <= t <= top]
    ax.set_yticks(ticks)
    ax.spines["left"].set_bounds(0, max(ticks) if ticks else top)
    edge = base - step * 0.6
    ax.axhline(edge, color="#bbbbbb", linewidth=0.6)
    ax.text(-0.01, (edge + ax.get_ylim()[1]) / 2, "Mean tone",
            transform=blended_transform_factory(ax.transAxes, ax.transData), ha="right",
            va="center", fontsize=st.font_size - 0.5, color="#333333")


def _spread_text(cell: dict) -> str:
    """"95% CI -0.10 to 0.20" or, for a small group, "range of these documents …"."""
    rng = cell.get("range")
    if cell.get("documents") is not None and rng:
        return f"range of these documents {num(rng[0])} to {num(rng[1])}"
    ci = cell.get("ci95") or [None, None]
    return f"95% CI {num(ci[0])} to {num(ci[1])}"


def target_rows(data: dict, groups: Sequence[str]) -> list[tuple[str, str]]:
    """``(target_id, label)`` of targets mentioned in at least one of ``groups``."""
    labels = {t.get("id"): t.get("label") or t.get("id") for t in data.get("targets") or []}
    order = list(labels)
    for g in groups:
        for t in ((data["groups"].get(g) or {}).get("targets") or {}):
            if t not in labels:
                labels[t] = t
                order.append(t)
    rows = []
    for t in order:
        n = sum(((((data["groups"].get(g) or {}).get("targets") or {}).get(t) or {})
                 .get("n_mentions") or 0) for g in groups)
        if n > 0:
            rows.append((t, labels[t]))
    return rows


def draw_target_sentiment(ax: Axes, results, *, groups: Sequence[str] | None = None,
                          outlet_points: bool = False, style=None) -> str:
    """Mean tone of the mentions of each target per group, with 95% CI and the number of
    mentions labelled.

    Points are pickable with gid ``"targets|<target>|<group>"``.
    """
    st = resolve_style(style)
    data = data_of(results)
    gs = select_groups(data, groups)
    rows = target_rows(data, gs) if gs else []
    if not rows:
        return no_data(ax, "No target mentions were found.")
    colors = colors_for(data, st)
    outlets = _outlets(results, "targets", [t for t, _ in rows], gs, outlet_points)
    n_g = len(gs)
    band = 0.7
    drawn = 0
    for i, (tid, _label) in enumerate(rows):
        for j, g in enumerate(gs):
            cell = (((data["groups"][g] or {}).get("targets") or {}).get(tid)) or {}
            mean = cell.get("mean")
            if not is_num(mean):
                continue
            y = i - band / 2 + band * (j + 0.5) / n_g
            color = colors.get(g, REST_COLOR)
            err = ci_err(mean, cell.get("ci95"))
            if err is not None:
                ax.errorbar([mean], [y], xerr=[[err[0]], [err[1]]], fmt="none", ecolor=color,
                            elinewidth=1.1, capsize=2)
            (pt,) = ax.plot([mean], [y], marker="o", color=color, markersize=5.5,
                            linestyle="none")
            pickable(pt, "targets", tid, g)
            drawn += 1
            dots = document_dots(ax, cell.get("documents"), y, color=color, size=10.0)
            outlet_marks(ax, outlets.get((tid, g)), y, group=g)
            right = max(mean + (err[1] if err else 0.0), dots if dots is not None else mean)
            ax.annotate(f"n={int(cell.get('n_mentions') or 0)}", (min(right, 1.0), y),
                        xytext=(4, 0), textcoords="offset points", va="center",
                        fontsize=st.font_size - 1.5, color="#333333")
    if not drawn:
        return no_data(ax, "No target mentions were found.")
    ax.axvline(0.0, color="#999999", linewidth=0.7, linestyle=":")
    ax.set_xlim(-1.05, 1.3)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([wrap(label, st.label_width) for _t, label in rows],
                       fontsize=st.font_size)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel("Mean tone of mentions (−1 negative … +1 positive)", fontsize=st.font_size)
    ax.set_title("Tone toward targets", fontsize=st.font_size + 1.5, loc="left")
    labels = group_n_labels(data, gs)
    from matplotlib.lines import Line2D

    top_legend(ax, [Line2D([], [], color=colors.get(g, REST_COLOR), marker="o",
                           linestyle="none", label=labels[g]) for g in gs], st)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    finish_axes(ax, st)
    model = ((data.get("models") or {}).get("target_sentiment") or {}).get("name")
    model_txt = f" Model: {model}." if model else ""
    return join_caption(
        "Tone toward each target: mean score of its mentions (positive minus negative "
        "probability), pooled over mentions; n = number of mentions." + model_txt,
        interval_text(data, gs, st.small_n, unit="mention"),
        OUTLET_POINTS_TEXT if outlet_points else "", n_text(data, gs),
        unavailable_text(data, gs, "targets"), small_sample_text(data, gs, st.small_n))
