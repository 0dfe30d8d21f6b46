"""The hand-built sample results (tests/support/report_sample.py) have the same keys as
real pipeline output, and survive a JSON round trip."""
from __future__ import annotations

import pytest
from report_sample import make_results

from analysis.results import Results


def test_sample_round_trips_through_json():
    res = make_results({"a": 1, "b": 2, "c": 3})
    again = Results.from_dict(__import__("json").loads(res.to_json()))
    assert again.group_names == ["a", "b", "c"]
    assert [c["kind"] for c in again.comparisons].count("one_vs_rest") == 3


def test_sample_has_the_keys_of_real_pipeline_output():
    pipeline = pytest.importorskip("analysis.pipeline")
    pytest.importorskip("analysis.frames")
    from analysis.corpus import Corpus, Document

    texts = ["China and Russia deepen their strategic partnership. Trade in energy grew "
             "and officials said the ties are stable.",
             "Analysts say the no-limits partnership may face limits under sanctions, and "
             "officials said trade in energy slowed.",
             "Moscow and Beijing held joint military drills; NATO said it was watching the "
             "partnership and the trade in energy.",
             "Officials said the strategic partnership is not aimed at any third party and "
             "that trade grew again.",
             "Sanctions weigh on Russian banks, officials said, while the partnership with "
             "Beijing may face limits."]
    corpus = Corpus(Document(f"d{i}", t, {"group": "ab"[i % 2], "outlet": f"O{i}",
                                          "title": f"T{i}"}) for i, t in enumerate(texts))
    from analysis.config import AnalysisConfig

    real = pipeline.run_analysis(corpus, AnalysisConfig(n_boot=50, n_perm=50, n_topics=2))
    sample = make_results()
    missing = set(real.data) - set(sample.data)
    assert not missing, f"sample lacks top-level keys {missing}"
    g_real, g_sample = real.groups["a"], sample.groups["chinese"]
    assert set(g_real) <= set(g_sample)
    assert set(real.data["documents"][0]) - {"date"} <= set(sample.data["documents"][0])
