"""The whole analysis on a small corpus we wrote: the results.json a user gets."""
from __future__ import annotations

import json

import pytest

from analysis import Cancelled
from analysis.config import AnalysisConfig
from analysis.corpus import Corpus, Document
from analysis.pipeline import run_analysis
from analysis.results import Results

CHINESE = [
    "China and Russia deepen their comprehensive strategic partnership of coordination. "
    "The strategic coordination between the two countries is not aimed at any third party. "
    "Both sides must firmly support a multipolar world.",
    "The comprehensive strategic partnership of coordination shows strong endogenous "
    "dynamics. Mutual trust keeps rising. Energy cooperation brings win-win results.",
    "Strategic coordination and mutual trust guide the relationship. The two sides resolutely "
    "oppose hegemonism and unilateralism. Trade keeps growing.",
]
WESTERN = [
    "Analysts said the no-limits partnership may face limits. Western sanctions weigh on "
    "Russian banks, according to officials. Moscow is reportedly the junior partner.",
    "The no-limits partnership faces friction, analysts said. Secondary sanctions make "
    "Chinese banks wary, according to traders. Russia may depend on Beijing.",
]


def corpus(extra=()) -> Corpus:
    docs = [Document(f"cn{i}", t, {"group": "chinese", "outlet": f"CN outlet {i % 2}",
                                   "date": f"202{i}-05-01"}) for i, t in enumerate(CHINESE)]
    docs += [Document(f"we{i}", t, {"group": "western", "outlet": f"W outlet {i}"})
             for i, t in enumerate(WESTERN)]
    return Corpus([*docs, *extra])


FAST = AnalysisConfig(n_boot=300, n_perm=300)


@pytest.fixture(scope="module")
def results() -> Results:
    return run_analysis(corpus(), FAST)


def test_group_counts_and_required_keys(results):
    groups = results.groups
    assert sorted(groups) == ["chinese", "western"]
    cn = groups["chinese"]
    assert cn["n_documents"] == 3 and cn["n_outlets"] == 2
    assert groups["western"]["n_documents"] == 2 and groups["western"]["n_outlets"] == 2
    # 3 documents: no interval, every document's value instead (docs/methods.md).
    assert cn["sentiment"]["ci95"] is None and len(cn["sentiment"]["documents"]) == 3
    lo, hi = cn["sentiment"]["range"]
    assert lo <= cn["sentiment"]["mean"] <= hi
    assert cn["unit"] == {"weights": "documents", "interval": "documents", "resampling": None,
                          "n_documents": 3, "n_outlets": 2}
    frame = cn["frames"]["china_russia"]["strategic_partnership"]
    assert frame["share"] > 0 and frame["n_documents_with"] == 3
    assert set(cn["markers"]) >= {"hedges", "boosters", "obligation", "quotations", "attribution"}
    assert set(cn["readability"]) >= {"flesch_reading_ease", "flesch_kincaid_grade",
                                      "gunning_fog", "smog"}
    assert cn["targets"]["russia"]["n_mentions"] >= 1


def test_frames_tell_the_groups_apart(results):
    cn = results.groups["chinese"]["frames"]["china_russia"]
    we = results.groups["western"]["frames"]["china_russia"]
    assert cn["endogenous_drivers"]["share"] > 0 == we["endogenous_drivers"]["share"]
    assert we["sanctions_constraints"]["share"] > cn["sanctions_constraints"]["share"] == 0


def test_keyness_sides_hold_each_groups_vocabulary(results):
    comp = results.comparison("chinese", "western")
    a_terms = [t["term"] for t in comp["keyness"]["a"]]
    b_terms = [t["term"] for t in comp["keyness"]["b"]]
    assert "strategic coordination" in a_terms and "mutual trust" in a_terms
    assert "no-limits partnership" in b_terms and "sanctions" in b_terms
    row = next(t for t in comp["keyness"]["b"] if t["term"] == "no-limits partnership")
    assert (row["count_a"], row["count_b"], row["docs_b"]) == (0, 2, 2)
    assert row["z"] < 0


def test_markers_hedges_and_attribution_higher_in_western(results):
    cn, we = results.groups["chinese"]["markers"], results.groups["western"]["markers"]
    assert we["attribution"]["mean"] > cn["attribution"]["mean"]
    assert we["hedges"]["mean"] > cn["hedges"]["mean"]


