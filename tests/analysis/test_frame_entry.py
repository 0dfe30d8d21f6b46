"""A frames entry rewritten as JSON text holds what encoding the rewritten values holds,
byte for byte, whatever the matched texts hold (commas, brackets, quotes, backslashes,
other scripts), and an entry of another layout is refused, never misread."""
from __future__ import annotations

import json

import pytest

from analysis.frame_entry import EntryText, encoded

#: Matched texts and rules that could be taken for the JSON around them.
TEXTS = ["war", 'say "war"', "war], [peace", "a,b", "back\\slash", "\\", 'q"', "война",
         "冲突", "Putin\u2019s", "],[", "[", "{x}", ""]


def entry(rows: int, offset: int = 0, with_rows: bool = True) -> dict:
    names = [("generic", "conflict"), ("generic", "economic"), ("policy", "security")]
    frames = sorted((names[(k + offset) % 3] for k in range(rows)),
                    key=names.index)
    out = {"documents": [0.25, float("nan"), 0.0, 12]}
    if with_rows and rows:
        texts = [TEXTS[(k + offset) % len(TEXTS)] for k in range(rows)]
        out["matches"] = [[c for c, _ in frames], [f for _, f in frames],
                          list(range(rows)), [10 * k for k in range(rows)],
                          [10 * k + 3 for k in range(rows)], texts, texts[::-1],
                          [k % 2 == 0 for k in range(rows)]]
    out["sentences"] = [0, 5, 1, 7]
    return out


@pytest.mark.parametrize("rows", [0, 1, 2, 5, 14, 40])
def test_every_run_of_rows_is_cut_and_replaced_as_encoding_would(rows):
    for offset in range(3):
        old = entry(rows, offset)
        text = EntryText.read(encoded(old).encode())
        assert text is not None
        assert text.shares[-1] == 12 and text.bounds == old["sentences"]
        frames = text.frames()
        assert frames == list(zip(*old["matches"][:2], strict=True)) if rows else frames == []
        for a in range(rows + 1):
            for b in range(a, rows + 1):
                cut = text.cut(a, b, rows)
                assert cut is not None
                if not rows:
                    assert cut == []
                    continue
                assert [json.loads(v.join("[]")) for _, v, _ in cut] == \
                    [c[a:b] for c in old["matches"]]
                new_values = [[*c[b:], *c[:a]] for c in old["matches"]]  # any other run
                pieces = [(before, encoded(new)[1:-1], after)
                          for (before, _, after), new in zip(cut, new_values, strict=True)]
                shares = [0.5, float("nan"), 1.0, 12]
                expected = {"documents": shares,
                            "matches": [c[:a] + n + c[b:] for c, n
                                        in zip(old["matches"], new_values, strict=True)],
                            "sentences": old["sentences"]}
                if not any(expected["matches"]):
                    del expected["matches"]
                assert text.rewritten(shares, pieces) == encoded(expected).encode()


@pytest.mark.parametrize("raw", [
    b"", b"\xff", b"[]", b'{"documents":[1]}', b'{"documents":[1],"sentences":[0,1]',
    b'{"documents":[1],"meta":{},"sentences":[0,1]}',
    b'{"documents":[1],"matches":[["a"],["b"]],"meta":{},"sentences":[0,1]}',
    b'{"sentences":[0,1],"documents":[1]}',
])
def test_other_layouts_are_refused(raw):
    text = EntryText.read(raw)
    assert text is None or text.frames() is None or text.cut(0, 1, 1) is None


def test_columns_of_unequal_length_are_refused():
    raw = b'{"documents":[1],"matches":[["a","a"],["b"]],"sentences":[0,1]}'
    text = EntryText.read(raw)
    assert text is not None and text.frames() is None
