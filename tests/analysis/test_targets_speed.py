"""The faster mention search and target scoring give exactly the former results."""
from __future__ import annotations

import random
import re

import numpy as np
import pytest

from analysis.targets import _matcher, find_mentions, load_targets, parse_targets

_USER_TARGETS = """
targets:
  - id: kremlin
    label: The Kremlin
    aliases: [Kremlin, Putin's government, {text: KGB, case_sensitive: true}, the Alliance]
    exclusions: [Kremlin Palace]
  - id: odd
    label: Odd names
    aliases: ["'t Hooft", Éire, "-dash"]
"""
_FILLER = ["the", "talks", "on", "Tuesday", "Sino-", "pro-", "(", ")", ",", "and", "said",
           "US-led", "U.S.", "Kelvin", "\u212aremlin", "\u017fanctions", "word"]


def _texts(targets, n: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    names = [a for t in targets for a in (*t.aliases, *t.exclusions)]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(5, 40)):
            w = rng.choice(names) if rng.random() < 0.4 else rng.choice(_FILLER)
            r = rng.random()
            w = w.upper() if r < 0.1 else w.lower() if r < 0.2 else w.title() if r < 0.25 else w
            parts.append(w)
        out.append(rng.choice([" ", "", "-", "\n"]).join(parts) + rng.choice([".", "", "!"]))
    return out


def _plain_alternation(targets) -> re.Pattern[str]:
    """The pattern as it was built before the per-letter dispatch."""
    pattern = _matcher(targets)[0].pattern
    # A letter group ends before the next letter, the next bucket of letters, or the end.
    bodies = re.findall(r"\(\?=\(\?i:.\)\)\(\?:(.*?)\)"
                        r"(?=\|\(\?=\(\?i:.\)\)|\)\|\(\?=\(\?i:\[|\)\)\(\?!\\w\)$)", pattern)
    return re.compile(r"(?<!\w)(?:" + "|".join(bodies) + r")(?!\w)")


def test_grouped_alias_regex_finds_the_same_spans_as_the_plain_alternation():
    for targets in (load_targets(), parse_targets(_USER_TARGETS)):
        pattern = _matcher(targets)[0]
        plain = _plain_alternation(targets) if "(?=(?i:" in pattern.pattern else pattern
        for text in _texts(targets, 400):
            assert ([m.span() for m in pattern.finditer(text)]
                    == [m.span() for m in plain.finditer(text)]), text


def test_user_targets_with_non_letter_aliases_keep_the_plain_alternation():
    targets = parse_targets(_USER_TARGETS)
    assert "(?=(?i:" not in _matcher(targets)[0].pattern
    found = find_mentions("Eire and '\u2019t Hooft' aside, the KGB and the Kremlin met.", targets)
    assert [m.text for m in found] == ["\u2019t Hooft", "KGB", "Kremlin"]


def test_grouping_is_used_for_the_built_in_targets():
    targets = load_targets()
    assert _matcher(targets)[0].pattern.count("(?=(?i:") >= 5
    found = find_mentions("Trade grew; China\u2013Russia ties and NATO held, said Kremlin "
                          "aides in Moscow.", targets)
    assert [m.text for m in found] == ["China\u2013Russia ties", "NATO", "Kremlin", "Moscow"]
    assert np.all(np.diff([m.start for m in found]) > 0)


def _reference_vectorize(features, index, n_features):
    """The former row-by-row loop of analysis.models.linear.vectorize."""
    from scipy import sparse

    indptr, cols, vals = [0], [], []
    for feats in features:
        for name, value in feats.items():
            j = index.get(name)
            if j is not None:
                cols.append(j)
                vals.append(value)
        indptr.append(len(cols))
    return sparse.csr_matrix((np.asarray(vals, dtype=np.float64),
                              np.asarray(cols, dtype=np.int64), np.asarray(indptr)),
                             shape=(len(indptr) - 1, n_features))


def test_linear_model_matrix_and_probabilities_equal_the_row_by_row_build():
    from analysis.models.linear import vectorize
    from analysis.models.target_sentiment import load_target_model

    scorer = load_target_model()
    model = scorer.model
    sentences, spans = [], []
    for text in _texts(load_targets(), 60, seed=8):
        for m in find_mentions(text, load_targets()):
            sentences.append(text)
            spans.append((m.start, m.end))
    assert len(sentences) > 100
    rows = scorer.features(sentences, spans)
    rows += [{}, {"no such feature": 2.0}, {"bias": 1.0, "never seen": 1.0}]
    got = vectorize(rows, model.index, len(model.vocab))
    expected = _reference_vectorize(rows, model.index, len(model.vocab))
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got, part), getattr(expected, part)), part
    assert np.array_equal(model.logits(got), model.logits(expected))
    assert vectorize([], model.index, len(model.vocab)).shape == (0, len(model.vocab))


# --- The target-sentiment features: the faster build gives the former features exactly.

