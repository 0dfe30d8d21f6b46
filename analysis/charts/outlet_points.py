"""Outlets inside groups: each group's mean with its interval, each outlet as a dot."""
from __future__ import annotations

import numpy as np

from analysis.charts._common import (
    colors_for,
    data_of,
    document_dots,
    finish_axes,
    is_num,
    no_data,
    num,
    resolve_style,
    set_tip,
    wrap,
)
from analysis.group_figures import SMALL_GROUP
from analysis.outlet_points import NO_OUTLET, outlet_points

__all__ = ["draw_outlet_points"]


def draw_outlet_points(ax, results, *, column: str = "sentiment.mean", label: str = "",
                       n_boot: int = 1000, table=None, style=None) -> str:
    """One row per group: its mean (diamond, 95% CI); under it one row per outlet: its
    mean (a dot sized by its documents, with its interval from three documents on), the
    outlet's name and documents as the row label. ``table``: the
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
    # A forest plot: each group's row, then one row per outlet under it, every name a row
    # label at the axis. Names drawn beside the dots collided with each other, the group's
    # own mark and the axes.
    row_labels: list[str] = []
    y = 0
    for group in groups:
        rows = table[table["group"] == group]
        head, outlets = rows.iloc[0], rows.iloc[1:]
        color = colors.get(group, "#666666")
        if is_num(head["ci_low"]) and is_num(head["ci_high"]):
            ax.plot([head["ci_low"], head["ci_high"]], [y, y], color=color, lw=2.5, alpha=0.5)
        document_dots(ax, head["documents"], y, color=color)
        (mean,) = ax.plot([head["mean"]], [y], marker="D", ms=9, color=color, mec="white",
                          zorder=4, ls="")
        set_tip(mean, f"{group}: mean {num(head['mean'])} over {int(head['n_documents'])} "
                      "documents")
        row_labels.append(wrap(f"{group} (n={int(head['n_documents'])})", style.label_width))
        for _, outlet in outlets.iterrows():
            y += 1
            if is_num(outlet["ci_low"]) and is_num(outlet["ci_high"]):
                ax.plot([outlet["ci_low"], outlet["ci_high"]], [y, y], color=color, lw=1.0,
                        alpha=0.5)
            n = int(outlet["n_documents"])
            if n > 1:
                document_dots(ax, outlet["documents"], y, color=color, size=10.0)
            (dot,) = ax.plot([outlet["mean"]], [y], marker="o", ls="", color=color,
                             alpha=0.75, mec="white", ms=float(4 + 2.2 * np.sqrt(n)), zorder=3)
            set_tip(dot, f"{outlet['outlet']} ({group}): mean {num(outlet['mean'])} over "
                         f"{n} document{'s' if n != 1 else ''}")
            row_labels.append(wrap(f"   {outlet['outlet']} ({n})", style.label_width))
        y += 1
    ax.set_yticks(range(len(row_labels)))
    ax.set_yticklabels(row_labels)
    heads = {0}
    for group in groups[:-1]:
        heads.add(max(heads) + len(table[table["group"] == group]))
    for i, tick in enumerate(ax.get_yticklabels()):
        if i not in heads:
            tick.set_color("#444444")
            tick.set_fontsize(style.font_size - 0.5)
    ax.set_ylim(len(row_labels) - 0.5, -0.5)
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
    small = (f" Rows of fewer than {SMALL_GROUP} documents have no interval: their hollow "
             "dots are each document's value (the range of these documents)."
             if table["documents"].notna().any() else "")
    return (f"Diamonds: each group's mean of {label or column} over its documents, with its "
            "95% bootstrap interval over documents; filled dots: each outlet's mean (rows "
            "under its group), sized by its documents (in brackets)." + small + share)