def test_small_sample_warning_and_tests(results):
    assert any("only 2 documents" in w for w in results.warnings)
    tests = results.comparisons[0]["tests"]
    assert {t["section"] for t in tests} >= {"frames", "sentiment", "markers", "readability"}
    for t in tests:
        if t["p_perm"] is not None and t["p_perm"] == t["p_perm"]:
            assert 0 < t["p_perm"] <= 1 and t["q_bh"] >= t["p_perm"] - 1e-12


def test_evidence_passages_come_from_the_right_side(results):
    passages = results.data["evidence"]["terms"]["chinese|western"]["b"]["no-limits partnership"]
    assert {p["doc_id"] for p in passages} == {"we0", "we1"}
    assert all(p["match"].lower() == "no-limits partnership" for p in passages)


def test_json_round_trip_is_strict_and_reproducible(tmp_path, results):
    results.write(tmp_path)
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert data["schema"] == "sinoru.results" and data["schema_version"] == 1
    assert "NaN" not in (tmp_path / "results.json").read_text(encoding="utf-8")
    assert (tmp_path / "keyness.csv").is_file() and (tmp_path / "documents.csv").is_file()
    again = run_analysis(corpus(), FAST).to_dict()
    first = results.to_dict()
    for d in (first, again):
        d.pop("created")
    assert again == first
    loaded = Results.load(tmp_path)
    assert loaded.groups["chinese"]["n_documents"] == 3


def test_documents_without_group_are_left_out_with_a_warning():
    extra = [Document("x", "Russia and China met again.", {"group": ""})]
    res = run_analysis(corpus(extra), FAST)
    assert sorted(res.groups) == ["chinese", "western"]
    assert any("1 document(s) have no value in 'group'" in w for w in res.warnings)


def test_three_groups_give_pairwise_and_one_vs_rest():
    extra = [Document(f"ru{i}", "TASS reports that Moscow and Beijing expand trade. "
                                "Russia welcomes Chinese investment.", {"group": "russian"})
             for i in range(2)]
    res = run_analysis(corpus(extra), FAST)
    kinds = [(c["a"], c["b"], c["kind"]) for c in res.comparisons]
    assert ("chinese", "russian", "pairwise") in kinds
    assert ("russian", "rest", "one_vs_rest") in kinds
    assert len(kinds) == 3 + 3


def test_cancel_stops_the_run():
    def cancel_late(fraction):
        if fraction > 0.5:
            raise Cancelled()

    with pytest.raises(Cancelled):
        run_analysis(corpus(), FAST, cancel_late)


def test_empty_corpus_reports_nothing_to_compare():
    res = run_analysis(Corpus(), FAST)
    assert res.groups == {} and res.comparisons == []
    assert any("no documents" in w for w in res.warnings)


def test_results_schema_doc_names_every_key_and_column_written(results, tmp_path):
    from pathlib import Path

    import pandas as pd

    doc = (Path(__file__).resolve().parents[2] / "docs" / "results-schema.md").read_text(
        encoding="utf-8")
    data = results.to_dict()
    group = next(iter(data["groups"].values()))
    comp = data["comparisons"][0]
    keys = {*data, *data["config"], *data["config"]["keyness"], *group,
            *group["sentiment"], *group["dates"], *comp, *comp["keyness"],
            *comp["keyness"]["a"][0], *comp["tests"][0], *data["documents"][0],
            *next(iter(group["targets"].values())), *data["evidence"]}
    missing = sorted(k for k in keys if f"`{k}" not in doc and f"{k}`" not in doc
                     and f", {k}" not in doc and f"{k}," not in doc)
    assert missing == []
    results.write(tmp_path)
    columns = {c for f in tmp_path.glob("*.csv") for c in pd.read_csv(f, nrows=0).columns
               if "." not in c}  # documents.csv's flattened figures are named by pattern
    assert sorted(c for c in columns if c not in doc) == []
    assert sorted(f.name for f in tmp_path.glob("*.csv") if f"`{f.name}`" not in doc) == []


def test_target_tone_test_compares_the_figures_the_groups_show(results):
    tests = {(t["section"], t["key"]): t for t in results.comparisons[0]["tests"]}
    row = tests[("targets", "russia")]
    assert row["mean_a"] == pytest.approx(results.groups["chinese"]["targets"]["russia"]["mean"])
    assert row["mean_b"] == pytest.approx(results.groups["western"]["targets"]["russia"]["mean"])


