"""Any chart split by a second column (outlet, language, year or any manifest column), and
each outlet of a group as its own point on the group charts.

Both work on the per-document figures of the results (the ``documents`` table), so they
need no new analysis run. A split turns every (group × value) cell into a group of its
own, with the blocks of the results schema (docs/results-schema.md) the chart functions
draw, and the group figures' small-group rule (:data:`analysis.group_figures.SMALL_GROUP`):
a cell of fewer documents lists its documents' values (the range of these documents)
instead of a 95% interval. Cells are not tested against each other.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.aggregate import bootstrap_ratio_cis
from analysis.group_figures import SMALL_GROUP, _date_block, unit_entry

__all__ = ["SPLIT_SEP", "NO_VALUE", "YEAR", "split_columns", "split_labels", "split_results",
           "outlet_means", "figure_column"]

#: Between a group and a value in a cell's name: "state · 2022".
SPLIT_SEP = " \u00b7 "
#: A document without a value in the split column.
NO_VALUE = "(no value)"
#: The split by the year of the document's date (not a column of its own).
YEAR = "year"
#: Columns that name or locate a document rather than sort it.
_NOT_SPLITS = {"doc_id", "title", "source", "sha256", "n_chars", "date", "reference",
               "group_label", "n_words"}
_MAX_VALUES = 40   # more values than this is an identifier, not a category


def split_columns(documents: pd.DataFrame, group_col: str = "group") -> list[str]:
    """The columns a chart can be split by: outlet, language, the year (when documents
    are dated) and any other metadata column with 2 to 40 values; the grouping column
    itself is left out."""
    out = []
    for col in documents.columns:
        if col in _NOT_SPLITS or col == group_col or "." in col:
            continue
        values = _text(documents[col])
        n = values[values != ""].nunique()
        if 2 <= n <= _MAX_VALUES:
            out.append(col)
    if "date" in documents.columns and _years(documents).dropna().nunique() >= 2:
        out.append(YEAR)
    return out


def _text(values: pd.Series) -> pd.Series:
    """Values as stripped text, "" where missing (a column of blanks is read as floats)."""
    return values.map(lambda v: "" if v is None or (isinstance(v, float) and v != v)
                      else str(v).strip())


def _years(documents: pd.DataFrame) -> pd.Series:
    return documents["date"].astype(str).str.extract(r"^\s*(\d{4})", expand=False)


def split_values(documents: pd.DataFrame, by: str) -> pd.Series:
    """Each document's value of ``by`` (:data:`NO_VALUE` when it has none)."""
    if by == YEAR:
        values = _years(documents) if "date" in documents.columns else None
    else:
        if by not in documents.columns:
            raise KeyError(f"no column '{by}' in the documents table")
        values = documents[by]
    if values is None:
        return pd.Series(NO_VALUE, index=documents.index)
    values = _text(values)
    return values.where(values != "", NO_VALUE)


def split_labels(documents: pd.DataFrame, by: str, group_col: str = "group_label") -> pd.Series:
    """Each document's cell name, "group · value", indexed like ``documents``."""
    return documents[group_col].astype(str) + SPLIT_SEP + split_values(documents, by)


def figure_column(section: str, key: str) -> str:
    """The documents-table column of a chart row: ("frames", "generic.conflict") ->
    "frames.generic.conflict"; ("sentiment", "mean") -> "sentiment.mean"."""
    return f"{section}.{key}"


def _cells(values: pd.DataFrame, n_boot: int, seed: int) -> dict[str, dict]:
    """``{column: cell}`` of one group: mean, and a 95% CI or its documents' values."""
    n = len(values)
    arr = values.to_numpy(float)
    present = np.isfinite(arr)
    small = n < SMALL_GROUP
    cis = (None if small or not n else
           bootstrap_ratio_cis(np.where(present, arr, 0.0), present.astype(float),
                               n_boot=n_boot, seed=seed))
    out = {}
    for j, col in enumerate(values.columns):
        v = arr[present[:, j], j]
        cell: dict = {"mean": float(v.mean()) if v.size else None, "ci95": None}
        if small:
            cell["documents"] = [float(x) for x in v]
            cell["range"] = [float(v.min()), float(v.max())] if v.size else None
        elif np.isfinite(cis[j]).all():
            cell["ci95"] = [float(cis[j][0]), float(cis[j][1])]
        out[col] = cell
    return out


