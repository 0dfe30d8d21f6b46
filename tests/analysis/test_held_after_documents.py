"""What a large analysis holds in memory once every document is measured: the row tables
no later step reads go to disk whole, and what stays equals the in-memory run's."""
from __future__ import annotations

import pandas as pd
import pytest
from article_corpus import article_corpus

from analysis.config import AnalysisConfig
from analysis.map_stage import run_document_stage, stage_spec
from analysis.pipeline import _detector_available, _group_labels, _spill, resolve_inputs

CONFIG = AnalysisConfig(n_boot=100, n_perm=100, n_topics=2)


@pytest.fixture(scope="module")
def runs():
    if not _detector_available():
        pytest.skip("the trained frame detector is not shipped in resources/models")
    corpus = article_corpus(30)
    inputs = resolve_inputs(CONFIG)
    spec = stage_spec(CONFIG, inputs, True, portable=False)
    in_memory = run_document_stage(corpus, spec, jobs=1)
    spill = _spill(_group_labels(corpus, CONFIG), CONFIG, [t.id for t in inputs.targets])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("analysis.map_stage.BLOCK_DOCUMENTS", 7)   # written in several parts
        mp.setattr("analysis.map_stage.TRIM_MIN_DOCUMENTS", 1)  # freed memory handed back
        on_disk = run_document_stage(corpus, spec, jobs=1, spill=spill)
    return in_memory, on_disk, spill


def test_the_detectors_evidence_is_on_disk_not_in_memory(runs):
    in_memory, on_disk, spill = runs
    evidence = in_memory["detector"].evidence
    assert len(evidence) > 0
    assert on_disk["detector"].evidence.empty
    pd.testing.assert_frame_equal(spill.store.table("detector.evidence").load(), evidence)


def test_the_detectors_document_figures_stay_in_memory(runs):
    in_memory, on_disk, _ = runs
    # (Put together in blocks, the ids' index can be of another string type.)
    for field in ("documents", "probabilities"):
        pd.testing.assert_frame_equal(getattr(on_disk["detector"], field),
                                      getattr(in_memory["detector"], field),
                                      check_index_type=False)


def test_kept_tones_and_mentions_hold_their_values_as_codes(runs):
    in_memory, on_disk, _ = runs
    tones = on_disk["sentiment"].sentences
    sentences = in_memory["sentiment"].sentences
    assert isinstance(tones["doc_id"].dtype, pd.CategoricalDtype)
    assert tones["doc_id"].astype(object).tolist() == sentences["doc_id"].tolist()
    assert tones["compound"].tolist() == sentences["compound"].tolist()
    kept, mentions = on_disk["targets"].mentions, in_memory["targets"].mentions
    assert len(kept) > 20
    for column in ("doc_id", "target", "label"):
        assert isinstance(kept[column].dtype, pd.CategoricalDtype), column
        assert kept[column].astype(object).tolist() == mentions[column].tolist(), column
    for column in ("sentence", "start", "end"):
        assert kept[column].tolist() == mentions[column].tolist(), column
    held = kept.memory_usage(deep=False, index=False).sum()
    assert held <= 18 * len(kept) + 10_000   # codes and int32 positions, not references
