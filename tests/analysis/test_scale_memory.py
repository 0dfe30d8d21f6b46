"""What a large analysis keeps in memory for the whole run is compact: the target
mentions kept beside their table on disk, and the document rows of results.json."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from article_corpus import article_corpus

from analysis.config import AnalysisConfig
from analysis.pipeline import MENTION_KEPT, compact_mentions, run_analysis

FAST = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2)


@pytest.fixture(scope="module")
def results():
    return run_analysis(article_corpus(12), FAST, jobs=1)


def test_kept_mentions_hold_what_the_corpus_stage_reads_in_less_memory(results):
    mentions = results.tables["target_mentions"]
    assert len(mentions) > 20
    kept = compact_mentions(mentions)
    assert list(kept.columns) == list(MENTION_KEPT)
    for column in ("sentence", "start", "end"):
        assert kept[column].dtype == np.int32
        assert (kept[column].to_numpy(np.int64) == mentions[column].to_numpy(np.int64)).all()
    pd.testing.assert_frame_equal(kept[["doc_id", "target", "label"]],
                                  mentions[["doc_id", "target", "label"]])
    assert kept.memory_usage(deep=False).sum() < 0.5 * mentions.memory_usage(deep=False).sum()


def test_document_rows_hold_plain_numbers_and_shared_keys(results):
    rows = results.data["documents"]
    assert len(rows) == 12
    numbers = [rows[0]["sentiment"], *rows[0]["markers"].values(),
               *(v for frames in rows[0]["frames"].values() for v in frames.values())]
    assert numbers and all(type(x) is float for x in numbers)
    codebook = next(iter(rows[0]["frames"]))
    first, second = (list(r["frames"][codebook]) for r in rows[:2])
    assert all(a is b for a, b in zip(first, second, strict=True))   # one string per frame
