"""The keys of the per-document analyzers' kept results: a re-run on entries held in
memory finds the last run's results by the very entry objects, and any other entry gives
another key."""
from __future__ import annotations

import pytest
from article_corpus import article_corpus, assert_same

from analysis.config import AnalysisConfig
from analysis.doc_cache import DocumentCache
from analysis.pipeline import run_analysis

CONFIG = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2, skip=("detector",))


@pytest.fixture(scope="module")
def corpus():
    return article_corpus(n=12)


def test_a_rerun_on_entries_held_in_memory_keys_them_without_reading_them(corpus,
                                                                          monkeypatch):
    # The app's worker keeps its entries in memory: a re-run finds the last run's
    # results by the very entry objects (their bytes are not hashed again), and gives
    # the results of a fresh run. Equal entries in other objects (a cache read from a
    # file) are keyed by their bytes, to the same keys.
    from analysis import reduce_memo

    reduce_memo.clear()
    cache = DocumentCache()
    first = run_analysis(corpus, CONFIG, cache=cache, jobs=1)
    hashed: list[int] = []
    real = reduce_memo._entries_key

    def counted(head, entries):
        hashed.append(len(entries))
        return real(head, entries)

    monkeypatch.setattr(reduce_memo, "_entries_key", counted)
    assert_same(first, run_analysis(corpus, CONFIG, cache=cache, jobs=1))
    assert hashed == []
    held = {name: keys for name, keys in reduce_memo._KEYED.items()}
    copied = DocumentCache.from_items((k, bytes(bytearray(v))) for k, v in cache.items())
    reduce_memo._KEYED.clear()
    assert_same(first, run_analysis(corpus, CONFIG, cache=copied, jobs=1))
    assert len(hashed) == len(held) >= 5
    assert {n: [k for *_, k in v.values()] for n, v in reduce_memo._KEYED.items()} \
        == {n: [k for *_, k in v.values()] for n, v in held.items()}


def test_an_entry_changed_in_place_of_a_held_one_gives_another_key():
    from analysis import reduce_memo
    from analysis.reduce_memo import stage_key

    reduce_memo.clear()
    entries = [b'{"a": 1}', b'{"a": 2}']
    key = stage_key("markers", ("1", "fp"), ["d1", "d2"], entries, None, None,
                    hold_entries=True)
    assert stage_key("markers", ("1", "fp"), ["d1", "d2"], list(entries), None, None) == key
    changed = [entries[0], b'{"a": 3}']
    assert stage_key("markers", ("1", "fp"), ["d1", "d2"], changed, None, None) != key
    assert stage_key("markers", ("1", "fp"), ["d2", "d1"], entries, None, None) != key
    # Another corpus keyed (another project opened): the first one's entries are let go.
    assert len(reduce_memo._KEYED["markers"]) == 1
    stage_key("markers", ("1", "fp"), ["d3"], [b"{}"], None, None, hold_entries=True)
    assert [len(e) for _, e, _ in reduce_memo._KEYED["markers"].values()] == [1]
