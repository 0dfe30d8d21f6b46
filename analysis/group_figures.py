"""One group's figures: means over its documents (or its outlets), with an interval only where
the group is large enough for one, and the unit of analysis stated.

Documents are nested in outlets. A group with two or more outlets gets a two-stage
bootstrap (outlets, then documents); with ``weigh_outlets_equally`` every outlet counts
once, so one prolific outlet cannot speak for its group. Below :data:`SMALL_GROUP`
documents no interval is computed: the percentile bootstrap's 95% interval then covers the
true mean far less often than 95% (``benchmarks/bootstrap_coverage.py``; docs/methods.md),
so the group block lists every document's value instead ("range of these documents").
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from analysis.aggregate import group_means, outlet_weights
from analysis.lang import (
    NOT_AVAILABLE,
    document_language,
    language_name,
    method_available,
    unavailable_note,
)
from analysis.text import segment

__all__ = ["SMALL_GROUP", "NO_GROUP", "group_block", "outlet_clusters", "unit_weights",
           "unit_entry"]

#: Below this many documents a group shows its documents, not a 95% interval: at n = 9 the
#: percentile bootstrap covers the mean of normal data 89% of the time, of skewed data
#: 83%, and at n = 2 only about half the time (docs/methods.md, "Small groups").
SMALL_GROUP = 10
#: Label for documents without a value in the grouping column.
NO_GROUP = "(no group)"
_SENTIMENT_BINS = np.linspace(-1.0, 1.0, 21)


def outlet_clusters(corpus, labels: pd.Series) -> pd.Series:
    """Each document's resampling unit: its outlet within its group. A document without an
    outlet is a unit of its own (it is not counted as an outlet anywhere)."""
    out = {}
    group_of = labels.to_dict()   # a Series looked up per document took 0.15 s at 10,000
    for d in corpus:
        outlet = (d.get("outlet") or "").strip()
        group = group_of.get(d.doc_id, NO_GROUP)
        out[d.doc_id] = f"{group}\x1f{outlet}" if outlet else f"{group}\x1f\x00{d.doc_id}"
    return pd.Series(out, dtype=object)


def unit_weights(weights: pd.DataFrame, clusters: pd.Series, equal_outlets: bool) -> pd.DataFrame:
    """The weights behind every group figure and test: per document (default) or, with
    ``equal_outlets``, rescaled so that each outlet of a group weighs the same."""
    if not equal_outlets:
        return weights
    return outlet_weights(weights, clusters.reindex(weights.index))


def unit_entry(n_documents: int, n_outlets: int, equal_outlets: bool) -> dict:
    """How a group's figures were made, for captions and the report."""
    if n_documents < SMALL_GROUP:
        interval = "documents"   # no interval: every document is shown
        resampling = None
    else:
        interval = "bootstrap"
        resampling = "outlets, then documents" if n_outlets >= 2 else "documents"
    return {"weights": "outlets equally" if equal_outlets and n_outlets >= 2 else "documents",
            "interval": interval, "resampling": resampling,
            "n_documents": n_documents, "n_outlets": n_outlets}


def _cell(r, values: np.ndarray | None) -> dict:
    lo, hi = r["ci_low"], r["ci_high"]
    cell: dict = {"ci95": None if not (np.isfinite(lo) and np.isfinite(hi))
                  else [float(lo), float(hi)]}
    if values is not None:
        v = values[np.isfinite(values)]
        cell["ci95"] = None
        cell["documents"] = [float(x) for x in v]
        cell["range"] = [float(v.min()), float(v.max())] if v.size else None
    return cell


def _n_words(docs, outputs) -> int:
    """Words of ``docs``: from the per-document stage's counts when it ran."""
    sizes = outputs.get("sizes")
    if sizes is not None:
        return int(sizes.documents["n_words"].reindex([d.doc_id for d in docs]).sum())
    return int(sum(segment(d.text, document_language(d)).n_words for d in docs))


