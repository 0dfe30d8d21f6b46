"""results.json's ``documents`` rows are built when read: what a reader, a pickle and the
written file see is one row per document, and a row changed by index stays changed."""
from __future__ import annotations

import json
import pickle

import pytest
from article_corpus import article_corpus

from analysis.config import AnalysisConfig
from analysis.pipeline import run_analysis
from analysis.results import clean_json


@pytest.fixture(scope="module")
def results():
    return run_analysis(article_corpus(), AnalysisConfig(n_boot=50, n_perm=50, n_topics=2),
                        jobs=1)


def test_rows_read_written_and_pickled_are_the_same(results):
    rows = results.data["documents"]
    written = json.loads(results.to_json())["documents"]
    assert len(rows) == len(written) == len(results.tables["documents"]) > 2
    assert clean_json(list(rows)) == written   # NaN is written as null
    assert [r["doc_id"] for r in rows] == results.tables["documents"]["doc_id"].tolist()
    assert clean_json(rows[-1]) == written[-1] and clean_json(rows[1:3]) == written[1:3]
    sent = pickle.loads(pickle.dumps(results.data))["documents"]
    assert type(sent) is list and clean_json(sent) == written
    with pytest.raises(IndexError):
        rows[len(written)]


def test_a_row_changed_by_index_is_written_changed(results):
    rows = results.data["documents"]
    rows[0]["title"] = "Changed title"
    assert rows[0]["title"] == "Changed title"
    assert next(iter(rows))["title"] == "Changed title"
    assert json.loads(results.to_json())["documents"][0]["title"] == "Changed title"
