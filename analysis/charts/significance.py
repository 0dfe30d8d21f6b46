"""Significance on the comparison charts: a mark beside each compared figure whose group
difference holds after Benjamini–Hochberg correction, with its effect size.

The marks are added after a chart is drawn, by finding its pickable items
(gid ``"section|key|group"``), so the chart functions need not know about tests and the
screen and the report mark the same rows.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from analysis.charts._common import data_of, join_caption
from analysis.group_figures import SMALL_GROUP

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Q_THRESHOLD", "MARK", "significant_tests", "mark_significance",
           "with_significance", "fmt_effect"]

#: A difference "holds" when its Benjamini–Hochberg q-value is below this.
Q_THRESHOLD = 0.05
MARK = "\u2731"  # heavy asterisk


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def fmt_effect(d) -> str:
    """Cohen's d for a label: "d = +0.82"; "d n/a" when undefined; "d > +10" beyond ±10,
    which happens when the documents of a group barely vary (d is then not meaningful)."""
    d = _num(d)
    if d is None:
        return "d n/a"
    if abs(d) >= 10:
        return "d > +10" if d > 0 else "d < \u221210"
    return f"d = {d:+.2f}"


_NO_EFFECT = f"d not given (a group has fewer than {SMALL_GROUP} documents)"


def _effect(data: dict, test: dict) -> str:
    """The test's effect size for a label, or "" when a group is too small to estimate it
    (fewer than :data:`SMALL_GROUP` documents: d would be headlined from a handful of
    texts)."""
    groups = data.get("groups") or {}
    if any((groups.get(g) or {}).get("n_documents", SMALL_GROUP) < SMALL_GROUP
           for g in (test.get("a"), test.get("b"))):
        return ""
    return fmt_effect(test.get("effect_size"))


def significant_tests(results, section: str, groups: Sequence[str] | None = None
                      ) -> dict[str, list[dict]]:
    """``key -> tests`` whose q < :data:`Q_THRESHOLD`, for comparisons between the shown
    ``groups`` (all when None); each test dict gains ``a`` and ``b``."""
    shown = set(groups) if groups is not None else None
    out: dict[str, list[dict]] = {}
    for comp in data_of(results).get("comparisons") or []:
        a, b = comp.get("a"), comp.get("b")
        if shown is not None and not {a, b} <= shown:
            continue
        for test in comp.get("tests") or []:
            q = _num(test.get("q_bh"))
            if test.get("section") == section and q is not None and q < Q_THRESHOLD:
                out.setdefault(str(test.get("key")), []).append({**test, "a": a, "b": b})
    return out


def _rows(ax: Axes, section: str) -> dict[str, list[tuple[float, float]]]:
    """``key -> [(x_end, y_centre)]`` of the chart's pickable items of ``section``."""
    out: dict[str, list[tuple[float, float]]] = {}
    for artist in ax.findobj(lambda a: bool(a.get_gid())):
        parts = str(artist.get_gid()).split("|")
        if len(parts) < 3 or parts[0] != section:
            continue
        key = "|".join(parts[1:-1])
        if hasattr(artist, "get_height") and hasattr(artist, "get_y"):   # a bar
            point = (artist.get_x() + artist.get_width(), artist.get_y() + artist.get_height() / 2)
        elif hasattr(artist, "get_xydata") and len(artist.get_xydata()):  # a point or line
            xy = artist.get_xydata()
            point = (float(max(xy[:, 0])), float(xy[:, 1].mean()))
        else:
            continue
        out.setdefault(key, []).append(point)
    return out


def mark_significance(ax: Axes, results, *, section: str, groups: Sequence[str] | None = None,
                      label: Callable[[str], str] | None = None, font_size: float = 8.0) -> str:
    """Mark each row of ``section`` on ``ax`` whose difference holds after BH correction:
    ":data:`MARK` d = …" at the right edge, on the row's height. Returns the caption
    sentence (what is marked, with difference, effect size and q), or "" when the results
    hold no tests for this section."""
    data = data_of(results)
    tested = any(t.get("section") == section for c in data.get("comparisons") or []
                 for t in c.get("tests") or [])
    if not tested:
        return ""
    rows = _rows(ax, section)
    holding = {k: tests for k, tests in significant_tests(results, section, groups).items()
               if k in rows}
    if not holding:
        return ("No difference between the groups in this chart holds after "
                f"Benjamini–Hochberg correction (all q \u2265 {Q_THRESHOLD:g}).")
    from matplotlib.transforms import blended_transform_factory

    edge = blended_transform_factory(ax.transAxes, ax.transData)
    details = []
    for key, tests in holding.items():
        y = sum(p[1] for p in rows[key]) / len(rows[key])
        best = min(tests, key=lambda t: _num(t.get("q_bh")))
        ax.text(1.01, y, f"{MARK} {_effect(data, best)}".rstrip(), transform=edge,
                ha="left", va="center", fontsize=font_size, color="#000000",
                fontweight="bold", gid=f"significance|{key}", clip_on=False)
        name = label(key) if label else key
        for t in tests:
            diff = _num(t.get("diff"))
            details.append(f"{name}: {t['a']} vs {t['b']}"
                           + (f", difference {diff:+.3g}" if diff is not None else "")
                           + f", {_effect(data, t) or _NO_EFFECT}, "
                           f"q = {_num(t.get('q_bh')):.3f}")
    return (f"{MARK} marks differences that hold after Benjamini–Hochberg correction "
            f"(permutation test, q < {Q_THRESHOLD:g}); d is Cohen's d: " + "; ".join(details)
            + ".")


def _key_label(results, section: str) -> Callable[[str], str]:
    from analysis.report.tables import test_label  # the report names rows the same way

    data = data_of(results)
    return lambda key: test_label(data, section, key)


def with_significance(draw: Callable[..., str], section: str | Callable[[dict], str]
                      ) -> Callable[..., str]:
    """Wrap a chart function so it marks the differences that hold and says so in its
    caption. ``section`` is the test section, or a function of the call's keyword
    arguments giving it (the marker chart serves "markers" of two kinds)."""
    @functools.wraps(draw)
    def wrapped(ax: Axes, results, *args, **kwargs) -> str:
        caption = draw(ax, results, *args, **kwargs)
        name = section(kwargs) if callable(section) else section
        note = mark_significance(ax, results, section=name, groups=kwargs.get("groups"),
                                 label=_key_label(results, name))
        return join_caption(caption, note) if note else caption
    return wrapped
