"""The target-sentiment matrix built for a whole chunk of mentions with numpy
(``analysis.models.tsc_matrix``) equals, column for column and bit for bit, the matrix
of per-mention named features it replaced (``benchmarks.target_sentiment_reference``),
and so do the probabilities, labels and tables the analyzer gives."""
from __future__ import annotations

import random
import re

import numpy as np
import pandas as pd
import pytest

from analysis.corpus import Corpus, Document
from analysis.models.linear import softmax, vectorize
from analysis.models.target_sentiment import load_target_model
from analysis.models.tsc_matrix import TargetMatrix
from analysis.targets import MENTION_COLUMNS, TargetSentimentAnalyzer, find_mentions, load_targets
from analysis.text import segment
from benchmarks.target_sentiment_reference import (
    reference_find_mentions,
    reference_mentions,
    reference_predict_proba,
    reference_target_features,
    reference_transform,
)

# Our own words: targets, sentiment words, negations, boosters, contrast and speech
# words, quotes, clause breaks, pronouns, curly apostrophes and other scripts.
_WORDS = ("Russia China Moscow Beijing NATO the Kremlin Xi Putin’s U.S. EU a an the the of "
          "talks good bad great terrible failed praised blamed peace crisis threat support "
          "not never didn’t don't can't no nor very extremely hardly barely but while although "
          "however yet despite unlike instead said says told according warned ; : — – ( ) \" “ "
          "” -- , he she it they their we i my well-known Sino-Russian co-operation 2024 "
          "ties sanctions war love hate hope fear win lose kill help danger").split()
_FOREIGN = ("Россия и Китай подписали соглашение.", "中国和俄罗斯签署了协议。", "Это «война»!",
            "经济合作", "Москва не поддержала Пекин, но Россия…")


def _sentence(rng: random.Random) -> str:
    if rng.random() < 0.06:
        return rng.choice(_FOREIGN)
    words = rng.choices(_WORDS, k=rng.randint(1, 45))
    return " ".join(words) + rng.choice([".", "", "!", '?"', "…", "\n"])


HOSTILE = ["", " ", "Russia", "Russia.", "...", "!?;:—()“”\"--,", "— — —", "中国和俄罗斯签署了协议。",
           "Россия осудила санкции, а Китай их не поддержал.", "Russia" * 50,
           " ".join(["Russia did not fail but China never helped"] * 400),
           " ".join(["very", "good"] * 3000) + " Russia " + " ".join(["bad"] * 3000),
           # sentiment words 99 and more words away from the target do not count as near
           "Russia " + "x " * 98 + "good", "Russia " + "x " * 97 + "good bad",
           "Russia " + "x " * 150 + "good",
           "“Russia’s ‘great’ plan,” he said, “is not bad” — NATO (hardly) agreed; yet China "
           "warned: no peace without the Kremlin."]
SYNTHETIC = [_sentence(random.Random(seed)) for seed in range(700)]


def _spans(sentence: str, rng: random.Random):
    """Every target mention the analyzer would find, plus edge spans: whole words at both
    ends, empty, between tokens, cutting into words, out of range."""
    out = [(m.start, m.end) for m in find_mentions(sentence, load_targets())]
    n = len(sentence)
    first, last = re.match(r"\S+", sentence), re.search(r"\S+\W*$", sentence)
    out += [first.span()] if first else []
    out += [last.span()] if last else []
    for _ in range(3):
        a = rng.randrange(n + 1)
        out.append((a, min(n, a + rng.randint(0, 15))))
    out += [(0, 0), (n, n), (n + 3, n + 9), (max(0, n - 2), n + 4)]
    if " " in sentence:
        gap = sentence.index(" ")
        out.append((gap, gap + 1))
    return out


def _mentions(sentences, seed=0):
    rng = random.Random(seed)
    pairs = [(s, span) for s in sentences for span in _spans(s, rng)]
    return [s for s, _ in pairs], [span for _, span in pairs]


@pytest.fixture(scope="module")
def model():
    scorer = load_target_model()
    assert scorer is not None, "resources/models/tsc_linear.npz must ship"
    return scorer.model


