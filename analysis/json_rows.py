"""Rows of one shape (results.json's document rows) encoded from one template.

Why: the ``documents`` rows of results.json are about 100 values each, nested in the same
dicts with the same keys row after row. Cleaned one value at a time
(:func:`analysis.results.clean_json`) and then encoded container by container
(:func:`analysis.indented_json.encode_indented`), they were most of the time spent writing
a large results.json (about 0.8 CPU s of 1.2 at 10,000 articles).

How: a row's *shape* is its nesting, its keys and the exact type of every value. The
first row of a shape is encoded the usual way with every value replaced by a marker; the
text between the markers is the template of that shape. The values of a batch of rows
are then encoded in one call of the C encoder and put between the template's pieces. A
non-finite float is encoded as ``null``, as ``clean_json`` makes it; a shape with any
other value than text, numbers, true/false/null (a numpy scalar, a tuple), or a key that
is not text, has no template, and its batch goes the usual way
(``tests/analysis/test_json_rows.py`` checks the text is the same).
"""
from __future__ import annotations

import json

from analysis.indented_json import encode_indented

__all__ = ["RowTemplates"]

_PLAIN = frozenset({str, int, float, bool, type(None)})
_MARK = "\x00"                  # a value of the skeleton: encoded as "\u0000"
_MARKED = json.dumps(_MARK)     # '"\\u0000"'
#: Between the encoded values of one call: a JSON text escapes every control character,
#: so this character can only be a separator.
_CUT = "\x01"
_NOT_FINITE = frozenset({"NaN", "Infinity", "-Infinity"})


def _refuse(value):
    raise TypeError(type(value).__name__)


_make = json.encoder.c_make_encoder
_VALUES = (None if _make is None else
           _make(None, _refuse, json.encoder.encode_basestring, None, ": ", _CUT,
                 False, False, True))


def _shape(value, values: list, tokens: list) -> None:
    """Adds ``value``'s shape to ``tokens`` and its plain values to ``values``, in the
    order the encoder writes them."""
    items = value.values() if type(value) is dict else value
    kinds = tuple(map(type, items))
    tokens.append((tuple(value) if type(value) is dict else len(value), kinds))
    if dict not in kinds and list not in kinds:   # most of a row's dicts: values only
        values.extend(items)
        return
    for v in items:
        kind = type(v)
        if kind is dict or kind is list:
            _shape(v, values, tokens)
        else:
            values.append(v)


def _skeleton(value):
    """``value`` with every plain value replaced by the marker."""
    if type(value) is dict:
        return {k: _skeleton(v) for k, v in value.items()}
    if type(value) is list:
        return [_skeleton(v) for v in value]
    return _MARK


class RowTemplates:
    """Encodes batches of rows as :meth:`analysis.results.Results.json_parts` writes the
    items of a top-level list: ``",".join("\\n    " + row)`` with each row indented as
    an item of that list. The templates made are kept for the next batches."""

    def __init__(self) -> None:
        self._pieces: dict[tuple, list[str] | None] = {}

    def encode(self, rows: list) -> str | None:
        """The batch's text, or None when a row has no template (encode it the usual way)."""
        if _VALUES is None:
            return None
        values: list = []
        templates = []
        for row in rows:
            if type(row) is not dict:
                return None
            tokens: list = []
            _shape(row, values, tokens)
            shape = tuple(tokens)
            pieces = self._pieces.get(shape, False)
            if pieces is False:
                pieces = self._pieces[shape] = self._template(row, tokens)
            if pieces is None:
                return None
            templates.append(pieces)
        encoded = "".join(_VALUES(values, 0))[1:-1].split(_CUT) if values else []
        if len(encoded) != len(values):   # a value whose text holds the separator
            return None
        texts, at = [], 0
        for pieces in templates:
            n = len(pieces) - 1
            parts = [""] * (2 * n + 1)
            parts[0::2] = pieces
            parts[1::2] = ["null" if v in _NOT_FINITE else v for v in encoded[at:at + n]]
            at += n
            texts.append("".join(parts))
        return ",".join(texts)

    @staticmethod
    def _template(row: dict, tokens: list) -> list[str] | None:
        """The text around the values of ``row``'s shape, or None for a shape the template
        does not cover."""
        for keys, kinds in tokens:
            if type(keys) is tuple and not all(type(k) is str for k in keys):
                return None
            if not all(kind in _PLAIN or kind is dict or kind is list for kind in kinds):
                return None
        # As json_parts writes one row: an item of a list one level deeper.
        text = encode_indented([_skeleton(row)])[1:-2].replace("\n", "\n  ")
        pieces = text.split(_MARKED)
        n_values = sum(1 for _, kinds in tokens for kind in kinds
                       if kind is not dict and kind is not list)
        return pieces if len(pieces) == n_values + 1 else None
