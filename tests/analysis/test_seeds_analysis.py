"""`sinoru analyze` on the five real seed articles: the comparison a careful reader expects.

The seeds are 3 Chinese-group texts (a state think-tank journal, an expert commentary, a
scholar's paper) and 2 Western news reports (SCMP, VOA). Expectations below were checked
by reading the texts: the Chinese texts speak of "Sino-Russian"/"China-Russia" relations
and endogenous drivers; the Western reports attribute ("said") and dwell on sanctions.
"""
from __future__ import annotations

import json

import pytest

from analysis.cli import main


@pytest.fixture(scope="module")
def seed_results(seeds_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    code = main(["analyze", str(seeds_dir), "--manifest", str(seeds_dir / "manifest.csv"),
                 "--group-by", "group", "--out", str(out), "--n-boot", "400",
                 "--n-perm", "400", "--quiet"])
    assert code == 0
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_groups_and_small_sample_warnings(seed_results):
    groups = seed_results["groups"]
    assert {g: b["n_documents"] for g, b in groups.items()} == {"chinese": 3, "western": 2}
    assert groups["western"]["outlets"] == ["South China Morning Post", "Voice of America"]
    assert any("'western' has only 2 documents" in w for w in seed_results["warnings"])


def test_distinctive_terms_match_the_texts(seed_results):
    comp = seed_results["comparisons"][0]
    assert (comp["a"], comp["b"]) == ("chinese", "western")
    chinese = [t["term"] for t in comp["keyness"]["a"][:10]]
    western = [t["term"] for t in comp["keyness"]["b"][:10]]
    assert "sino-russian" in chinese and "china-russia" in chinese
    assert "said" in western and "sanctions" not in western   # one document's word
    assert all(t["docs_b"] >= 2 for t in comp["keyness"]["b"])
    assert all(t["docs_a"] >= 2 for t in comp["keyness"]["a"])
    said = next(t for t in comp["keyness"]["b"] if t["term"] == "said")
    assert said["count_b"] > said["count_a"] and said["docs_b"] == 2


def test_frames_and_markers_match_the_texts(seed_results):
    cn = seed_results["groups"]["chinese"]
    we = seed_results["groups"]["western"]
    cr_cn, cr_we = cn["frames"]["china_russia"], we["frames"]["china_russia"]
    assert cr_cn["endogenous_drivers"]["n_documents_with"] == 3
    assert cr_we["endogenous_drivers"]["share"] == 0
    assert cr_we["sanctions_constraints"]["share"] > 0.1 > cr_cn["sanctions_constraints"]["share"]
    # Western news reports attribute far more ("said", "according to").
    assert we["markers"]["attribution"]["mean"] > 5 * cn["markers"]["attribution"]["mean"]


def test_boilerplate_is_out_of_the_analysed_text(seed_results):
    docs = {d["source"].rsplit("/", 1)[-1][:3]: d for d in seed_results["documents"]}
    removed = " ".join(r["text"] for r in docs["001"]["removed"])
    assert "Adjust font size" in removed
    removed_004 = " ".join(r["text"] for r in docs["004"]["removed"])
    assert "xzhang@saia.ecnu.edu.cn" in removed_004


def test_three_against_two_tests_are_exact_and_say_they_cannot_reach_5_percent(seed_results):
    comp = seed_results["comparisons"][0]
    design = comp["test_design"]
    assert design["method"] == "exact (10 arrangements)"
    assert design["p_min"] == pytest.approx(0.1) and design["can_reach_05"] is False
    assert "cannot show a difference" in design["statement"]
    assert any("cannot show a difference" in w for w in seed_results["warnings"])
    ps = [t["p_perm"] for t in comp["tests"] if t["p_perm"] is not None and t["p_perm"] == t["p_perm"]]
    assert ps and min(ps) >= 0.1 - 1e-12
    # Exact p-values over 10 arrangements are multiples of 1/10 (or of 1/k when some
    # arrangements leave a side without a value): never Monte Carlo noise like 0.401.
    topics = [t["p_perm"] for t in comp["tests"] if t["section"] == "topics"]
    assert all(abs(p * 10 - round(p * 10)) < 1e-9 for p in topics if p == p)
    assert all(t["p_method"] == "exact (10 arrangements)" and t["p_mc_error"] == 0
               for t in comp["tests"])


def test_five_documents_fit_no_topics_and_say_why(seed_results):
    from matplotlib.figure import Figure

    from analysis.charts import chart_instances

    assert seed_results["topics"] == []
    model = seed_results["topic_model"]
    assert model["fitted"] == 0 and model["requested"] == 6
    assert "the corpus has 5 documents" in model["note"]
    assert model["note"] in seed_results["warnings"]
    topics = next(i for i in chart_instances(seed_results) if i.chart_id == "topics")
    caption = topics.draw(Figure().add_subplot(), seed_results)
    assert caption.startswith("Topics were not fitted: the corpus has 5 documents")
