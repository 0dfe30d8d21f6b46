"""Keyness: term counting, stop-word policy, log-odds z, Log Ratio, G2, group comparison."""
from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from analysis.corpus import Corpus, Document
from analysis.keyness import (
    KEYNESS_COLUMNS,
    TermCounter,
    compare,
    g2,
    log_odds_dirichlet,
    log_ratio,
)
from analysis.progress import Cancelled


def _corpus(*texts: str, outlets: tuple[str, ...] = ()) -> Corpus:
    return Corpus(Document(doc_id=f"d{i}", text=t,
                           meta={"outlet": outlets[i] if outlets else f"o{i}"})
                  for i, t in enumerate(texts))


def test_log_odds_dirichlet_hand_computed():
    # Two terms. Group a: [10, 0]; group b: [5, 5]; n_a = n_b = 10.
    # Pooled relative frequency [15/20, 5/20]; a0 = 4 -> prior a_w = [3, 1].
    # Term 0: delta = ln((10+3)/(10+4-10-3)) - ln((5+3)/(10+4-5-3)) = ln(13/1) - ln(8/6)
    #              = ln(9.75) = 2.277267; var = 1/13 + 1/8 = 0.201923;
    #         z = 2.277267 / 0.449358 = 5.067818.
    # Term 1: delta = ln(1/13) - ln(6/8) = ln(4/39) = -2.277267; var = 1/1 + 1/6;
    #         z = -2.277267 / 1.080123 = -2.108340.
    delta, z = log_odds_dirichlet(np.array([10, 0]), np.array([5, 5]), np.array([3.0, 1.0]))
    assert delta == pytest.approx([math.log(9.75), math.log(4 / 39)])
    assert z[0] == pytest.approx(math.log(9.75) / math.sqrt(1 / 13 + 1 / 8))
    assert z[0] == pytest.approx(5.067818, abs=1e-6)
    assert z[1] == pytest.approx(-2.108340, abs=1e-6)


def test_log_ratio_hand_computed():
    # (3 + 0.5) / 1000 over (0 + 0.5) / 2000 = 0.0035 / 0.00025 = 14 -> log2(14) = 3.807355.
    assert log_ratio(3, 0, 1000, 2000) == pytest.approx(3.807355, abs=1e-6)
    # Equal relative frequencies: (9.5/1000) / (19.5/2000) is not 1 because of smoothing;
    # with smoothing 0 it is exactly 0.
    assert log_ratio(10, 20, 1000, 2000, smoothing=0.0) == pytest.approx(0.0)


def test_g2_hand_computed():
    # 30 vs 10 in two 1000-word corpora: E = 20 each.
    # G2 = 2 (30 ln(30/20) + 10 ln(10/20)) = 2 (12.163953 - 6.931472) = 10.464962.
    assert g2(30, 10, 1000, 1000) == pytest.approx(10.464962, abs=1e-6)
    # A zero count contributes 0 (0 ln 0 = 0): 2 (4 ln(4/2)) = 5.545177.
    assert g2(4, 0, 1000, 1000) == pytest.approx(5.545177, abs=1e-6)
    assert g2(5, 5, 1000, 1000) == pytest.approx(0.0)


def test_stopword_policy_and_phrases():
    texts = [
        "The comprehensive strategic partnership of coordination must be upheld. "
        "Russia, China and the no-limits partnership should not waver.",
        "A partnership of coordination must continue. The no-limits partnership is not new; "
        "Russia, China agree.",
    ]
    counts = TermCounter(ngram_max=3, min_docs=2).fit_transform(_corpus(*texts))
    terms = set(counts.terms)
    assert "partnership of coordination" in terms      # stop word inside: kept
    assert "no-limits partnership" in terms            # hyphenated word + noun: one bigram
    assert {"must", "not"} <= terms                    # function markers stay
    assert "the" not in terms and "of" not in terms    # plain stop words dropped
    assert "the no-limits partnership" not in terms    # starts with a stop word
    assert "partnership of" not in terms               # ends with a stop word
    assert "russia china" not in terms                 # never across a comma
    assert "upheld" not in terms                       # used in one document only
    col = counts.terms.index("no-limits partnership")
    assert counts.matrix[:, col].toarray().ravel().tolist() == [1, 1]
    # 9 + 9 words; 6 + 9 words ("no-limits" is one word).
    assert counts.n_words.tolist() == [18, 15]


def test_custom_and_no_stopwords():
    corpus = _corpus("the alliance of the west", "the alliance of the west")
    plain = TermCounter(stopwords=None).fit_transform(corpus)
    assert "the" in plain.terms and "alliance of the" in plain.terms
    custom = TermCounter(stopwords=["alliance"]).fit_transform(corpus)
    assert "alliance" not in custom.terms and "the" in custom.terms
    with pytest.raises(ValueError):
        TermCounter(stopwords="nonsense").fit_transform(corpus)


