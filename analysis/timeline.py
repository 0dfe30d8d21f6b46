"""Framing over time: a document figure (frame share, sentence tone, tone toward a
target) per group and week, month or quarter, with bootstrap intervals; user events
(a joint statement, an invasion) and a before/after comparison around one of them.

Works on the per-document figures of the results (the ``documents`` table: ``date``,
``group_label`` and the flattened figures), so it needs no new analysis run. Documents
are the unit: a period's value is the mean over its documents (a target's tone: over the
documents that mention it), with a percentile bootstrap CI over documents
(:func:`analysis.stats.bootstrap_ci`).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.progress import ProgressCallback, iterate
from analysis.stats import bootstrap_ci, cohens_d, permutation_test

__all__ = ["FREQUENCIES", "Event", "parse_events", "label_maps", "measures", "over_time",
           "before_after", "date_precision", "OVER_TIME_COLUMNS", "BEFORE_AFTER_COLUMNS", "EventError"]

#: Period lengths: label -> pandas period frequency.
FREQUENCIES = {"week": "W-SUN", "month": "M", "quarter": "Q",   # weeks: Monday to Sunday
               "year": "Y"}
#: How exact a date must be to fall in a period: a date known to the month ("2022-03")
#: has no week, and one known to the year ("2022") no month or quarter.
_NEEDS = {"week": ("day",), "month": ("day", "month"), "quarter": ("day", "month"),
          "year": ("day", "month", "year")}
_YEAR_ONLY = re.compile(r"\s*\d{4}\s*$")
_MONTH_ONLY = re.compile(r"\s*\d{4}-\d{1,2}\s*$")

OVER_TIME_COLUMNS = ("group", "period", "start", "n_documents", "mean", "ci_low", "ci_high")
BEFORE_AFTER_COLUMNS = ("group", "n_before", "mean_before", "n_after", "mean_after", "diff",
                        "effect_size", "p_perm")


class EventError(ValueError):
    """An event line that cannot be read; the message names the line and the reason."""


@dataclass(frozen=True)
class Event:
    date: _dt.date
    label: str


def parse_events(text: str) -> list[Event]:
    """Events from lines (or ``;``-separated items) ``YYYY-MM-DD label``, sorted by date."""
    events = []
    items = [p.strip() for line in text.splitlines() for p in line.split(";")]
    for number, item in enumerate((i for i in items if i), 1):
        date_text, _, label = item.partition(" ")
        try:
            date = _dt.date.fromisoformat(date_text)
        except ValueError:
            raise EventError(f"event {number} (\u201c{item}\u201d): the date must come first, "
                             "as YYYY-MM-DD, e.g. \u201c2022-02-24 invasion\u201d") from None
        events.append(Event(date, label.strip() or date_text))
    return sorted(events, key=lambda e: e.date)


def label_maps(data: dict) -> tuple[dict[str, str], dict[str, str]]:
    """``(targets, frames)``: the readable label of each target id and each
    ``codebook.frame`` key in results ``data``, as :func:`measures` takes them."""
    targets = {t.get("id"): t.get("label") or t.get("id") for t in data.get("targets") or []}
    frames = {f"{cb['id']}.{f['id']}": f.get("label") or f["id"]
              for cb in data.get("codebooks") or [] for f in cb.get("frames", [])}
    return targets, frames


def measures(documents: pd.DataFrame, targets: dict[str, str] | None = None,
             frame_labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The figures that can be followed over time: ``(column, label)``, tone first."""
    out = []
    if "sentiment.mean" in documents.columns:
        out.append(("sentiment.mean", "Sentence tone (VADER)"))
    for col in documents.columns:
        if col.startswith("targets."):
            key = col.split(".", 1)[1]
            out.append((col, f"Tone toward {(targets or {}).get(key, key)}"))
    for col in documents.columns:
        if col.startswith("frames."):
            key = col.split(".", 1)[1]
            out.append((col, f"Frame: {(frame_labels or {}).get(key, key)}"))
    return out


def date_precision(text) -> str:
    """"year" for "2022", "month" for "2022-03", else "day" (a full date or a timestamp).
    pandas reads "2022" as 1 January 2022: the precision keeps such a date out of January."""
    text = "" if text is None else str(text)
    if _YEAR_ONLY.match(text):
        return "year"
    return "month" if _MONTH_ONLY.match(text) else "day"


