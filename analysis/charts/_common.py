"""Shared pieces of the chart functions: palette, style, captions, picking and fonts."""
from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from analysis.charts.fonts import font_families, safe_text
from analysis.compare import SMALL_GROUP

if TYPE_CHECKING:   # matplotlib is imported where a chart is drawn, not by a report's text
    from matplotlib.axes import Axes

__all__ = ["OKABE_ITO", "GROUP_PALETTE", "REST_COLOR", "ChartStyle", "group_colors",
           "resolve_style", "data_of", "select_groups", "colors_for", "n_text",
           "small_sample_text", "join_caption", "no_data", "pickable", "wrap",
           "finish_axes", "ci_err", "grouped_barh", "font_families", "is_num",
           "num", "interval_text", "document_dots", "document_dot_rows", "set_tip", "tip_of", "unavailable_text",
           "outlet_marks", "OUTLET_POINTS_TEXT"]

#: The Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7", "black": "#000000",
}
# Ordered so the first groups get the most distinct, darkest colours; yellow (hard to see
# on white) comes last.
GROUP_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                 "#000000", "#F0E442")
#: Colour of the "rest" side of a one-vs-rest comparison.
REST_COLOR = "#8C8C8C"


@dataclass(frozen=True)
class ChartStyle:
    """How charts look. ``colors`` overrides the colour of named groups."""

    font_size: float = 8.5
    label_width: int = 30          # wrap row labels (frame names, terms) at this many chars
    colors: Mapping[str, str] = field(default_factory=dict)
    small_n: int = SMALL_GROUP     # groups with fewer documents get a small-sample warning
    annotate_max: int = 48         # annotate values on bars when there are at most this many


def resolve_style(style: ChartStyle | Mapping | None) -> ChartStyle:
    if style is None:
        return ChartStyle()
    if isinstance(style, ChartStyle):
        return style
    known = {k: v for k, v in dict(style).items() if k in ChartStyle.__dataclass_fields__}
    return ChartStyle(**known)


def group_colors(groups: Iterable[str]) -> dict[str, str]:
    """One Okabe–Ito colour per group, by position; ``"rest"`` is grey.

    Pass the full list of the results' groups (``results.group_names``) so a group keeps its
    colour in every chart, whatever subset a chart shows.
    """
    colors: dict[str, str] = {}
    i = 0
    for g in groups:
        if g == "rest":
            colors[g] = REST_COLOR
            continue
        colors[g] = GROUP_PALETTE[i % len(GROUP_PALETTE)]
        i += 1
    colors.setdefault("rest", REST_COLOR)
    return colors


def data_of(results) -> dict:
    """The results.json dict of a :class:`analysis.results.Results` or of a plain dict."""
    if results is None:
        return {}
    data = getattr(results, "data", results)
    return data if isinstance(data, dict) else {}


def select_groups(data: dict, groups: Sequence[str] | None) -> list[str]:
    names = list((data.get("groups") or {}).keys())
    if groups is None:
        return names
    return [g for g in groups if g in names]


