"""Word shift (Gallagher et al. 2021): contributions sum to the gap and have the right kind."""
from __future__ import annotations

import pytest
from matplotlib.figure import Figure
from views_corpus import views_results

from analysis.charts.wordshift import draw_word_shift
from analysis.wordshift import word_shift

LEXICON = {"good": 2.0, "bad": -2.0, "fine": 1.0, "awful": -3.0}


def test_contributions_sum_to_the_gap_of_average_scores():
    a = {"good": 3, "bad": 1, "fine": 2}
    b = {"good": 1, "bad": 2, "awful": 1}
    table = word_shift(a, b, LEXICON)
    avg_a = (3 * 2 - 2 + 2 * 1) / 6
    avg_b = (2 - 4 - 3) / 4
    assert table["avg_a"].iloc[0] == pytest.approx(avg_a)
    assert table["avg_b"].iloc[0] == pytest.approx(avg_b)
    assert table["contribution"].sum() == pytest.approx(avg_a - avg_b)
    kinds = dict(zip(table["word"], table["kind"], strict=True))
    # Relative to b's average (-1.25): good/fine are positive, bad/awful negative.
    assert kinds == {"good": "+\u2191", "fine": "+\u2191", "bad": "\u2212\u2193",
                     "awful": "\u2212\u2193"}
    assert table["word"].iloc[0] == "good"   # largest contribution first


def test_no_sentiment_words_on_one_side_gives_an_empty_shift():
    assert word_shift({"good": 1}, {"table": 3}, LEXICON).empty


def test_pipeline_stores_sentiment_and_target_shifts():
    results = views_results()
    table = results.table("word_shift")
    scopes = set(table.loc[table["comparison"] == "state|world", "scope"])
    assert {"sentiment", "target:russia", "target:partnership"} <= scopes
    sentiment = table[table["scope"] == "sentiment"].set_index("word")
    assert sentiment.loc["friendly", "count_a"] == 4
    assert sentiment.loc["crisis", "count_b"] == 3
    assert sentiment.loc["crisis", "kind"] == "\u2212\u2193"   # negative, used less by state
    fig = Figure(figsize=(7, 5))
    ax = fig.add_subplot()
    caption = draw_word_shift(ax, results, comparison=("state", "world"))
    assert "Gallagher" in caption
    assert [t.get_text().split()[0] for t in ax.get_yticklabels()][:3] == \
        sentiment.index[:3].tolist()
