"""encode_indented writes the very text of Python's indenting JSON encoder."""
from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest

from analysis.indented_json import encode_indented

STANDARD = json.JSONEncoder(ensure_ascii=False, indent=2, allow_nan=False)
_TEXTS = ["", "a", "é\u00e9", "中文", 'say "hi"', "back\\slash", "line\nbreak", "tab\t",
          "nul\x00", "\x01\x1f", "\udcff surrogate", "-0.5", "=SUM(A1)", "’s", "{[,]}: "]


def _scalar(rng: random.Random):
    pick = rng.randrange(7)
    if pick == 0:
        return rng.choice(_TEXTS)
    if pick == 1:
        return rng.randint(-10**20, 10**20)
    if pick == 2:
        return rng.choice([0.0, -0.0, 1e-300, 1e300, 0.1, 1 / 3, rng.uniform(-1e6, 1e6)])
    if pick == 3:
        return rng.choice([True, False])
    if pick == 4:
        return None
    if pick == 5:
        return rng.randint(-3, 3)
    return rng.random()


def _value(rng: random.Random, depth: int):
    pick = rng.randrange(5) if depth < 4 else 0
    if pick <= 1:
        return _scalar(rng)
    n = rng.choice([0, 1, 2, 5])
    if pick == 2:
        return [_value(rng, depth + 1) for _ in range(n)]
    return {rng.choice(_TEXTS) + str(i): _value(rng, depth + 1) for i in range(n)}


def test_equal_to_the_standard_encoder_on_random_values():
    rng = random.Random(16)
    for _ in range(3000):
        value = _value(rng, 0)
        assert encode_indented(value) == STANDARD.encode(value)


def test_a_document_row_shape():
    row = {"doc_id": "a.txt", "title": "T", "n_words": 600, "sentiment": 0.25,
           "frames": {"generic": {"conflict": 0.5, "economic": 0.0}, "policy": {}},
           "targets": {"china": {"mean": None, "n_mentions": 0}}, "removed": [],
           "not_available": ["topics"], "flags": [True, False, None]}
    batch = [row, dict(row, doc_id="b.txt"), []]
    assert encode_indented(batch) == STANDARD.encode(batch)


@pytest.mark.parametrize("value", [
    {"a": [1, np.float64(0.5)]},            # a numpy scalar: the standard's error
    {"a": {1: "int key"}},                  # a key that is not text
    {"a": [1.0, math.nan]},                 # NaN is refused
    {"a": ("a", "tuple")},                  # a tuple encodes as a list
    {"a": {"b": {True: 1, None: 2, 1.5: 3}}},
])
def test_other_values_are_the_standard_encoders(value):
    try:
        expected = STANDARD.encode(value)
    except (TypeError, ValueError) as exc:
        with pytest.raises(type(exc)):
            encode_indented(value)
    else:
        assert encode_indented(value) == expected
