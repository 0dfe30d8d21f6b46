"""The shipped transformer target-sentiment model, as the engine and `sinoru` use it."""
from __future__ import annotations

import json

import numpy as np
import pytest

from analysis import Cancelled
from analysis.base import TargetScorer
from analysis.cli import main
from analysis.config import AnalysisConfig
from analysis.corpus import Corpus, Document
from analysis.models.onnx_target_scorer import load_transformer_model, transformer_card
from analysis.pipeline import run_analysis
from analysis.resources import resource_path

FAST = AnalysisConfig(n_boot=200, n_perm=200, target_model="transformer")
TEXTS = {
    "chinese": ["China and Russia praised their strategic coordination. Beijing welcomed the "
                "visit of the Russian president.",
                "Russia and China signed new energy deals. Moscow thanked Beijing for its "
                "steady support."],
    "western": ["Sanctions hit Russia hard, officials said. Critics accused Beijing of "
                "helping Moscow evade them.",
                "Analysts said Russia depends on China. Washington warned Beijing against "
                "arming Moscow."],
}


def corpus() -> Corpus:
    return Corpus([Document(f"{group[:2]}{i}", text, {"group": group})
                   for group, texts in TEXTS.items() for i, text in enumerate(texts)])


@pytest.fixture(scope="module")
def scorer():
    return load_transformer_model()


def _span(sentence: str, mention: str) -> tuple[int, int]:
    start = sentence.index(mention)
    return start, start + len(mention)


def test_it_follows_the_scorer_protocol_and_states_its_cross_validated_accuracy(scorer):
    assert isinstance(scorer, TargetScorer)
    assert scorer.name == transformer_card()["name"] == "tsc-minilm-v1"
    acc = scorer.accuracy
    assert "cross-validation" in acc["method"]
    assert acc["n"] == 8739 and "5-fold CV" in acc["data"]
    assert acc["ci95"][0] <= acc["macro_f1"] <= acc["ci95"][1]
    # The model is shipped because it beats the linear default clearly.
    from analysis.models.target_sentiment import load_target_model

    assert acc["macro_f1"] >= load_target_model().accuracy["macro_f1"] + 0.05


def test_model_card_quotes_the_figures_of_card_json():
    card = transformer_card()
    acc = card["accuracy"]
    text = resource_path("models", "MODEL_CARD_tsc_minilm.md").read_text(encoding="utf-8")
    low, high = acc["ci95"]
    assert f"{acc['macro_f1']:.3f} (95% CI {low:.3f}–{high:.3f})" in text
    speed = card["targets_per_s_1thread"]
    assert f"About {speed['onnx_int8']} targets per second on one CPU core" in text
    assert f"some {speed['linear'] / speed['onnx_int8']:.0f} times slower" in text


def test_probabilities_sum_to_one_and_repeat(scorer):
    sentences = ["Moscow praised Beijing for its support.", "The talks in Beijing ended."]
    spans = [_span(s, "Beijing") for s in sentences]
    p = scorer.predict_proba(sentences, spans)
    assert p.shape == (2, 3)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.allclose(p, scorer.predict_proba(sentences, spans))
    assert scorer.predict_proba([], []).shape == (0, 3)


def test_a_mention_scores_the_same_whatever_else_is_in_the_corpus(scorer):
    # The int8 model quantises activations per call; batching mentions would let the
    # other sentences (and their padding) move a mention's probabilities.
    sentence = "Moscow praised Beijing for its steady support during the talks."
    span = _span(sentence, "Beijing")
    others = [f"Officials in Washington said the sanctions on Russia, now in their year {k}, "
              "had cut deep into trade, banking and energy exports across the region."
              for k in range(40)]
    alone = scorer.predict_proba([sentence], [span])[0]
    amid = scorer.predict_proba([*others[:20], sentence, *others[20:]],
                                [_span(o, "Russia") for o in others[:20]] + [span]
                                + [_span(o, "Russia") for o in others[20:]])[20]
    assert np.allclose(alone, amid, atol=1e-6)


