"""Generic frames: the fused recipe (the encoder's word-piece vectors, the word-piece mean
of an article, choices made inside training articles only, the stored per-piece head), the
shipped detector (the recipe nested CV chose), and what it says about our own texts."""
from __future__ import annotations

import numpy as np
import pytest

import analysis.models.frame_detector as frame_detector
from analysis.corpus import Corpus, Document
from analysis.models.data import FRAME_IDS
from analysis.models.frame_detector import FrameModel, GenericFrameDetector, load_frame_model
from analysis.models.frame_features import Codebook, codebook_features, document_terms
from analysis.models.frame_fusion import (
    choose,
    fit_fused,
    fold_indices,
    heldout_split,
    piece_embeddings,
    piece_vectors,
)
from analysis.models.onnx_target_scorer import TRANSFORMER_DIR
from analysis.resources import resource_path

TRADE = ("Moscow and Beijing signed a trade deal worth billions of dollars on Monday. "
         "Gas prices will fall, exporters expect higher profits, and the central bank "
         "said the investment would lift growth and create jobs in both economies.")
GRIEF = ("The widow wept beside her three children in the ruined kitchen. Neighbours "
         "carried flowers to the family home, and the village mourned the boy who drowned "
         "in the flood, remembering his laughter and his love of football.")
CLASH = ("Opposition leaders attacked the minister in a furious debate, accusing him of "
         "lying. He hit back at his critics, and the two parties traded insults as "
         "protesters clashed with police outside parliament.")


@pytest.fixture(scope="module")
def tokenizer():
    return frame_detector.load_piece_mean()


def test_piece_vectors_come_one_piece_per_call_and_carry_meaning(tokenizer):
    pieces = tokenizer.pieces
    trade, commerce, widow = pieces("trade")[0], pieces("commerce")[0], pieces("widow")[0]
    model = resource_path("models", TRANSFORMER_DIR, "model.int8.onnx")
    together = piece_vectors(model, ids=[widow, trade, commerce])
    alone = piece_vectors(model, ids=[trade])
    assert together.shape == (3, 384)
    assert np.array_equal(together[1], alone[0])  # no vector depends on its neighbours
    unit = together / np.linalg.norm(together, axis=1, keepdims=True)
    assert unit[1] @ unit[2] > unit[1] @ unit[0]  # trade ~ commerce more than ~ widow


def test_article_embedding_is_the_count_weighted_mean_over_the_pieces_of_its_words(tokenizer):
    table = np.random.default_rng(0).normal(size=(tokenizer.n_pieces, 4))
    E = piece_embeddings(["Trade, trade and sanctions.", "..."], table, tokenizer)
    ids = [*tokenizer.pieces("trade"), *tokenizer.pieces("trade"), *tokenizer.pieces("and"),
           *tokenizer.pieces("sanctions")]
    assert len(tokenizer.pieces("sanctions")) >= 1
    assert np.allclose(E[0], table[ids].mean(axis=0))  # word pairs add nothing
    assert not E[1].any()  # no word, no embedding


