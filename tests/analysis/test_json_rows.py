"""Rows encoded from a template give the text of the usual way (each value cleaned, then
encoded container by container), and rows the template does not cover are left to it."""
from __future__ import annotations

import json
import math
from collections import OrderedDict

import numpy as np
import pytest

from analysis.indented_json import encode_indented
from analysis.json_rows import RowTemplates
from analysis.results import Results, clean_json


def _usual(rows: list) -> str:
    return encode_indented([clean_json(r) for r in rows])[1:-2].replace("\n", "\n  ")


def _row(i: int, rng) -> dict:
    values = [0.25, math.nan, math.inf, -math.inf, -0.0, 1e300, 5e-324, 3, -7, 2**70,
              True, False, None, "", "plain", "tab\tquote\"back\\slash", "\x00\x01\x1f",
              "unicode ✓ 中文 é", "NaN", "null", "\udce9 surrogate"]

    def pick():
        return values[int(rng.integers(len(values)))]

    return {"doc_id": f"d{i}", "title": pick(), "n_words": int(rng.integers(1000)),
            "sentiment": pick(),
            "frames": {"generic": {"conflict": pick(), "economic": pick()},
                       "policy": {}},
            "targets": {"russia": {"mean": pick(), "n_mentions": 3}} if i % 3 else {},
            "removed": [{"reason": "boilerplate", "text": pick()}] * (i % 2),
            "tags": [pick(), pick()] if i % 4 == 0 else [],
            "not_available": pick()}


@pytest.mark.parametrize("seed", range(6))
def test_rows_from_templates_are_the_usual_text(seed):
    rng = np.random.default_rng(seed)
    rows = [_row(i, rng) for i in range(50)]
    templates = RowTemplates()
    for start in range(0, 50, 7):   # batches, templates kept between them
        batch = rows[start:start + 7]
        assert templates.encode(batch) == _usual(batch)


@pytest.mark.parametrize("odd", [
    {"value": np.float64(0.5)}, {"value": np.int64(3)}, {"value": np.bool_(True)},
    {"value": (1, 2)}, {1: "non-text key"}, {True: "a flag as key"},
    {"\x00": "the marker as a key"}, {"nested": OrderedDict(a=1)},
    {"value": np.float64("nan")}, {"value": [np.float32(0.1)]},
])
def test_rows_the_template_does_not_cover_go_the_usual_way(odd):
    rows = [_row(1, np.random.default_rng(0)), {**odd}]
    assert RowTemplates().encode(rows) is None
    assert RowTemplates().encode([{"plain": 1}, "not a dict"]) is None
    # The whole file, either way, is the standard encoder's text of the cleaned data.
    data = {"documents": rows * 3, "n": 1}
    text = "".join(Results(data).json_parts())
    assert text == json.dumps(clean_json(data), ensure_ascii=False, indent=2) \
        .replace("\udce9", "\\udce9")


def test_a_document_list_written_with_templates_is_the_standard_text():
    rng = np.random.default_rng(9)
    data = {"schema": "sinoru.results", "documents": [_row(i, rng) for i in range(450)],
            "warnings": ["one", "two"], "groups": {"a": {"n": 1}}}
    text = "".join(Results(data).json_parts())
    expected = json.dumps(clean_json(data), ensure_ascii=False, indent=2)
    assert text == expected.replace("\udce9", "\\udce9")


def _reference_clean(value):
    """clean_json as it was: one call per value."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _reference_clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_reference_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def test_clean_json_equals_the_value_by_value_cleaning():
    rng = np.random.default_rng(3)
    value = {"rows": [_row(i, rng) for i in range(40)],
             1: [np.float64("nan"), np.int64(2), (np.float32(0.5), math.inf), OrderedDict(x=1)],
             2.5: {None: [np.bool_(False), {"deep": [math.nan, 1.5, "x"]}]},
             "n": np.float64(2.5)}
    got, expected = clean_json(value), _reference_clean(value)
    assert json.dumps(got, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
    assert repr(got) == repr(expected)