_WORDS = ["Russia", "the Kremlin", "China", "Moscow", "NATO", "Beijing", "the", "a", "an",
          "talks", "on", "Tuesday", "good", "bad", "failed", "praised", "blamed", "great",
          "terrible", "peace", "crisis", "not", "never", "didn't", "don’t", "can't", "no",
          "very", "extremely", "hardly", "but", "while", "although", "however", "yet",
          "despite", ";", ":", "—", "–", "(", ")", '"', "“", "”", "--", ",", "said", "told",
          "according", "he", "it", "they", "their", "well-known", "Putin’s", "U.S.-led",
          "Xi Jinping", "Sino-Russian", "ties", "support", "sanctions", "warned", "threat"]


def _varied_sentences(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [rng.choice(_WORDS) for _ in range(rng.randint(1, 30))]
        out.append(" ".join(parts) + rng.choice([".", "", "!", "?\""]))
    return out


def _cases(sentence: str, rng: random.Random, targets):
    """(span, others) pairs: every mention found, with and without its co-mentions, plus
    spans at both edges, between tokens, empty and cutting into a word."""
    found = [(m.start, m.end) for m in find_mentions(sentence, targets)]
    for i, span in enumerate(found):
        yield span, ()
        yield span, tuple(found[:i] + found[i + 1:])
    n = len(sentence)
    first = re.match(r"\S+", sentence)
    if first:
        yield first.span(), ()
    last = re.search(r"\S+\W*$", sentence)
    if last:
        yield last.span(), ()
    for _ in range(2):
        a = rng.randrange(n + 1)
        b = min(n, a + rng.randint(0, 12))
        yield (a, b), ()
        yield (a, b), ((max(0, a - 20), max(0, a - 14)), (b, min(n, b + 5)))
    if " " in sentence:
        gap = sentence.index(" ")
        yield (gap, gap + 1), ()


def _assert_same_features(sentences: list[str], seed: int = 0) -> int:
    from tsc_features_reference import reference_target_features

    from analysis.models.tsc_features import target_features

    rng = random.Random(seed)
    targets = load_targets()
    count = 0
    for sentence in sentences:
        for span, others in _cases(sentence, rng, targets):
            try:
                expected = reference_target_features(sentence, span, others)
            except IndexError:
                # The former code fails on an empty span after co-mentions that collapse
                # several words; the faster code keeps that behaviour (see the report).
                with pytest.raises(IndexError):
                    target_features(sentence, span, others)
                continue
            got = target_features(sentence, span, others)
            # Same names, values and order: the shipped weights were trained on these.
            assert list(got.items()) == list(expected.items()), (sentence, span, others)
            count += 1
    return count


def test_target_features_equal_the_former_build_on_varied_text():
    sentences = _varied_sentences(600, seed=11)
    sentences += [
        "Russia did not fail, but China never helped.",
        "The Kremlin said it was very good; Moscow, however, was not happy.",
        "Although NATO praised Russia, Beijing blamed Russia and Russia’s allies.",
        "“Russia is a threat,” he said (according to NATO) -- China didn’t agree",
        "Russia", "Moscow!", "", "   ", "Not bad at all, said the Kremlin",
    ]
    assert _assert_same_features(sentences) > 4000


def test_target_features_equal_the_former_build_on_the_seeds(seeds_dir):
    from analysis.text import segment

    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    assert len(texts) == 5
    sentences = [s.text for text in texts for s in segment(text).sentences]
    assert _assert_same_features(sentences, seed=5) > 1000


def test_target_model_probabilities_equal_the_former_features(seeds_dir):
    """The scorer's probabilities and labels on the seeds' mentions, exactly as before."""
    from tsc_features_reference import reference_target_features

    from analysis.models.linear import softmax
    from analysis.models.target_sentiment import load_target_model

    scorer = load_target_model()
    sentences, spans = _seed_mentions(seeds_dir)
    sentences += _varied_sentences(300, seed=4)
    spans += [(0, min(6, len(s))) for s in sentences[len(spans):]]
    assert len(sentences) > 400
    expected = softmax(scorer.model.logits(scorer.model.matrix(
        [reference_target_features(s, sp) for s, sp in zip(sentences, spans, strict=True)])))
    got = scorer.predict_proba(sentences, spans)
    assert np.array_equal(got, expected)
    assert len(set(got.argmax(axis=1))) == 3   # negative, neutral and positive all occur


@pytest.mark.parametrize("choice", ["linear", "vader"])
def test_scores_do_not_depend_on_the_chunk_the_scorer_gets(seeds_dir, choice):
    """The fast scorers take large chunks (score_in_chunks); a target's probabilities are
    the same whatever the chunk, and progress still arrives chunk by chunk."""
    from analysis.pipeline import _target_scorer
    from analysis.targets import score_in_chunks

    scorer = _target_scorer(choice)
    sentences, spans = _seed_mentions(seeds_dir)
    assert len(sentences) > 100
    one_by_one = score_in_chunks(scorer, sentences, spans, chunk=1)
    seen: list[float] = []
    default = score_in_chunks(scorer, sentences, spans, seen.append)
    assert np.array_equal(default, one_by_one)
    assert np.array_equal(score_in_chunks(scorer, sentences, spans, chunk=37), one_by_one)
    assert seen[0] == 0.0 and seen[-1] == 1.0


def _seed_mentions(seeds_dir) -> tuple[list[str], list[tuple[int, int]]]:
    """Every target mention of the seed articles: its sentence, and its span within it."""
    from analysis.text import segment

    sentences, spans = [], []
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sents = segment(text).sentences
        for m in find_mentions(text, load_targets()):
            s = sents[m.sentence]
            sentences.append(s.text)
            spans.append((m.start - s.start, min(m.end, s.end) - s.start))
    return sentences, spans


def _former_documents(corpus, ids, columns, mentions):
    """TargetSentimentAnalyzer._documents before it filled the table at once (frozen)."""
    import pandas as pd

    from analysis.base import empty_documents_frame

    if not len(corpus):
        return empty_documents_frame(columns)
    index = pd.Index(corpus.ids, name="doc_id", dtype=object)
    frame = pd.DataFrame(index=index)
    grouped = mentions.groupby(["doc_id", "target"])["score"]
    means = grouped.mean().unstack() if len(mentions) else pd.DataFrame()
    counts = grouped.size().unstack() if len(mentions) else pd.DataFrame()
    for t in ids:
        frame[t] = means[t].reindex(index).astype(float) if t in means else np.nan
        n = counts[t].reindex(index) if t in counts else pd.Series(0, index=index)
        frame[f"{t}.n"] = n.fillna(0).astype(np.int64)
    return frame[columns]


def test_document_figures_equal_the_former_grouping_on_random_mentions():
    """Each document's mean score and count per target equal the former per-column
    grouping exactly (values, column order and types), for random mention tables: many
    mentions of one target in a document (the mean's last bits), documents and targets
    without any, no mentions at all, an empty corpus, a target id given twice."""
    import pandas as pd

    from analysis.corpus import Corpus, Document
    from analysis.targets import TargetSentimentAnalyzer, mention_table

    rng = random.Random(49)
    for case in range(300):
        n_docs = rng.choice([0, 1, 3, 12])
        corpus = Corpus(Document(f"d{i}", "text") for i in range(n_docs))
        ids = rng.sample(["china", "russia", "us", "nato", "eu"], rng.randint(1, 5))
        if case % 50 == 7:
            ids = ids + ids[:1]
        columns = [c for t in ids for c in (t, f"{t}.n")]
        rows = [(f"d{rng.randrange(n_docs)}", rng.choice(ids[:3]), 0, 0, 1, "x")
                for _ in range(rng.choice([0, 1, 5, 60, 600])) if n_docs]
        proba = np.asarray([[p, 1.0 - p - q, q] for p, q in
                            ((rng.random() / 2, rng.random() / 2) for _ in rows)]).reshape(-1, 3)
        mentions = mention_table(rows, proba)
        got = TargetSentimentAnalyzer._documents(corpus, ids, columns, mentions)
        pd.testing.assert_frame_equal(got, _former_documents(corpus, ids, columns, mentions),
                                      check_exact=True)


def _former_mention_table(rows, proba):
    """``mention_table`` as it was: a frame of one tuple per mention, cast (frozen here)."""
    import pandas as pd

    from analysis.base import SENTIMENT_LABELS
    from analysis.targets import MENTION_COLUMNS

    mentions = pd.DataFrame(rows, columns=list(MENTION_COLUMNS[:6]))
    mentions = mentions.astype({"doc_id": object, "target": object, "sentence": np.int64,
                                "start": np.int64, "end": np.int64, "mention": object})
    mentions["score"] = proba[:, 2] - proba[:, 0]
    mentions["label"] = pd.Series(
        np.asarray(SENTIMENT_LABELS, dtype=object)[proba.argmax(axis=1)] if len(proba)
        else np.empty(0, dtype=object), dtype=object)
    mentions["p_negative"], mentions["p_neutral"], mentions["p_positive"] = proba.T
    return mentions[list(MENTION_COLUMNS)]


def test_mention_table_equals_the_former_row_by_row_build():
    """The mentions table built column by column equals the former frame of row tuples:
    values, dtypes, index and column order; no mentions at all included."""
    import pandas as pd

    from analysis.targets import mention_table

    rng = random.Random(55)
    for _ in range(60):
        rows = [(f"d{rng.randrange(9)}", rng.choice(["china", "russia"]), rng.randrange(40),
                 a := rng.randrange(5000), a + rng.randint(1, 30), rng.choice(["Russia", "PRC"]))
                for _ in range(rng.choice([0, 1, 2, 50, 700]))]
        proba = np.asarray([[p, 1.0 - p - q, q] for p, q in
                            ((rng.random() / 2, rng.random() / 2) for _ in rows)]).reshape(-1, 3)
        got, expected = mention_table(rows, proba), _former_mention_table(rows, proba)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
        assert type(got.index) is type(expected.index)
        assert got.to_csv() == expected.to_csv()
