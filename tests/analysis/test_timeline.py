"""Framing over time: periods, intervals, events and before/after."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.timeline import EventError, before_after, over_time, parse_events

DOCS = pd.DataFrame({
    "group_label": ["a", "a", "a", "a", "b", "b"],
    "date": ["2022-01-03", "2022-01-20", "2022-02-25", "2022-03-01", "2022-01-05", ""],
    "sentiment.mean": [0.2, 0.4, -0.1, -0.3, 0.5, 0.9],
    "targets.russia": [0.5, None, -0.5, -0.7, 0.1, 0.2],
})


def test_monthly_means_with_intervals_leave_out_undated_documents():
    table = over_time(DOCS, "sentiment.mean", n_boot=200).set_index(["group", "period"])
    assert table.loc[("a", "2022-01"), "mean"] == pytest.approx(0.3)
    assert table.loc[("a", "2022-01"), "n_documents"] == 2
    low, high = table.loc[("a", "2022-01"), ["ci_low", "ci_high"]]
    assert 0.2 <= low <= 0.3 <= high <= 0.4
    assert table.loc[("b", "2022-01"), "n_documents"] == 1   # the undated one is left out
    weeks = over_time(DOCS, "sentiment.mean", freq="week", n_boot=50)
    assert "2022-01-03" in set(weeks["period"])              # the week's Monday
    assert set(over_time(DOCS, "sentiment.mean", freq="quarter", n_boot=50)["period"]) == \
        {"2022Q1"}


def test_target_tone_counts_only_documents_that_mention_it():
    table = over_time(DOCS, "targets.russia", n_boot=50).set_index(["group", "period"])
    assert table.loc[("a", "2022-01"), "n_documents"] == 1


def test_events_parse_and_bad_lines_are_named():
    events = parse_events("2022-02-24 invasion\n2022-02-04 joint statement")
    assert [(e.date, e.label) for e in events] == [(dt.date(2022, 2, 4), "joint statement"),
                                                   (dt.date(2022, 2, 24), "invasion")]
    with pytest.raises(EventError, match="event 2"):
        parse_events("2022-02-04 statement; Feb 24 invasion")


def test_before_after_an_event():
    table = before_after(DOCS, "sentiment.mean", dt.date(2022, 2, 24), n_perm=200)
    row = table.set_index("group").loc["a"]
    assert (row["n_before"], row["n_after"]) == (2, 2)
    assert row["diff"] == pytest.approx(-0.2 - 0.3)
    assert 0 < row["p_perm"] <= 1
    near = before_after(DOCS, "sentiment.mean", dt.date(2022, 2, 24), days=10, n_perm=50)
    assert near.set_index("group").loc["a", "n_before"] == 0


# A document dated only by its year ("2022") or month ("2022-03") has no day: it must not
# be counted as a January (or first-of-the-month) document.
VAGUE = pd.DataFrame({
    "group_label": ["a", "a", "a", "a"],
    "date": ["2022", "2022-01-14", "2022-03", "2021"],
    "sentiment.mean": [0.9, 0.1, -0.4, 0.5],
})


def test_year_only_dates_are_not_put_in_january():
    months = over_time(VAGUE, "sentiment.mean", n_boot=50).set_index("period")
    assert months.loc["2022-01", "n_documents"] == 1          # the dated one only
    assert months.loc["2022-01", "mean"] == pytest.approx(0.1)
    assert "2021-01" not in months.index
    assert months.loc["2022-03", "n_documents"] == 1          # a month-only date keeps its month
    assert months.attrs["left_out"] == {"year": 2}
    weeks = over_time(VAGUE, "sentiment.mean", freq="week", n_boot=50)
    assert weeks["n_documents"].sum() == 1                    # neither year- nor month-only
    assert weeks.attrs["left_out"] == {"year": 2, "month": 1}


def test_year_only_dates_are_shown_as_years():
    years = over_time(VAGUE, "sentiment.mean", freq="year", n_boot=50).set_index("period")
    assert list(years.index) == ["2021", "2022"]
    assert years.loc["2022", "n_documents"] == 3
    assert years.attrs["left_out"] == {}


def test_before_after_leaves_out_dates_that_span_the_event():
    table = before_after(VAGUE, "sentiment.mean", dt.date(2022, 2, 24), n_perm=50)
    row = table.set_index("group").loc["a"]
    # "2022" spans the event (left out); "2021" is before; "2022-03" after.
    assert (row["n_before"], row["n_after"]) == (2, 1)