def _assert_same_matrix(model, sentences, spans, others=None, chunk=2048):
    matrix = TargetMatrix(model.index, len(model.vocab))
    for i in range(0, len(sentences), chunk):
        part = slice(i, i + chunk)
        got = matrix.matrix(sentences[part], spans[part], others[part] if others else None)
        rows = [reference_target_features(s, sp, o) for s, sp, o in
                zip(sentences[part], spans[part], others[part] if others else [()] * chunk,
                    strict=False)]
        expected = vectorize(rows, model.index, len(model.vocab))
        # Same columns, values and order in every row: X @ coef adds them in that order.
        for name in ("indptr", "indices", "data"):
            assert np.array_equal(getattr(got, name), getattr(expected, name)), name
        assert np.array_equal(model.logits(got), model.logits(expected))


def test_synthetic_and_hostile_sentences_give_the_reference_matrix(model):
    sentences, spans = _mentions(SYNTHETIC + HOSTILE)
    assert len(sentences) > 7000
    _assert_same_matrix(model, sentences, spans)
    _assert_same_matrix(model, sentences[:300], spans[:300], chunk=7)


def test_tokens_written_in_other_cases_give_the_reference_matrix(model):
    """The token table is looked up by each token as written; the same word in other
    cases (capitals, title case, a dotted capital I whose lower case is longer, a final
    sigma) in one chunk and across chunks gives the reference rows."""
    rng = random.Random(8)
    cases = (str.upper, str.lower, str.title, lambda w: w, lambda w: w.replace("i", "İ"),
             lambda w: w.replace("s", "Σ"))
    sentences = [" ".join(rng.choice(cases)(w) for w in s.split(" "))
                 for s in SYNTHETIC[:300]]
    sentences, spans = _mentions(sentences, seed=3)
    _assert_same_matrix(model, sentences, spans, chunk=97)


@pytest.mark.parametrize("keep_pairs", [0, 1, 50])
def test_a_vocabulary_with_few_or_no_word_pairs_gives_the_reference_matrix(model, keep_pairs):
    """The word pairs are looked up in a hash table of the model's pairs: with none of
    them, one, or a few, the rows still equal the reference."""
    sentences, spans = _mentions(SYNTHETIC[:200] + HOSTILE)
    # Kept: pairs of two words these sentences hold (a pair with the target is read from
    # the token table, not looked up).
    rows = [reference_target_features(s, sp) for s, sp in zip(sentences, spans, strict=True)]
    held = {name for row in rows for name in row
            if name.startswith("b:") and "<t>" not in name}
    kept = [name for name in model.vocab if name in held][:keep_pairs]
    vocab = [name for name in model.vocab if not name.startswith("b:") or name in kept]
    smaller = type("Vocabulary", (), {"index": {name: j for j, name in enumerate(vocab)},
                                      "vocab": vocab})()
    matrix = TargetMatrix(smaller.index, len(vocab))
    for i in range(0, len(sentences), 512):
        got = matrix.matrix(sentences[i:i + 512], spans[i:i + 512])
        expected = vectorize([reference_target_features(s, sp) for s, sp in
                              zip(sentences[i:i + 512], spans[i:i + 512], strict=True)],
                             smaller.index, len(vocab))
        for name in ("indptr", "indices", "data"):
            assert np.array_equal(getattr(got, name), getattr(expected, name)), name


def test_the_synthetic_sentences_reach_every_feature_group(model):
    sentences, spans = _mentions(SYNTHETIC)
    X = TargetMatrix(model.index, len(model.vocab)).matrix(sentences, spans)
    names = {model.vocab[j].split(":")[0] for j in np.unique(X.indices)}
    assert {"bias", "w", "b", "neg_flip", "lx", "lw", "d", "near", "l", "l1", "l2", "r", "r1",
            "r2", "c", "cue"} <= names


