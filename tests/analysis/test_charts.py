"""Chart functions: what they draw for 1, 2 and 3 groups, empty data, picking gids."""
from __future__ import annotations

import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from report_sample import make_results

from analysis import charts
from analysis.charts.fonts import REPLACEMENT, safe_text
from analysis.results import SCHEMA, SCHEMA_VERSION, Results


def new_ax():
    return Figure(figsize=(7.5, 4)).add_subplot()


def by_gid(ax):
    """gid -> artist for every pickable artist on the Axes."""
    found = {}
    for artist in ax.get_children():
        if artist.get_gid() and artist.pickable():
            found[artist.get_gid()] = artist
    return found


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_group_colors_are_okabe_ito_and_stable():
    colors = charts.group_colors(["chinese", "western", "russian"])
    assert colors["chinese"] == "#0072B2" and colors["western"] == "#D55E00"
    assert colors["russian"] == "#009E73"
    assert set(colors.values()) - {"#8C8C8C"} <= set(charts.OKABE_ITO.values())
    assert colors["rest"] == "#8C8C8C"
    many = charts.group_colors([f"g{i}" for i in range(10)])
    assert many["g8"] == many["g0"]  # cycles after eight colours rather than failing


def test_frame_profile_bars_carry_shares_and_gids():
    res = make_results()
    ax = new_ax()
    caption = charts.draw_frame_profile(ax, res, codebook="china_russia")
    bars = by_gid(ax)
    for g in ("chinese", "western"):
        fig = res.groups[g]["frames"]["china_russia"]["strategic_partnership"]
        bar = bars[f"frames|china_russia.strategic_partnership|{g}"]
        assert isinstance(bar, Rectangle)
        assert bar.get_width() == pytest.approx(fig["share"] * 100)
    # The frame no document carries still has its (zero-length) bar; with 3 and 2
    # documents the bars carry no number (the dots are the documents).
    assert bars["frames|china_russia.sanctions|western"].get_width() == 0
    assert texts(ax) == []
    large = new_ax()
    charts.draw_frame_profile(large, make_results({"chinese": 12, "western": 10}),
                              codebook="china_russia")
    assert "0%" in texts(large)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "Strategic partnership and\nmutual trust" in labels  # long labels wrapped
    assert "n = chinese 3 documents, 2 outlets; western 2 documents, 2 outlets." in caption
    assert "Small samples" in caption and "95%" in caption


@pytest.mark.parametrize("groups", [{"solo": 1}, {"chinese": 3, "western": 2},
                                    {"a": 6, "b": 5, "c": 1}])
def test_every_chart_draws_for_one_to_three_groups(groups):
    res = make_results(groups)
    instances = charts.chart_instances(res)
    ids = {i.chart_id for i in instances}
    assert {"frames", "sentiment", "targets", "keyness", "markers", "readability",
            "timeline"} <= ids
    for inst in instances:
        fig = Figure(figsize=inst.size)
        ax = fig.add_subplot()
        caption = inst.draw(ax, res)
        fig.canvas.draw()  # layout and glyphs resolved: no missing-glyph warnings
        assert caption and caption[-1] == "."
        if inst.chart_id != "keyness" or len(groups) > 1:
            assert "n = " in caption
    one_doc = [g for g, n in groups.items() if n == 1]
    for g in one_doc:
        cap = charts.draw_markers(new_ax(), res)
        assert f"{g} 1 document, 1 outlet" in cap and "Small samples" in cap


def test_small_sample_warning_only_for_small_groups():
    cap = charts.draw_readability(new_ax(), make_results({"a": 12, "b": 10}))
    assert "Small samples" not in cap and "n = a 12 documents" in cap


def test_keyness_bars_are_z_scores_with_counts():
    res = make_results()
    comp = res.comparison("chinese", "western")
    for side, group in (("a", "chinese"), ("b", "western")):
        ax = new_ax()
        charts.draw_keyness(ax, res, comparison=("chinese", "western"), side=side, top_n=3)
        bars = by_gid(ax)
        top = comp["keyness"][side][:3]
        assert len(bars) == 3
        for t in top:
            bar = bars[f"term|{t['term']}|{group}"]
            assert bar.get_width() == pytest.approx(abs(t["z"]))
        c_this, c_other = ("count_a", "count_b") if side == "a" else ("count_b", "count_a")
        d_this = "docs_a" if side == "a" else "docs_b"
        n = res.groups[group]["n_documents"]
        label = f"{top[0][c_this]} vs {top[0][c_other]} · {top[0][d_this]}/{n} docs"
        assert any(t.startswith(label) for t in texts(ax))
    with pytest.raises(ValueError):
        charts.draw_keyness(new_ax(), res, side="c")


def test_keyness_terms_in_chinese_and_russian_render():
    res = make_results()
    ax = new_ax()
    charts.draw_keyness(ax, res, comparison=("chinese", "western"), side="a")
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert "全面战略协作伙伴关系" in "".join(labels).replace(" ", "")
    assert "Россия" in labels
    ax.figure.canvas.draw()


def test_target_points_sit_at_the_group_means():
    res = make_results()
    ax = new_ax()
    charts.draw_target_sentiment(ax, res)
    point = by_gid(ax)["targets|russia|western"]
    assert isinstance(point, Line2D)
    assert point.get_xdata()[0] == pytest.approx(res.groups["western"]["targets"]["russia"]["mean"])
    n = res.groups["western"]["targets"]["russia"]["n_mentions"]
    assert f"n={n}" in texts(ax)


