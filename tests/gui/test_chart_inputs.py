"""The cut of the results a Compare chart is drawn from (``chart_inputs``): drawing from it
gives the very picture and caption the whole results give, so a chart whose cut is
unchanged after a re-run can keep its picture; and the cut changes with what the chart
shows (its section, its own significant tests), not with other charts' figures."""
from __future__ import annotations

import copy

import numpy as np
import pytest
from report_sample import make_results

from analysis.charts import chart_instances
from sinoru_desktop.panels.chart_inputs import chart_inputs, inputs_results, same_inputs
from sinoru_desktop.panels.chart_render import render_chart


def picture(inst, results):
    chart = render_chart(inst.function, (results,), inst.kwargs, 750, 340)
    return np.asarray(chart.renderer.buffer_rgba()).tobytes(), chart.caption


@pytest.mark.parametrize("sizes", [None, {"chinese": 12, "western": 10}],
                         ids=["small groups", "large groups"])
def test_each_chart_draws_the_same_from_its_cut(sizes):
    results = make_results(sizes) if sizes else make_results()
    instances = chart_instances(results)
    assert {i.chart_id for i in instances} >= {"frames", "sentiment", "targets", "keyness",
                                               "markers", "salience", "readability", "topics"}
    for inst in instances:
        inputs = chart_inputs(results.data, inst.chart_id, inst.kwargs)
        assert inputs is not None, inst.key
        assert picture(inst, inputs_results(results, inputs)) == picture(inst, results), inst.key


def cuts(data: dict) -> dict:
    return {i.key: chart_inputs(data, i.chart_id, i.kwargs) for i in chart_instances(data)}


def changed(before: dict, after: dict) -> set[str]:
    old, new = cuts(before), cuts(after)
    return {key for key in old if not same_inputs(old[key], new[key])}


def test_a_changed_frame_share_changes_only_its_codebooks_chart():
    data = make_results({"chinese": 12, "western": 10}).data
    edited = copy.deepcopy(data)
    edited["groups"]["western"]["frames"]["generic"]["conflict"]["share"] += 0.1
    edited["codebooks"][1]["version"] = "1.0, edited in the app"
    edited["created"] = "later"
    assert changed(data, edited) == {"frames:generic"}
    assert changed(data, copy.deepcopy(data)) == set()


def _with_q(data: dict, key: str, q: float) -> dict:
    edited = copy.deepcopy(data)
    for test in edited["comparisons"][0]["tests"]:
        if test["section"] == "targets" and test["key"] == key:
            test["q_bh"] = q
    return edited


def test_a_test_row_changes_its_chart_only_when_what_is_marked_changes():
    data = make_results({"chinese": 12, "western": 10}).data
    q = {t["key"]: t["q_bh"] for t in data["comparisons"][0]["tests"] if t["section"] == "targets"}
    assert q["russia"] > 0.05 and q["us"] < 0.05
    # A q-value moving above the threshold marks nothing new: no chart changes.
    assert changed(data, _with_q(data, "russia", 0.9)) == set()
    # Crossing the threshold marks the row: the target chart changes, alone.
    assert changed(data, _with_q(data, "russia", 0.001)) == {"targets"}
    # A marked row's q is in the caption: a new value changes the chart.
    assert changed(data, _with_q(data, "us", 0.01)) == {"targets"}


def test_missing_figures_compare_equal_and_outlet_points_always_redraw():
    assert same_inputs({"a": [float("nan"), 1]}, {"a": [float("nan"), 1]})
    assert not same_inputs({"a": 1, "b": 2}, {"b": 2, "a": 1})  # drawing order
    assert not same_inputs({"a": [1.0]}, {"a": [1.5]})
    assert chart_inputs({}, "frames", {"codebook": "generic", "outlet_points": True}) is None
    assert chart_inputs({}, "a chart this module does not know", {}) is None
