"""The word shift chart: the words behind a tone gap, as horizontal contribution bars."""
from __future__ import annotations

from analysis.charts._common import (
    data_of,
    finish_axes,
    no_data,
    pickable,
    resolve_style,
    top_legend,
    wrap,
)
from analysis.wordshift import KINDS, SENTIMENT_SCOPE

__all__ = ["draw_word_shift", "word_shift_of", "KIND_COLORS", "scope_label"]

#: The usual word-shift colours: positive words yellow, negative blue; darker when used
#: more in the first group, lighter when used less.
KIND_COLORS = {"+\u2191": "#F2B705", "+\u2193": "#FBE29A", "\u2212\u2191": "#1F5FA8",
               "\u2212\u2193": "#A9C8EC"}


def word_shift_of(results, comparison, scope: str = SENTIMENT_SCOPE):
    """Rows of the ``word_shift`` table for ``comparison`` ``(a, b)`` and ``scope``."""
    table = (getattr(results, "tables", None) or {}).get("word_shift")
    if table is None or table.empty or comparison is None:
        return None
    rows = table[(table["comparison"].astype(str) == f"{comparison[0]}|{comparison[1]}")
                 & (table["scope"].astype(str) == scope)]
    return rows.reset_index(drop=True) if len(rows) else None


def scope_label(results, scope: str) -> str:
    """"sentence sentiment" or "tone toward Russia" for a scope."""
    if scope == SENTIMENT_SCOPE:
        return "sentiment words"
    target = scope.split(":", 1)[-1]
    labels = {t.get("id"): t.get("label") or t.get("id")
              for t in data_of(results).get("targets") or []}
    return f"words in sentences mentioning {labels.get(target, target)}"


def draw_word_shift(ax, results, *, comparison=None, scope: str = SENTIMENT_SCOPE,
                    top_n: int = 20, style=None) -> str:
    """The ``top_n`` words that contribute most to the tone gap of a over b.

    Bars right of zero raise a's tone relative to b's, bars left lower it; the colour
    says why (:data:`KIND_COLORS`). Each bar is pickable as ``"term|word|"``.
    """
    style = resolve_style(style)
    data = data_of(results)
    if comparison is None and data.get("comparisons"):
        comparison = (data["comparisons"][0]["a"], data["comparisons"][0]["b"])
    rows = word_shift_of(results, comparison, scope)
    what = scope_label(results, scope)
    if rows is None:
        return no_data(ax, f"No word shift of {what} for these results: no sentiment "
                           "words on one side, or the analysis predates word shifts.")
    a, b = comparison
    rows = rows.head(top_n)
    values = rows["contribution"].to_numpy(float) * 100
    colors = [KIND_COLORS.get(k, "#999999") for k in rows["kind"]]
    bars = ax.barh(range(len(rows)), values, color=colors, edgecolor="white", linewidth=0.4)
    for bar, word in zip(bars.patches, rows["word"], strict=True):
        pickable(bar, "term", str(word), "")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{wrap(w, style.label_width)} {k}" for w, k in
                        zip(rows["word"], rows["kind"], strict=True)], fontsize=style.font_size)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.axvline(0, color="#444444", lw=0.8)
    ax.set_xlabel(f"contribution to the gap (\u00d7100): right raises {a}, left lowers it")
    avg_a, avg_b = float(rows["avg_a"].iloc[0]), float(rows["avg_b"].iloc[0])
    ax.set_title(f"Word shift, {what}: {a} vs {b}", loc="left")
    from matplotlib.patches import Patch

    top_legend(ax, [Patch(color=c, label=f"{k} {KINDS[k]}") for k, c in KIND_COLORS.items()],
               style)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    finish_axes(ax, style)
    return (f"Average VADER score of the {what}: {a} {avg_a:+.2f}, {b} {avg_b:+.2f} "
            f"(gap {avg_a - avg_b:+.2f}, on the lexicon's \u22124..+4 scale). Each bar is one "
            f"word's share of that gap (Gallagher et al. 2021), relative to {b}'s average: "
            "\u2191 used more in " + a + ", \u2193 used less; + a word above " + b + "'s "
            "average, \u2212 below it. Word counts ignore negation, which the sentence "
            "scores take into account.")