@pytest.mark.parametrize("sentence, target, label", [
    ("Critics said the senator lied to voters and betrayed the party.", "senator", "negative"),
    ("Supporters praised the senator as honest, brave and hard-working.", "senator", "positive"),
    ("The senator will travel to Ohio on Tuesday.", "senator", "neutral"),
])
def test_plain_cases_get_the_plain_label(scorer, sentence, target, label):
    assert scorer.predict([sentence], [_span(sentence, target)]) == [label]


def test_the_analysis_uses_it_when_chosen_and_records_its_name_and_figures():
    res = run_analysis(corpus(), FAST)
    model = res.data["models"]["target_sentiment"]
    assert model["name"] == "tsc-minilm-v1"
    assert "cross-validation" in model["method"]
    mentions = res.tables["target_mentions"]
    assert len(mentions) > 0
    assert set(mentions["label"]) <= {"negative", "neutral", "positive"}
    assert np.allclose(mentions[["p_negative", "p_neutral", "p_positive"]].sum(axis=1), 1.0)


def test_cancel_during_scoring_stops_the_run():
    seen = []

    def cancel_late(fraction):
        seen.append(fraction)
        if fraction > 0.7:
            raise Cancelled()

    with pytest.raises(Cancelled):
        run_analysis(corpus(), FAST, cancel_late)
    assert seen == sorted(seen)


def test_unknown_target_model_is_named():
    with pytest.raises(ValueError, match="unknown target model 'bert'"):
        run_analysis(corpus(), AnalysisConfig(target_model="bert"))


def test_cli_analyze_with_the_transformer(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for doc in corpus():
        (folder / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,group\n" + "".join(
        f"{d.doc_id}.txt,{d.get('group')}\n" for d in corpus()), encoding="utf-8")
    out = tmp_path / "out"
    code = main(["analyze", str(folder), "--manifest", str(manifest), "--target-model",
                 "transformer", "--n-boot", "100", "--n-perm", "100", "--out", str(out),
                 "--quiet"])
    assert code == 0
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["models"]["target_sentiment"]["name"] == "tsc-minilm-v1"


def test_evaluate_scores_a_users_file_with_both_models_and_vader(tmp_path, capsys):
    path = tmp_path / "coded.jsonl"
    rows = [("Critics said the governor lied and failed the state.", "governor", -1),
            ("Voters cheered the governor, who won praise for her courage.", "governor", 1),
            ("The governor met reporters in the capital on Monday.", "governor", 0)]
    path.write_text("".join(json.dumps({
        "sentence_normalized": s, "targets": [{"from": s.index(t), "to": s.index(t) + len(t),
                                               "polarity": float(p), "mention": t}]}) + "\n"
        for s, t, p in rows), encoding="utf-8")
    assert main(["evaluate", "--tsc", str(path), "--write-doc", "-"]) == 0
    out = capsys.readouterr().out
    for name in ("tsc-linear-v1", "tsc-minilm-v1", "VADER sentence", "VADER window"):
        assert name in out
    line = next(x for x in out.splitlines() if x.startswith("tsc-minilm-v1"))
    assert " 3 " in line and "1.000" in line  # three plain cases, all right


def test_a_repeated_mention_is_scored_once_with_the_same_probabilities(scorer):
    from analysis.models.onnx_target_scorer import TRANSFORMER_DIR, OnnxTargetScorer

    sentence = "Beijing thanked Moscow for its help, the ministry said on Friday."
    other = "Moscow and Beijing disagreed openly about the pipeline price."
    sentences = [sentence, other, sentence, sentence]
    spans = [_span(sentence, "Moscow"), _span(other, "Moscow")] + [_span(sentence, "Moscow")] * 2
    fresh = OnnxTargetScorer(resource_path("models", TRANSFORMER_DIR), threads=1)
    runs = []
    session = fresh._session

    class Counting:
        def run(self, *args, **kwargs):
            runs.append(1)
            return session.run(*args, **kwargs)

    fresh._session = Counting()
    p = fresh.predict_proba(sentences, spans)
    assert len(runs) == 2  # two distinct marked sentences
    again = fresh.predict_proba(sentences[:1], spans[:1])
    assert len(runs) == 2
    assert np.array_equal(p[0], p[2]) and np.array_equal(p[0], again[0])
    # The same figures as a scorer that never saw these sentences before.
    assert np.array_equal(p, scorer.predict_proba(sentences, spans))
