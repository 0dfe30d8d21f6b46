"""The China–Russia domain check: Krippendorff's alpha, the sample of references, merging
the coders' labels, and ``sinoru evaluate --domain``."""
from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from analysis.cli import main
from analysis.models.agreement import krippendorff_alpha_nominal
from analysis.models.data import DataError
from analysis.models.domain_check import (
    build_sample,
    coding_rows,
    default_sample_path,
    merge_codes,
    read_codes,
    read_sample,
    sample_examples,
    write_csv,
)
from analysis.models.metrics import bootstrap_ci

# --- Krippendorff's alpha ------------------------------------------------------------


def test_alpha_matches_a_hand_computed_example():
    # Coder A: a a b b, coder B: a b b b. Coincidences o_aa = 2, o_ab = o_ba = 1,
    # o_bb = 4; n_a = 3, n_b = 5, n = 8. alpha = 1 - (n - 1) * 2 / (2 * 3 * 5) = 1 - 14/30.
    units = [("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")]
    assert krippendorff_alpha_nominal(units) == pytest.approx(1 - 14 / 30)


def test_alpha_matches_krippendorffs_published_example_with_missing_values():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", 4 observers,
    # 12 units, nominal data with missing values: alpha = 0.743.
    none = None
    coders = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, none, none, none],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, none, 3],
        [none, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, none],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, none],
    ]
    units = list(zip(*coders, strict=True))
    assert krippendorff_alpha_nominal(units) == pytest.approx(0.743, abs=0.0005)


def test_alpha_is_one_for_perfect_agreement_and_undefined_without_variation():
    assert krippendorff_alpha_nominal([("pos", "pos"), ("neg", "neg"), ("neu", "neu")]) == 1.0
    assert math.isnan(krippendorff_alpha_nominal([("neu", "neu"), ("neu", "neu")]))
    assert math.isnan(krippendorff_alpha_nominal([("neu", None), ("", "pos")]))


def test_alpha_below_zero_for_systematic_disagreement():
    assert krippendorff_alpha_nominal([("a", "b"), ("b", "a"), ("a", "b")]) < 0


# --- Cluster bootstrap ---------------------------------------------------------------


def test_bootstrap_over_sentences_is_wider_than_over_mentions_when_mentions_repeat():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 3, 60)
    pred = np.where(rng.random(60) < 0.6, y, rng.integers(0, 3, 60))
    # Each "sentence" holds the same mention five times: 300 items, 60 independent ones.
    y5, p5, groups = np.repeat(y, 5), np.repeat(pred, 5), np.repeat(np.arange(60), 5)
    items = bootstrap_ci(y5, p5, 3)
    clusters = bootstrap_ci(y5, p5, 3, groups=groups)
    assert clusters[1] - clusters[0] > 1.8 * (items[1] - items[0])
    # One item per cluster is the plain item bootstrap, draw for draw.
    assert bootstrap_ci(y, pred, 3, groups=np.arange(60)) == bootstrap_ci(y, pred, 3)


# --- The sample -----------------------------------------------------------------------

ARTICLE_1 = ("Moscow praised the talks as a triumph. Critics accused Beijing of stalling. "
             "Russia and China met in June.")
ARTICLE_2 = "Washington warned Kyiv. The partnership grew stronger."


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE_1, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_2, encoding="utf-8")
    return folder


def test_sample_finds_every_mention_and_stores_only_references(seeds, tmp_path):
    rows = build_sample(seeds)
    found = [(r.file, ARTICLE_1[r.start:r.end] if r.file == "a.txt" else ARTICLE_2[r.start:r.end],
              r.target) for r in rows]
    assert found == [("a.txt", "Moscow", "russia"), ("a.txt", "Beijing", "china"),
                     ("a.txt", "Russia", "russia"), ("a.txt", "China", "china"),
                     ("b.txt", "Washington", "us_west"), ("b.txt", "Kyiv", "ukraine"),
                     ("b.txt", "The partnership", "partnership")]
    assert [r.mention_id for r in rows][:3] == ["m0001", "m0002", "m0003"]
    write_csv(rows, tmp_path / "refs.csv")
    stored = (tmp_path / "refs.csv").read_text(encoding="utf-8")
    assert "praised" not in stored and "stalling" not in stored and "Moscow" not in stored
    assert read_sample(tmp_path / "refs.csv") == rows
    sheet = coding_rows(rows, seeds)
    assert sheet[1]["sentence_marked"] == "Critics accused [[Beijing]] of stalling."
    assert sheet[1]["target_label"] == "China" and sheet[1]["label"] == ""