def test_a_figure_from_one_document_has_no_interval():
    extra = [Document("solo", "NATO held a summit. NATO leaders disagreed sharply.",
                      {"group": "western", "outlet": "W outlet 9"})]
    res = run_analysis(corpus(extra), FAST)
    nato = res.groups["western"]["targets"]["nato"]
    assert nato["n_documents"] == 1 and nato["n_mentions"] == 2
    assert nato["ci95"] is None and len(nato["documents"]) == 1
    # The group has 3 documents: each one's sentiment is listed instead of an interval.
    assert len(res.groups["western"]["sentiment"]["documents"]) == 3


def test_the_trained_frame_detector_is_labelled_as_a_share_of_documents(results):
    from matplotlib.figure import Figure

    from analysis.charts import draw_frame_profile

    detector = next((cb for cb in results.data["codebooks"] if cb["id"] == "generic_detector"),
                    None)
    if detector is None:
        pytest.skip("the trained frame detector is not shipped in resources/models")
    assert detector["unit"] == "documents"
    assert [f["label"] for f in detector["frames"]][0] == "Conflict"
    ax = Figure().add_subplot()
    caption = draw_frame_profile(ax, results, codebook="generic_detector")
    assert ax.get_xlabel() == "Share of documents marked with the frame (%)"
    assert "share of documents it marks" in caption
    ax = Figure().add_subplot()
    draw_frame_profile(ax, results, codebook="generic")
    assert ax.get_xlabel().startswith("Share of sentences")


def test_large_groups_use_monte_carlo_with_a_stated_small_error():
    # 12 against 12 documents: 2.7 million arrangements, so the tests sample them.
    docs = [Document(f"a{i}", CHINESE[i % 3], {"group": "chinese", "outlet": f"CN {i % 4}"})
            for i in range(12)]
    docs += [Document(f"b{i}", WESTERN[i % 2], {"group": "western", "outlet": f"W {i % 3}"})
             for i in range(12)]
    res = run_analysis(Corpus(docs), AnalysisConfig(n_boot=200, n_perm=200))
    comp = res.data["comparisons"][0]
    assert comp["test_design"]["method"] == "Monte Carlo (10,001 random arrangements)"
    assert comp["test_design"]["can_reach_05"] and comp["test_design"]["statement"] == ""
    errors = [t["p_mc_error"] for t in comp["tests"] if t["p_perm"] == t["p_perm"]]
    assert errors and max(errors) < 0.005
    attribution = next(t for t in comp["tests"] if t["key"] == "attribution")
    assert attribution["p_perm"] < 0.001


def test_ids_and_names_that_look_like_numbers_read_back_as_written(tmp_path):
    # A news export numbers its files: "000123" must stay "000123", not become 123, or
    # no passage read back from the CSVs would belong to its document.
    ids = ["000123", "0042", "1e5", "7"]
    docs = [Document(doc_id, text, {"group": group, "outlet": "2024"})
            for doc_id, text, group in zip(ids, CHINESE[:2] + WESTERN, ["chinese"] * 2
                                           + ["western"] * 2, strict=True)]
    run_analysis(Corpus(docs), FAST).write(tmp_path)
    loaded = Results.load(tmp_path)
    for name in ("documents", "sentences", "frame_matches"):
        assert set(loaded.tables[name]["doc_id"]) <= set(ids), name
    assert loaded.tables["documents"]["doc_id"].tolist() == ids
    assert set(loaded.tables["documents"]["outlet"]) == {"2024"}
    assert "000123" in set(loaded.tables["sentences"]["doc_id"])


def test_a_rerun_on_a_corpus_with_changed_metadata_shows_the_new_metadata():
    # A warm process remembers what it read of a corpus (texts hashed, the documents
    # table's metadata) per corpus object: a corpus whose outlet or language was edited
    # is another object, and its results show the edit.
    from analysis.doc_cache import DocumentCache

    cache = DocumentCache()
    first = corpus()
    before = run_analysis(first, FAST, cache=cache)
    edited = first.replace_documents([first["we0"].with_meta(outlet="Edited outlet",
                                                             language="zh")])
    after = run_analysis(edited, FAST, cache=cache)
    rows = after.tables["documents"].set_index("doc_id")
    assert rows.loc["we0", "outlet"] == "Edited outlet"
    assert "not available" in rows.loc["we0", "not_available"]
    assert before.tables["documents"].set_index("doc_id").loc["we0", "not_available"] == ""
    assert "Edited outlet" in after.groups["western"]["outlets"]
    again = run_analysis(first, FAST, cache=cache)        # the first corpus, once more
    assert again.tables["documents"].equals(before.tables["documents"])
    assert again.data["groups"] == before.data["groups"]
