"""The groups and split columns the Compare view lists are remembered per corpus and
results (a project's loading thread makes them): each column, corpus and results still
gets its own."""
from __future__ import annotations

import pandas as pd

from analysis.corpus import Corpus, Document
from analysis.results import SCHEMA, Results
from sinoru_desktop.panels.groups import group_doc_ids, split_choices


def corpus(outlets: list[str]) -> Corpus:
    return Corpus([Document(f"d{i}", "Text.", meta={"outlet": o, "group": "ab"[i % 2]})
                   for i, o in enumerate(outlets)])


def results(documents: dict) -> Results:
    return Results({"schema": SCHEMA, "schema_version": 1},
                   {"documents": pd.DataFrame(documents)})


def test_each_corpus_and_column_lists_its_own_groups():
    first, second = corpus(["x", "y", " x ", ""]), corpus(["z", "z"])
    assert group_doc_ids(first, "outlet") == {"x": ["d0", "d2"], "y": ["d1"]}
    assert group_doc_ids(first, "group") == {"a": ["d0", "d2"], "b": ["d1", "d3"]}
    assert group_doc_ids(second, "outlet") == {"z": ["d0", "d1"]}
    # Asked again: the same groups; a caller adding a group changes nothing remembered.
    again = group_doc_ids(first, "outlet")
    again["w"] = ["d9"]
    assert group_doc_ids(first, "outlet") == {"x": ["d0", "d2"], "y": ["d1"]}


def test_each_results_and_group_column_lists_its_own_splits():
    one = results({"doc_id": ["1", "2", "3"], "group": ["a", "a", "b"],
                   "outlet": ["x", "y", "x"], "language": ["en", "en", "en"]})
    two = results({"doc_id": ["1", "2"], "group": ["a", "b"], "outlet": ["x", "x"],
                   "language": ["en", "de"]})
    assert split_choices(one, "group") == ["outlet"]
    assert split_choices(two, "group") == ["language"]
    assert split_choices(one, "group") == ["outlet"]
    assert "outlet" not in split_choices(one, "outlet")  # never split by the groups' column
    assert split_choices(results({}), "group") == []
