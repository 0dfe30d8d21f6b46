"""Analysis settings an analyst changes: stop words (with their own list), n-gram length,
minimum documents, switched-off analyzers; kept through to_dict/from_dict."""
from __future__ import annotations

from dataclasses import replace

import pytest
from small_corpus import two_group_corpus

from analysis.config import AnalysisConfig, KeynessConfig
from analysis.pipeline import run_analysis


def keyness_terms(results) -> set[str]:
    comp = results.comparisons[0]["keyness"]
    return {row["term"] for side in ("a", "b") for row in comp[side]}


def test_settings_round_trip_through_a_dict():
    config = AnalysisConfig(n_topics=4, skip=("topics", "readability"),
                            keyness=KeynessConfig(ngram_max=2, min_docs=3, stopwords="none",
                                                  extra_stopwords=("kremlin", "said")))
    assert AnalysisConfig.from_dict(config.to_dict()) == config


def test_an_unknown_analyzer_cannot_be_switched_off():
    with pytest.raises(ValueError, match="cannot switch off frames"):
        AnalysisConfig(skip=("frames",))


def test_own_stop_words_ngram_length_and_switched_off_analyzers_reach_the_results():
    base = AnalysisConfig(n_boot=50, n_perm=50, n_topics=2)
    before = run_analysis(two_group_corpus(), base)
    assert "sanctions" in keyness_terms(before)
    assert any(" " in t for t in keyness_terms(before))  # phrases by default

    config = replace(base, skip=("readability", "markers"),
                     keyness=KeynessConfig(ngram_max=1, extra_stopwords=("Sanctions",)))
    after = run_analysis(two_group_corpus(), config)
    terms = keyness_terms(after)
    assert "sanctions" not in terms            # the user's own stop word (any case)
    assert terms and all(" " not in t for t in terms)  # single words only
    assert "the" not in terms                  # the packaged list still applies
    assert any("Switched off" in w and "readability" in w and "stance markers" in w
               for w in after.warnings)
    assert list(after.data["config"]["skip"]) == ["readability", "markers"]
