"""The split of the Compare view in the reports: each group chart again with every
(group × value) cell of the chosen column (:mod:`analysis.split`), and its figures as a
table in the workbook and the CSV folder."""
from __future__ import annotations

import pandas as pd

from analysis.charts import ChartInstance, chart_instances
from analysis.report.options import ReportOptions

__all__ = ["SPLIT_CHARTS", "split_instances", "split_table"]

#: The charts a split repeats (those drawn from per-document figures).
SPLIT_CHARTS = ("frames", "sentiment", "targets", "markers", "salience", "readability")


def _split_of(results, options: ReportOptions):
    from analysis.split import split_results

    if not options.split_by or getattr(results, "tables", None) is None:
        return None
    config = (getattr(results, "data", {}) or {}).get("config") or {}
    try:
        return split_results(results, options.split_by, n_boot=int(config.get("n_boot", 1000)),
                             seed=int(config.get("seed", 0) or 0))
    except (KeyError, ValueError):
        return None   # results without per-document figures, or without that column


def draw_split(ax, results, *, split, chart, style=None, **kwargs) -> str:
    """Draw ``chart`` on the split cells ``split`` (``results`` is the unsplit run)."""
    return chart(ax, split, style=style, **kwargs)


def split_instances(results, options: ReportOptions) -> list[ChartInstance]:
    """The group charts again, split by ``options.split_by`` (none without a split)."""
    split = _split_of(results, options)
    if split is None or not options.includes("charts"):
        return []
    by = options.split_by
    return [ChartInstance(f"split:{inst.key}", "split", f"{inst.title}, split by {by}",
                          draw_split, {"split": split, "chart": inst.function, **inst.kwargs},
                          inst.size)
            for inst in chart_instances(split) if inst.chart_id in SPLIT_CHARTS]


def split_table(results, options: ReportOptions) -> pd.DataFrame | None:
    """Every figure of every cell: ``cell, group, value, figure, mean, ci_low, ci_high,
    n_documents, spread`` ("95% CI" or "range of these documents")."""
    from analysis.split import SPLIT_SEP

    split = _split_of(results, options)
    if split is None:
        return None
    rows = []
    for cell, block in split.data["groups"].items():
        group, value = cell.split(SPLIT_SEP, 1)

        def add(figure, item, cell=cell, group=group, value=value, block=block):
            ci = item.get("ci95") or [None, None]
            rows.append({"cell": cell, "group": group, options.split_by: value,
                         "figure": figure, "mean": item.get("mean", item.get("share")),
                         "ci_low": ci[0], "ci_high": ci[1],
                         "n_documents": block["n_documents"],
                         "spread": "range of these documents" if item.get("documents")
                         is not None else "95% CI"})

        add("sentiment.mean", block["sentiment"])
        for codebook, frames in block["frames"].items():
            for frame, item in frames.items():
                add(f"frames.{codebook}.{frame}", item)
        for section in ("targets", "markers", "readability"):
            for key, item in block[section].items():
                add(f"{section}.{key}", item)
    return pd.DataFrame(rows)