def is_num(x) -> bool:
    """A finite int or float (not a bool, None or NaN): a figure that can be shown."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def num(x, digits: int = 2) -> str:
    """``1234.5 -> "1,234.50"``; ``"n/a"`` for a missing figure. Charts and reports
    (:mod:`analysis.report.formatting`) both write numbers with it."""
    return f"{x:,.{digits}f}" if is_num(x) else "n/a"


def colors_for(data: dict, style: ChartStyle) -> dict[str, str]:
    colors = group_colors((data.get("groups") or {}).keys())
    split = data.get("split")
    if split:
        # Split cells ("state · 2022") keep their group's colour, in shades: a palette
        # cycling over a dozen cells would give two groups' cells one colour.
        base = group_colors(split.get("groups") or [])
        cells: dict[str, list[str]] = {}
        for cell in (data.get("groups") or {}):
            cells.setdefault(cell.split(" \u00b7 ", 1)[0], []).append(cell)
        for group, members in cells.items():
            for k, cell in enumerate(members):
                colors[cell] = _shade(base.get(group, REST_COLOR), 0.6 * k / max(1, len(members) - 1)
                                      if len(members) > 1 else 0.0)
    colors.update(style.colors or {})
    return colors


def _shade(color: str, towards_white: float) -> str:
    """``color`` mixed with white (0: itself, 1: white)."""
    rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(v + (255 - v) * towards_white):02X}" for v in rgb)


def _n_docs(data: dict, g: str) -> int:
    n = ((data.get("groups") or {}).get(g) or {}).get("n_documents")
    return int(n) if is_num(n) else 0


def n_text(data: dict, groups: Sequence[str]) -> str:
    """"n = chinese 3 documents (2 outlets); western 2 documents (2 outlets)"."""
    parts = []
    for g in groups:
        info = (data.get("groups") or {}).get(g) or {}
        nd = _n_docs(data, g)
        no = info.get("n_outlets")
        doc_word = "document" if nd == 1 else "documents"
        out = f", {int(no)} outlet{'s' if no != 1 else ''}" if is_num(no) else ""
        parts.append(f"{g} {nd} {doc_word}{out}")
    return "n = " + "; ".join(parts) + "." if parts else ""


def unavailable_text(data: dict, groups: Sequence[str], section: str) -> str:
    """"Not available for this language: chinese 3 of 6 documents; ...": how many
    documents a language-bound figure (sentiment, targets, readability) leaves out."""
    parts = []
    for g in groups:
        missing = ((((data.get("groups") or {}).get(g) or {}).get("not_available") or {})
                   .get(section) or 0)
        if missing:
            parts.append(f"{g} {int(missing)} of {_n_docs(data, g)} documents")
    if not parts:
        return ""
    return ("Not available for this language (only English has a validated method): "
            + "; ".join(parts) + "; the figures use the other documents.")


def small_sample_text(data: dict, groups: Sequence[str], small_n: int = SMALL_GROUP) -> str:
    small = [f"{g} ({_n_docs(data, g)})" for g in groups if _n_docs(data, g) < small_n]
    if not small:
        return ""
    return ("Small samples: " + ", ".join(small) + " documents. The figures describe these "
            "texts only and say little about the outlets in general.")


def interval_text(data: dict, groups: Sequence[str], small_n: int = SMALL_GROUP, *,
                  unit: str = "document") -> str:
    """What the whiskers and dots show and which unit the means weigh, for a caption.

    Groups under ``small_n`` documents show every document as a dot (the range of these
    documents); larger groups a 95% percentile bootstrap interval, resampling outlets then
    documents when the group has two or more outlets.
    """
    small = [g for g in groups if _n_docs(data, g) < small_n]
    large = [g for g in groups if g not in small]
    parts = []
    if large:
        units = {((data["groups"].get(g) or {}).get("unit") or {}).get("resampling")
                 or "documents" for g in large}
        how = " or ".join(sorted(f"{u} resampled" for u in units))
        which = f" for {', '.join(large)}" if small else ""
        parts.append(f"Whiskers: 95% bootstrap confidence intervals ({how}){which}.")
    if small:
        parts.append(f"Dots: each document of {', '.join(small)} (fewer than {small_n} "
                     "documents: the range of these documents, not a 95% CI).")
    equal = any(((data["groups"].get(g) or {}).get("unit") or {}).get("weights")
                == "outlets equally" for g in groups)
    if equal:
        parts.append(f"Outlets weigh equally: a group's figure is the mean of its outlets' "
                     f"means (each {unit} weighs the same within its outlet).")
    else:
        parts.append(f"Unit: the {unit} (each {unit} weighs the same).")
    return " ".join(parts)


def document_dots(ax: Axes, points, y: float, *, scale: float = 1.0,
                  color: str = "#222222", size: float = 14.0) -> float | None:
    """Every document's value as a hollow dot on row ``y`` (groups too small for an
    interval). Returns the largest value drawn (to place a label after it), or None."""
    return document_dot_rows(ax, [(points, y)], scale=scale, color=color, size=size)[0]


def document_dot_rows(ax: Axes, rows, *, scale: float = 1.0, color: str = "#222222",
                      size: float = 14.0) -> list[float | None]:
    """:func:`document_dots` for several ``(points, y)`` rows, drawn as one collection
    (one artist instead of one per row: a chart draws and lays out faster, and looks the
    same). Returns each row's largest value drawn, or None."""
    xs: list[float] = []
    ys: list[float] = []
    largest: list[float | None] = []
    for points, y in rows:
        row = [p * scale for p in points or [] if is_num(p)]
        xs += row
        ys += [y] * len(row)
        largest.append(max(row) if row else None)
    if xs:
        # Not clipped: a document at 0 sits on the axis and shows as a whole dot, not half.
        ax.scatter(xs, ys, s=size, facecolors="white", edgecolors=color, linewidths=0.9,
                   zorder=3, clip_on=False)
    return largest


