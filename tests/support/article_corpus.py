"""Generated news-style articles in two groups, and the check that two analyses of them
are the same (results.json without its time stamp, and every detail table).
Importable from tests as ``article_corpus``."""
from __future__ import annotations

import json
import random

import pandas as pd

from analysis.corpus import Corpus, Document
from benchmarks.make_corpus import make_article


def article_corpus(n: int = 24, words: int = 120, seed: int = 5) -> Corpus:
    """``n`` generated articles alternating between "chinese" and "western", four outlets."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        group = "chinese" if i % 2 == 0 else "western"
        docs.append(Document(f"a{i:03d}", make_article(rng, group, words),
                             {"group": group, "outlet": f"{group} outlet {i % 4 // 2}"}))
    return Corpus(docs)


def comparable(results) -> tuple[str, dict]:
    """results.json without its time stamp, and the detail tables."""
    data = dict(results.data)
    data.pop("created")
    return json.dumps(data, sort_keys=True, default=str), results.tables


def assert_same(a, b) -> None:
    json_a, tables_a = comparable(a)
    json_b, tables_b = comparable(b)
    assert json_a == json_b
    assert tables_a.keys() == tables_b.keys()
    for name in tables_a:
        pd.testing.assert_frame_equal(tables_a[name], tables_b[name], obj=name)
