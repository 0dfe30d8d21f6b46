"""The word shift and collocation tables, counted with numpy tallies over one shared
segmentation, equal those of the plain per-token counting they replaced (kept here as
the reference), on a synthetic corpus of three groups and three languages."""
from __future__ import annotations

import random
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import pytest

from analysis.collocations import _g2_table, _is_content, collocations
from analysis.corpus import Corpus, Document
from analysis.lang import document_language
from analysis.stopwords import stopwords
from analysis.text import segment
from analysis.wordshift import _lexicon, word_shift_table

_WORDS = ("good great happy terrible crisis war peace strong weak support attack "
          "trade partnership sanctions growth threat hope fear trust the of and a to "
          "in is will not 2024 42 cooperation markets talks summit leaders said").split()
_TARGETS = {"russia": "Russia", "china": "China", "nato": "NATO"}
_RU = ("Россия и Китай укрепляют партнёрство. Санкции против России провалились. "
       "Лидеры России говорили о доверии и мире.")
_ZH = "中国和俄罗斯加强合作。北约扩张引起担忧。双方支持和平与发展。"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(3, 12))]
    for _ in range(rng.randint(0, 2)):
        words.insert(rng.randint(0, len(words)), rng.choice(list(_TARGETS.values())))
    return " ".join(words).capitalize() + rng.choice([".", ".", "!", "?"])


def _corpus(seed: int = 3) -> Corpus:
    rng = random.Random(seed)
    docs = []
    for i in range(36):
        text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 8)))
        meta = {"group": ["east", "west", "south"][i % 3]}
        if i % 4 == 0:
            meta["language"] = "en"     # stored; the others are guessed
        docs.append(Document(f"d{i:02d}", text, meta=meta))
    docs.append(Document("ru1", _RU, meta={"group": "east", "language": "ru"}))
    docs.append(Document("zh1", _ZH, meta={"group": "east", "language": "zh"}))
    docs.append(Document("none", "Russia said nothing. China agreed.", meta={}))
    docs.append(Document("empty-ish", "42.", meta={"group": "west"}))
    return Corpus(docs)


def _mentions(corpus: Corpus) -> pd.DataFrame:
    rows = []
    pattern = re.compile("|".join(list(_TARGETS.values()) + ["России", "Россия", "北约"]))
    for doc in corpus:
        seg = segment(doc.text, document_language(doc))
        for m in pattern.finditer(doc.text):
            sentence = next(s.index for s in seg.sentences if s.start <= m.start() < s.end)
            target = {"России": "russia", "Россия": "russia", "北约": "nato"}.get(
                m.group(), m.group().lower())
            rows.append({"doc_id": doc.doc_id, "target": target, "sentence": sentence,
                         "start": m.start(), "end": m.end()})
    # A mention covering no word (offsets on a space) counts as a node with no window.
    rows.append({"doc_id": "d01", "target": "china", "sentence": 0, "start": 0, "end": 0})
    return pd.DataFrame(rows)


def _members(corpus: Corpus) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for doc in corpus:
        if doc.get("group"):
            members.setdefault(doc.get("group"), []).append(doc.doc_id)
    return dict(sorted(members.items()))


# --- The reference: the per-token counting the tables were first made with -------------

def _reference_word_shift_counts(corpus, members, mentions):
    lexicon = _lexicon()
    mention_sentences: dict = {}
    for (doc_id, target), rows in mentions.groupby(["doc_id", "target"]):
        mention_sentences.setdefault(str(doc_id), {})[str(target)] = \
            set(rows["sentence"].astype(int))
    counted = {}
    for g, ids in members.items():
        whole: Counter = Counter()
        by_target: dict = {}
        for doc_id in ids:
            seg = segment(corpus[doc_id].text)
            norms, sentence_of = seg.norms, seg.token_sentences
            whole.update(w for w in norms if w in lexicon)
            for target, sentences in mention_sentences.get(doc_id, {}).items():
                by_target.setdefault(target, Counter()).update(
                    w for w, s in zip(norms, sentence_of, strict=True)
                    if s in sentences and w in lexicon)
        counted[g] = (whole, by_target)
    return counted


