"""The outlets inside each group: a document figure per outlet beside its group's mean,
so one prolific outlet that carries a group's figure is visible at once."""
from __future__ import annotations

import pandas as pd

from analysis.progress import ProgressCallback, iterate
from analysis.stats import bootstrap_ci

__all__ = ["OUTLET_COLUMNS", "NO_OUTLET", "outlet_points"]

#: The point of a group's documents whose outlet is not known.
NO_OUTLET = "(no outlet)"
OUTLET_COLUMNS = ("group", "outlet", "n_documents", "mean", "ci_low", "ci_high")


def outlet_points(documents: pd.DataFrame, column: str, *, group_col: str = "group_label",
                  outlet_col: str = "outlet", n_boot: int = 1000, seed: int = 0,
                  progress: ProgressCallback | None = None) -> pd.DataFrame:
    """Mean of ``column`` per group (``outlet`` empty, with a bootstrap CI over documents)
    and per outlet of the group (CI only with three documents or more).

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
        values = cell["value"].to_numpy(float)
        rows.append((group, "", len(values), float(values.mean()),
                     *bootstrap_ci(values, n_boot=n_boot, seed=seed)))
        outlets = cell.groupby("outlet")["value"]
        for outlet in outlets.size().sort_values(ascending=False, kind="stable").index:
            v = outlets.get_group(outlet).to_numpy(float)
            ci = bootstrap_ci(v, n_boot=n_boot, seed=seed) if len(v) >= 3 else (None, None)
            rows.append((group, outlet or NO_OUTLET, len(v), float(v.mean()), *ci))
    return pd.DataFrame(rows, columns=list(OUTLET_COLUMNS))
