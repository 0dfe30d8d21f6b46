"""Comparison charts mark the differences that hold after Benjamini–Hochberg correction."""
from __future__ import annotations

from matplotlib.figure import Figure
from report_sample import make_results

from analysis.charts import chart_instances
from analysis.charts.significance import MARK, fmt_effect, significant_tests


def _results(q_for: dict[str, float], groups=None):
    res = make_results(groups)
    for comp in res.data["comparisons"]:
        for test in comp["tests"]:
            if test["q_bh"] is not None:
                test["q_bh"] = q_for.get(test["key"], 0.5)
    return res


def _draw(res, key):
    inst = next(i for i in chart_instances(res) if i.key == key)
    fig = Figure(figsize=inst.size, layout="constrained")
    ax = fig.add_subplot()
    caption = inst.draw(ax, res)
    fig.canvas.draw()
    marks = {t.get_gid().split("|", 1)[1]: t for t in ax.texts
             if str(t.get_gid()).startswith("significance|")}
    return ax, caption, marks


def _with_documents(res, n: int):
    for block in res.data["groups"].values():
        block["n_documents"] = n
    return res


def test_a_holding_difference_is_marked_on_its_row_with_its_effect_size():
    res = _with_documents(_results({"china_russia.multipolarity": 0.01}), 12)
    test = next(t for t in res.data["comparisons"][0]["tests"]
                if t["key"] == "china_russia.multipolarity")
    ax, caption, marks = _draw(res, "frames:china_russia")
    assert list(marks) == ["china_russia.multipolarity"]
    mark = marks["china_russia.multipolarity"]
    assert mark.get_text() == f"{MARK} {fmt_effect(test['effect_size'])}"
    bars = [p for p in ax.patches
            if str(p.get_gid()).startswith("frames|china_russia.multipolarity|")]
    rows_y = sorted(p.get_y() + p.get_height() / 2 for p in bars)
    assert rows_y[0] <= mark.get_position()[1] <= rows_y[-1]
    assert "Multipolarity and anti-hegemony: chinese vs western" in caption
    assert "q = 0.010" in caption and "Benjamini–Hochberg" in caption


def test_targets_and_sentiment_are_marked_too():
    res = _results({"russia": 0.02, "mean": 0.001})
    _ax, caption, marks = _draw(res, "targets")
    assert list(marks) == ["russia"] and "tone toward Russia" in caption
    _ax, caption, marks = _draw(res, "sentiment")
    assert list(marks) == ["mean"] and "mean sentence tone" in caption


def test_nothing_holds_nothing_is_marked_and_the_caption_says_so():
    _ax, caption, marks = _draw(_results({}), "frames:china_russia")
    assert not marks
    assert "No difference between the groups in this chart holds" in caption


def test_only_comparisons_between_the_groups_shown_count():
    res = _results({"russia": 0.01}, groups={"chinese": 3, "western": 3, "russian": 3})
    assert set(significant_tests(res, "targets")["russia"][0]) >= {"a", "b", "q_bh"}
    shown = significant_tests(res, "targets", groups=["chinese", "western"])
    assert [(t["a"], t["b"]) for t in shown["russia"]] == [("chinese", "western")]


def test_effect_size_labels():
    assert fmt_effect(0.8234) == "d = +0.82"
    assert fmt_effect(float("nan")) == "d n/a" and fmt_effect(None) == "d n/a"
    assert fmt_effect(3.2e16) == "d > +10" and fmt_effect(-12) == "d < \u221210"


def test_small_groups_get_the_mark_but_no_effect_size():
    # Under 10 documents a group's d is not headlined (issue 14): the mark stays, d does not.
    res = _with_documents(_results({"china_russia.multipolarity": 0.01}), 6)
    _ax, caption, marks = _draw(res, "frames:china_russia")
    assert marks["china_russia.multipolarity"].get_text() == MARK
    assert "d not given (a group has fewer than 10 documents)" in caption
    assert "d = " not in caption