def _reference_windows(seg, start, end, window):
    starts, ends, sentence_of = seg.token_starts, seg.token_ends, seg.token_sentences
    first = bisect_right(ends, start)
    last = bisect_left(starts, end) - 1
    if first > last:
        return []
    return [i for i in range(max(0, first - window), min(len(starts), last + window + 1))
            if (i < first or i > last) and sentence_of[i] == sentence_of[first]]


def _reference_collocations(corpus, mentions, members, window, keep=100):
    stop = stopwords()
    by_doc = {str(d): rows for d, rows in mentions.groupby("doc_id")}
    records = []
    for group, ids in members.items():
        n_words, freq, nodes, window_words = 0, Counter(), Counter(), Counter()
        co: dict = defaultdict(Counter)
        co_docs: dict = defaultdict(lambda: defaultdict(set))
        for doc_id in ids:
            seg = segment(corpus[doc_id].text, document_language(corpus[doc_id]))
            norms = seg.norms
            n_words += len(norms)
            freq.update(w for w in norms if _is_content(w, stop))
            rows = by_doc.get(doc_id)
            if rows is None:
                continue
            for target, start, end in zip(rows["target"].astype(str), rows["start"],
                                          rows["end"], strict=True):
                around = _reference_windows(seg, int(start), int(end), window)
                nodes[target] += 1
                window_words[target] += len(around)
                for i in around:
                    if _is_content(norms[i], stop):
                        co[target][norms[i]] += 1
                        co_docs[target][norms[i]].add(doc_id)
        for target, counts in co.items():
            words = sorted(counts)
            f_xy = np.array([counts[w] for w in words], dtype=float)
            f_y = np.array([freq[w] for w in words], dtype=float)
            f_x, w_total = float(nodes[target]), float(window_words[target])
            frame = pd.DataFrame({
                "group": group, "target": target, "collocate": words,
                "f_xy": f_xy.astype(np.int64),
                "docs": [len(co_docs[target][w]) for w in words],
                "f_x": int(f_x), "f_y": f_y.astype(np.int64),
                "log_dice": 14 + np.log2(2 * f_xy / (f_x + f_y)),
                "mi": np.log2(f_xy * n_words / (f_y * max(w_total, 1.0))),
                "g2": _g2_table(f_xy, w_total - f_xy, f_y - f_xy,
                                n_words - w_total - (f_y - f_xy))})
            frame = frame.sort_values(["log_dice", "f_xy", "collocate"],
                                      ascending=[False, False, True], kind="mergesort")
            records.append(frame.head(keep))
    return pd.concat(records, ignore_index=True)


# --- The tests -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def synthetic():
    corpus = _corpus()
    return corpus, _mentions(corpus), _members(corpus)


@pytest.mark.parametrize("window", [1, 5])
def test_collocations_equal_the_per_token_counting(synthetic, window):
    corpus, mentions, members = synthetic
    segment.cache_clear()
    expected = _reference_collocations(corpus, mentions, members, window)
    segment.cache_clear()
    got = collocations(corpus, mentions, members, window=window)
    assert len(got) >= 10 and got["target"].nunique() == 3
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_word_shift_equals_the_per_token_counting(synthetic, monkeypatch):
    corpus, mentions, members = synthetic
    import analysis.wordshift as wordshift

    seen = []
    real = wordshift.WordShiftCounts.counted

    def keep(self):
        seen.append(real(self))
        return seen[-1]

    monkeypatch.setattr(wordshift.WordShiftCounts, "counted", keep)
    comparisons = [{"a": "east", "b": "west"}, {"a": "south", "b": "rest"}]
    table = word_shift_table(corpus, comparisons, members, mentions)
    expected = _reference_word_shift_counts(corpus, members, mentions)
    for group in members:
        whole, by_target = seen[0][group]
        assert whole == expected[group][0]
        assert {t: c for t, c in by_target.items() if c} == \
            {t: c for t, c in expected[group][1].items() if c}
    assert set(table["scope"]) >= {"sentiment", "target:russia", "target:china"}
    # The whole table, not only the counts: sums of the same integers, in any order.
    from analysis.wordshift import word_shift
    first = table[(table["comparison"] == "east|west") & (table["scope"] == "sentiment")]
    ref = word_shift(expected["east"][0], expected["west"][0]).head(150)
    pd.testing.assert_frame_equal(first.drop(columns=["comparison", "scope"])
                                  .reset_index(drop=True), ref, check_exact=True)


