"""Distinctive vocabulary (keyness) of one side of a comparison, and the timeline."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from analysis.charts._common import (
    REST_COLOR,
    colors_for,
    data_of,
    finish_axes,
    group_n_labels,
    is_num,
    join_caption,
    n_text,
    no_data,
    pickable,
    resolve_style,
    select_groups,
    set_tip,
    small_sample_text,
    top_legend,
    wrap,
)
from analysis.lang import language_name

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw_keyness", "draw_timeline", "find_comparison", "keyness_block",
           "keyness_label", "p_text"]


def find_comparison(data: dict, comparison: Sequence[str] | None) -> dict | None:
    """The comparison ``(a, b)``; the first pairwise one when ``comparison`` is None."""
    comps = data.get("comparisons") or []
    if comparison is None:
        for c in comps:
            if c.get("kind", "pairwise") == "pairwise":
                return c
        return comps[0] if comps else None
    a, b = comparison
    for c in comps:
        if c.get("a") == a and c.get("b") == b:
            return c
    return None


def keyness_block(comp: dict, language: str | None = None) -> dict:
    """The keyness lists ``{"a": [...], "b": [...]}`` of a comparison: over all its
    documents, or with ``language`` (a code) within that language's documents only."""
    if language:
        return (comp.get("keyness_by_language") or {}).get(language) or {}
    return comp.get("keyness") or {}


def draw_keyness(ax: Axes, results, *, comparison: Sequence[str] | None = None,
                 side: str = "a", top_n: int = 15, language: str | None = None,
                 style=None) -> str:
    """Terms most distinctive of one side of a comparison: bars of the log-odds z-score
    (its size: how strongly the term leans to that side), raw counts annotated.
    With ``language``, the comparison within that language's documents only.

    Bars are pickable with gid ``"term|<term>|<group>"``, group being that side's name.
    """
    st = resolve_style(style)
    data = data_of(results)
    comp = find_comparison(data, comparison)
    if comp is None:
        return no_data(ax, "No comparison between groups: distinctive vocabulary needs at "
                           "least two groups.")
    if side not in ("a", "b"):
        raise ValueError(f"side must be 'a' or 'b', not {side!r}")
    a, b = comp.get("a", "a"), comp.get("b", "b")
    this, other = (a, b) if side == "a" else (b, a)
    block = keyness_block(comp, language)
    terms = [t for t in (block.get(side) or []) if is_num(t.get("z"))][:max(1, int(top_n))]
    within = ""
    if language:
        within = (f" Within {language_name(language)} documents only "
                  f"({block.get('n_documents_a', 0)} vs {block.get('n_documents_b', 0)}).")
    if not terms:
        return no_data(ax, f"No term is distinctive of {this} against {other} (terms must "
                           "occur in enough documents to be scored).")
    color = colors_for(data, st).get(this, REST_COLOR)
    ys = range(len(terms))
    zs = [abs(float(t["z"])) for t in terms]
    bars = ax.barh(list(ys), zs, height=0.7, color=color, edgecolor="white", linewidth=0.4)
    c_this, c_other = ("count_a", "count_b") if side == "a" else ("count_b", "count_a")
    d_this = "docs_a" if side == "a" else "docs_b"
    n_this = (int(block.get(f"n_documents_{side}") or 0) if language
              else _n_docs(data, this))
    single = 0
    for y, patch, t in zip(ys, bars.patches, terms, strict=True):
        pickable(patch, "term", t["term"], this)
        docs = int(t.get(d_this) or 0)
        if docs < 2:
            # One document's word, not its group's: hatched, and said so beside the bar.
            patch.set_hatch("////")
            patch.set_alpha(0.55)
            single += 1
        set_tip(patch, f"“{t['term']}”: z = {float(t['z']):.2f}; "
                       + keyness_label(t, side, n_this).replace(" · ", "; "))
        ax.annotate(keyness_label(t, side, n_this), (patch.get_width(), y), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=st.font_size - 1.5,
                    color="#333333")
    ax.set_yticks(list(ys))
    ax.set_yticklabels([wrap(t["term"], st.label_width) for t in terms], fontsize=st.font_size)
    ax.set_ylim(len(terms) - 0.5, -0.5)
    lo, hi = 0.0, max(zs)
    ax.set_xlim(lo, hi * 1.55 if hi > 0 else 1.0)   # room for the labels
    ax.axvline(1.96, color="#999999", linewidth=0.7, linestyle=":")
    ax.set_xlabel(f"How strongly the term leans to {this} (log-odds z-score)",
                  fontsize=st.font_size)
    in_lang = f", {language_name(language)} documents" if language else ""
    ax.set_title(f"Distinctive of {this} (vs {other}){in_lang}", fontsize=st.font_size + 1.5,
                 loc="left")
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    finish_axes(ax, st)
    gs = [g for g in (a, b) if g in (data.get("groups") or {})]
    return join_caption(
        f"Terms most distinctive of {this} compared with {other}: log-odds ratio with an "
        "informative Dirichlet prior, as a z-score (the dotted line marks z = 1.96). "
        f"Beside the bars: occurrences in {this} vs in {other}; documents of {this} using "
        "the term; p_doc, the document-level test (Mann-Whitney over the documents' "
        "relative frequencies). Token counts treat words as independent, so z-scores "
        "overstate certainty; read them as a ranking and trust p_doc. Listed terms are used "
        f"by at least two documents of {this}"
        + (f"; hatched bars ({single}) are one document's words." if single else ".")
        + within + ((" " + comp["language_note"]) if comp.get("language_note") and not language
                    else ""),
        n_text(data, gs), small_sample_text(data, gs, st.small_n))


