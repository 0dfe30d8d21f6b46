"""JSON indented by two spaces, as ``json.JSONEncoder(ensure_ascii=False, indent=2,
allow_nan=False).encode`` writes it, with the work done by the C encoder.

Why: Python's ``json`` module encodes with its C encoder only without ``indent``; with
``indent`` every value goes through the pure-Python encoder's generators. For
results.json (about 100 values per document row) that was most of the time a large
analysis spent writing it, and of the app's save of a project.

How: a container whose values are all plain scalars (text, numbers, true/false/null) is
encoded in one C call whose item separator is the comma, line break and indent of its
level; it then only needs its first line break and its closing line. Any other container
is put together here from its items, the keys and scalar values of one container encoded
in one C call too. A value of any other type (or a non-text key, a NaN) is left to the
standard encoder, which gives its result or raises its error
(``tests/analysis/test_indented_json.py`` checks the text is the same).
"""
from __future__ import annotations

import json
from functools import lru_cache

__all__ = ["encode_indented"]

_SCALARS = frozenset({str, int, float, bool, type(None)})
#: Between the encoded scalars of one call: a JSON text escapes every control character,
#: so this character can only be a separator.
_CUT = "\x00"
_STANDARD = json.JSONEncoder(ensure_ascii=False, indent=2, allow_nan=False)


class _Other(Exception):
    """A value the fast path does not cover."""


def _refuse(value):
    raise TypeError(type(value).__name__)


def _c_encoder(item_separator: str):
    """The C encoder (as ``JSONEncoder.encode`` makes it for one call, made once here) with
    ``item_separator``; None where Python has no C encoder."""
    make = json.encoder.c_make_encoder
    if make is None:
        return None
    encode = make(None, _refuse, json.encoder.encode_basestring, None, ": ", item_separator,
                  False, False, False)
    return lambda value: "".join(encode(value, 0))


@lru_cache(maxsize=64)
def _flat(level: int):
    """Encodes the items of a container at ``level`` one per line (a C call)."""
    return _c_encoder(",\n" + "  " * (level + 1))


_PIECES = _c_encoder(_CUT)


def _scalars(values: list) -> list[str]:
    """Each of ``values`` (plain scalars) encoded, in one C call."""
    return _PIECES(values)[1:-1].split(_CUT)


def _encode(value, level: int) -> str:
    kind = type(value)
    if kind is dict:
        items = value.values()
        opening, closing = "{", "}"
    elif kind is list:
        items = value
        opening, closing = "[", "]"
    elif kind in _SCALARS:
        return _scalars([value])[0]
    else:
        raise _Other
    if not value:
        return opening + closing
    inner = "\n" + "  " * (level + 1)
    end = "\n" + "  " * level + closing
    scalars = _SCALARS
    if all(type(v) in scalars for v in items):
        if kind is dict and not all(type(k) is str for k in value):
            raise _Other
        return opening + inner + _flat(level)(value)[1:-1] + end
    # Mixed: the scalar values in one call, each container on its own.
    flat = [v for v in items if type(v) in scalars]
    done = iter(_scalars(flat) if flat else ())
    parts = [next(done) if type(v) in scalars else _encode(v, level + 1) for v in items]
    if kind is dict:
        keys = list(value)
        if not all(type(k) is str for k in keys):
            raise _Other
        parts = [f"{k}: {v}" for k, v in zip(_scalars(keys), parts, strict=True)]
    return opening + inner + ("," + inner).join(parts) + end


def encode_indented(value) -> str:
    """``json.JSONEncoder(ensure_ascii=False, indent=2, allow_nan=False).encode(value)``."""
    if _PIECES is None:
        return _STANDARD.encode(value)
    try:
        return _encode(value, 0)
    except (_Other, ValueError, TypeError, RecursionError):
        return _STANDARD.encode(value)
