"""Framing over time: one line per group with its bootstrap band, and event markers."""
from __future__ import annotations

from analysis.charts._common import (
    colors_for,
    data_of,
    finish_axes,
    group_n_labels,
    no_data,
    pickable,
    resolve_style,
    top_legend,
)
from analysis.timeline import over_time

__all__ = ["draw_over_time"]


def draw_over_time(ax, results, *, column: str = "sentiment.mean", label: str = "",
                   freq: str = "month", events=(), n_boot: int = 1000, table=None,
                   style=None) -> str:
    """Mean of a document figure per group and period, with 95% intervals.

    ``events`` are :class:`analysis.timeline.Event` drawn as dashed vertical lines.
    Each point is pickable as ``"timeline|<period>|<group>"``. ``table`` is the
    :func:`analysis.timeline.over_time` result when already computed (off the GUI thread).
    """
    style = resolve_style(style)
    data = data_of(results)
    documents = (getattr(results, "tables", None) or {}).get("documents")
    if documents is None or documents.empty or "date" not in documents.columns:
        return no_data(ax, "No dated documents: give the documents a date column to follow "
                           "their framing over time.")
    if table is None:
        table = over_time(documents, column, freq=freq, n_boot=n_boot,
                          seed=int((data.get("config") or {}).get("seed", 0) or 0))
    if table.empty:
        return no_data(ax, f"No dated document has a value for {label or column}.")
    colors = colors_for(data, style)
    groups = list(dict.fromkeys(table["group"]))
    names = group_n_labels(data, groups)
    handles = []
    for group in groups:
        rows = table[table["group"] == group]
        color = colors.get(group, "#666666")
        ax.fill_between(rows["start"], rows["ci_low"], rows["ci_high"], color=color,
                        alpha=0.15, linewidth=0)
        (line,) = ax.plot(rows["start"], rows["mean"], color=color, lw=1.6, marker="o",
                          ms=4, label=names.get(group, group))
        handles.append(line)
        for start, period, value in zip(rows["start"], rows["period"], rows["mean"],
                                        strict=True):
            (dot,) = ax.plot([start], [value], ls="", marker="o", ms=7, alpha=0.0)
            pickable(dot, "timeline", str(period), group)
    for event in events:
        ax.axvline(event.date, color="#444444", lw=0.9, ls="--")
        ax.annotate(event.label, (event.date, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(3, -3), textcoords="offset points", va="top", rotation=90,
                    fontsize=style.font_size - 1, color="#444444")
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.set_ylabel(label or column)
    ax.set_title(f"{label or column} by {freq}", loc="left")
    top_legend(ax, handles, style)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    finish_axes(ax, style)
    small = table[table["n_documents"] < 3]
    left_out = table.attrs.get("left_out") or {}
    vague = (" ".join(f"{n} document{'s' if n != 1 else ''} dated only by {precision} "
                      f"{'are' if n != 1 else 'is'} not placed in a {freq}."
                      for precision, n in left_out.items())
             + (" By year they are included." if left_out and freq != "year"
                else "") + " ") if left_out else ""
    return (f"Mean over each {freq}'s documents of {label or column}, per group, with 95% "
            "bootstrap intervals over documents (bands). "
            + (f"{len(small)} of {len(table)} points rest on fewer than three documents "
               "and say little. " if len(small) else "")
            + vague
            + ("Dashed lines: " + "; ".join(f"{e.date.isoformat()} {e.label}" for e in events)
               + "." if events else ""))
