"""Parse a large JSON object in pieces, so that a worker thread parsing it never holds the
interpreter long enough to freeze the window, from text that arrives in chunks, so that
the whole text is never put together in one str."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable

__all__ = ["loads_in_pieces"]

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
#: A value that ends this close to the end of the text read so far may go on in the next
#: chunk: the number scanner stops before a "." or "e" with no digit after it yet, so
#: "1." + "5" would be read as 1 followed by a stray ".".
_TAIL = 3


def loads_in_pieces(text: str | Iterable[str]):
    """``json.loads(text)``, with a top-level object's values, and the items of the lists
    among them, each parsed by a call of its own.

    ``text`` is a str, or chunks of one (any iterable of str, read as they are needed):
    joined, they are the text, but they are never joined. A project's results.json (tens
    of MB, hundreds at 100,000 articles, mostly one row per document) would otherwise
    be copied into one str, and one ``json.loads`` of it runs in C for a second or more
    without letting the GUI thread in; between the pieces, Python switches threads as
    usual. Malformed text raises :class:`json.JSONDecodeError`, as ``json.loads`` does
    (its position counts from the start of the chunks still held).
    """
    src = _Chunks((text,) if isinstance(text, str) else text)
    at = src.skip(0)
    if not src.text.startswith("{", at):
        return src.whole(at)
    found: dict = {}
    at = src.skip(at + 1)
    if src.text.startswith("}", at):
        return _end(src, {}, at + 1)
    while True:
        key, at = src.decode(at)
        if not isinstance(key, str):
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes",
                                       src.text, at)
        at = _expect(src, at, ":")
        found[key], at = _value(src, at)
        at = src.skip(at)
        if src.text.startswith("}", at):
            return _end(src, found, at + 1)
        at = _expect(src, at, ",")


class _Chunks:
    """The text not parsed yet: ``text`` holds what was read of it, the chunks the rest."""

    def __init__(self, chunks: Iterable[str]) -> None:
        self._chunks = iter(chunks)
        self.text = ""
        self.ended = False
        self.limit = 0  # a value ending after this may go on in the next chunk
        self.extend(0)

    def extend(self, at: int) -> int:
        """Drop the text before ``at`` and read at least as much again as is left (so a
        value parsed over and over as it grows costs twice its length, not its square),
        or to the end; the new position of ``at`` (0)."""
        rest = self.text[at:]
        added, size = [rest], 0
        for chunk in self._chunks:
            added.append(chunk)
            size += len(chunk)
            if size > len(rest):
                break
        else:
            self.ended = True
        self.text = "".join(added)
        self.limit = len(self.text) - (0 if self.ended else _TAIL)
        return 0

    def skip(self, at: int) -> int:
        """The position of the first non-space character from ``at`` (or the end)."""
        while True:
            at = _SPACE.match(self.text, at).end()
            if at < len(self.text) or self.ended:
                return at
            at = self.extend(at)

    def decode(self, at: int):
        """The value at ``at`` and the position after it, read on as far as it goes."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, at)
            except json.JSONDecodeError:
                if self.ended:
                    raise
                at = self.extend(at)
                continue
            if end <= self.limit:
                return value, end
            at = self.extend(at)

    def whole(self, at: int):
        """The rest of the text as one value (not an object: parsed in one call)."""
        while not self.ended:
            at = self.extend(at)
        return json.loads(self.text[at:])


def _value(src: _Chunks, at: int):
    """The value at ``at`` (a list item by item) and the position after it."""
    if not src.text.startswith("[", at):
        return src.decode(at)
    items: list = []
    at = src.skip(at + 1)
    if src.text.startswith("]", at):
        return items, at + 1
    scan, space, append = _DECODER.scan_once, _SPACE.match, items.append
    text, limit = src.text, src.limit
    while True:  # the hot loop (one pass per document): json's own scanner, few calls
        try:
            item, end = scan(text, at)
        except (StopIteration, json.JSONDecodeError) as exc:
            if not src.ended:  # perhaps cut off by the end of a chunk
                at = src.extend(at)
                text, limit = src.text, src.limit
                continue
            if isinstance(exc, json.JSONDecodeError):
                raise
            raise json.JSONDecodeError("Expecting value", text, exc.value) from None
        if end > limit:  # read on: it may go on in the next chunk
            at = src.extend(at)
            text, limit = src.text, src.limit
            continue
        append(item)
        at = end
        mark = text[at:at + 1]
        if mark in " \t\n\r":
            at = space(text, at).end()
            if at >= limit:
                at = src.skip(at)
                text, limit = src.text, src.limit
            mark = text[at:at + 1]
        if mark == ",":
            at = space(text, at + 1).end()
            if at >= limit:
                at = src.skip(at)
                text, limit = src.text, src.limit
        elif mark == "]":
            return items, at + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, at)


def _expect(src: _Chunks, at: int, mark: str) -> int:
    at = src.skip(at)
    if not src.text.startswith(mark, at):
        raise json.JSONDecodeError(f"Expecting '{mark}' delimiter", src.text, at)
    return src.skip(at + 1)


def _end(src: _Chunks, value: dict, at: int) -> dict:
    at = src.skip(at)
    if at != len(src.text):
        raise json.JSONDecodeError("Extra data", src.text, at)
    return value
