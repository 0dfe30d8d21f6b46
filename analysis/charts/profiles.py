"""Group profiles as grouped bars: frames, stance markers, readability, topics."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from analysis.charts._common import (
    OUTLET_POINTS_TEXT,
    colors_for,
    data_of,
    finish_axes,
    group_n_labels,
    grouped_barh,
    interval_text,
    join_caption,
    n_text,
    no_data,
    resolve_style,
    select_groups,
    small_sample_text,
    unavailable_text,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw_frame_profile", "draw_markers", "draw_readability", "draw_topics",
           "codebook_frames", "MARKER_LABELS", "READABILITY_LABELS", "marker_label",
           "topic_label"]

MARKER_LABELS = {
    "hedges": "Hedges (may, reportedly …)",
    "boosters": "Boosters (definitely, resolutely …)",
    "obligation": "Obligation (must, should …)",
    "quotations": "Quotations",
    "attribution": "Attribution (said, according to …)",
}
READABILITY_LABELS = {
    "flesch_reading_ease": "Flesch reading ease (higher = easier)",
    "flesch_kincaid_grade": "Flesch–Kincaid grade",
    "gunning_fog": "Gunning fog index",
    "smog": "SMOG grade",
    "mean_sentence_length": "Mean sentence length (words)",
    "type_token_ratio": "Type-token ratio",
}
# Type-token ratio (0..1) would be an invisible bar beside indices of 10-60; it is in the
# tables instead.
_READABILITY_CHART = ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog",
                      "mean_sentence_length")


def marker_label(data: dict, key: str) -> str:
    if key.startswith("salience_"):
        actor = key[len("salience_"):]
        for t in data.get("targets") or []:
            if t.get("id") == actor:
                return t.get("label") or actor
        # Short ids are abbreviations (us, eu, un): "US", not "Us".
        return actor.upper() if len(actor) <= 3 else actor.replace("_", " ").title()
    return MARKER_LABELS.get(key, key.replace("_", " ").capitalize())


def topic_label(topic: dict) -> str:
    """A topic's label, with its top terms when the label does not already list them."""
    label = str(topic.get("label") or "").strip()
    top = [str(t) for t in (topic.get("top_terms") or [])[:4]]
    terms = ", ".join(top)
    label_words = {w.strip() for w in label.replace(";", ",").split(",") if w.strip()}
    if label and terms and not label_words <= set(top):
        return f"{label}: {terms}"
    return terms or label or str(topic.get("id", "?"))


def codebook_frames(data: dict, codebook: str) -> list[tuple[str, str]]:
    """``(frame_id, label)`` of a codebook in codebook order, plus any frame only seen in
    the group figures. Frames no group has a figure for (residual catch-all frames such as
    "Other", which are never measured) are left out when the groups have figures."""
    rows: list[tuple[str, str]] = []
    for cb in data.get("codebooks") or []:
        if cb.get("id") == codebook:
            rows = [(f["id"], f.get("label") or f["id"]) for f in cb.get("frames") or []]
    measured: set[str] = set()
    for info in (data.get("groups") or {}).values():
        measured.update((info.get("frames") or {}).get(codebook) or {})
    if measured:
        rows = [r for r in rows if r[0] in measured]
    seen = {k for k, _ in rows}
    for frame in sorted(measured - seen):
        rows.append((frame, frame.replace("_", " ")))
    return rows


def _codebook_label(data: dict, codebook: str) -> str:
    for cb in data.get("codebooks") or []:
        if cb.get("id") == codebook:
            return cb.get("label") or codebook
    return codebook


def codebook_unit(data: dict, codebook: str) -> str:
    """What a frame share counts: "sentences" (dictionary codebooks) or "documents" (the
    trained detector, which decides per document)."""
    for cb in data.get("codebooks") or []:
        if cb.get("id") == codebook:
            return cb.get("unit") or "sentences"
    return "sentences"


def _values(data: dict, groups: Sequence[str], path: Sequence[str], keys: Sequence[str],
            value_key: str = "mean") -> dict:
    out = {}
    for g in groups:
        node = (data.get("groups") or {}).get(g) or {}
        for p in path:
            node = node.get(p) or {}
        for k in keys:
            cell = node.get(k) or {}
            out[(k, g)] = (cell.get(value_key), cell.get("ci95"), cell.get("documents"))
    return out