def test_coders_labels_merge_and_disagreements_wait_for_adjudication(seeds, tmp_path):
    rows = build_sample(seeds)[:3]
    a = tmp_path / "coder_a.csv"
    a.write_text("mention_id,label\nm0001,positive\nm0002,NEG\nm0003,neutral\n",
                 encoding="utf-8")
    b = tmp_path / "coder_b.csv"
    b.write_text("mention_id,label\nm0001,positive\nm0002,neutral\nm0003,happy\n",
                 encoding="utf-8")
    codes_a, problems_a = read_codes(a)
    codes_b, problems_b = read_codes(b)
    assert codes_a == {"m0001": "positive", "m0002": "negative", "m0003": "neutral"}
    assert not problems_a
    assert [str(p) for p in problems_b] == [
        f"{b}, line 4: unknown label 'happy' (use negative, neutral or positive)"]
    merged = merge_codes(rows, codes_a, codes_b)
    assert [(r.coder_a, r.coder_b, r.label) for r in merged] == [
        ("positive", "positive", "positive"), ("negative", "neutral", ""),
        ("neutral", "", "")]
    adjudicated = merge_codes(rows, codes_a, codes_b, {"m0002": "negative"})
    assert [r.label for r in adjudicated] == ["positive", "negative", ""]


def test_a_changed_article_is_named(seeds):
    rows = merge_codes(build_sample(seeds), {}, {}, {"m0001": "positive"})
    (seeds / "a.txt").write_text(ARTICLE_1.replace("triumph", "success"), encoding="utf-8")
    with pytest.raises(DataError, match=r"a\.txt: the text differs .* \(mention m0001\)"):
        sample_examples(rows, seeds)


def _coded_sample(seeds, tmp_path):
    rows = build_sample(seeds)
    gold = ["positive", "negative", "neutral", "neutral", "negative", "neutral", "positive"]
    second = ["positive", "negative", "neutral", "negative", "negative", "neutral", "positive"]
    merged = merge_codes(rows, dict(zip([r.mention_id for r in rows], gold, strict=True)),
                         dict(zip([r.mention_id for r in rows], second, strict=True)),
                         {"m0004": "neutral"})
    write_csv(merged, tmp_path / "sample.csv")
    return tmp_path / "sample.csv", gold, second


def test_evaluate_domain_scores_every_model_and_reports_alpha(seeds, tmp_path, capsys):
    sample, gold, second = _coded_sample(seeds, tmp_path)
    code = main(["evaluate", "--domain", str(sample), "--seeds", str(seeds)])
    out = capsys.readouterr().out
    assert code == 0
    assert "TARGET SENTIMENT, CHINA–RUSSIA DOMAIN CHECK" in out
    for model in ("tsc-linear-v1", "VADER window", "VADER sentence"):
        assert model in out
    alpha = krippendorff_alpha_nominal(list(zip(gold, second, strict=True)))
    assert f"Krippendorff's alpha (nominal) {alpha:.3f}" in out
    assert "7 of 7 mentions labelled (negative 2, neutral 3, positive 2)" in out


def test_evaluate_domain_without_the_articles_says_where_they_should_be(seeds, tmp_path,
                                                                       capsys):
    sample, _, _ = _coded_sample(seeds, tmp_path)
    code = main(["evaluate", "--domain", str(sample), "--seeds", str(tmp_path / "gone")])
    assert code == 2
    assert "gone: the articles of the domain sample are not there" in capsys.readouterr().err


def test_the_shipped_sample_refers_to_the_seed_articles_without_their_text(seeds_dir):
    shipped = read_sample(default_sample_path())
    assert len(shipped) >= 300
    # The references are exactly what the target finder gives on the seed articles today.
    fresh = build_sample(seeds_dir)
    key = ("mention_id", "file", "sentence_start", "sentence_end", "target", "start", "end",
           "sentence_sha1")
    assert [tuple(getattr(r, k) for k in key) for r in shipped] == \
        [tuple(getattr(r, k) for k in key) for r in fresh]
    stored = default_sample_path().read_text(encoding="utf-8")
    sentences = {row["sentence"] for row in coding_rows(fresh, seeds_dir)}
    assert not [s for s in sentences if len(s) > 25 and s in stored]
    with open(default_sample_path(), encoding="utf-8") as fh:
        assert set(next(csv.reader(fh))) == set(key) | {"coder_a", "coder_b", "label"}