def test_fit_then_transform_equals_fit_transform_and_unknown_terms_ignored():
    corpus = _corpus("Mutual trust deepens. Mutual trust grows.", "Mutual trust and sanctions.",
                     "Sanctions bite. Sanctions bite hard.")
    counter = TermCounter(min_docs=2).fit(corpus)
    a = counter.transform(corpus)
    b = TermCounter(min_docs=2).fit_transform(corpus)
    assert a.terms == b.terms == ["mutual", "mutual trust", "sanctions", "trust"]
    assert (a.matrix != b.matrix).nnz == 0
    assert a.matrix.toarray().tolist() == [[2, 2, 0, 2], [1, 1, 1, 1], [0, 0, 2, 0]]
    other = counter.transform(_corpus("Brand new words about trust."))
    assert other.matrix.toarray().tolist() == [[0, 0, 0, 1]]


def test_fit_transform_keeps_phrases_inside_their_chunks_like_transform():
    """fit_transform holds each document as word ids with a break mark between phrase
    chunks; its counts equal transform's, which counts chunk by chunk, on texts where
    chunks are one word long, end the text or follow one another."""
    texts = ["Trust, sanctions; mutual trust — deep trust. Sanctions bite: trust.",
             "Mutual trust. Trust! Sanctions, sanctions, deep trust (mutual trust) trust",
             "Deep trust, mutual; trust sanctions bite deep trust mutual trust."]
    corpus = _corpus(*texts)
    for n in (1, 2, 3):
        for stop in ("keep-function-markers", None):
            a = TermCounter(ngram_max=n, min_docs=1, stopwords=stop).fit(corpus)
            b = TermCounter(ngram_max=n, min_docs=1, stopwords=stop).fit_transform(corpus)
            expected = a.transform(corpus)
            assert b.terms == expected.terms
            assert (b.matrix != expected.matrix).nnz == 0
            assert b.n_words.tolist() == expected.n_words.tolist()
    assert "trust sanctions" in b.terms and "sanctions sanctions" not in b.terms


def test_compare_counts_dispersion_and_order():
    corpus = _corpus(
        "Mutual trust and strategic coordination. Mutual trust again.",
        "Mutual trust and strategic coordination deepen.",
        "Sanctions and pressure. Sanctions again and pressure.",
        "Sanctions and pressure, strategic coordination too.",
        outlets=("Xinhua", "Xinhua", "VOA", "BBC"))
    counts = TermCounter(min_docs=2).fit_transform(corpus)
    outlets = {d.doc_id: d.get("outlet") for d in corpus}
    result = compare(counts, ["d0", "d1"], ["d2", "d3"], outlets=outlets, top_n=3)
    assert list(result.a.columns) == list(KEYNESS_COLUMNS)
    assert result.a["term"].tolist()[0] in {"mutual trust", "mutual", "trust"}
    assert (result.a["z"] > 0).all() and (result.b["z"] < 0).all()
    assert result.a["z"].is_monotonic_decreasing and result.b["z"].is_monotonic_increasing
    # "pressure" and "sanctions" both count 0 vs 3: equal z, ties broken alphabetically.
    assert result.b["term"].tolist()[:2] == ["pressure", "sanctions"]
    row = result.all.set_index("term").loc["sanctions"]
    assert (row.count_a, row.count_b, row.docs_a, row.docs_b) == (0, 3, 0, 2)
    assert (row.outlets_a, row.outlets_b) == (0, 2)
    # Group b has 7 + 6 = 13 words: 3 / 13 per million.
    assert row.freq_b == pytest.approx(3 / 13 * 1e6)
    coord = result.all.set_index("term").loc["strategic coordination"]
    assert (coord.count_a, coord.count_b, coord.outlets_a) == (2, 1, 1)
    # z in the table is the log-odds of the two count vectors with prior 500 x pooled.
    ca = np.asarray(counts.matrix[[0, 1]].sum(axis=0)).ravel()
    cb = np.asarray(counts.matrix[[2, 3]].sum(axis=0)).ravel()
    _, z = log_odds_dirichlet(ca, cb, 500.0 * (ca + cb) / (ca + cb).sum())
    j = counts.terms.index("sanctions")
    assert row.z == pytest.approx(z[j])
    # Document-level Mann-Whitney on relative frequencies a = [0, 0], b = [2/7, 1/6],
    # exact: mid-ranks 1.5, 1.5, 3, 4; observed rank sum of a 3, centre 5. Of the
    # C(4,2) = 6 splits, {1.5,1.5} = 3 and {3,4} = 7 are as extreme: p = 2/6 (the normal
    # approximation said 0.22, below anything 2 against 2 documents can show).
    assert row.p_doc == pytest.approx(1 / 3)
    shown = set(result.a["term"]) | set(result.b["term"])
    rest = result.all[~result.all["term"].isin(shown)]
    assert len(rest) > 0 and rest["p_doc"].isna().all()
    assert result.a["p_doc"].notna().all() and result.b["p_doc"].notna().all()