def _outlets(results, section, keys, groups, wanted: bool):
    if not wanted:
        return None
    from analysis.split import outlet_means

    return outlet_means(results, section, keys, groups)


def draw_frame_profile(ax: Axes, results, *, codebook: str, groups: Sequence[str] | None = None,
                       outlet_points: bool = False, style=None) -> str:
    """Share of sentences carrying each frame of ``codebook``, per group, with 95% CIs (or every document's value for small groups).

    Bars are pickable with gid ``"frames|<codebook>.<frame>|<group>"``.
    """
    st = resolve_style(style)
    data = data_of(results)
    gs = select_groups(data, groups)
    rows = codebook_frames(data, codebook)
    if not gs or not rows:
        return no_data(ax, f"No frame figures for codebook '{codebook}'.")
    vals = {}
    for (frame, g), v in _values(data, gs, ("frames", codebook), [f for f, _ in rows],
                                 "share").items():
        vals[(f"{codebook}.{frame}", g)] = v
    keyed = [(f"{codebook}.{f}", label) for f, label in rows]
    drawn = grouped_barh(ax, keyed, gs, vals, colors_for(data, st), "frames", st, scale=100.0,
                         value_fmt="{:.0f}%", n_labels=group_n_labels(data, gs),
                         outlets=_outlets(results, "frames", [k for k, _ in keyed], gs,
                                          outlet_points))
    if not drawn:
        return no_data(ax, f"No frame figures for codebook '{codebook}'.")
    per_document = codebook_unit(data, codebook) == "documents"
    ax.set_xlabel("Share of documents marked with the frame (%)" if per_document else
                  "Share of sentences carrying the frame (%, mean over documents)",
                  fontsize=st.font_size)
    ax.set_title(f"Frames: {_codebook_label(data, codebook)}", fontsize=st.font_size + 1.5,
                 loc="left")
    finish_axes(ax, st)
    label = _codebook_label(data, codebook)
    measure = (f"Frames found by the '{label}': the share of documents it marks with each "
               "frame" if per_document else
               f"Frames of the '{label}' codebook: mean over documents of the share of "
               "sentences carrying each frame")
    return join_caption(
        f"{measure}.", interval_text(data, gs, st.small_n),
        OUTLET_POINTS_TEXT if outlet_points else "", n_text(data, gs),
        small_sample_text(data, gs, st.small_n))


def draw_markers(ax: Axes, results, *, groups: Sequence[str] | None = None,
                 kind: str = "rate", outlet_points: bool = False, style=None) -> str:
    """Stance markers per 1,000 words (``kind="rate"``) or actor salience, the share of
    actor mentions (``kind="salience"``), per group with 95% CIs.

    Bars are pickable with gid ``"markers|<marker>|<group>"``.
    """
    st = resolve_style(style)
    data = data_of(results)
    gs = select_groups(data, groups)
    keys: list[str] = []
    for g in gs:
        for k in ((data["groups"][g] or {}).get("markers") or {}):
            if k not in keys and k.startswith("salience_") == (kind == "salience"):
                keys.append(k)
    if kind != "salience":
        order = list(MARKER_LABELS)
        keys.sort(key=lambda k: (order.index(k) if k in order else len(order), k))
    what = "actor salience" if kind == "salience" else "stance markers"
    if not gs or not keys:
        return no_data(ax, f"No {what} figures.")
    rows = [(k, marker_label(data, k)) for k in keys]
    scale, fmt = (100.0, "{:.0f}%") if kind == "salience" else (1.0, "{:.1f}")
    drawn = grouped_barh(ax, rows, gs, _values(data, gs, ("markers",), keys),
                         colors_for(data, st), "markers", st, scale=scale, value_fmt=fmt,
                         n_labels=group_n_labels(data, gs),
                         outlets=_outlets(results, "markers", keys, gs, outlet_points))
    if not drawn:
        return no_data(ax, f"No {what} figures.")
    if kind == "salience":
        ax.set_xlabel("Share of actor mentions (%)", fontsize=st.font_size)
        ax.set_title("Actor salience", fontsize=st.font_size + 1.5, loc="left")
        lead = ("Actor salience: each actor's share of all actor mentions in a document, "
                "mean over documents.")
    else:
        ax.set_xlabel("Occurrences per 1,000 words (mean over documents)", fontsize=st.font_size)
        ax.set_title("Stance markers", fontsize=st.font_size + 1.5, loc="left")
        lead = "Stance markers per 1,000 words, mean over documents."
    finish_axes(ax, st)
    return join_caption(lead, interval_text(data, gs, st.small_n),
                        OUTLET_POINTS_TEXT if outlet_points else "", n_text(data, gs),
                        small_sample_text(data, gs, st.small_n))


