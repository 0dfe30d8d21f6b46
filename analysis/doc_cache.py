"""Per-document analyzer results kept between runs, so a re-run recomputes only what changed.

A key names everything an entry depends on: the analyzer, its version, a fingerprint of
the inputs that matter to it (the codebooks for frames, the targets and scorer for
target tone ...) and the hash of the document's text (:func:`entry_key`). When any of
them changes the key changes, so a stale entry is never found, let alone used. Values
are bytes (JSON, never pickle: a project file may come from someone else).

:class:`DocumentCache` keeps entries in memory (the app saves ``items()`` in the project
file); :class:`SqliteDocumentCache` keeps the same entries in a SQLite file (the CLI's
``--cache FILE``).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["DocumentCache", "SqliteDocumentCache", "entry_key", "text_hash", "document_hash",
           "fingerprint"]


def text_hash(text: str) -> str:
    """The hex SHA-256 of a document's text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def document_hash(doc) -> str:
    """What a document's cached results depend on of the document itself: its text, and
    its ``language`` when set (a user can change it, and the analyzers read it)."""
    language = doc.get("language")
    return text_hash(doc.text if not language else f"{doc.text}\x00language={language}")


#: Canonical forms of frozen values already met, by value: every run fingerprints the
#: codebooks (thousands of small objects) for the frames' cache keys and result templates.
_FROZEN: dict[object, object] = {}
_FROZEN_LIMIT = 64


def _canonical(value):
    """``value`` as JSON-able data whose dump is the same in every process (sets sorted,
    dataclasses as their fields), so its hash can be a cache key."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        frozen = type(value).__dataclass_params__.frozen
        if frozen:
            try:
                return _FROZEN[value]
            except TypeError:  # a field that cannot be hashed: not remembered
                frozen = False
            except KeyError:
                pass
        out = {"__type__": type(value).__name__,
               **{f.name: _canonical(getattr(value, f.name))
                  for f in dataclasses.fields(value) if f.compare}}
        if frozen:
            if len(_FROZEN) >= _FROZEN_LIMIT:
                _FROZEN.clear()
            _FROZEN[value] = out
        return out
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    pattern = getattr(value, "pattern", None)  # a compiled regex
    if isinstance(pattern, str):
        return {"__regex__": pattern, "flags": getattr(value, "flags", 0)}
    return repr(value)


def fingerprint(*parts) -> str:
    """A short stable hash of ``parts`` (dataclasses, tuples, dicts, sets, scalars)."""
    blob = json.dumps(_canonical(list(parts)), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"), default=repr)
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def entry_key(analyzer: str, version: str, inputs_fingerprint: str, text_sha: str) -> str:
    """The cache key of one analyzer's result for one document text."""
    return f"{analyzer}|{version}|{inputs_fingerprint}|{text_sha}"


class DocumentCache:
    """Cache entries in memory: ``key -> bytes``."""

    def __init__(self) -> None:
        self._entries: dict[str, bytes] = {}

    @classmethod
    def from_items(cls, pairs: Iterable[tuple[str, bytes]]) -> DocumentCache:
        cache = cls()
        for key, value in pairs:
            cache.put(key, value)
        return cache

    def get(self, key: str) -> bytes | None:
        return self._entries.get(key)

    def put(self, key: str, value: bytes) -> None:
        self._entries[str(key)] = bytes(value)

    def items(self) -> Iterator[tuple[str, bytes]]:
        return iter(list(self._entries.items()))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries


_FLUSH_EVERY = 5000  # entries held in memory before they are written


class SqliteDocumentCache(DocumentCache):
    """The same entries in a SQLite file, read on demand (a 100,000-article cache need
    not fit in memory). New entries are written in transactions of a few thousand by
    :meth:`flush` (also on ``close`` and when used as a context manager)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()  # _entries holds the entries not yet written
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path)
            self._db.execute("CREATE TABLE IF NOT EXISTS entries "
                             "(key TEXT PRIMARY KEY, value BLOB NOT NULL)")
            self._db.commit()
        except sqlite3.DatabaseError as exc:
            raise OSError(f"{self.path}: not a usable cache file ({exc})") from exc

    def put(self, key: str, value: bytes) -> None:
        super().put(key, value)
        if len(self._entries) >= _FLUSH_EVERY:
            self.flush()

    def get(self, key: str) -> bytes | None:
        pending = self._entries.get(key)
        if pending is not None:
            return pending
        row = self._db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        return bytes(row[0]) if row else None

    def flush(self) -> None:
        if self._entries:
            with self._db:  # one transaction: a killed run leaves the file as it was
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)",
                                     self._entries.items())
            self._entries.clear()

    def items(self) -> Iterator[tuple[str, bytes]]:
        self.flush()
        for key, value in self._db.execute("SELECT key, value FROM entries ORDER BY key"):
            yield key, bytes(value)

    def __len__(self) -> int:
        self.flush()
        return int(self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def close(self) -> None:
        self.flush()
        self._db.close()

    def __enter__(self) -> SqliteDocumentCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
