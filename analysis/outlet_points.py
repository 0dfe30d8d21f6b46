"""The outlets inside each group: a document figure per outlet beside its group's mean,
so one prolific outlet that carries a group's figure is visible at once."""
from __future__ import annotations

import pandas as pd

from analysis.group_figures import SMALL_GROUP
from analysis.progress import ProgressCallback, iterate
from analysis.stats import bootstrap_ci

__all__ = ["OUTLET_COLUMNS", "NO_OUTLET", "outlet_points"]

#: The point of a group's documents whose outlet is not known.
NO_OUTLET = "(no outlet)"
OUTLET_COLUMNS = ("group", "outlet", "n_documents", "mean", "ci_low", "ci_high", "documents")


def outlet_points(documents: pd.DataFrame, column: str, *, group_col: str = "group_label",
                  outlet_col: str = "outlet", n_boot: int = 1000, seed: int = 0,
                  progress: ProgressCallback | None = None) -> pd.DataFrame:
    """Mean of ``column`` per group (``outlet`` empty) and per outlet of the group.

    The small-group rule of the group figures (:data:`analysis.group_figures.SMALL_GROUP`):
    a row of that many documents or more gets a 95% bootstrap CI over documents; a
    smaller one none, and ``documents`` lists its documents' values instead (the range of
    these documents). ``outlet_col`` may be any column (the app splits by language, year…).

    Returns :data:`OUTLET_COLUMNS`, each group's row first, then its outlets by
    decreasing number of documents. Documents without a value are left out.
    """
    if column not in documents.columns:
        raise KeyError(f"no figure '{column}' in the documents table")
    frame = pd.DataFrame({
        "group": documents[group_col].astype(str),
        "outlet": (documents[outlet_col].fillna("").astype(str) if outlet_col in documents
                   else ""),
        "value": pd.to_numeric(documents[column], errors="coerce")}).dropna(subset=["value"])
    rows = []
    for group, cell in iterate(list(frame.groupby("group", sort=True)), progress):
        rows.append((group, "", *_row(cell["value"].to_numpy(float), n_boot, seed)))
        outlets = cell.groupby("outlet")["value"]
        for outlet in outlets.size().sort_values(ascending=False, kind="stable").index:
            rows.append((group, outlet or NO_OUTLET,
                         *_row(outlets.get_group(outlet).to_numpy(float), n_boot, seed)))
    return pd.DataFrame(rows, columns=list(OUTLET_COLUMNS))


def _row(values, n_boot: int, seed: int) -> tuple:
    """``n_documents, mean, ci_low, ci_high, documents`` of one row."""
    if len(values) >= SMALL_GROUP:
        return (len(values), float(values.mean()), *bootstrap_ci(values, n_boot=n_boot,
                                                                 seed=seed), None)
    return len(values), float(values.mean()), None, None, [float(v) for v in values]
