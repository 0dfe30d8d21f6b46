"""The term map: every term of a comparison, its position, picking, labels and search."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from views_corpus import views_results

from analysis.charts.termmap import draw_term_map, relabel_term_map, term_map_of
from analysis.results import Results
from analysis.termmap import TermMap, find_terms, place_labels


@pytest.fixture(scope="module")
def results():
    return views_results()


def test_every_term_of_the_pair_is_mapped_not_a_top_15(results):
    table = results.table("term_map")
    mapped = table[table["comparison"] == "state|world"]
    top = results.comparison("state", "world")["keyness"]
    assert len(mapped) > len(top["a"]) + len(top["b"])
    row = mapped.set_index("term").loc["sanctions"]
    # "sanctions" occurs once in each of the four world articles and never in state ones.
    assert (row["count_a"], row["count_b"]) == (0, 4)
    assert row["z"] < 0 < mapped.set_index("term").loc["friendly", "z"]


def test_term_map_survives_saving_results(results, tmp_path):
    results.write(tmp_path)
    loaded = Results.load(tmp_path)
    tm = term_map_of(loaded, ("state", "world"))
    assert "friendly" in tm.terms and len(tm) == len(term_map_of(results, ("state", "world")))


def test_positions_are_log_frequencies_and_unused_terms_sit_on_the_floor(results):
    tm = term_map_of(results, ("state", "world"))
    i = tm.index_of("sanctions")
    assert tm.x[i] == pytest.approx(np.log10(tm.floor))
    assert 10 ** tm.y[i] == pytest.approx(tm.table.loc[i, "freq_b"])
    z_map = TermMap(tm.table, "z")
    assert z_map.y[i] == pytest.approx(tm.table.loc[i, "z"])


def test_nearest_point_is_what_the_eye_sees():
    table = pd.DataFrame({"comparison": "a|b", "term": ["left", "right"], "z": [1.0, -1.0],
                          "count_a": [1, 1], "count_b": [1, 1],
                          "freq_a": [10.0, 1000.0], "freq_b": [10.0, 10.0]})
    tm = TermMap(table)
    assert tm.nearest(1.1, 1.0) == 0
    assert tm.nearest(2.9, 1.0) == 1
    # 100 px per data unit: 0.5 units away is 50 px, beyond an 8 px pick radius.
    assert tm.nearest(1.5, 1.0, scale=(100, 100), max_distance=8) is None


def test_labels_never_overlap():
    px = np.array([0.0, 5.0, 200.0])
    py = np.array([0.0, 2.0, 0.0])
    kept = place_labels(px, py, np.array([50.0, 50.0, 50.0]), 10.0, [0, 1, 2], limit=10,
                        bounds=(0, -50, 1000, 50))
    assert kept == [(0, 1), (2, 1)]
    # Without the left edge the second label fits left of its point instead.
    assert place_labels(px, py, np.array([50.0] * 3), 10.0, [0, 1, 2])[1] == (1, -1)
    # A label that does not fit right of its point goes to its left.
    assert place_labels(np.array([95.0]), np.array([50.0]), np.array([40.0]), 10.0, [0],
                        bounds=(0, 0, 100, 100)) == [(0, -1)]


def test_search_finds_the_exact_term_first():
    assert find_terms(["trade war", "war", "warn", "postwar"], "War") == \
        ["war", "warn", "postwar", "trade war"]
    assert find_terms(["war"], "  ") == []


def _points(ax) -> int:
    return sum(len(line.get_xdata()) for line in ax.lines
               if (line.get_gid() or "").startswith("termmap|"))


def test_chart_draws_every_term_and_labels_the_most_distinctive(results):
    fig = Figure(figsize=(7, 5))
    ax = fig.add_subplot()
    caption = draw_term_map(ax, results, comparison=("state", "world"), highlight="crisis")
    tm = term_map_of(results, ("state", "world"))
    assert f"All {len(tm):,} terms of state" in caption
    assert _points(ax) == len(tm)
    assert len(ax.collections) == 1   # the ring around the searched term
    labels = [t.get_text() for t in ax._sinoru_labels]
    assert labels[0] == "crisis"
    assert {"friendly", "sanctions"} & set(labels)
    ax.set_xlim(ax.get_xlim()[1] - 0.2, ax.get_xlim()[1])
    zoomed = relabel_term_map(ax)
    assert set(zoomed) <= set(tm.table.loc[tm.x >= ax.get_xlim()[0], "term"])


def test_no_term_map_says_why():
    fig = Figure()
    ax = fig.add_subplot()
    caption = draw_term_map(ax, Results({"groups": {}, "comparisons": []}))
    assert "run the analysis again" in caption


def _drawn_label_boxes(fig, ax):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in ax._sinoru_labels]


@pytest.mark.parametrize("size", [(4.0, 3.0), (10.0, 3.2)])
def test_labels_never_overlap_after_the_chart_is_laid_out_or_resized(results, size):
    """Labels are placed for the axes as drawn: a report lays the figure out after
    drawing, and a window resizes it; the labels used to keep the first layout's places."""
    fig = Figure(figsize=(7.5, 5.6), dpi=100)
    ax = fig.add_subplot()
    draw_term_map(ax, results, comparison=("state", "world"))
    fig.set_size_inches(*size)
    fig.tight_layout(pad=0.6)
    boxes = _drawn_label_boxes(fig, ax)
    assert len(boxes) >= 5
    frame = ax.get_window_extent()
    for i, (text, box) in enumerate(boxes):
        assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, f"{text} leaves the axes"
        assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, f"{text} leaves the axes"
        for other, obox in boxes[:i]:
            assert not box.overlaps(obox), f"labels '{text}' and '{other}' overlap"