# --- Where the figure is shown --------------------------------------------------------

STORED = {"data": "China–Russia sample (5 articles)", "n": 400, "n_mentions": 433,
          "n_articles": 5, "label_counts": {"negative": 50, "neutral": 300, "positive": 50},
          "alpha": 0.7123, "n_double_coded": 433, "raw_agreement": 0.85,
          "method": "shipped model applied to the sample",
          "models": {"tsc-linear-v1": {"macro_f1": 0.5512, "ci95": [0.4801, 0.6203],
                                       "accuracy": 0.7, "n": 400,
                                       "per_class_f1": {"negative": 0.5, "neutral": 0.8,
                                                        "positive": 0.35}},
                     "VADER window": {"macro_f1": 0.4012, "ci95": [0.35, 0.45],
                                      "accuracy": 0.5, "n": 400,
                                      "per_class_f1": {"negative": 0.4, "neutral": 0.5,
                                                       "positive": 0.3}}}}


def test_model_card_shows_the_domain_check_beside_the_newsmtsc_figure():
    from analysis.models.cards import domain_line, domain_section

    text = domain_section(STORED, "tsc-linear-v1")
    assert "Krippendorff's alpha 0.712 on 433" in text
    assert "macro-F1\n0.551 (95% CI 0.480–0.620)" in text
    assert "| VADER window | 400 | 0.500 | 0.401 (95% CI 0.350–0.450) |" in text
    assert "Not measured yet" in domain_section(None, "tsc-linear-v1")
    line = domain_line({**STORED["models"]["tsc-linear-v1"], "data": STORED["data"],
                        "alpha": 0.7123})
    assert line == ("China–Russia check: macro-F1 0.551 (95% CI 0.480–0.620) on 400 mentions "
                    "of China–Russia sample (5 articles), coders' Krippendorff's alpha 0.71")


def test_report_model_table_puts_the_domain_check_beside_the_training_figure():
    from analysis.report.methods import models_table

    data = {"models": {"target_sentiment": {
        "name": "tsc-linear-v1", "macro_f1": 0.661, "ci95": [0.651, 0.671],
        "data": "NewsMTSC train", "n": 8739,
        "domain": {**STORED["models"]["tsc-linear-v1"], "data": STORED["data"],
                   "alpha": 0.7123}}}}
    row = models_table(data).rows[0]
    assert row[2] == ("macro-F1 0.66 (95% CI 0.65–0.67); China–Russia check: macro-F1 0.55 "
                      "(95% CI 0.48–0.62)")
    assert row[3] == ("NewsMTSC train, n = 8,739; China–Russia sample (5 articles), n = 400, "
                      "coders' alpha 0.71")


def test_shipped_models_carry_the_stored_domain_figure():
    from analysis.models import measured_accuracy
    from analysis.models.domain_check import load_measurement

    stored = load_measurement()
    if stored is None:
        pytest.skip("the domain check has not been measured yet (sinoru evaluate --domain)")
    linear = measured_accuracy()["target_sentiment"]
    assert linear["accuracy"]["domain"]["macro_f1"] == \
        stored["models"][linear["model"]]["macro_f1"]


def test_paired_difference_is_the_gap_in_macro_f1_with_an_interval_around_it():
    from analysis.models.metrics import macro_f1, paired_difference_ci

    rng = np.random.default_rng(5)
    y = rng.integers(0, 3, 200)
    good = np.where(rng.random(200) < 0.8, y, rng.integers(0, 3, 200))
    poor = np.where(rng.random(200) < 0.4, y, rng.integers(0, 3, 200))
    groups = np.arange(200) // 2
    diff, low, high = paired_difference_ci(y, good, poor, 3, groups)
    assert diff == pytest.approx(macro_f1(y, good, 3) - macro_f1(y, poor, 3))
    assert 0 < low < diff < high
    assert paired_difference_ci(y, good, good, 3, groups) == (0.0, 0.0, 0.0)
