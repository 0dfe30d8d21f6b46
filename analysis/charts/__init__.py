"""Charts of analysis results as plain functions on a matplotlib ``Axes`` (Qt-free).

Each ``draw_x(ax, results, *, style=None, ...)`` draws on the given Axes (never creates a
Figure, never uses pyplot, never does I/O) and returns a plain-language caption: the
statistic, n per group and a small-sample warning where it applies. The desktop app and the
reports call the very same functions, so screen and paper never drift apart.

Every bar, point or term is pickable (``artist.set_picker(True)``) and carries a gid
``"section|key|group"``, e.g. ``"frames|china_russia.strategic_partnership|chinese"``,
``"term|no-limits partnership|western"``, ``"targets|russia|western"``,
``"markers|hedges|chinese"``.

:data:`CHARTS` lists ``(id, title, function)``; :func:`chart_instances` expands it for one
results object (one frame chart per codebook, one keyness chart per comparison side …) with
a suggested figure size.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from analysis.charts._common import (
    GROUP_PALETTE,
    OKABE_ITO,
    ChartStyle,
    data_of,
    font_families,
    group_colors,
    no_data,
    wrap,
)
from analysis.charts.keyness import draw_keyness, draw_timeline
from analysis.charts.profiles import (
    codebook_frames,
    draw_frame_profile,
    draw_markers,
    draw_readability,
    draw_topics,
    topic_label,
)
from analysis.charts.sentiment import (
    draw_sentiment_distribution,
    draw_target_sentiment,
    target_rows,
)
from analysis.charts.significance import with_significance
from analysis.lang import language_name

# The comparison charts mark the differences that hold after Benjamini–Hochberg correction
# (analysis.charts.significance), on screen and in the report alike.
draw_frame_profile = with_significance(draw_frame_profile, "frames")
draw_markers = with_significance(draw_markers, "markers")
draw_readability = with_significance(draw_readability, "readability")
draw_topics = with_significance(draw_topics, "topics")
draw_sentiment_distribution = with_significance(draw_sentiment_distribution, "sentiment")
draw_target_sentiment = with_significance(draw_target_sentiment, "targets")

__all__ = ["CHARTS", "ChartSpec", "ChartInstance", "ChartStyle", "chart_instances",
           "group_colors", "OKABE_ITO", "GROUP_PALETTE", "font_families", "no_data",
           "draw_frame_profile", "draw_sentiment_distribution", "draw_target_sentiment",
           "draw_keyness", "draw_markers", "draw_readability", "draw_topics", "draw_timeline",
           "parse_gid"]


class ChartSpec(NamedTuple):
    """One kind of chart: ``for chart_id, title, function in CHARTS``."""

    id: str
    title: str
    function: Callable[..., str]


CHARTS: list[ChartSpec] = [
    ChartSpec("frames", "Frame profile", draw_frame_profile),
    ChartSpec("sentiment", "Sentiment distribution", draw_sentiment_distribution),
    ChartSpec("targets", "Tone toward targets", draw_target_sentiment),
    ChartSpec("keyness", "Distinctive vocabulary", draw_keyness),
    ChartSpec("markers", "Stance markers", draw_markers),
    ChartSpec("salience", "Actor salience", draw_markers),
    ChartSpec("readability", "Readability", draw_readability),
    ChartSpec("topics", "Topics", draw_topics),
    ChartSpec("timeline", "Documents over time", draw_timeline),
]


@dataclass(frozen=True)
class ChartInstance:
    """One concrete chart for one results object.

    ``key`` is unique within the results (e.g. ``"frames:generic"``,
    ``"keyness:chinese|western:a"``); ``size`` is a suggested ``(width, height)`` in inches.
    """

    key: str
    chart_id: str
    title: str
    function: Callable[..., str]
    kwargs: dict = field(default_factory=dict)
    size: tuple[float, float] = (7.5, 3.5)

    def draw(self, ax, results, style=None) -> str:
        return self.function(ax, results, style=style, **self.kwargs)


def parse_gid(gid: str | None) -> tuple[str, str, str] | None:
    """Split a pickable artist's gid into ``(section, key, group)``; None if not ours."""
    if not gid or gid.count("|") < 2:
        return None
    section, rest = gid.split("|", 1)
    key, group = rest.rsplit("|", 1)
    return section, key, group


def _height(n_rows: int, n_groups: int, labels: list[str] | None = None) -> float:
    if n_rows <= 0:
        return 1.3
    # A row needs room for its bars and for its label wrapped onto several lines.
    lines = max((wrap(lab, ChartStyle().label_width).count("\n") + 1 for lab in labels or []),
                default=1)
    per_row = max(0.3, 0.17 * max(1, n_groups), 0.19 * lines)
    return round(min(9.2, max(2.4, 1.1 + n_rows * per_row)), 2)