#: Said in a caption when outlet points are shown.
OUTLET_POINTS_TEXT = ("Squares: each outlet's own mean (the pointer on one names the outlet "
                      "and its documents), so one prolific outlet carrying its group shows.")


def outlet_marks(ax: Axes, points, y: float, *, scale: float = 1.0, group: str = "",
                 value_fmt: str = "{:.2f}") -> int:
    """Each outlet of a group as a small dark square on row ``y``; ``points`` are
    ``(outlet, n_documents, mean)``. Pointing at one names the outlet and its documents.
    Returns the number drawn."""
    drawn = 0
    for outlet, n, mean in points or []:
        if not is_num(mean):
            continue
        (mark,) = ax.plot([mean * scale], [y], ls="", marker="s", ms=4.5, color="#333333",
                          mec="white", mew=0.6, alpha=0.85, zorder=5)
        set_tip(mark, f"{outlet} ({group}): {value_fmt.format(mean * scale)} over {int(n)} "
                      f"document{'s' if n != 1 else ''}")
        mark.sinoru_outlet = outlet
        drawn += 1
    return drawn


def join_caption(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def no_data(ax: Axes, message: str) -> str:
    """Replace the chart by a centred message; return it as the caption."""
    ax.clear()
    ax.set_axis_off()
    ax.text(0.5, 0.5, safe_text(textwrap.fill(message, 60)), ha="center", va="center",
            transform=ax.transAxes, fontsize=10, color="#444444",
            fontfamily=list(font_families()))
    return message


def pickable(artist, section: str, key: str, group: str) -> None:
    """Make ``artist`` clickable; its gid "section|key|group" says what was clicked."""
    artist.set_picker(True)
    artist.set_gid(f"{section}|{key}|{group}")


def set_tip(artist, text: str) -> None:
    """Attach the words the app shows when the pointer rests on ``artist`` (a tooltip;
    paper has no pointer, so reports print the same words beside the item)."""
    artist.sinoru_tip = text


def tip_of(artist) -> str:
    return getattr(artist, "sinoru_tip", "") or ""


def wrap(label: str, width: int) -> str:
    """A row label wrapped to ``width`` characters, with undrawable characters boxed."""
    text = textwrap.fill(str(label), width=max(8, width), break_long_words=True,
                         max_lines=3, placeholder=" …") or " "
    return safe_text(text)


def ci_err(value, ci, scale: float = 1.0) -> tuple[float, float] | None:
    """Distances (below, above) of a CI from ``value``, or None when either is missing."""
    if not is_num(value) or not ci or len(ci) != 2:
        return None
    lo, hi = ci
    if not (is_num(lo) and is_num(hi)):
        return None
    return (max(0.0, (value - lo) * scale), max(0.0, (hi - value) * scale))


def finish_axes(ax: Axes, style: ChartStyle) -> None:
    """Apply the house look: fonts with CJK fallback, light spines, readable sizes."""
    fam = list(font_families())
    texts = [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(),
             *ax.get_yticklabels(), *ax.texts]
    legend = ax.get_legend()
    if legend is not None:
        texts += list(legend.get_texts())
    for t in texts:
        t.set_fontfamily(fam)
        text = t.get_text()
        if text:
            clean = safe_text(text)
            if clean != text:
                t.set_text(clean)
    ax.tick_params(labelsize=style.font_size)
    title = ax.get_title(loc="left")
    if title:
        pad = 6.0
        if legend is not None and getattr(legend, "_sinoru_top", False):
            # The legend sits on top of the axes; lift the title above it so they never
            # overlap.
            pad += getattr(legend, "_sinoru_rows", 1) * (style.font_size + 5)
        # Whole, wrapped onto more lines if long: a title names the groups compared.
        # About 0.55 em per character; the axes start about an inch in, after the labels.
        width = max(36, int((ax.figure.get_figwidth() - 1.2) * 72
                            / ((style.font_size + 1.5) * 0.55)))
        lines = textwrap.wrap(title.replace("\n", " "), width) or [title]
        ax.set_title(safe_text("\n".join(lines)), loc="left", fontsize=style.font_size + 1.5,
                     pad=pad, fontfamily=fam)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def grouped_barh(ax: Axes, rows: Sequence[tuple[str, str]], groups: Sequence[str],
                 values: Mapping[tuple[str, str], tuple], colors: Mapping[str, str],
                 section: str, style: ChartStyle, *, scale: float = 1.0,
                 value_fmt: str = "{:.1f}", n_labels: Mapping[str, str] | None = None,
                 outlets: Mapping[tuple[str, str], list] | None = None) -> int:
    """Horizontal grouped bars: one row per ``(key, label)``, one bar per group.

    ``values[(key, group)]`` is ``(value, ci95)`` or ``(value, ci95, documents)``, where
    ``documents`` (a small group's document values) are drawn as dots beside the bar;
    ``outlets[(key, group)]`` (:func:`analysis.split.outlet_means`) as squares on the bar;
    values are multiplied by ``scale``.
    Returns the number of bars drawn (0 means nothing to show).
    """
    n_g = max(1, len(groups))
    band = 0.8
    height = band / n_g
    annotate = len(rows) * n_g <= style.annotate_max
    # All bars in one call and all dots in one collection: far fewer artists to lay out
    # and draw, the same marks in the same order.
    bars: list[tuple[float, float, str, str, str]] = []   # y, value, colour, key, group
    dots: list[tuple[list, float]] = []
    labels: list[tuple[str, tuple[float, float]]] = []    # bars carrying their number
    for i, (key, _label) in enumerate(rows):
        for j, g in enumerate(groups):
            y = i - band / 2 + height * (j + 0.5)
            value, ci, *more = values.get((key, g), (None, None))
            if not is_num(value):
                continue
            v = value * scale
            bars.append((y, v, colors.get(g, REST_COLOR), key, g))
            err = ci_err(value, ci, scale)
            if err is not None:
                ax.errorbar([v], [y], xerr=[[err[0]], [err[1]]], fmt="none", ecolor="#222222",
                            elinewidth=0.8, capsize=2)
            documents = [p for p in (more[0] if more else None) or [] if is_num(p)]
            if documents:
                dots.append((documents, y))
            outlet_marks(ax, (outlets or {}).get((key, g)), y, scale=scale, group=g)
            # A number placed past a small group's dots would read as one more data point:
            # those bars carry no number (the table under the chart has it).
            if annotate and not documents:
                end = v + (err[1] if err else 0.0)
                labels.append((value_fmt.format(v), (max(end, v, 0.0), y)))
    if bars:
        ys, vs, bar_colors, keys, bar_groups = zip(*bars, strict=True)
        drawn_bars = ax.barh(ys, vs, height=height * 0.92, color=bar_colors,
                             edgecolor="white", linewidth=0.4)
        for patch, key, g in zip(drawn_bars.patches, keys, bar_groups, strict=True):
            pickable(patch, section, key, g)
    document_dot_rows(ax, dots, scale=scale)
    for text, xy in labels:
        ax.annotate(text, xy, xytext=(3, 0), textcoords="offset points", va="center",
                    fontsize=style.font_size - 1.5, color="#333333")
    drawn = len(bars)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([wrap(label, style.label_width) for _k, label in rows],
                       fontsize=style.font_size)
    ax.set_ylim(len(rows) - 0.5, -0.5)      # first row at the top
    ax.set_xlim(left=min(0.0, ax.get_xlim()[0]))
    # Leave room on the right for the value labels.
    lo, hi = ax.get_xlim()
    ax.set_xlim(lo, hi + (hi - lo) * 0.12)
    from matplotlib.patches import Patch

    handles = [Patch(color=colors.get(g, REST_COLOR),
                     label=(n_labels or {}).get(g, g)) for g in groups]
    if handles:
        top_legend(ax, handles, style)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    return drawn


#: Characters a legend row may hold, and one legend label: real outlet and group names run
#: to 80 characters, and a legend wider than the chart collapses its axes.
LEGEND_ROW_CHARS = 64
LEGEND_LABEL_CHARS = 46


def fit_legend_labels(labels: Sequence[str]) -> tuple[list[str], int]:
    """Labels elided to :data:`LEGEND_LABEL_CHARS` (keeping a trailing "(n=…)") and the
    number of legend columns that fit a row of :data:`LEGEND_ROW_CHARS`."""
    out = []
    for label in labels:
        label = str(label)
        if len(label) > LEGEND_LABEL_CHARS:
            head, sep, tail = label.rpartition(" (")
            suffix = sep + tail if sep and tail.endswith(")") and len(tail) < 12 else ""
            body = head if suffix else label
            # A split cell "group · value (n=2)" keeps its value: the group is cut.
            group, dot, value = body.rpartition(" \u00b7 ")
            if dot and group and len(value) <= LEGEND_LABEL_CHARS // 2:
                suffix, body = dot + value + suffix, group
            keep = LEGEND_LABEL_CHARS - len(suffix) - 1
            label = body[:keep].rstrip() + "\u2026" + suffix
        out.append(label)
    widest = max((len(lab) + 4 for lab in out), default=1)
    return out, max(1, min(len(out), 4, LEGEND_ROW_CHARS // widest))


def top_legend(ax: Axes, handles: list, style: ChartStyle) -> None:
    """Legend above the plot, right-aligned on the title row, so it never hides data.

    Long names are elided; ``legend._sinoru_full_labels`` maps each shown label to the
    full name (the app shows it as a tooltip).
    """
    if handles:
        full = [h.get_label() for h in handles]
        shown, ncol = fit_legend_labels(full)
        for handle, label in zip(handles, shown, strict=True):
            handle.set_label(label)
        legend = ax.legend(handles=handles, fontsize=style.font_size - 0.5, frameon=False,
                           loc="lower right", bbox_to_anchor=(1.0, 1.0),
                           ncol=ncol, borderaxespad=0.2, handlelength=1.2,
                           columnspacing=1.0)
        legend._sinoru_top = True
        legend._sinoru_rows = -(-len(handles) // ncol)
        legend._sinoru_full_labels = dict(zip(shown, full, strict=True))


def group_n_labels(data: dict, groups: Sequence[str]) -> dict[str, str]:
    """Legend labels "chinese (n=3)"."""
    return {g: f"{g} (n={_n_docs(data, g)})" for g in groups}


__all__ += ["group_n_labels", "top_legend", "fit_legend_labels"]
