"""Outlets inside groups: per-outlet means beside the group mean."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.outlet_points import outlet_points

DOCS = pd.DataFrame({"group_label": ["a"] * 5 + ["b"],
                     "outlet": ["Big", "Big", "Big", "Big", "Small", ""],
                     "sentiment.mean": [0.5, 0.7, 0.6, 0.6, -0.4, 0.1]})


def test_one_prolific_outlet_is_visible_beside_its_group():
    table = outlet_points(DOCS, "sentiment.mean", n_boot=200)
    a = table[table["group"] == "a"]
    assert a["outlet"].tolist() == ["", "Big", "Small"]          # group first, then by size
    assert a["mean"].tolist() == pytest.approx([0.4, 0.6, -0.4])
    assert a["n_documents"].tolist() == [5, 4, 1]
    small = a.iloc[2]
    assert pd.isna(small["ci_low"])                              # one document: no interval
    assert table[table["group"] == "b"]["outlet"].tolist() == ["", "(no outlet)"]


def test_unknown_figure_is_named():
    with pytest.raises(KeyError, match="no figure 'nope'"):
        outlet_points(DOCS, "nope")


def test_rows_under_the_small_group_size_list_their_documents_not_an_interval():
    from analysis.group_figures import SMALL_GROUP

    big = pd.DataFrame({"group_label": ["a"] * SMALL_GROUP,
                        "outlet": ["Big"] * (SMALL_GROUP - 1) + ["Small"],
                        "sentiment.mean": [0.1 * i for i in range(SMALL_GROUP)]})
    table = outlet_points(big, "sentiment.mean", n_boot=100).set_index("outlet")
    assert table.loc["", "ci_low"] < table.loc["", "mean"] < table.loc["", "ci_high"]
    assert table.loc["", "documents"] is None
    assert pd.isna(table.loc["Big", "ci_low"])          # 9 documents: no interval
    assert table.loc["Big", "documents"] == pytest.approx([0.1 * i for i in range(9)])