def _dated(documents: pd.DataFrame, column: str, group_col: str) -> pd.DataFrame:
    if column not in documents.columns:
        raise KeyError(f"no figure '{column}' in the documents table")
    raw = documents["date"] if "date" in documents.columns else pd.Series(
        "", index=documents.index)
    frame = pd.DataFrame({"group": documents[group_col].astype(str),
                          "date": pd.to_datetime(raw, errors="coerce", format="mixed"),
                          "precision": raw.map(date_precision),
                          "value": pd.to_numeric(documents[column], errors="coerce")})
    return frame.dropna(subset=["date"])


def _span_end(frame: pd.DataFrame) -> pd.Series:
    """The first day after each date's span: the next day, month or year."""
    end = frame["date"] + pd.Timedelta(days=1)
    month = frame["precision"] == "month"
    year = frame["precision"] == "year"
    end[month] = frame.loc[month, "date"] + pd.offsets.MonthBegin(1)
    end[year] = frame.loc[year, "date"] + pd.offsets.YearBegin(1)
    return end


def over_time(documents: pd.DataFrame, column: str, *, freq: str = "month",
              group_col: str = "group_label", n_boot: int = 1000, seed: int = 0,
              progress: ProgressCallback | None = None) -> pd.DataFrame:
    """Mean of ``column`` per group and period, with a 95% bootstrap CI.

    Returns :data:`OVER_TIME_COLUMNS`; ``period`` is ``2022-02`` (month), ``2022Q1``
    (quarter), ``2022`` (year) or the week's Monday ``2022-02-21``; ``start`` is the
    period's first day. Documents without a date, or without a value (a target not
    mentioned), are left out, and so are dates less exact than the period (a year-only
    date has no month): ``table.attrs["left_out"]`` counts those by precision,
    e.g. ``{"year": 2}``.
    """
    if freq not in FREQUENCIES:
        raise ValueError(f"unknown period '{freq}' (use one of {', '.join(FREQUENCIES)})")
    frame = _dated(documents, column, group_col).dropna(subset=["value"])
    vague = ~frame["precision"].isin(_NEEDS[freq])
    left_out = {str(k): int(n) for k, n in frame.loc[vague, "precision"].value_counts()
                .sort_index(ascending=False).items()}
    frame = frame[~vague]
    periods = frame["date"].dt.to_period(FREQUENCIES[freq])
    frame = frame.assign(period=periods, start=periods.dt.start_time)
    rows = []
    cells = list(frame.groupby(["group", "start"], sort=True))
    for (group, start), cell in iterate(cells, progress):
        values = cell["value"].to_numpy(float)
        low, high = bootstrap_ci(values, n_boot=n_boot, seed=seed)
        period = cell["period"].iloc[0]
        label = (str(period) if freq != "week" else start.date().isoformat())
        rows.append((group, label, start, len(values), float(values.mean()), low, high))
    table = pd.DataFrame(rows, columns=list(OVER_TIME_COLUMNS))
    table.attrs["left_out"] = left_out
    return table


def before_after(documents: pd.DataFrame, column: str, event: _dt.date, *,
                 days: int | None = None, group_col: str = "group_label",
                 n_perm: int = 2000, seed: int = 0,
                 progress: ProgressCallback | None = None) -> pd.DataFrame:
    """Each group's mean of ``column`` before ``event`` and from it on.

    ``days`` limits both sides to that many days around the event (None: all dates).
    ``diff`` is after minus before; ``effect_size`` Cohen's d; ``p_perm`` a two-sided
    permutation test over documents (:func:`analysis.stats.permutation_test`). A date
    whose span holds the event (a year-only "2022" around 2022-02-24) is on neither side.
    """
    frame = _dated(documents, column, group_col).dropna(subset=["value"])
    when = pd.Timestamp(event)
    frame = frame[(frame["date"] >= when) | (_span_end(frame) <= when)]
    if days is not None:
        frame = frame[(frame["date"] >= when - pd.Timedelta(days=days))
                      & (frame["date"] < when + pd.Timedelta(days=days))]
    rows = []
    for group, cell in iterate(list(frame.groupby("group", sort=True)), progress):
        before = cell.loc[cell["date"] < when, "value"].to_numpy(float)
        after = cell.loc[cell["date"] >= when, "value"].to_numpy(float)
        mean_b = float(before.mean()) if before.size else np.nan
        mean_a = float(after.mean()) if after.size else np.nan
        rows.append((group, before.size, mean_b, after.size, mean_a, mean_a - mean_b,
                     cohens_d(after, before),
                     permutation_test(after, before, n_perm=n_perm, seed=seed)))
    return pd.DataFrame(rows, columns=list(BEFORE_AFTER_COLUMNS))
