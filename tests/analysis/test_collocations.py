"""Collocations of a target: windows, counts and association measures."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.collocations import collocate_spans, collocations
from analysis.corpus import Corpus, Document

TEXT = ("Sanctions hit Russia hard. Analysts doubt Russia will bend. "
        "Markets fear sanctions too.")


@pytest.fixture
def corpus():
    return Corpus([Document("d1", TEXT, meta={"group": "g"})])


def _mentions(text, word="Russia"):
    rows, start = [], 0
    while (i := text.find(word, start)) >= 0:
        rows.append({"doc_id": "d1", "target": "russia", "start": i, "end": i + len(word)})
        start = i + 1
    return pd.DataFrame(rows)


def test_counts_and_measures_follow_their_formulas(corpus):
    table = collocations(corpus, _mentions(TEXT), {"g": ["d1"]}, window=2)
    row = table.set_index("collocate").loc["sanctions"]
    # "Sanctions" is within two words of the first mention only; the second "sanctions"
    # is in another sentence, so it counts toward f_y but not f_xy.
    assert (row["f_xy"], row["f_x"], row["f_y"], row["docs"]) == (1, 2, 2, 1)
    assert row["log_dice"] == pytest.approx(14 + math.log2(2 * 1 / (2 + 2)))
    # N = 13 words; the windows hold W = 3 (sanctions, hit, hard) + 4 (analysts, doubt,
    # will, bend) words.
    assert row["mi"] == pytest.approx(math.log2(1 * 13 / (2 * 7)))


def test_function_words_are_not_collocates():
    text = "The sanctions on Russia are the price of the war."
    corpus = Corpus([Document("d1", text, meta={"group": "g"})])
    table = collocations(corpus, _mentions(text), {"g": ["d1"]}, window=3)
    assert set(table["collocate"]) == {"sanctions", "price"}


def test_windows_stay_inside_the_sentence(corpus):
    spans = collocate_spans(corpus, _mentions(TEXT), ["d1"], "russia", "sanctions",
                            window=5)
    assert len(spans) == 1 and TEXT[spans[0][3]:spans[0][4]] == "Sanctions"


def test_no_mentions_no_rows(corpus):
    assert collocations(corpus, pd.DataFrame(), {"g": ["d1"]}).empty
