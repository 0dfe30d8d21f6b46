"""Group figures at every sample size: dots for small groups, outlet-aware intervals for
large ones, and a difference and its effect size on the same unit."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure

from analysis.charts import draw_markers, draw_target_sentiment
from analysis.config import AnalysisConfig
from analysis.corpus import Corpus, Document
from analysis.group_figures import SMALL_GROUP
from analysis.pipeline import run_analysis

SAID = "Officials said the talks went well. Analysts said trade grew, according to traders."
PLAIN = "The talks went well. Trade grew in the spring. Energy deals were signed."
FAST = AnalysisConfig(n_boot=400, n_perm=200)


def _ax():
    return Figure(figsize=(7, 4)).add_subplot()


def _errorbars(ax) -> int:
    return sum(isinstance(c, ErrorbarContainer) for c in ax.containers)


def _dots(ax) -> list[np.ndarray]:
    """The document dots of each chart row (by the row's y), whatever the collections."""
    points = [c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)]
    if not points:
        return []
    xy = np.concatenate(points)
    return [xy[xy[:, 1] == y] for y in np.unique(xy[:, 1])]


def _doc(i, group, text, outlet):
    meta = {"group": group}
    if outlet:
        meta["outlet"] = outlet
    return Document(f"{group}{i}", text, meta)


def test_a_two_document_group_draws_dots_not_an_interval():
    docs = [_doc(i, "a", SAID if i % 2 else PLAIN, f"A{i}") for i in range(12)]
    docs += [_doc(0, "b", SAID, "B0"), _doc(1, "b", PLAIN, "B1")]
    res = run_analysis(Corpus(docs), FAST)
    b = res.groups["b"]["markers"]["attribution"]
    a = res.groups["a"]["markers"]["attribution"]
    assert b["ci95"] is None and len(b["documents"]) == 2 and b["range"][0] == 0.0
    assert a["ci95"] is not None and "documents" not in a
    ax = _ax()
    caption = draw_markers(ax, res)
    dots = _dots(ax)
    # b's two documents, one dot each, on every marker row; a gets whiskers instead.
    assert dots and all(len(d) == 2 for d in dots)
    assert _errorbars(ax) >= 1
    assert "range of these documents, not a 95% CI" in caption
    assert "Dots: each document of b" in caption and "for a." in caption
    assert "a 12 documents, 12 outlets; b 2 documents, 2 outlets" in caption
    # b's bars carry no number beside them (it would read as one more dot); a's do.
    labels = [t.get_text() for t in ax.texts]
    assert len(labels) == len([k for k in res.groups["a"]["markers"] if "salience" not in k])


def test_the_sentiment_table_names_the_groups_and_their_spread():
    from analysis.charts import chart_instances
    from analysis.report.content import chart_table

    docs = [_doc(i, "a", SAID if i % 2 else PLAIN, f"A{i}") for i in range(12)]
    docs += [_doc(0, "b", SAID, "B0"), _doc(1, "b", PLAIN, "B1")]
    res = run_analysis(Corpus(docs), FAST)
    inst = next(i for i in chart_instances(res) if i.chart_id == "sentiment")
    rows = chart_table(res, inst).rows
    assert [r[0] for r in rows] == ["a", "b"]
    assert not rows[0][2].startswith("range") and rows[1][2].startswith("range ")


def test_large_groups_show_intervals_only():
    docs = [_doc(i, g, SAID if (i + (g == "b")) % 3 else PLAIN, f"{g}{i % 4}")
            for g in "ab" for i in range(SMALL_GROUP + 2)]
    res = run_analysis(Corpus(docs), FAST)
    ax = _ax()
    caption = draw_markers(ax, res)
    assert not _dots(ax) and _errorbars(ax) >= 2
    assert "outlets, then documents resampled" in caption and "Unit: the document" in caption
    assert res.groups["a"]["unit"]["resampling"] == "outlets, then documents"


def _big_and_small_outlet(equal: bool):
    # Outlet "Big" (20 documents) always attributes; outlet "Small" (2) never does.
    docs = [_doc(i, "a", SAID, "Big") for i in range(20)]
    docs += [_doc(20 + i, "a", PLAIN, "Small") for i in range(2)]
    docs += [_doc(i, "b", SAID if i % 2 else PLAIN, f"B{i % 3}") for i in range(12)]
    return run_analysis(Corpus(docs), AnalysisConfig(n_boot=400, n_perm=200,
                                                     weigh_outlets_equally=equal))


