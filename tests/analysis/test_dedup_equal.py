"""The streaming duplicate search finds what the search over the whole corpus found
(`benchmarks/dedup_reference.py`, the code it replaced), with the same similarities."""
from __future__ import annotations

import random

from analysis.ingest import find_duplicates, import_paths
from benchmarks.dedup_reference import find_duplicates as _reference


def _plain(dups) -> list[tuple]:
    return [(d.kind, d.doc_ids, d.similarity) for d in dups]


def reference(ids, texts) -> list[tuple]:
    return _plain(_reference(ids, texts))


def _corpus(n: int, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(800)]
    texts = [" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 300))) for _ in range(n)]
    for i in range(0, n, 7):            # wire copies, lightly edited, of earlier texts
        words = texts[rng.randrange(max(i, 1))].split()
        for _ in range(rng.randint(0, 6)):
            if words:
                words[rng.randrange(len(words))] = f"edit{rng.randrange(99)}"
        texts[i] = " ".join(words)
    for i in range(3, n, 11):           # exact copies, other case and spacing
        texts[i] = "  " + texts[rng.randrange(i)].upper() + "\n"
    texts[5], texts[6] = "two words", "两座港口城市的港务部门周二签署协议从明年春天起实行统一的渡轮时刻表"
    texts[8] = texts[6]
    return [f"d{i}" for i in range(n)], texts


def test_streaming_search_equals_the_whole_corpus_search():
    for seed in range(3):
        ids, texts = _corpus(900, seed)
        found = find_duplicates(ids, texts)
        assert any(d.kind == "near" for d in found) and any(d.kind == "exact" for d in found)
        assert _plain(found) == reference(ids, texts)


def test_many_candidates_beyond_the_cache_equal_the_reference(monkeypatch):
    import analysis.ingest.dedup as dedup

    monkeypatch.setattr(dedup, "_BLOCK_SETS", 3)   # shingle sets read again and again
    ids, texts = _corpus(400, 7)
    assert _plain(find_duplicates(ids, texts)) == reference(ids, texts)


def test_import_reports_the_same_duplicates(tmp_path):
    ids, texts = _corpus(120, 11)
    for doc_id, text in zip(ids, texts, strict=True):
        (tmp_path / f"{doc_id}.txt").write_text(f"Title {doc_id}\n\n{text} end.\n",
                                                encoding="utf-8")
    result = import_paths([tmp_path])
    docs = result.corpus.documents
    assert result.report.duplicates
    assert _plain(result.report.duplicates) == reference([d.doc_id for d in docs],
                                                 [d.text for d in docs])


def test_short_texts_alone_or_as_copies_equal_the_reference():
    for texts in (["three short words"], ["three short words", "three short words!"],
                  ["one two three four", "one two three four five six"],
                  ["a b c d", "x y z", "a b c d e"]):
        ids = [f"d{i}" for i in range(len(texts))]
        assert _plain(find_duplicates(ids, texts)) == reference(ids, texts)
