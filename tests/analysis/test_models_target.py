"""The shipped target-sentiment model: protocol, shapes, determinism, plain-sense cases."""
from __future__ import annotations

import numpy as np
import pytest

from analysis.base import TargetScorer
from analysis.models.linear import LinearModel
from analysis.models.target_sentiment import LinearTargetScorer, load_target_model
from analysis.models.tsc_features import target_features


@pytest.fixture(scope="module")
def scorer():
    model = load_target_model()
    assert model is not None, "resources/models/tsc_linear.npz must ship with the project"
    return model


def _span(sentence: str, mention: str) -> tuple[int, int]:
    start = sentence.index(mention)
    return start, start + len(mention)


def test_scorer_follows_the_target_scorer_protocol(scorer):
    assert isinstance(scorer, TargetScorer)
    assert scorer.name.startswith("tsc-linear")
    acc = scorer.accuracy
    assert set(acc) >= {"macro_f1", "ci95", "data", "n", "method"}
    assert acc["ci95"][0] <= acc["macro_f1"] <= acc["ci95"][1]
    assert acc["n"] > 8000


def test_probabilities_have_three_columns_summing_to_one_and_repeat(scorer):
    sentences = ["Moscow praised Beijing for its support.", "Beijing rejected the report.",
                 "The talks in Beijing ended on Friday."]
    spans = [_span(sentences[0], "Beijing"), _span(sentences[1], "Beijing"),
             _span(sentences[2], "Beijing")]
    p = scorer.predict_proba(sentences, spans)
    assert p.shape == (3, 3)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert (p > 0).all()
    assert np.array_equal(p, scorer.predict_proba(sentences, spans))
    assert scorer.predict_proba([], []).shape == (0, 3)
    with pytest.raises(ValueError, match="2 sentences but 1 spans"):
        scorer.predict_proba(sentences[:2], spans[:1])


@pytest.mark.parametrize("negative, positive", [
    ("The senator failed voters and lied about the deal.",
     "The senator helped voters and kept his promise on the deal."),
    ("Critics called the senator corrupt and dishonest.",
     "Supporters called the senator honest and brave."),
])
def test_clear_cases_go_the_right_way(scorer, negative, positive):
    neg = scorer.predict_proba([negative], [_span(negative, "senator")])[0]
    pos = scorer.predict_proba([positive], [_span(positive, "senator")])[0]
    assert neg[0] > neg[2]
    assert pos[2] > pos[0]


def test_negation_flips_the_lexicon_evidence(scorer):
    failed = "The senator failed to pass the bill."
    not_failed = "The senator did not fail to pass the bill."
    f1 = target_features(failed, _span(failed, "senator"))
    f2 = target_features(not_failed, _span(not_failed, "senator"))
    assert f1["d:neg_clause"] > 0 and f1["d:pos_clause"] == 0
    assert f2["d:pos_clause"] > 0 and f2["d:neg_clause"] == 0 and f2["neg_flip"] == 1
    p1 = scorer.predict_proba([failed], [_span(failed, "senator")])[0]
    p2 = scorer.predict_proba([not_failed], [_span(not_failed, "senator")])[0]
    # The score p_pos - p_neg rises when the failure is negated.
    assert p2[2] - p2[0] > p1[2] - p1[0]


def test_features_mark_the_target_and_its_side(scorer):
    s = "Officials blamed Russia, but China stayed silent."
    feats = target_features(s, _span(s, "Russia"))
    assert feats["l1:blamed"] == 1 and feats["b:blamed <t>"] == 1
    assert "w:russia" not in feats
    assert feats["cue:contrast_after"] == 1
    other = target_features(s, _span(s, "China"))
    assert other["cue:contrast_before"] == 1 and other["r1:stayed"] == 1


def test_model_file_round_trips_without_pickle(tmp_path, scorer):
    path = tmp_path / "m.npz"
    scorer.model.save(path)
    again = LinearTargetScorer(LinearModel.load(path))
    s, span = "Russia praised the deal.", (0, 6)
    assert np.allclose(again.predict_proba([s], [span]), scorer.predict_proba([s], [span]),
                       atol=1e-6)
    assert path.read_bytes() == (scorer.model.save(tmp_path / "n.npz")
                                 or (tmp_path / "n.npz").read_bytes())


def test_missing_model_file_gives_none():
    assert load_target_model("no_such_model.npz") is None


def test_explain_names_the_words_that_moved_the_score(scorer):
    s = "Critics called the senator corrupt and dishonest."
    terms = dict(scorer.explain(s, _span(s, "senator"), top=30))
    assert any("corrupt" in name or "dishonest" in name for name in terms)


def test_measured_accuracy_is_stated_for_panels_and_reports(scorer):
    from analysis.models import measured_accuracy

    figures = measured_accuracy()
    assert figures["target_sentiment"]["accuracy"] == scorer.accuracy
    assert "VADER window" in figures["target_sentiment"]["baselines"]
    assert figures["frames"]["model"] == "generic-frames-linear-v1"


def test_the_shipped_model_goes_to_a_worker_by_name_and_scores_the_same(scorer):
    # A worker gets the scorer with every chunk: the shipped one travels as its file
    # name and each process keeps one copy; another model still travels whole.
    import pickle

    sentences = ["Critics said Russia had failed to stop the violence.",
                 "China praised the agreement as a historic step."]
    spans = [(13, 19), (0, 5)]
    sent = pickle.dumps(scorer)
    assert len(sent) < 1000
    assert pickle.loads(sent) is load_target_model()
    other = LinearTargetScorer(scorer.model)
    copy = pickle.loads(pickle.dumps(other))
    assert copy is not other and copy.name == other.name
    np.testing.assert_array_equal(copy.predict_proba(sentences, spans),
                                  scorer.predict_proba(sentences, spans))
