"""A document's cached frames entry read and rewritten as JSON text, without decoding it.

After an edit of a frame's terms, a document's new entry differs from its last one only
in the edited frames' shares and rows. At 10,000 articles decoding every entry matched
again, and encoding each new one, was half of the work of matching again. Here only
what changes is decoded: the shares, the sentence bounds, the frame of each row, and in
each column array the run of values of the edited frames (found in the JSON text by regular
expressions and by counting quotes). The new entry is the old text with those runs replaced.

An entry is ``{"documents":[shares..., n_sentences],"matches":[[column]...],
"sentences":[bounds...]}`` (``"matches"`` only when there are rows), written compactly
as :func:`analysis.doc_stage.analyze_chunk` and :func:`analysis.frame_reuse.reuse_frames`
write it. Anything else (another key, another layout) is refused: the caller then
decodes the entry as before.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

__all__ = ["EntryText", "encoded"]

_DECODE = json.JSONDecoder().raw_decode
_HEAD = '{"documents":'
_MATCHES = ',"matches":['
_SENTENCES = ',"sentences":'
#: One value of a column array: a JSON string, or a number, true, false or null.
_VALUE = r'(?:"[^"\\]*(?:\\.[^"\\]*)*"|[^",\[\]{}]+)'
#: From a value's start (or the closing bracket): the rest of the array.
_REST = re.compile(rf"(?:{_VALUE}(?:,{_VALUE})*)?\]")
_ENCODE = json.JSONEncoder(separators=(",", ":")).encode   # as json.dumps, made once


def _close(text: str, at: int) -> int:
    """Where the array whose values start at ``at`` ends (its "]"), or -1. A "]" ends
    it when an even number of quotes lies before it (not inside a string): told by
    counting where no backslash can escape a quote, else by :data:`_REST` (slower)."""
    end = text.find("]", at)
    while end >= 0:
        if text.find("\\", at, end) >= 0:
            rest = _REST.match(text, at)
            return rest.end() - 1 if rest else -1
        if not text.count('"', at, end) % 2:
            return end
        end = text.find("]", end + 1)
    return -1


@lru_cache(maxsize=1024)
def _skipper(k: int) -> re.Pattern:
    """Matches ``k`` values, each with the comma after it."""
    return re.compile(rf"(?:{_VALUE},){{{k}}}")


def _skip(text: str, at: int, k: int) -> int:
    """Where the value ``k`` values after the one at ``at`` starts (-1: not so many)."""
    if not k:
        return at
    found = _skipper(k).match(text, at)
    return found.end() if found else -1


def encoded(value) -> str:
    """``value`` as an entry holds it (compact JSON)."""
    return _ENCODE(value)


class EntryText:
    """A frames entry's JSON text with its shares and sentence bounds decoded; its
    ``matches`` only as text, cut by :meth:`cut` (None from :meth:`read` when the text is
    not such an entry)."""

    __slots__ = ("text", "shares", "bounds", "_matches", "_tail")

    def __init__(self, text: str, shares: list, bounds: list, matches: int, tail: int):
        self.text, self.shares, self.bounds = text, shares, bounds
        self._matches, self._tail = matches, tail   # where "matches" / "sentences" start

    @classmethod
    def read(cls, raw: bytes) -> EntryText | None:
        try:
            text = raw.decode("utf-8")
            if not text.startswith(_HEAD):
                return None
            shares, at = _DECODE(text, len(_HEAD))
            tail = text.rfind(_SENTENCES)
            if tail < at:
                return None
            bounds, end = _DECODE(text, tail + len(_SENTENCES))
        except (UnicodeDecodeError, ValueError):
            return None
        if end != len(text) - 1 or text[end] != "}" or not isinstance(shares, list):
            return None
        if text.startswith(_MATCHES, at):
            return cls(text, shares, bounds, at, tail)
        return cls(text, shares, bounds, -1, tail) if at == tail else None

    def cut(self, a: int, b: int, n: int) -> list[tuple[str, str, str]] | None:
        """Each column's values of rows ``a`` to ``b`` (of ``n``, see :meth:`frames`) with
        the values around them, as JSON text without brackets: ``(before, values,
        after)`` per column. None when the text is not such columns."""
        text, at = self.text, self._matches
        if at < 0:
            return [] if n == 0 else None
        at += len(_MATCHES)
        out = []
        while text.startswith("[", at):
            start = at + 1
            a_at = _skip(text, start, a) if a < n else start
            b_at = _skip(text, a_at, b - a) if b < n and a_at >= 0 else a_at
            close = _close(text, b_at) if b_at >= 0 else -1   # the column's "]"
            if close < 0:
                return None
            if a == n:
                out.append((text[start:close], "", ""))
            elif b == n:
                out.append((text[start:a_at - 1] if a else "", text[a_at:close], ""))
            else:
                out.append((text[start:a_at - 1] if a else "",
                            text[a_at:b_at - 1] if b > a else "", text[b_at:close]))
            at = close + 1
            if not text.startswith(",", at):
                break
            at += 1
        if text[at:at + 1] != "]" or at + 1 != self._tail:
            return None
        return out

    def frames(self) -> list[tuple[str, str]] | None:
        """``(codebook, frame)`` of every row (the first two columns), None when not
        such columns."""
        if self._matches < 0:
            return []
        try:
            codebooks, at = _DECODE(self.text, self._matches + len(_MATCHES))
            frames, _ = _DECODE(self.text, at + 1)
        except ValueError:
            return None
        if not isinstance(codebooks, list) or not isinstance(frames, list) \
                or len(codebooks) != len(frames) or self.text[at:at + 1] != ",":
            return None
        return list(zip(codebooks, frames, strict=True))

    def rewritten(self, shares: list, columns: list[tuple[str, str, str]]) -> bytes:
        """The entry with ``shares`` and, per column, ``(before, values, after)``."""
        parts = [_HEAD, encoded(shares)]
        body = [",".join(p for p in column if p) for column in columns]
        if any(body):
            parts += [_MATCHES, "],[".join(body).join("[]"), "]"]
        parts.append(self.text[self._tail:])
        return "".join(parts).encode("utf-8")