def test_tables_from_the_mentions_as_the_corpus_stage_keeps_them(synthetic):
    """Mentions with positions as int32 (as kept while the row tables are on disk), in an
    order that interleaves the documents, grouped by document once for both tables."""
    from analysis.pipeline import compact_mentions
    from analysis.word_tally import MentionsByDoc

    corpus, mentions, members = synthetic
    shuffled = mentions.assign(label="neutral").sample(frac=1.0, random_state=7)
    kept = compact_mentions(shuffled.reset_index(drop=True))
    by_doc = MentionsByDoc(kept)
    rows = by_doc.get("d01")
    assert rows["target"].tolist() == \
        shuffled.loc[shuffled["doc_id"] == "d01", "target"].tolist()
    assert by_doc.get("no such document") is None
    segment.cache_clear()
    expected = _reference_collocations(corpus, shuffled, members, 5)
    pd.testing.assert_frame_equal(collocations(corpus, by_doc, members), expected,
                                  check_exact=True)
    comparisons = [{"a": "east", "b": "west"}, {"a": "south", "b": "rest"}]
    pd.testing.assert_frame_equal(word_shift_table(corpus, comparisons, members, by_doc),
                                  word_shift_table(corpus, comparisons, members, mentions),
                                  check_exact=True)


@pytest.mark.parametrize("forget_every, batch", [(None, None), (3, 5)])
def test_view_tables_count_both_tables_in_one_pass_alike(synthetic, forget_every, batch,
                                                         monkeypatch):
    """The word shift and collocation tables of the results, counted in one pass over the
    documents read back from the texts' file (with the segmentation cache emptied as they
    are read, as in the side process of a large corpus; with the tallies counting every
    ``batch`` ids, as a group of a large corpus does many times), equal the tables
    counted apart, and the reference: read from the last document to the first, with
    the groups interleaved, the collocations keep their order of targets."""
    from types import SimpleNamespace

    from analysis.config import AnalysisConfig
    from analysis.text_file import FileCorpus, TextFile
    from analysis.view_tables import TEXT_TABLES, view_tables
    from analysis.word_tally import Tally

    if batch:
        monkeypatch.setattr(Tally, "_FLUSH", batch)
        # The groups' tallies also counted every few documents read (the groups are read
        # interleaved, last document first).
        monkeypatch.setattr("analysis.view_tables._FLUSH_EVERY", 4)
    corpus, mentions, members = synthetic
    labels = pd.Series({d: g for g, ids in members.items() for d in ids})
    comparisons = [{"a": "east", "b": "west"}, {"a": "south", "b": "rest"}]
    texts = TextFile(corpus)
    read_back = FileCorpus(texts.where(), forget_every=forget_every)
    try:
        segment.cache_clear()
        tables = view_tables(read_back, labels, AnalysisConfig(), None,
                             {"targets": SimpleNamespace(mentions=mentions)},
                             {"comparisons": comparisons}, TEXT_TABLES)
    finally:
        read_back.close()
        texts.remove()
    assert list(tables) == ["word_shift", "collocations"]
    pd.testing.assert_frame_equal(tables["word_shift"],
                                  word_shift_table(corpus, comparisons, members, mentions),
                                  check_exact=True)
    pd.testing.assert_frame_equal(tables["collocations"],
                                  _reference_collocations(corpus, mentions, members, 5),
                                  check_exact=True)
