"""The generic-frame detector: decisions, explanations and the analyzer contract."""
from __future__ import annotations

import pytest

from analysis.corpus import Corpus, Document
from analysis.models.frame_detector import GenericFrameDetector, load_frame_model
from analysis.models.frame_features import Codebook, codebook_features
from analysis.progress import Cancelled

ECONOMY = ("The new carbon tax will cost businesses billions of dollars, economists said.\n"
           "Companies warned that prices for consumers and investment in jobs would suffer.\n"
           "The budget office estimated the tax would raise revenue of 20 billion dollars a year.")
FAMILY = ("Maria lost her home when the river flooded the village last spring.\n"
          "Her children still have nightmares, she said, holding her youngest daughter.\n"
          "Families in the valley fear the next flood will take their lives.")


@pytest.fixture(scope="module")
def model():
    m = load_frame_model()
    assert m is not None, "resources/models/generic_frames_linear.npz must ship"
    return m


def test_economic_article_scores_higher_on_economic_than_a_family_story(model):
    p = model.predict_proba([ECONOMY, FAMILY])
    economic, human = 1, 2
    assert p[0, economic] > p[1, economic]
    assert p[1, human] > p[0, human]
    assert model.predict([ECONOMY])[0, economic] == 1


def test_explain_shows_terms_sentences_and_codebook_hits(model):
    why = model.explain(ECONOMY)
    eco = why["economic"]
    assert eco["decision"] == 1 and eco["probability"] >= eco["threshold"]
    top_terms = [t for t, w in eco["terms"] if w > 0]
    assert any(t in {"tax", "billion", "dollars", "cost", "economists", "businesses",
                     "carbon tax", "jobs", "prices", "budget", "revenue"} for t in top_terms)
    assert eco["sentences"][0][0] in ECONOMY
    assert any("billion" in hits for _, hits in eco["indicators"])


def test_codebook_features_are_sentence_shares():
    cb = Codebook({"conflict": ["clash*"], "economic": ["tax"], "human_interest": [],
                   "morality": [], "responsibility": []})
    feats = codebook_features(["Police clashed with crowds. A tax rose. Rain fell. Tax, tax."], cb)[0]
    assert feats["cb:conflict"] == pytest.approx(1 / 4)
    assert feats["cb:economic"] == pytest.approx(2 / 4)
    assert feats["cb:morality"] == 0


def test_detector_follows_the_analyzer_contract(model):
    docs = Corpus([Document("a", ECONOMY), Document("b", FAMILY)])
    det = GenericFrameDetector()
    out = det.fit(docs).transform(docs)
    assert list(out.documents.index) == ["a", "b"]
    assert list(out.documents.columns) == [
        "generic_detector.conflict", "generic_detector.economic",
        "generic_detector.human_interest", "generic_detector.morality",
        "generic_detector.responsibility"]
    assert out.documents.loc["a", "generic_detector.economic"] == 1.0
    assert set(out.documents.to_numpy().ravel()) <= {0.0, 1.0}
    assert ((out.probabilities >= 0) & (out.probabilities <= 1)).all().all()
    eco = out.evidence[(out.evidence.doc_id == "a") & (out.evidence.frame == "economic")]
    assert set(eco.kind) == {"term", "sentence"}
    again = det.transform(docs)
    assert again.documents.equals(out.documents)
    assert out.accuracy["macro_f1"] > 0.5 and out.name == model.name
    assert GenericFrameDetector(model).transform(docs).documents.equals(out.documents)
    assert det.get_params() == {"model": "generic_frames_linear.npz", "evidence_terms": 5}
    empty = det.transform(Corpus([]))
    assert empty.documents.empty and empty.documents.index.name == "doc_id"

    def cancel(fraction):
        if fraction > 0:
            raise Cancelled

    with pytest.raises(Cancelled):
        det.transform(docs, progress=cancel)


def test_codebook_features_count_per_sentence_in_one_pass():
    # One pass over the joined sentences must give what sentence-by-sentence matching gives,
    # including matches at a sentence's first and last word and none across sentences.
    import math

    from analysis.models.frame_features import sentence_hits

    text = ("Against all hope the costs rose. Costly!\nThe war. War and tension, "
            "then a war\n\nfamilies fear the cost")
    codebook = Codebook()
    feats = codebook_features([text], codebook)[0]
    hits = sentence_hits(text, codebook)
    n = 5  # sentences
    for frame in ("conflict", "economic", "human_interest"):
        matches = sum(len(found) for _, found in hits[frame])
        assert feats["cb:" + frame] == pytest.approx(len(hits[frame]) / n)
        assert feats["cbn:" + frame] == pytest.approx(math.log1p(matches) / 3)
    assert feats["cb:economic"] == pytest.approx(3 / 5)