def _n_docs(data: dict, group: str) -> int:
    n = ((data.get("groups") or {}).get(group) or {}).get("n_documents")
    return int(n) if is_num(n) else 0


def p_text(p: float) -> str:
    """A p-value with the digits it needs: "0.70", "0.10", "0.0022" (never "0.00")."""
    return f"{p:.2f}" if p >= 0.095 else f"{p:.2g}"


def keyness_label(term: dict, side: str, n_docs: int) -> str:
    """"12 vs 1 · 3/3 docs · p_doc 0.10": what a keyness bar is labelled and tooltipped
    with (counts, documents of the side using the term, document-level p)."""
    mine, theirs = ("a", "b") if side == "a" else ("b", "a")
    p = term.get("p_doc")
    p_txt = f" · p_doc {p_text(p)}" if is_num(p) else ""
    of = f"/{n_docs}" if n_docs else ""
    return (f"{int(term.get(f'count_{mine}') or 0)} vs {int(term.get(f'count_{theirs}') or 0)}"
            f" · {int(term.get(f'docs_{mine}') or 0)}{of} docs{p_txt}")


def draw_timeline(ax: Axes, results, *, groups: Sequence[str] | None = None,
                  style=None) -> str:
    """Documents per period per group (grouped bars), or a "no dates" message.

    Bars are pickable with gid ``"timeline|<period>|<group>"``.
    """
    st = resolve_style(style)
    data = data_of(results)
    gs = select_groups(data, groups)
    counts: dict[tuple[str, str], int] = {}
    periods: set[str] = set()
    for g in gs:
        for row in (((data["groups"][g] or {}).get("dates") or {}).get("by_period") or []):
            p, n = str(row.get("period", "")), row.get("n_documents")
            if p and is_num(n):
                counts[(p, g)] = int(n)
                periods.add(p)
    if not periods:
        return no_data(ax, "No dates: the documents carry no publication dates, so there is "
                           "no timeline. Add a 'date' column to the metadata to see one.")
    order = sorted(periods)
    colors = colors_for(data, st)
    n_g = max(1, len(gs))
    band = 0.8 if len(order) > 4 else 0.5   # few periods: slimmer bars read better
    width = band / n_g
    for j, g in enumerate(gs):
        for i, p in enumerate(order):
            n = counts.get((p, g), 0)
            if n <= 0:
                continue
            bars = ax.bar([i - band / 2 + width * (j + 0.5)], [n], width=width * 0.92,
                          color=colors.get(g, REST_COLOR))
            pickable(bars.patches[0], "timeline", p, g)
    step = max(1, len(order) // 16)
    ax.set_xticks(range(0, len(order), step))
    ax.set_xticklabels(order[::step], rotation=45 if len(order) > 6 else 0,
                       ha="right" if len(order) > 6 else "center", fontsize=st.font_size)
    ax.set_xlim(-0.6, len(order) - 0.4)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("Documents", fontsize=st.font_size)
    ax.set_title("Documents over time", fontsize=st.font_size + 1.5, loc="left")
    labels = group_n_labels(data, gs)
    from matplotlib.patches import Patch

    top_legend(ax, [Patch(color=colors.get(g, REST_COLOR), label=labels[g]) for g in gs], st)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    finish_axes(ax, st)
    undated = []
    for g in gs:
        dated = sum(counts.get((p, g), 0) for p in order)
        nd = (data["groups"][g] or {}).get("n_documents") or 0
        if is_num(nd) and nd > dated:
            undated.append(f"{g} {int(nd) - dated}")
    und = ("Documents without a date (not shown): " + ", ".join(undated) + "."
           if undated else "")
    return join_caption("Number of documents per period in each group.", und,
                        n_text(data, gs), small_sample_text(data, gs, st.small_n))