def group_block(name, ids, corpus, figures, weights, clusters, outputs, config) -> dict:
    """The ``groups[name]`` entry of results.json (docs/results-schema.md)."""
    docs = [corpus[i] for i in ids]
    outlets = sorted({(d.get("outlet") or "").strip() for d in docs} - {""})
    equal = bool(getattr(config, "weigh_outlets_equally", False))
    unit = unit_entry(len(ids), len(outlets), equal)
    block: dict = {
        "n_documents": len(ids), "n_outlets": len(outlets), "outlets": outlets,
        "n_words": _n_words(docs, outputs), "unit": unit,
    }
    sub = figures.loc[list(ids)] if ids else figures.iloc[0:0]
    subw = weights.loc[list(ids)] if ids else weights.iloc[0:0]
    two_stage = unit["resampling"] == "outlets, then documents"
    table = group_means(sub, weights=subw, n_boot=config.n_boot, seed=config.seed,
                        clusters=clusters.reindex(sub.index).to_numpy() if two_stage else None,
                        equal_clusters=equal and two_stage)
    small = unit["interval"] == "documents"

    def cell(section, key, value_key="mean") -> dict:
        r = table.loc[(section, key)]
        values = sub[(section, key)].to_numpy(float) if small else None
        if values is not None:
            values = np.where(subw[(section, key)].to_numpy(float) > 0, values, np.nan)
        mean = float(r["mean"]) if np.isfinite(r["mean"]) else None
        return {value_key: mean, **_cell(r, values)}

    sentences = outputs["sentiment"].sentences
    compounds = sentences.loc[sentences["doc_id"].isin(ids), "compound"].to_numpy(float)
    counts, _ = np.histogram(compounds, bins=_SENTIMENT_BINS)
    r = table.loc[("sentiment", "mean")]
    block["sentiment"] = {**cell("sentiment", "mean"), "sd": r["sd"], "n": int(r["n"]),
                          "distribution": {"bins": _SENTIMENT_BINS.round(2).tolist(),
                                           "counts": counts.tolist()}}
    nested: dict = {}
    for key in sub["frames"].columns if "frames" in sub.columns.get_level_values(0) else []:
        codebook, frame = key.split(".", 1)
        nested.setdefault(codebook, {})[frame] = {
            **cell("frames", key, "share"),
            "n_documents_with": int((sub[("frames", key)] > 0).sum())}
    block["frames"] = nested
    for section in ("markers", "readability", "topics"):
        keys = sub[section].columns if section in sub.columns.get_level_values(0) else []
        block[section] = {k: cell(section, k) for k in keys}
    block["targets"] = _target_block(ids, outputs["targets"], cell)
    block["dates"] = _date_block(docs)
    warnings = []
    if small:
        warnings.append(
            f"Group '{name}' has only {len(ids)} document{'s' if len(ids) != 1 else ''}: "
            "its figures describe these texts, not the outlets in general, and are shown "
            "as the range of these documents, not as a 95% interval.")
    langs = Counter(document_language(d) for d in docs)
    block["not_available"] = {
        s: sum(n for k, n in langs.items() if not method_available(s, k))
        for s in LANGUAGE_BOUND}
    note = unavailable_note(name, dict(langs), len(ids))
    if note:
        warnings.append(note)
    block["warnings"] = warnings
    return block


#: Sections whose method depends on the document's language (see analysis.lang).
LANGUAGE_BOUND = ("sentiment", "targets", "readability")


def unavailable_text(doc) -> str:
    """"sentiment, targets, readability: not available for this language (Chinese)" for
    a document in a language those methods are not validated for, else ""."""
    lang = document_language(doc)
    missing = [s for s in LANGUAGE_BOUND if not method_available(s, lang)]
    if not missing:
        return ""
    return f"{', '.join(missing)}: {NOT_AVAILABLE} ({language_name(lang)})"


def _target_block(ids, target_result, cell) -> dict:
    docs = target_result.documents.reindex(list(ids))
    mentions = target_result.mentions
    mentions = mentions[mentions["doc_id"].isin(ids)]
    # Every target's labels counted in one pass (a pass per target took a tenth of a
    # second per group at 10,000 articles).
    names = [c for c in docs.columns if not c.endswith(".n")]
    labels = mentions.groupby(["target", "label"], sort=False, observed=True).size().to_dict() \
        if names else {}
    block = {}
    for name in names:
        counts = np.nan_to_num(docs[f"{name}.n"].to_numpy(float))
        block[name] = {
            **cell("targets", name),
            "n_mentions": int(counts.sum()), "n_documents": int((counts > 0).sum()),
            "counts": {lab: int(labels.get((name, lab), 0))
                       for lab in ("negative", "neutral", "positive")},
        }
    return block


def _period(date: str) -> str | None:
    m = re.match(r"\s*(\d{4})", date or "")
    return m.group(1) if m else None


def _date_block(docs) -> dict | None:
    periods = [p for p in (_period(d.get("date")) for d in docs) if p]
    if not periods:
        return None
    counts = pd.Series(periods).value_counts().sort_index()
    dates = sorted(d.get("date") for d in docs if _period(d.get("date")))
    return {"min": dates[0], "max": dates[-1],
            "by_period": [{"period": p, "n_documents": int(n)} for p, n in counts.items()]}