def _synthetic(tokenizer, n=90, seed=0):
    """Articles whose frames only the word-piece vectors reveal: each article's frame words
    are used once in the whole set (so no term reaches the TF-IDF vocabulary), but the
    vectors of one frame's words share a direction."""
    rng = np.random.default_rng(seed)
    Y = (rng.random((n, 5)) < 0.4).astype(int)
    Y[: n // 4, 2] = 1  # enough positives of every frame in every fold
    Y[: n // 4, 3] = 1
    vocab = _vocab()
    names = {i: w for w, i in vocab.items()}
    single = sorted(i for w, i in vocab.items()
                    if w.isalpha() and w.islower() and len(w) > 4)[:2 * n * 5]
    vectors = rng.normal(scale=0.3, size=(tokenizer.n_pieces, 384))
    direction = rng.normal(size=(5, 384))
    words = iter(single)
    texts = []
    for row in Y:
        own = []
        for k in np.flatnonzero(row):
            for _ in range(2):
                piece = next(words)
                vectors[piece] += direction[k]
                own.append(names[piece])
        texts.append("officials said on monday. " + " ".join(own) + ". the statement read.")
    return texts, Y, vectors


def _vocab() -> dict[str, int]:
    from analysis.models.wordpiece import WordPiece

    return WordPiece(resource_path("models", *frame_detector.TOKENIZER)).vocab


def test_choice_finds_the_embedding_signal_and_the_stored_head_applies_it(tokenizer, monkeypatch):
    monkeypatch.setattr("analysis.models.frame_fusion.EMB_CS", (0.03, 0.3))  # two: quicker
    texts, Y, vectors = _synthetic(tokenizer)
    terms = [document_terms(t) for t in texts]
    cb_rows = codebook_features(texts, Codebook())
    E = piece_embeddings(texts, vectors, tokenizer, terms)
    choice = choose(texts, Y, E, terms, cb_rows, folds=3)
    assert choice["weight"] > 0 and choice["inner_macro_f1"] > 0.8
    model = fit_fused(texts, Y, E, choice, vectors, terms, cb_rows)
    assert model.piece_scores.shape == (tokenizer.n_pieces, 5)
    # The per-piece scores give the same logits as the head on the 384-d embedding.
    from analysis.models.frame_fusion import fit_head

    coef, intercept = fit_head(E, Y, choice["C"])
    w = model.embedding_head["weight"]
    expected = (1 - w) * model.predict_terms_proba(texts) + w / (1 + np.exp(-(E @ coef + intercept)))
    assert np.allclose(model.predict_proba(texts), expected, atol=1e-9)
    assert list(model.thresholds) == choice["thresholds"]


def test_fused_model_survives_save_and_load(tmp_path, tokenizer):
    texts, Y, vectors = _synthetic(tokenizer, 60)
    E = piece_embeddings(texts, vectors, tokenizer)
    choice = {"C": 0.1, "weight": 0.5, "thresholds": [0.3, 0.4, 0.5, 0.6, 0.35]}
    model = fit_fused(texts, Y, E, choice, vectors)
    model.save(tmp_path / "m.npz")
    again = FrameModel.load(tmp_path / "m.npz")
    assert again.embedding_head["weight"] == 0.5
    assert list(again.thresholds) == [0.3, 0.4, 0.5, 0.6, 0.35]
    assert np.allclose(again.predict_proba(texts), model.predict_proba(texts), atol=1e-5)


def test_held_out_split_is_fixed_and_disjoint_and_folds_stratify_rare_frames():
    Y = (np.random.default_rng(1).random((100, 5)) < 0.4).astype(int)
    dev, held = heldout_split(Y)
    assert len(held) == 20 and not set(dev) & set(held) and len(dev) + len(held) == 100
    assert np.array_equal(heldout_split(Y)[1], held)
    for _train, test in fold_indices(Y, 5, 0):
        assert Y[test, FRAME_IDS.index("human_interest")].sum() > 0


def test_shipped_detector_loads_with_the_recipe_cross_validation_chose():
    # Nested CV on the development articles (resources/models/frame_designs.json) found no
    # gain from the embedding head, so the terms + codebook model ships, at threshold 0.5.
    model = load_frame_model()
    assert model.name == "generic-frames-linear-v1"
    assert model.embedding_head is None
    assert list(model.thresholds) == [0.5] * 5
    assert model.accuracy["heldout"]["n"] < model.accuracy["n"]


def _probabilities(texts: list[str]) -> dict[str, dict[str, float]]:
    out = GenericFrameDetector().transform(Corpus([Document(str(i), t)
                                                   for i, t in enumerate(texts)]))
    return {doc: {f: out.probabilities.loc[doc, f"generic_detector.{f}.p"] for f in FRAME_IDS}
            for doc in out.probabilities.index}


def test_an_article_scores_the_same_alone_and_among_others():
    alone = _probabilities([TRADE])["0"]
    among = _probabilities([GRIEF, CLASH, TRADE, GRIEF * 3])["2"]
    assert alone == among  # exactly: nothing depends on the rest of the corpus


def test_shipped_detector_tells_our_own_texts_apart():
    p = _probabilities([TRADE, GRIEF, CLASH])
    trade, grief, clash = p["0"], p["1"], p["2"]
    assert trade["economic"] > max(grief["economic"], clash["economic"])
    assert grief["human_interest"] > max(trade["human_interest"], clash["human_interest"])
    assert clash["conflict"] > max(trade["conflict"], grief["conflict"])
    out = GenericFrameDetector().transform(Corpus([Document("t", TRADE)]))
    assert out.documents.loc["t", "generic_detector.economic"] == 1.0


def test_fused_detector_falls_back_to_terms_without_the_tokenizer(monkeypatch, tokenizer):
    texts, Y, vectors = _synthetic(tokenizer, 60)
    choice = {"C": 0.1, "weight": 0.5, "thresholds": [0.5] * 5}
    model = fit_fused(texts, Y, piece_embeddings(texts, vectors, tokenizer), choice, vectors)

    def missing():
        raise FileNotFoundError("resources/models/tsc_minilm/tokenizer.json is not installed")

    monkeypatch.setattr(frame_detector, "load_piece_mean", missing)
    out = GenericFrameDetector(model).transform(Corpus([Document("a", TRADE),
                                                        Document("b", GRIEF)]))
    assert out.name == (f"{model.name} (terms only: resources/models/tsc_minilm/"
                        "tokenizer.json is not installed)")
    assert np.allclose(out.probabilities.to_numpy(), model.predict_terms_proba([TRADE, GRIEF]))


def test_report_and_model_state_the_held_out_figure_beside_cross_validation():
    from analysis.report.methods import models_table

    model = load_frame_model()
    held = model.accuracy["heldout"]
    assert held["n"] < model.accuracy["n"]
    row = models_table({"models": {"frames": {"name": model.name, **model.accuracy}}}).rows[0]
    assert row[0] == "Frame detector"
    assert f"; held-out articles: macro-F1 {held['macro_f1']:.2f}" in row[2]
    assert row[3].endswith(f"; held-out, n = {held['n']}")
