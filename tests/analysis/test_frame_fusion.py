"""Generic frames v2: the transformer's sentence embeddings, the fused detector, the
choices made inside training articles only, and the fallback without the encoder."""
from __future__ import annotations

import numpy as np
import pytest

from analysis.corpus import Corpus, Document
from analysis.models.data import FRAME_IDS
from analysis.models.frame_detector import FrameModel, GenericFrameDetector, load_frame_model
from analysis.models.frame_features import Codebook, codebook_features, document_terms
from analysis.models.frame_fusion import (
    article_embeddings,
    choose,
    fit_fused,
    fold_indices,
    heldout_split,
)
from analysis.models.onnx_target_scorer import load_transformer_model

TRADE = "Moscow and Beijing signed a trade deal worth billions. Prices of gas will fall."
GRIEF = "The widow wept beside her children. The village mourned the boy who drowned."


@pytest.fixture(scope="module")
def encoder():
    return load_transformer_model()


def test_sentence_embeddings_are_unit_vectors_and_do_not_depend_on_neighbours(encoder):
    assert encoder.can_embed
    one = encoder.embed(["Moscow and Beijing signed a trade deal."])
    two = encoder.embed(["The widow wept.", "Moscow and Beijing signed a trade deal."])
    assert one.shape == (1, 384)
    assert np.allclose(np.linalg.norm(two, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(one[0], two[1])
    similar = encoder.embed(["Russia and China agreed a commercial accord."])[0]
    assert one[0] @ similar > two[0] @ similar


def test_article_embedding_is_the_mean_of_its_sentences(encoder):
    E = article_embeddings([TRADE, ""], encoder)
    sentences = encoder.embed(["Moscow and Beijing signed a trade deal worth billions.",
                               "Prices of gas will fall."])
    mean = sentences.mean(axis=0)
    assert np.allclose(E[0], mean / np.linalg.norm(mean), atol=1e-6)
    assert not E[1].any()  # no sentence, no embedding


def _synthetic(n=80, seed=0):
    """Articles whose frames only the embeddings reveal: the words are the same noise."""
    rng = np.random.default_rng(seed)
    Y = (rng.random((n, 5)) < 0.4).astype(int)
    Y[: n // 4, 2] = 1  # enough positives of every frame in every fold
    Y[: n // 4, 3] = 1
    direction = rng.normal(size=(5, 384))
    E = Y @ direction + rng.normal(scale=0.5, size=(n, 384))
    E /= np.linalg.norm(E, axis=1, keepdims=True)
    words = ["policy report today", "officials said on monday", "the statement read"]
    texts = [f"{words[i % 3]}. item {i} noted." for i in range(n)]
    return texts, Y, E


def test_choice_finds_the_embedding_signal_and_the_model_applies_it():
    texts, Y, E = _synthetic()
    terms = [document_terms(t) for t in texts]
    cb_rows = codebook_features(texts, Codebook())
    choice = choose(texts, Y, E, terms, cb_rows, folds=3)
    assert choice["weight"] > 0 and choice["inner_macro_f1"] > 0.8
    model = fit_fused(texts, Y, E, choice, terms, cb_rows)
    p = model.predict_proba(texts, embeddings=E)
    head = model.embedding_head
    z = E @ np.asarray(head["coef"]) + np.asarray(head["intercept"])
    w = head["weight"]
    assert np.allclose(p, (1 - w) * model.predict_terms_proba(texts) + w / (1 + np.exp(-z)))
    assert list(model.thresholds) == choice["thresholds"]


def test_fused_model_survives_save_and_load(tmp_path):
    texts, Y, E = _synthetic(60)
    choice = {"C": 1.0, "weight": 0.5, "thresholds": [0.3, 0.4, 0.5, 0.6, 0.35]}
    model = fit_fused(texts, Y, E, choice)
    model.save(tmp_path / "m.npz")
    again = FrameModel.load(tmp_path / "m.npz")
    assert again.embedding_head["weight"] == 0.5
    assert list(again.thresholds) == [0.3, 0.4, 0.5, 0.6, 0.35]
    assert np.allclose(again.predict_proba(texts, embeddings=E),
                       model.predict_proba(texts, embeddings=E), atol=1e-5)


def test_held_out_split_is_fixed_and_disjoint_and_folds_stratify_rare_frames():
    _, Y, _ = _synthetic(100)
    dev, held = heldout_split(Y)
    assert len(held) == 20 and not set(dev) & set(held) and len(dev) + len(held) == 100
    assert np.array_equal(heldout_split(Y)[1], held)
    for _train, test in fold_indices(Y, 5, 0):
        assert Y[test, FRAME_IDS.index("human_interest")].sum() > 0


def test_shipped_detector_uses_the_encoder_and_falls_back_without_it(monkeypatch):
    model = load_frame_model()
    docs = Corpus([Document("a", TRADE), Document("b", GRIEF)])
    out = GenericFrameDetector(model).transform(docs)
    if model.embedding_head is None:
        pytest.skip("the shipped frame model has no embedding head")
    assert out.name == model.name
    assert np.allclose(out.probabilities.to_numpy(), model.predict_proba([TRADE, GRIEF]))

    def no_encoder(*_args, **_kw):
        raise ImportError("the transformer target model needs onnxruntime")

    monkeypatch.setattr(model, "embed", no_encoder)
    fallback = GenericFrameDetector(model).transform(docs)
    assert fallback.name == (f"{model.name} (terms only: the transformer target model "
                             "needs onnxruntime)")
    assert np.allclose(fallback.probabilities.to_numpy(),
                       model.predict_terms_proba([TRADE, GRIEF]))


def test_report_and_model_state_the_held_out_figure_beside_cross_validation():
    from analysis.report.methods import models_table

    model = load_frame_model()
    if not model.linear.meta.get("heldout"):
        pytest.skip("the shipped frame model has no held-out figure")
    held = model.accuracy["heldout"]
    assert held["n"] < model.accuracy["n"]
    row = models_table({"models": {"frames": {"name": model.name, **model.accuracy}}}).rows[0]
    assert row[0] == "Frame detector"
    assert f"; held-out articles: macro-F1 {held['macro_f1']:.2f}" in row[2]
    assert row[3].endswith(f"; held-out, n = {held['n']}")
