"""Memory of corpus-level (reduce) work whose inputs did not change, so a re-run redoes only
what changed: after a codebook edit, the bootstrap intervals and permutation tests of the
tone, marker and readability figures come back from here; only the frames' are drawn.

Column statistics are kept per column, keyed by a hash of that column's values and of
every other argument (resamples, seed, group labels ...), so an entry is found only for
exactly the same inputs. Whole results (topics, term counts) are keyed by a hash of the
texts and settings. Both live in this process (the app's warm worker, a test session)
and are bounded.
"""
from __future__ import annotations

import hashlib
import json
import operator
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["by_column", "remembered", "is_remembered", "clear", "stage_key", "recall_stage", "keep_stage"]

_COLUMNS: OrderedDict[bytes, np.ndarray] = OrderedDict()
_COLUMN_LIMIT = 200_000      # entries are a few numbers each: a few MB at most
_RESULTS: dict[str, OrderedDict[str, object]] = {}  # kind -> its last results
# per-document analyzer -> (key, its assembled result, its row tables on disk by field)
_STAGE: dict[str, tuple[str, object, dict]] = {}


def clear() -> None:
    """Forget everything (tests; freeing memory)."""
    _COLUMNS.clear()
    _RESULTS.clear()
    _STAGE.clear()
    _KEYED.clear()


def _digest(*parts) -> hashlib.blake2b:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        if isinstance(part, np.ndarray):
            h.update(str(part.dtype).encode() + str(part.shape).encode())
            h.update(np.ascontiguousarray(part).tobytes())
        else:
            h.update(repr(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h


def by_column(kind: str, compute: Callable[..., np.ndarray], arrays: Sequence[np.ndarray],
              common: tuple) -> np.ndarray:
    """``compute(*arrays)`` (one result row per column of the ``(n, k)`` arrays), from
    memory for the columns seen before with the same ``common`` arguments; ``compute``
    runs on the other columns only and must give each column the result it would give it
    among all columns (true of statistics whose random draws do not depend on the values).
    """
    k = arrays[0].shape[1] if arrays[0].ndim == 2 else 0
    if k == 0:
        return compute(*arrays)
    base = _digest(kind, *common)
    keys = []
    for j in range(k):
        h = base.copy()
        for a in arrays:
            h.update(np.ascontiguousarray(a[:, j]).tobytes())
        keys.append(h.digest())
    missing = [j for j, key in enumerate(keys) if key not in _COLUMNS]
    if missing:
        # All of them (a first run): the arrays as they are, not a copy of each.
        part = np.asarray(compute(*(arrays if len(missing) == k
                                    else [a[:, missing] for a in arrays])))
        for j, row in zip(missing, part, strict=True):
            _COLUMNS[keys[j]] = np.array(row, copy=True)
    rows = []
    for key in keys:
        _COLUMNS.move_to_end(key)
        rows.append(_COLUMNS[key])
    while len(_COLUMNS) > _COLUMN_LIMIT:
        _COLUMNS.popitem(last=False)
    return np.stack(rows)


def remembered(kind: str, parts: tuple, compute: Callable[[], object], keep: int = 2):
    """``compute()``, or its result from one of the last ``keep`` calls with the same
    ``kind`` and ``parts`` (hashed: texts, settings). The result is shared: callers must
    not change it."""
    store = _RESULTS.setdefault(kind, OrderedDict())
    key = _digest(*parts).hexdigest()
    if key in store:
        store.move_to_end(key)
        return store[key]
    value = compute()
    store[key] = value
    while len(store) > keep:
        store.popitem(last=False)
    return value


def is_remembered(kind: str, parts: tuple) -> bool:
    """Whether :func:`remembered` would give ``kind``'s result for ``parts`` from memory."""
    return _digest(*parts).hexdigest() in _RESULTS.get(kind, ())


#: The entries last keyed by :func:`stage_key` with ``hold_entries``, per analyzer (its
#: last two keys: a re-run after a codebook edit keys the frames' new entries and looks
#: up those of the last run): head digest -> (the entry objects, the key).
_KEYED: dict[str, OrderedDict[bytes, tuple[bytes, list, str]]] = {}


def stage_key(name: str, version_fp: tuple[str, str], ids, entries, dtypes,
              spilled: str | None, hold_entries: bool = False) -> str:
    """What a per-document analyzer's assembled result for a whole corpus is made of: its
    version and inputs, each document's id and entry (the bytes, so a damaged or forged
    entry is never taken for the one it replaced), the column types, and ``spilled``:
    None when its row tables stay in memory, else what decides the rows kept of them
    (``Spill.kept_for``).

    The very entry objects keyed before (bytes never change) give that key again without
    reading their bytes (hashing every analyzer's entries, about 220 MB at 10,000
    articles, took about 0.2 CPU s of every re-run). Only entries keyed with
    ``hold_entries`` are held for that: the caller's cache holds them in memory anyway
    (held for a cache on disk, they would stay in memory), and only those of the last
    corpus keyed (another project opened in the app lets the last one's go)."""
    if len(ids) != len(entries):
        raise ValueError(f"{len(ids)} documents but {len(entries)} entries")
    documents = _digest(list(ids)).digest()
    head = _digest(name, version_fp, spilled, json.dumps(dtypes, sort_keys=True),
                   documents)
    keyed = _KEYED.setdefault(name, OrderedDict())
    held = keyed.get(head.digest())
    if held is not None and len(held[1]) == len(entries) \
            and all(map(operator.is_, held[1], entries)):
        keyed.move_to_end(head.digest())
        return held[2]
    key = _entries_key(head, entries)
    if hold_entries:
        for other in [h for h, (docs, _, _) in keyed.items() if docs != documents]:
            del keyed[other]
        keyed[head.digest()] = (documents, list(entries), key)
        while len(keyed) > 2:
            keyed.popitem(last=False)
    return key


def _entries_key(head: hashlib.blake2b, entries) -> str:
    # SHA-256 over the entries (every analyzer's, about 20 KB per article, on each
    # re-run): with the processor's SHA instructions it runs at about twice blake2b's
    # speed. The lengths first, then the bytes one after the other: one list of entries
    # gives one key.
    h = hashlib.sha256(head.digest())
    h.update(np.fromiter(map(len, entries), np.int64, len(entries)).tobytes())
    for entry in entries:
        h.update(entry)
    return h.hexdigest()


def recall_stage(name: str, key: str) -> tuple[object, dict] | None:
    """The last result of analyzer ``name`` kept under ``key``, with its row tables on
    disk (``field -> SpilledTable``): a re-run after a codebook edit takes the other
    analyzers' results from here instead of decoding and writing every entry again.
    Shared: callers must not change it."""
    held = _STAGE.get(name)
    return (held[1], held[2]) if held is not None and held[0] == key else None


def keep_stage(name: str, key: str, result, spilled: dict) -> None:
    """Keep the result of analyzer ``name`` (one per analyzer: the last run's)."""
    _STAGE[name] = (key, result, dict(spilled))
