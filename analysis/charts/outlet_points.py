"""Outlets inside groups: each group's mean with its interval, each outlet as a dot."""
from __future__ import annotations

import numpy as np

from analysis.charts._common import colors_for, data_of, finish_axes, no_data, resolve_style
from analysis.charts.fonts import safe_text
from analysis.outlet_points import NO_OUTLET, outlet_points

__all__ = ["draw_outlet_points"]


def draw_outlet_points(ax, results, *, column: str = "sentiment.mean", label: str = "",
                       n_boot: int = 1000, table=None, style=None) -> str:
    """One row per group: its mean (diamond, 95% CI) and each outlet's mean (a dot sized
    by its documents, labelled with its name). ``table``: the
    :func:`analysis.outlet_points.outlet_points` result when already computed."""
    style = resolve_style(style)
    data = data_of(results)
    documents = (getattr(results, "tables", None) or {}).get("documents")
    if documents is None or documents.empty:
        return no_data(ax, "No per-document figures in these results.")
    if table is None:
        table = outlet_points(documents, column, n_boot=n_boot)
    if table.empty:
        return no_data(ax, f"No document has a value for {label or column}.")
    colors = colors_for(data, style)
    groups = list(dict.fromkeys(table["group"]))
    for y, group in enumerate(groups):
        rows = table[table["group"] == group]
        head, outlets = rows.iloc[0], rows.iloc[1:]
        color = colors.get(group, "#666666")
        if np.isfinite([head["ci_low"], head["ci_high"]]).all():
            ax.plot([head["ci_low"], head["ci_high"]], [y, y], color=color, lw=2.5, alpha=0.5)
        ax.plot([head["mean"]], [y], marker="D", ms=9, color=color, mec="white", zorder=4)
        sizes = 18 + 14 * np.sqrt(outlets["n_documents"].to_numpy(float))
        # Outlets sit just below their group's line; names alternate above and below.
        ys = np.full(len(outlets), y + 0.22)
        ax.scatter(outlets["mean"], ys, s=sizes, color=color, alpha=0.65, edgecolors="white",
                   zorder=3)
        for i, (x, name, n) in enumerate(zip(outlets["mean"], outlets["outlet"],
                                             outlets["n_documents"], strict=True)):
            ax.annotate(safe_text(f"{name} ({n})"), (x, ys[i]),
                        xytext=(0, -9 if i % 2 == 0 else 8), textcoords="offset points",
                        ha="center", va="top" if i % 2 == 0 else "bottom",
                        fontsize=style.font_size - 1.5, color="#333333")
    ax.set_yticks(range(len(groups)))
    ax.set_yticklabels([f"{g} (n={int(table[table['group'] == g].iloc[0]['n_documents'])})"
                        for g in groups])
    ax.set_ylim(len(groups) - 0.4, -0.6)
    ax.set_xlabel(label or column)
    ax.set_title(f"{label or column}: groups and their outlets", loc="left")
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    finish_axes(ax, style)
    # Name an outlet only when it gives more documents than every other one: "(no outlet)"
    # is not an outlet, and among equals (one article each) none is the largest.
    outlets = table[~table["outlet"].isin(("", NO_OUTLET))]
    top = outlets.sort_values("n_documents", ascending=False).head(2)
    share = ""
    if len(top) and (len(top) == 1 or top.iloc[0]["n_documents"] > top.iloc[1]["n_documents"]):
        t = top.iloc[0]
        total = int(table[(table["group"] == t["group"]) & (table["outlet"] == "")]
                    .iloc[0]["n_documents"])
        share = (f" The largest outlet, {t['outlet']}, gives {int(t['n_documents'])} of "
                 f"{t['group']}'s {total} documents.")
    return (f"Diamonds: each group's mean of {label or column} over its documents, with its "
            "95% bootstrap interval; dots: each outlet's mean, sized by its documents "
            "(in brackets)." + share)
