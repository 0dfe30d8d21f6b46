"""Parse a large JSON object in pieces, so that a worker thread parsing it never holds the
interpreter long enough to freeze the window."""
from __future__ import annotations

import json
import re

__all__ = ["loads_in_pieces"]

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def loads_in_pieces(text: str):
    """``json.loads(text)``, with a top-level object's values, and the items of the lists
    among them, each parsed by a call of its own.

    One ``json.loads`` of a project's results (tens of MB, mostly one row per document)
    runs in C for a second or more without letting the GUI thread in; between the
    pieces, Python switches threads as usual. Malformed text raises
    :class:`json.JSONDecodeError`, as ``json.loads`` does.
    """
    at = _skip(text, 0)
    if not text.startswith("{", at):
        return json.loads(text)
    found: dict = {}
    at = _skip(text, at + 1)
    if text.startswith("}", at):
        return _end(text, {}, at + 1)
    while True:
        key, at = _DECODER.raw_decode(text, at)
        if not isinstance(key, str):
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes",
                                       text, at)
        at = _expect(text, at, ":")
        found[key], at = _value(text, at)
        at = _skip(text, at)
        if text.startswith("}", at):
            return _end(text, found, at + 1)
        at = _expect(text, at, ",")


def _value(text: str, at: int):
    """The value at ``at`` (a list item by item) and the index after it."""
    if not text.startswith("[", at):
        return _DECODER.raw_decode(text, at)
    items: list = []
    at = _skip(text, at + 1)
    if text.startswith("]", at):
        return items, at + 1
    scan, space, append = _DECODER.scan_once, _SPACE.match, items.append
    while True:  # the hot loop (one pass per document): json's own scanner, few calls
        try:
            item, at = scan(text, at)
        except StopIteration as exc:
            raise json.JSONDecodeError("Expecting value", text, exc.value) from None
        append(item)
        mark = text[at:at + 1]
        if mark in " \t\n\r":
            at = space(text, at).end()
            mark = text[at:at + 1]
        if mark == ",":
            at = space(text, at + 1).end()
        elif mark == "]":
            return items, at + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, at)


def _skip(text: str, at: int) -> int:
    return _SPACE.match(text, at).end()


def _expect(text: str, at: int, mark: str) -> int:
    at = _skip(text, at)
    if not text.startswith(mark, at):
        raise json.JSONDecodeError(f"Expecting '{mark}' delimiter", text, at)
    return _skip(text, at + 1)


def _end(text: str, value: dict, at: int) -> dict:
    if _skip(text, at) != len(text):
        raise json.JSONDecodeError("Extra data", text, _skip(text, at))
    return value