def _keys(data: dict, section: str, groups: list[str]) -> list[str]:
    seen: list[str] = []
    for g in groups:
        for k in ((data["groups"][g] or {}).get(section) or {}):
            if k not in seen:
                seen.append(k)
    return seen


def chart_instances(results, *, top_n: int = 15) -> list[ChartInstance]:
    """Every chart worth drawing for ``results``, in report order."""
    data = data_of(results)
    groups = list((data.get("groups") or {}).keys())
    ng = len(groups)
    out: list[ChartInstance] = []
    codebooks = [cb.get("id") for cb in data.get("codebooks") or [] if cb.get("id")]
    codebooks += [c for c in (_keys(data, "frames", groups) if ng else []) if c not in codebooks]
    labels = {cb.get("id"): cb.get("label") or cb.get("id") for cb in data.get("codebooks") or []}
    for cb in dict.fromkeys(codebooks):
        rows = codebook_frames(data, cb)
        out.append(ChartInstance(f"frames:{cb}", "frames", f"Frames: {labels.get(cb, cb)}",
                                 draw_frame_profile, {"codebook": cb},
                                 (7.5, _height(len(rows), ng, [lab for _, lab in rows]))))
    out.append(ChartInstance("sentiment", "sentiment", "Sentiment distribution",
                             draw_sentiment_distribution, {}, (7.5, 3.4 if ng else 1.3)))
    n_t = len(target_rows(data, groups)) if ng else 0
    out.append(ChartInstance("targets", "targets", "Tone toward targets", draw_target_sentiment,
                             {}, (7.5, _height(n_t, ng))))
    for comp in data.get("comparisons") or []:
        a, b = comp.get("a"), comp.get("b")
        for side, this, other in (("a", a, b), ("b", b, a)):
            n = min(top_n, len((comp.get("keyness") or {}).get(side) or []))
            out.append(ChartInstance(
                f"keyness:{a}|{b}:{side}", "keyness", f"Distinctive of {this} (vs {other})",
                draw_keyness, {"comparison": (a, b), "side": side, "top_n": top_n},
                (7.5, _height(n, 1))))
        # Groups that differ in language: the same comparison within each language.
        for lang, block in (comp.get("keyness_by_language") or {}).items():
            for side, this, other in (("a", a, b), ("b", b, a)):
                n = min(top_n, len(block.get(side) or []))
                out.append(ChartInstance(
                    f"keyness:{a}|{b}@{lang}:{side}", "keyness",
                    f"Distinctive of {this} (vs {other}), {language_name(lang)} documents",
                    draw_keyness, {"comparison": (a, b), "side": side, "top_n": top_n,
                                   "language": lang}, (7.5, _height(n, 1))))
    if ng and not data.get("comparisons"):
        out.append(ChartInstance("keyness", "keyness", "Distinctive vocabulary", draw_keyness,
                                 {}, (7.5, 1.3)))
    markers = _keys(data, "markers", groups) if ng else []
    n_rate = len([m for m in markers if not m.startswith("salience_")])
    out.append(ChartInstance("markers", "markers", "Stance markers", draw_markers,
                             {"kind": "rate"}, (7.5, _height(n_rate, ng))))
    if len(markers) - n_rate:
        out.append(ChartInstance("salience", "salience", "Actor salience", draw_markers,
                                 {"kind": "salience"}, (7.5, _height(len(markers) - n_rate, ng))))
    n_r = len([k for k in (_keys(data, "readability", groups) if ng else [])
               if k != "type_token_ratio"])
    out.append(ChartInstance("readability", "readability", "Readability", draw_readability, {},
                             (7.5, _height(n_r, ng))))
    topic_labels = [topic_label(t) for t in data.get("topics") or []]
    n_top = len(topic_labels) or (len(_keys(data, "topics", groups)) if ng else 0)
    if n_top:
        out.append(ChartInstance("topics", "topics", "Topics", draw_topics, {},
                                 (7.5, _height(n_top, ng, topic_labels))))
    elif (data.get("topic_model") or {}).get("note"):
        # No topics fitted: the view still appears and says why.
        out.append(ChartInstance("topics", "topics", "Topics", draw_topics, {}, (7.5, 1.3)))
    has_dates = any(((data["groups"][g] or {}).get("dates") or {}).get("by_period")
                    for g in groups)
    out.append(ChartInstance("timeline", "timeline", "Documents over time", draw_timeline, {},
                             (7.5, 3.0 if has_dates else 1.3)))
    return out