def _block(name, rows: pd.DataFrame, tables: dict, data: dict, n_boot: int, seed: int) -> dict:
    outlets = sorted(set(_text(rows["outlet"])) - {""}) if "outlet" in rows else []
    figures = [c for c in rows.columns if re.match(r"(frames|markers|readability|targets|"
                                                   r"sentiment)\.", c)]
    cells = _cells(rows[figures].apply(pd.to_numeric, errors="coerce"), n_boot, seed)
    ids = set(rows["doc_id"].astype(str))
    block: dict = {"n_documents": len(rows), "n_outlets": len(outlets), "outlets": outlets,
                   "unit": unit_entry(len(rows), len(outlets), False)}
    if block["unit"]["resampling"]:
        block["unit"]["resampling"] = "documents"   # cells resample documents only
    sentences = tables.get("sentences")
    sentiment = dict(cells.get("sentiment.mean") or {"mean": None, "ci95": None})
    if sentences is not None and not sentences.empty:
        bins = np.linspace(-1.0, 1.0, 21)
        compound = sentences.loc[sentences["doc_id"].astype(str).isin(ids), "compound"]
        counts, _ = np.histogram(compound.to_numpy(float), bins=bins)
        sentiment["distribution"] = {"bins": bins.round(2).tolist(), "counts": counts.tolist()}
    block["sentiment"] = sentiment
    frames: dict = {}
    for col in figures:
        section, key = col.split(".", 1)
        if section == "frames":
            codebook, frame = key.split(".", 1)
            frames.setdefault(codebook, {})[frame] = {
                "share": cells[col]["mean"], **{k: v for k, v in cells[col].items()
                                                if k != "mean"},
                "n_documents_with": int((pd.to_numeric(rows[col], errors="coerce") > 0).sum())}
        elif section in ("markers", "readability"):
            block.setdefault(section, {})[key] = cells[col]
    block["frames"] = frames
    block.setdefault("markers", {})
    block.setdefault("readability", {})
    block["topics"] = {}
    mentions = tables.get("target_mentions")
    targets = {}
    for col in (c for c in figures if c.startswith("targets.")):
        tid = col.split(".", 1)[1]
        mine = (mentions[(mentions["target"] == tid) & mentions["doc_id"].astype(str).isin(ids)]
                if mentions is not None and not mentions.empty else pd.DataFrame())
        labels = mine["label"].value_counts() if len(mine) else pd.Series(dtype=int)
        targets[tid] = {**cells[col], "n_mentions": len(mine),
                        "n_documents": int(mine["doc_id"].nunique()) if len(mine) else 0,
                        "counts": {lab: int(labels.get(lab, 0))
                                   for lab in ("negative", "neutral", "positive")}}
    block["targets"] = targets
    block["dates"] = _date_block([{"date": str(d)} for d in rows.get("date", [])
                                  if isinstance(d, str) and d])
    block["warnings"] = ([f"Group '{name}' has only {len(rows)} document"
                          f"{'s' if len(rows) != 1 else ''}: its figures describe these texts "
                          "and are shown as the range of these documents, not as a 95% "
                          "interval."] if len(rows) < SMALL_GROUP else [])
    return block


def split_results(results, by: str, *, groups=None, n_boot: int = 1000, seed: int = 0):
    """``results`` with every (group × value of ``by``) cell as a group of its own.

    The returned :class:`analysis.results.Results` has the blocks the group charts draw
    (frames, sentiment, targets, stance markers, readability, dates) for each cell named
    "group · value", no comparisons (cells are not tested against each other), no
    topics (they are fitted on whole groups), and a ``split`` entry ``{"by", "groups",
    "members"}`` with each cell's document ids (for the passages behind a cell).
    ``groups`` limits it to those groups of the results.
    """
    from analysis.results import Results

    data = getattr(results, "data", results)
    tables = dict(getattr(results, "tables", None) or {})
    documents = tables.get("documents")
    if documents is None or documents.empty:
        raise ValueError("no per-document figures in these results: run the analysis again")
    documents = documents[documents["group_label"].astype(str).isin(
        list(groups) if groups else list(data.get("groups") or {}))]
    labels = split_labels(documents, by)
    order = list(data.get("groups") or {})
    cells = sorted(labels.unique(), key=lambda c: (
        order.index(c.split(SPLIT_SEP)[0]) if c.split(SPLIT_SEP)[0] in order else len(order),
        c.split(SPLIT_SEP, 1)[1] == NO_VALUE, c))
    blocks, members = {}, {}
    for cell in cells:
        rows = documents[labels == cell]
        blocks[cell] = _block(cell, rows, tables, data, n_boot, seed)
        members[cell] = rows["doc_id"].astype(str).tolist()
    warnings = [w for b in blocks.values() for w in b["warnings"]][:1]
    if len(warnings):
        warnings = [f"{sum(1 for b in blocks.values() if b['warnings'])} of {len(blocks)} "
                    f"cells have fewer than {SMALL_GROUP} documents: each shows the range of "
                    "its documents, not a 95% interval."]
    split = {k: v for k, v in data.items() if k not in ("groups", "comparisons", "topics",
                                                       "topic_model", "evidence", "warnings")}
    split.update(groups=blocks, comparisons=[], topics=[], topic_model={}, warnings=warnings,
                 split={"by": by, "groups": order, "members": members})
    docs = documents.assign(group_label=labels)
    return Results(split, {**tables, "documents": docs})


def outlet_means(results, section: str, keys, groups) -> dict[tuple[str, str], list[tuple]]:
    """Each outlet's mean of each chart row: ``{(key, group): [(outlet, n_documents,
    mean), ...]}``, largest outlets first; documents without an outlet or a value are
    left out. ``section`` and ``key`` name the documents-table column
    (:func:`figure_column`)."""
    documents = (getattr(results, "tables", None) or {}).get("documents")
    out: dict[tuple[str, str], list[tuple]] = {}
    if documents is None or documents.empty or "outlet" not in documents.columns:
        return out
    outlet = _text(documents["outlet"])
    group = documents["group_label"].astype(str)
    for key in keys:
        col = figure_column(section, key)
        if col not in documents.columns:
            continue
        value = pd.to_numeric(documents[col], errors="coerce")
        frame = pd.DataFrame({"g": group, "o": outlet, "v": value})
        frame = frame[(frame["o"] != "") & frame["v"].notna() & frame["g"].isin(list(groups))]
        for (g, o), cell in frame.groupby(["g", "o"], sort=False):
            out.setdefault((key, g), []).append((o, len(cell), float(cell["v"].mean())))
    for points in out.values():
        points.sort(key=lambda p: (-p[1], p[0]))
    return out