def test_one_big_and_one_small_outlet_show_the_outlet_weighted_interval():
    pooled = _big_and_small_outlet(False).groups["a"]["markers"]["attribution"]
    equal_res = _big_and_small_outlet(True)
    equal = equal_res.groups["a"]["markers"]["attribution"]
    big = pooled["mean"] * 22 / 20          # the Big outlet's own mean (Small has 0)
    # Documents weigh equally: the Big outlet makes 20/22 of the mean.
    assert pooled["mean"] == pytest.approx(big * 20 / 22)
    # Outlets weigh equally: the mean of the two outlet means.
    assert equal["mean"] == pytest.approx(big / 2)
    # Two outlets, resampled first: the interval runs from "only Small" to "only Big".
    assert equal["ci95"][0] == pytest.approx(0.0, abs=1e-9)
    assert equal["ci95"][1] == pytest.approx(big)
    assert pooled["ci95"][1] - pooled["ci95"][0] > 0.5 * big
    assert equal_res.groups["a"]["unit"]["weights"] == "outlets equally"
    assert equal_res.data["config"]["weigh_outlets_equally"] is True
    test = next(t for t in equal_res.comparisons[0]["tests"] if t["key"] == "attribution")
    assert test["mean_a"] == pytest.approx(equal["mean"])
    caption = draw_markers(_ax(), equal_res)
    assert "Outlets weigh equally" in caption


def test_a_document_without_an_outlet_is_not_an_outlet():
    docs = [_doc(i, "a", SAID, "" if i < 3 else "A") for i in range(12)]
    docs += [_doc(i, "b", PLAIN, "B") for i in range(12)]
    res = run_analysis(Corpus(docs), FAST)
    assert res.groups["a"]["n_outlets"] == 1 and res.groups["a"]["outlets"] == ["A"]
    # One real outlet plus three documents of unknown outlet: resampled as four units.
    assert res.groups["a"]["unit"]["resampling"] == "documents"


def test_target_tone_difference_and_effect_size_use_the_same_unit():
    # Group a: one document with many warm mentions of Russia, two with one cold mention
    # each. Pooled over mentions a is warmer than b; over documents it is colder. The
    # difference and d must agree in sign (both pooled over mentions).
    warm = ("Russia is a good friend. Russia is a trusted partner. Russia is a great "
            "neighbour. Russia is a wonderful ally. Russia is a reliable supplier.")
    cold = "Russia is a brutal aggressor and a dangerous threat."
    mild = "Russia was mentioned in passing at the meeting."
    docs = [_doc(0, "a", warm, "A0"), _doc(1, "a", cold, "A1"), _doc(2, "a", cold, "A2")]
    docs += [_doc(i, "b", mild, f"B{i}") for i in range(3)]
    res = run_analysis(Corpus(docs), FAST)
    t = next(t for t in res.comparisons[0]["tests"] if t["key"] == "russia")
    ga = res.groups["a"]["targets"]["russia"]
    assert t["mean_a"] == pytest.approx(ga["mean"])
    assert t["diff"] is not None and t["effect_size"] == t["effect_size"]
    assert np.sign(t["diff"]) == np.sign(t["effect_size"])
    caption = draw_target_sentiment(_ax(), res)
    assert "Unit: the mention" in caption


def test_the_cli_flag_weighs_outlets_equally_and_saves_it(tmp_path):
    import json

    from analysis.cli import main

    folder = tmp_path / "texts"
    folder.mkdir()
    rows = ["file,group,outlet"]
    for i in range(12):
        (folder / f"a{i}.txt").write_text(SAID if i < 10 else PLAIN, encoding="utf-8")
        rows.append(f"a{i}.txt,a,{'Big' if i < 10 else 'Small'}")
        (folder / f"b{i}.txt").write_text(PLAIN, encoding="utf-8")
        rows.append(f"b{i}.txt,b,B{i % 3}")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--manifest", str(folder / "manifest.csv"),
                 "--group-by", "group", "--out", str(out), "--n-boot", "200",
                 "--weigh-outlets-equally", "--quiet"]) == 0
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["config"]["weigh_outlets_equally"] is True
    a = data["groups"]["a"]
    assert a["unit"]["weights"] == "outlets equally" and a["n_outlets"] == 2
    # Big's documents all attribute, Small's never: the figure is half Big's own rate.
    per_doc = [d["markers"]["attribution"] for d in data["documents"]
               if d["group"] == "a" and d["outlet"] == "Big"]
    big_mean = float(np.mean(per_doc))
    assert a["markers"]["attribution"]["mean"] == pytest.approx(big_mean / 2, rel=1e-6)