def test_seed_mentions_give_the_reference_probabilities(model, seeds_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    assert len(texts) == 5
    _, sentences, spans = reference_mentions(texts, load_targets())
    assert len(sentences) > 300
    _assert_same_matrix(model, sentences, spans)
    more, more_spans = _mentions([s.text for t in texts for s in segment(t).sentences], seed=4)
    _assert_same_matrix(model, more, more_spans)


def test_newsmtsc_mentions_give_the_reference_probabilities(model, validation_dir):
    from analysis.evaluate import TSC_FILE
    from analysis.models.data import read_tsc_jsonl

    ex = read_tsc_jsonl(validation_dir / TSC_FILE)
    assert len(ex.sentences) > 1000
    _assert_same_matrix(model, ex.sentences, ex.spans)
    # With their further mentions (masked too), as in training and evaluation.
    assert any(ex.others)
    _assert_same_matrix(model, ex.sentences, ex.spans, ex.others)
    scorer = load_target_model()
    assert np.array_equal(scorer.predict_proba(ex.sentences, ex.spans, ex.others),
                          reference_predict_proba(model, ex.sentences, ex.spans, ex.others))


def test_forgetting_the_lookup_tables_changes_nothing(model, monkeypatch):
    import analysis.models.tsc_matrix as tm

    sentences, spans = _mentions([f"{s} unheard{i} word{i}" for i, s in enumerate(SYNTHETIC[:200])])
    expected = TargetMatrix(model.index, len(model.vocab)).matrix(sentences, spans)
    matrix = TargetMatrix(model.index, len(model.vocab))
    monkeypatch.setattr(tm, "_MAX_TOKENS", len(matrix._strings) + 40)
    forgotten = []
    forget = matrix._forget
    monkeypatch.setattr(matrix, "_forget", lambda: (forgotten.append(1), forget()))
    parts = [matrix.matrix(sentences[i:i + 50], spans[i:i + 50])
             for i in range(0, len(sentences), 50)]
    assert len(forgotten) > 3  # the tables were emptied on the way
    from scipy import sparse

    got = sparse.vstack(parts).tocsr()
    assert np.array_equal(softmax(model.logits(got)), softmax(model.logits(expected)))


def test_spans_as_lists_numpy_integers_or_an_array_give_the_same_matrix(model):
    """The spans are read as integers whatever holds them: tuples of ints (as the
    analyzer passes them), lists, numpy integers, an (n, 2) array of either dtype."""
    sentences, spans = _mentions(SYNTHETIC[:400], seed=5)
    matrix = TargetMatrix(model.index, len(model.vocab))
    expected = matrix.matrix(sentences, spans)
    for form in ([list(sp) for sp in spans], [tuple(map(np.int64, sp)) for sp in spans],
                 np.asarray(spans, dtype=np.int64), np.asarray(spans, dtype=np.int32)):
        got = TargetMatrix(model.index, len(model.vocab)).matrix(sentences, form)
        for name in ("indptr", "indices", "data"):
            assert np.array_equal(getattr(got, name), getattr(expected, name)), name
    _assert_same_matrix(model, sentences, [list(sp) for sp in spans], chunk=101)


def test_empty_chunks(model):
    matrix = TargetMatrix(model.index, len(model.vocab))
    assert matrix.matrix([], []).shape == (0, len(model.vocab))
    assert load_target_model().predict_proba([], []).shape == (0, 3)
    with pytest.raises(ValueError):
        matrix.matrix(["Russia"], [])


def test_analyzer_tables_equal_the_reference(model, seeds_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    texts += ["\n\n".join(SYNTHETIC[i:i + 12]) for i in range(0, 240, 12)] + HOSTILE
    targets = load_targets()
    for text in texts:
        assert find_mentions(text, targets) == reference_find_mentions(text, targets)
    docs = [Document(f"d{i}", t) for i, t in enumerate(texts)]
    out = TargetSentimentAnalyzer(targets, load_target_model()).transform(Corpus(docs))
    rows, sentences, spans = reference_mentions(texts, targets)
    proba = reference_predict_proba(model, sentences, spans)
    mentions = out.mentions
    assert list(mentions.columns) == list(MENTION_COLUMNS) and len(mentions) == len(rows) > 400
    assert mentions[["target", "sentence", "start", "end", "mention"]].to_records(
        index=False).tolist() == [r[1:] for r in rows]
    assert mentions["doc_id"].tolist() == [f"d{r[0]}" for r in rows]
    assert np.array_equal(mentions[["p_negative", "p_neutral", "p_positive"]].to_numpy(), proba)
    assert np.array_equal(mentions["score"].to_numpy(), proba[:, 2] - proba[:, 0])
    assert mentions["label"].tolist() == [("negative", "neutral", "positive")[k]
                                          for k in proba.argmax(1)]
    expected = reference_transform(Corpus(docs), targets, model)
    pd.testing.assert_frame_equal(mentions, expected, check_exact=True)
    ids = [t.id for t in targets]
    columns = [c for t in ids for c in (t, f"{t}.n")]
    pd.testing.assert_frame_equal(out.documents, TargetSentimentAnalyzer._documents(
        Corpus(docs), ids, columns, expected), check_exact=True)
    assert out.documents[[f"{t}.n" for t in ids]].to_numpy().sum() == len(rows)