def draw_readability(ax: Axes, results, *, groups: Sequence[str] | None = None,
                     indices: Sequence[str] | None = None, outlet_points: bool = False,
                     style=None) -> str:
    """Readability indices per group (mean over documents, 95% CI).

    Bars are pickable with gid ``"readability|<index>|<group>"``.
    """
    st = resolve_style(style)
    data = data_of(results)
    gs = select_groups(data, groups)
    present: list[str] = []
    for g in gs:
        for k in ((data["groups"][g] or {}).get("readability") or {}):
            if k not in present:
                present.append(k)
    wanted = list(indices) if indices is not None else [k for k in _READABILITY_CHART
                                                        if k in present]
    keys = [k for k in wanted if k in present]
    if not gs or not keys:
        return no_data(ax, "No readability figures.")
    rows = [(k, READABILITY_LABELS.get(k, k.replace("_", " "))) for k in keys]
    drawn = grouped_barh(ax, rows, gs, _values(data, gs, ("readability",), keys),
                         colors_for(data, st), "readability", st,
                         n_labels=group_n_labels(data, gs),
                         outlets=_outlets(results, "readability", keys, gs, outlet_points))
    if not drawn:
        return no_data(ax, "No readability figures.")
    ax.set_xlabel("Index value (mean over documents)", fontsize=st.font_size)
    ax.set_title("Readability", fontsize=st.font_size + 1.5, loc="left")
    finish_axes(ax, st)
    extra = (" The type-token ratio is in the tables (its 0–1 scale does not fit here)."
             if indices is None and "type_token_ratio" in present else "")
    return join_caption(
        "Readability indices, mean over documents; grade-level indices estimate years of "
        "schooling needed." + extra, interval_text(data, gs, st.small_n),
        OUTLET_POINTS_TEXT if outlet_points else "",
        n_text(data, gs), unavailable_text(data, gs, "readability"),
        small_sample_text(data, gs, st.small_n))


def draw_topics(ax: Axes, results, *, groups: Sequence[str] | None = None, style=None) -> str:
    """Mean document share of each topic per group (95% CI), labelled by its top terms.

    Bars are pickable with gid ``"topics|<topic_id>|<group>"``.
    """
    st = resolve_style(style)
    data = data_of(results)
    gs = select_groups(data, groups)
    topics = list(data.get("topics") or [])
    if not topics:
        seen: list[str] = []
        for g in gs:
            seen += [t for t in ((data["groups"][g] or {}).get("topics") or {}) if t not in seen]
        topics = [{"id": t, "label": t, "top_terms": []} for t in seen]
    if not gs or not topics:
        return no_data(ax, (data.get("topic_model") or {}).get("note")
                       or "No topics were computed.")
    rows = [(t["id"], topic_label(t)) for t in topics]
    drawn = grouped_barh(ax, rows, gs, _values(data, gs, ("topics",), [t["id"] for t in topics]),
                         colors_for(data, st), "topics", st, scale=100.0, value_fmt="{:.0f}%",
                         n_labels=group_n_labels(data, gs))
    if not drawn:
        return no_data(ax, "No topics were computed.")
    ax.set_xlabel("Mean share of the document (%)", fontsize=st.font_size)
    ax.set_title("Topics", fontsize=st.font_size + 1.5, loc="left")
    finish_axes(ax, st)
    return join_caption(
        "Topics found in the whole corpus (labelled by their top terms): the mean share of a "
        "document given to each topic.", interval_text(data, gs, st.small_n),
        n_text(data, gs), small_sample_text(data, gs, st.small_n))
