"""Summary sentences: the contrast chosen, its figures, and wording that claims no more than
the numbers."""
from __future__ import annotations

from report_sample import make_results

from analysis.report.findings import findings


def _results(n_a=3, n_b=2, q=0.03):
    res = make_results({"chinese": n_a, "western": n_b})
    g = res.data["groups"]
    small = n_a < 10
    g["chinese"]["frames"]["china_russia"]["strategic_partnership"] = (
        {"share": 0.41, "ci95": None, "documents": [0.33, 0.41, 0.49], "range": [0.33, 0.49],
         "n_documents_with": n_a} if small else
        {"share": 0.41, "ci95": [0.33, 0.49], "n_documents_with": n_a})
    g["western"]["frames"]["china_russia"]["strategic_partnership"] = (
        {"share": 0.12, "ci95": None, "documents": [0.05, 0.2], "range": [0.05, 0.2],
         "n_documents_with": 1} if n_b < 10 else
        {"share": 0.12, "ci95": [0.05, 0.2], "n_documents_with": 1})
    comp = res.data["comparisons"][0]
    for t in comp["tests"]:
        t["q_bh"], t["p_perm"] = (1.0, 0.9) if t["p_perm"] is not None else (None, None)
        t["effect_size"] = 0.1 if t["effect_size"] is not None else None
    target = next(t for t in comp["tests"] if t["key"] == "china_russia.strategic_partnership")
    target.update(mean_a=0.41, mean_b=0.12, diff=0.29, effect_size=1.5, p_perm=0.004, q_bh=q)
    return res


def test_the_clearest_contrast_comes_first_with_its_figures():
    found = findings(_results())
    contrasts = [f for f in found if f.kind == "contrast"]
    assert contrasts[0].key == "china_russia.strategic_partnership"
    assert contrasts[0].text == (
        "Chinese-group texts carry the Strategic partnership and mutual trust frame in 41% of "
        "sentences (range of these documents 33–49%, 3 documents), western-group texts in 12% "
        "(range of these documents 5–20%, 2 documents). The difference is statistically significant after correcting for "
        "multiple tests (permutation test over documents, exact p = 0.004, Benjamini–Hochberg "
        "q = 0.030).")
    assert ("Strategic partnership and mutual trust", "i") in contrasts[0].segments


def test_effect_sizes_are_headlined_only_where_groups_can_estimate_them():
    small = [f for f in findings(_results()) if f.kind == "contrast"]
    assert not any("Cohen's d" in f.text for f in small)
    large = [f for f in findings(_results(12, 11)) if f.kind == "contrast"]
    assert "Cohen's d = +1.50" in large[0].text


def test_summary_says_plainly_when_the_sample_cannot_show_a_difference():
    res = _results()
    res.data["comparisons"][0]["test_design"] = {
        "method": "exact (10 arrangements)", "p_min": 0.1, "can_reach_05": False,
        "statement": "With 3 and 2 documents there are only 10 ways to divide them between "
                     "the two groups, so no test can give a p-value below 0.1: this sample "
                     "cannot show a difference between the groups at the usual 5% level, "
                     "however large it looks."}
    cautions = [f.text for f in findings(res) if f.kind == "caution"]
    assert any("cannot show a difference" in t and "only 10 ways" in t for t in cautions)


def test_significance_is_only_claimed_below_the_threshold():
    found = findings(_results(q=0.2))
    first = [f for f in found if f.kind == "contrast"][0]
    assert "is not statistically significant" in first.text and "q = 0.200" in first.text
    for f in found:
        if "significant" in f.text:
            assert "not statistically significant" in f.text or "q = 0.0" in f.text


def test_small_sample_caution_only_for_small_groups():
    small = findings(_results(3, 2))
    assert any(f.kind == "caution" and "chinese 3 documents and western 2 documents"
               in f.text for f in small)
    large = findings(_results(12, 10))
    assert not any(f.kind == "caution" for f in large)
    assert "chinese 12 documents (2 outlets); western 10 documents (2 outlets)" in large[0].text


def test_keyness_sentences_name_terms_with_counts():
    res = _results()
    comp = res.data["comparisons"][0]
    top = comp["keyness"]["a"][0]
    key = [f for f in findings(res) if f.kind == "keyness"]
    assert len(key) == 2
    top["p_doc"] = 0.1
    key = [f for f in findings(res) if f.kind == "keyness"]
    assert (f"“{top['term']}” ({top['count_a']} vs {top['count_b']} occurrences; in "
            f"{top['docs_a']} of 3 documents, p_doc 0.10)") in key[0].text


def test_at_most_two_sentences_per_kind_of_figure_and_five_per_comparison():
    found = [f for f in findings(_results(q=0.2)) if f.kind == "contrast"]
    assert len(found) == 5
    sections = [f.section for f in found]
    assert all(sections.count(s) <= 2 for s in sections)


def test_one_group_and_no_groups():
    one = findings(make_results({"solo": 1}))
    assert any("Only one group is present" in f.text for f in one)
    empty = findings({"groups": {}})
    assert [f.text for f in empty] == [
        "There are no groups with documents, so there is nothing to report."]


def test_target_tone_names_its_mentions_and_the_documents_that_carry_them():
    res = _results(12, 10)
    g = res.data["groups"]
    g["chinese"]["targets"]["russia"] = {
        "mean": 0.61, "ci95": [0.46, 0.72], "n_mentions": 23, "n_documents": 5,
        "counts": {"negative": 1, "neutral": 5, "positive": 17}}
    g["western"]["targets"]["russia"] = {
        "mean": -0.21, "ci95": [-0.32, -0.1], "n_mentions": 64, "n_documents": 5,
        "counts": {"negative": 30, "neutral": 20, "positive": 14}}
    comp = res.data["comparisons"][0]
    target = next(t for t in comp["tests"] if t["section"] == "targets" and t["key"] == "russia")
    target.update(mean_a=0.6, mean_b=-0.21, diff=0.81, effect_size=5.0, p_perm=0.003,
                  q_bh=0.026)
    first = [f for f in findings(res) if f.kind == "contrast"][0]
    assert first.text.startswith(
        "Chinese-group texts speak of Russia with a mean tone per mention of +0.61 (95% CI "
        "+0.46 to +0.72, 23 mentions in 5 of 12 documents), western-group texts with -0.21 "
        "(95% CI -0.32 to -0.10, 64 mentions in 5 of 10 documents), on a scale of −1 to +1.")


def test_detector_frames_are_stated_as_shares_of_documents_it_marks():
    res = _results(q=0.01)
    # A new list: the sample's codebook list is shared by every sample results object.
    res.data["codebooks"] = [*res.data["codebooks"], {
        "id": "generic_detector", "label": "Detector", "version": "", "unit": "documents",
        "frames": [{"id": "morality", "label": "Morality", "description": ""}]}]
    for g, share in (("chinese", 0.67), ("western", 0.0)):
        res.data["groups"][g]["frames"]["generic_detector"] = {
            "morality": {"share": share, "ci95": None, "documents": [share], "range": [share, share],
                         "n_documents_with": 2}}
    comp = res.data["comparisons"][0]
    comp["tests"] = [{"section": "frames", "key": "generic_detector.morality", "mean_a": 0.67,
                      "mean_b": 0.0, "diff": 0.67, "effect_size": None, "p_perm": 0.4,
                      "q_bh": 0.9, "p_method": "exact (10 arrangements)"}]
    text = next(f.text for f in findings(res) if f.key == "generic_detector.morality")
    assert text.startswith("The trained detector marks the Morality frame in 67% of "
                           "chinese-group texts")
    assert "of sentences" not in text