def test_marker_salience_topic_timeline_and_sentiment_gids():
    res = make_results()
    ax = new_ax()
    charts.draw_markers(ax, res)
    assert "markers|hedges|chinese" in by_gid(ax)
    assert not any(g.startswith("markers|salience_") for g in by_gid(ax))
    ax = new_ax()
    charts.draw_markers(ax, res, kind="salience")
    assert by_gid(ax)["markers|salience_russia|western"].get_width() == pytest.approx(
        res.groups["western"]["markers"]["salience_russia"]["mean"] * 100)
    ax = new_ax()
    charts.draw_topics(ax, res)
    assert "topics|topic_2|chinese" in by_gid(ax)
    ax = new_ax()
    cap = charts.draw_timeline(ax, res)
    assert "timeline|2018|chinese" in by_gid(ax)
    assert "Documents without a date (not shown): chinese 1, western 1." in cap
    ax = new_ax()
    charts.draw_sentiment_distribution(ax, res)
    assert {"sentiment|distribution|chinese", "sentiment|mean|western"} <= set(by_gid(ax))


def test_timeline_without_dates_says_so():
    ax = new_ax()
    cap = charts.draw_timeline(ax, make_results(dates=False))
    assert cap.startswith("No dates")
    assert not ax.axison and any("No dates" in t for t in texts(ax))


EMPTY = {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "groups": {}, "comparisons": []}


@pytest.mark.parametrize("results", [None, EMPTY, Results(EMPTY)])
def test_empty_results_draw_a_message_not_a_crash(results):
    for spec in charts.CHARTS:
        ax = new_ax()
        kwargs = {"codebook": "generic"} if spec.id == "frames" else {}
        cap = spec.function(ax, results, **kwargs)
        assert cap.startswith("No ")
        assert not ax.axison and ax.texts
    assert [i.chart_id for i in charts.chart_instances(results)] == [
        "sentiment", "targets", "markers", "readability", "timeline"]


def test_group_with_missing_figures_is_skipped_not_drawn_as_zero():
    res = make_results()
    res.data["groups"]["western"]["frames"]["generic"]["conflict"] = {
        "share": None, "ci95": None, "n_documents_with": 0}
    ax = new_ax()
    charts.draw_frame_profile(ax, res, codebook="generic")
    bars = by_gid(ax)
    assert "frames|generic.conflict|chinese" in bars
    assert "frames|generic.conflict|western" not in bars


def test_parse_gid_keeps_pipes_in_terms():
    assert charts.parse_gid("term|a|b term|western") == ("term", "a|b term", "western")
    assert charts.parse_gid("nope") is None


def test_safe_text_replaces_characters_no_font_has():
    assert safe_text("Россия 全面 Ελλάδα") == "Россия 全面 Ελλάδα"
    assert safe_text("bad\x00\U0010fffd") == "bad" + REPLACEMENT


def test_a_character_no_font_has_becomes_a_box_in_charts():
    res = make_results()
    comp = res.comparison("chinese", "western")
    comp["keyness"]["a"][0]["term"] = "rare \U00020000 term"
    ax = new_ax()
    charts.draw_keyness(ax, res, comparison=("chinese", "western"), side="a")
    ax.figure.canvas.draw()  # a missing glyph would warn, and warnings fail tests
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert f"rare {REPLACEMENT} term" in labels
    assert "term|rare \U00020000 term|chinese" in by_gid(ax)  # the gid keeps the real term


def test_residual_frames_are_not_listed_as_unmeasured_rows():
    from analysis.charts.profiles import codebook_frames

    data = {"codebooks": [{"id": "policy", "frames": [
                {"id": "economic", "label": "Economic"},
                {"id": "other", "label": "Other"}]}],   # residual: never measured
            "groups": {"a": {"frames": {"policy": {"economic": {"share": 0.2}}}},
                       "b": {"frames": {"policy": {"economic": {"share": 0.1}}}}}}
    assert codebook_frames(data, "policy") == [("economic", "Economic")]


def test_keyness_labels_show_documents_and_p_doc_and_mark_single_document_terms():
    res = make_results()
    comp = res.comparison("chinese", "western")
    comp["keyness"]["a"][0].update(docs_a=1, p_doc=0.7)
    comp["keyness"]["a"][1].update(docs_a=3, p_doc=0.1)
    ax = new_ax()
    caption = charts.draw_keyness(ax, res, comparison=("chinese", "western"), side="a")
    labels = texts(ax)
    assert any(t.endswith("· 1/3 docs · p_doc 0.70") for t in labels)
    assert any(t.endswith("· 3/3 docs · p_doc 0.10") for t in labels)
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1 and hatched[0].get_gid() == f"term|{comp['keyness']['a'][0]['term']}|chinese"
    assert "hatched bars (1) are one document's words" in caption and "p_doc" in caption


def test_small_document_level_p_values_keep_their_digits():
    from analysis.charts.keyness import p_text

    assert p_text(2 / 924) == "0.0022" and p_text(0.7) == "0.70" and p_text(0.1) == "0.10"