def test_compare_empty_inputs_give_empty_tables_with_columns():
    counts = TermCounter().fit_transform(Corpus())
    assert counts.matrix.shape == (0, 0)
    result = compare(counts, [], [], outlets={})
    for frame in (result.a, result.b, result.all):
        assert frame.empty and list(frame.columns) == list(KEYNESS_COLUMNS)
    one = TermCounter().fit_transform(_corpus("Only one document here."))
    assert compare(one, ["d0"], []).all.empty


def test_counter_cancel_and_no_mutation():
    corpus = _corpus("Mutual trust.", "Mutual trust.")
    before = [d.text for d in corpus]

    def cancel(_f):
        raise Cancelled

    with pytest.raises(Cancelled):
        TermCounter().fit(corpus, progress=cancel)
    TermCounter().fit_transform(corpus)
    assert [d.text for d in corpus] == before


def _load_seeds(seeds_dir: Path) -> Corpus:
    docs = []
    with open(seeds_dir / "manifest.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            path = seeds_dir / row["file"]
            docs.append(Document(doc_id=path.stem, text=path.read_text(encoding="utf-8"),
                                 meta=row))
    return Corpus(docs)


def test_seed_corpus_keyness(seeds_dir):
    corpus = _load_seeds(seeds_dir)
    chinese = [d.doc_id for d in corpus if d.get("group") == "chinese"]
    western = [d.doc_id for d in corpus if d.get("group") == "western"]
    outlets = {d.doc_id: d.get("outlet") for d in corpus}
    result = compare(TermCounter().fit_transform(corpus), chinese, western, outlets=outlets)
    top_a = result.a["term"].tolist()
    top_b = result.b["term"].head(10).tolist()
    # The state-media / think-tank side speaks of "Sino-Russian" relations; the news
    # side reports speech ("said") about "Beijing" and "Moscow".
    assert "sino-russian" in top_a[:3]
    assert {"said", "beijing", "moscow"} <= set(top_b)
    # "sanctions" leans hard to the news side but only one of its two reports uses it:
    # one document's word is not headlined as its group's vocabulary.
    table = result.all.set_index("term")
    assert table.loc["sanctions", "z"] < 0 and table.loc["sanctions", "docs_b"] == 1
    assert "sanctions" not in result.b["term"].tolist()
    assert (result.a["docs_a"] >= 2).all() and (result.b["docs_b"] >= 2).all()
    assert table.loc["endogenous", "z"] > 0 and table.loc["endogenous", "count_b"] == 0
    assert table.loc["said", "count_b"] > table.loc["said", "count_a"]
    # "strategic coordination" is in one Chinese document only: with min_docs=1 it is
    # on the Chinese side, with the default dispersion filter it is not a term at all.
    assert "strategic coordination" not in table.index
    loose = compare(TermCounter(min_docs=1).fit_transform(corpus), chinese, western,
                    outlets=outlets).all.set_index("term")
    assert loose.loc["strategic coordination", "z"] > 0
    assert loose.loc["strategic coordination", "count_b"] == 0


def test_running_totals_merge_gives_same_vocabulary(monkeypatch):
    import analysis.keyness as keyness

    texts = [f"Trust {w} grows. Sanctions {w} bite. Energy trade {w} deal." for w in
             ("alpha", "beta", "alpha", "gamma", "beta", "delta")]
    corpus = _corpus(*texts)
    whole = TermCounter(min_docs=2).fit_transform(corpus)
    # Merge the per-document keys into the running totals after every document.
    monkeypatch.setattr(keyness, "_MERGE_EVERY", 1)
    merged = TermCounter(min_docs=2).fit_transform(corpus)
    assert merged.terms == whole.terms
    assert (merged.matrix != whole.matrix).nnz == 0
    assert "trust alpha grows" in whole.terms and "trust gamma grows" not in whole.terms
    col = whole.terms.index("trust alpha grows")
    assert whole.matrix[:, col].toarray().ravel().tolist() == [1, 0, 1, 0, 0, 0]


def test_words_only_seen_inside_a_listed_phrase_are_not_listed_again():
    corpus = _corpus(
        "Mutual trust grows. Partners value mutual trust.",
        "Mutual trust deepens, and trust in markets too.",
        "Sanctions and pressure rise.",
        "Sanctions and pressure again.")
    counts = TermCounter(min_docs=2).fit_transform(corpus)
    result = compare(counts, ["d0", "d1"], ["d2", "d3"], top_n=10)
    listed = result.a["term"].tolist()
    # Every "mutual" is in "mutual trust" (3 vs 0 both): shown once, as the phrase.
    # "trust" also stands alone ("trust in markets"): 4 vs 0, so it stays.
    assert "mutual trust" in listed and "trust" in listed
    assert "mutual" not in listed
    # The full table keeps every term.
    assert "mutual" in set(result.all["term"])
