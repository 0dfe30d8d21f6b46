"""The frames result of a re-run after a codebook edit, spliced from the last run's result
instead of put together again from every document's entry.

At 10,000 articles putting the frames result together again meant decoding 10,000
entries and writing 1.27 million match rows to the table store one by one: about half of
the frames step of an edit re-run. When the last run's result is still held (in the warm
process, :func:`analysis.reduce_memo.recall_stage`) and the edit kept every frame in its
place, only the edited frames differ, and only in the documents whose entries changed:

- the documents table is the last one with the edited frames' shares of those documents;
- the match table on disk is written by SQLite itself from the last run's table, rowid
  range by rowid range, with only the changed documents' rows of the edited frames sent
  from Python (a document's rows come frame by frame in plan order, so they sit between
  the rows of the frames before and after them);
- the evidence candidates of the other frames stay; the edited frames' are picked again
  block by block from their rows in the new table, as a fresh run picks them.

The result, its table on disk and its files equal those of putting the entries together
(``tests/analysis/test_frame_reuse.py``).
"""
from __future__ import annotations

import json
import weakref
from collections.abc import Sequence
from itertools import accumulate, groupby, repeat

import numpy as np
import pandas as pd

from analysis.doc_cache import DocumentCache, entry_key

__all__ = ["spliced_frames", "edited_frames", "changes_of"]


def spliced_frames(version_fp: tuple[str, str], ids: Sequence[str], shas: Sequence[str],
                   entries: Sequence[bytes], dtypes: dict | None, spill, key: str,
                   cache: DocumentCache, made: dict | None = None):
    """The frames result of ``entries`` (this run's, one per document of ``ids``) and its
    tables on disk (none to link: the match table is written into ``spill.store``), or
    None when the last run's result cannot be spliced (then the entries are put together
    as before). The result is kept under ``key`` (:func:`analysis.reduce_memo.stage_key`
    of ``entries``) for the next re-run. ``made``: what :func:`changes_of` gave for
    the entries :func:`analysis.frame_reuse.reuse_frames` made in this run (by position),
    so they are not decoded again."""
    from analysis.gc_pause import collection_paused

    with collection_paused():
        return _spliced(version_fp, ids, shas, entries, dtypes, spill, key, cache, made or {})


def _spliced(version_fp, ids, shas, entries, dtypes, spill, key, cache, made):
    from analysis.assembly import BLOCK_DOCUMENTS, spilled_name
    from analysis.doc_stage import schema_key
    from analysis.frame_reuse import cached_json, plan_key, recent_key
    from analysis.reduce_memo import keep_stage, recall_stage, stage_key

    version, fp = version_fp
    name = spilled_name("frames", "matches")
    keep = spill.tables.get(("frames", "matches"))
    recent = cached_json(cache, recent_key(version))
    if keep is None or not isinstance(recent, list) or len(recent) < 2 or recent[0] != fp:
        return None
    old_fp = recent[1]  # the plan of the last run, whose result may still be held
    plan, old_plan = cached_json(cache, plan_key(version, fp)), \
        cached_json(cache, plan_key(version, old_fp))
    old_entries = [cache.get(entry_key("frames", version, old_fp, sha)) for sha in shas]
    if not isinstance(plan, list) or not isinstance(old_plan, list) \
            or any(e is None for e in old_entries):
        return None
    names, edited = _names(plan), edited_frames(plan, old_plan)
    if edited is None:
        return None  # frames added, removed or moved: put together in full
    old_types = cached_json(cache, schema_key("frames", (version, old_fp)))
    held = recall_stage("frames", stage_key("frames", (version, old_fp), ids, old_entries,
                                            old_types, spill.kept_for.get("frames", "")))
    if held is None or old_types != dtypes or "matches" not in held[1]:
        return None
    old, tables = held
    source = tables["matches"]
    changed = [i for i, (a, b) in enumerate(zip(entries, old_entries, strict=True))
               if a is not b and a != b]
    del old_entries
    if not edited or not changed:
        return None
    work = _Changes(edited, old.documents)
    for i in changed:
        if not work.add(i, made.get(i) or _decoded_changes(ids[i], entries[i], names, edited)):
            return None  # not an entry this splice can read: put together in full
    starts = _document_starts(source, ids)
    if starts is None:
        return None
    pieces, last = [], 1
    for i, prefix, suffix, rows in work.rows:
        lo, hi = starts[i] + prefix, starts[i + 1] - suffix   # the old rows to replace
        if hi < lo:
            return None  # the old rows are not those the entry's frames say
        if lo > last:
            pieces.append((last, lo - 1))
        if rows:
            pieces.append(rows)
        last = hi
    if last < starts[-1]:
        pieces.append((last, starts[-1] - 1))
    spill.store.drop(name)
    spill.store.splice(name, source, pieces)
    documents = work.documents()
    wanted = [names[j] for j in edited]
    table = spill.store.table(name)
    _keep_starts(table, ids, starts, work.rows)
    rows = _edited_rows(source, ids, starts, work.rows, wanted, table)
    if rows is None:  # most documents unchanged: one scan of the new table reads fewer
        rows = table.rows_where(("codebook", "frame"), wanted), None
    kept = _evidence(old.matches, *rows, ids, names, edited, keep, BLOCK_DOCUMENTS)
    result = old.__class__(documents, kept, old.warnings)
    keep_stage("frames", key, result, {"matches": table})
    return result, {}


class _Changes:
    """The edited frames' shares and rows of the documents whose entries changed."""

    def __init__(self, edited: list[int], documents: pd.DataFrame) -> None:
        self.edited = set(edited)
        self.old = documents
        self.old_values = documents.to_numpy(dtype=float, copy=False) \
            if len(documents.columns) else None
        self.shares: dict[int, list] = {}
        #: (document, rows of the frames before the first edited one, rows of those after
        #: the last edited one, the rows in between as tuples)
        self.rows: list[tuple[int, int, int, list]] = []

    def add(self, i: int, changes: tuple | None) -> bool:
        """Take document ``i``'s :func:`changes_of`, when its frames that were not edited
        keep their shares (it is then the entry of the same document under the last
        run's frames but for the edited ones)."""
        if changes is None:
            return False
        shares, prefix, suffix, rows = changes
        old = self.old_values[i]
        for j, value in enumerate(shares):
            if j not in self.edited and not _same(value, old[j]):
                return False
        self.shares[i] = shares
        self.rows.append((i, prefix, suffix, rows))
        return True

    def documents(self) -> pd.DataFrame:
        """The last documents table with the changed documents' edited shares."""
        out = self.old.copy()
        positions = list(self.shares)
        for j in sorted(self.edited):
            column = out.columns[j]
            values = out[column].to_numpy(copy=True)
            values[positions] = [self.shares[i][j] for i in positions]
            out[column] = values
        return out


def _names(plan: list[dict]) -> list[tuple[str, str]]:
    return [(f["codebook"], f["frame"]) for f in plan]


def edited_frames(plan: list[dict], old_plan) -> list[int] | None:
    """The places of the frames ``plan`` changed from ``old_plan`` (a frame plan of
    :func:`analysis.frame_reuse.frame_plan`), or None when not every frame kept its place."""
    if not isinstance(old_plan, list) or _names(plan) != _names(old_plan):
        return None
    return [j for j, (a, b) in enumerate(zip(plan, old_plan, strict=True)) if a["fp"] != b["fp"]]


def changes_of(doc_id: str, entry: dict, names: list, edited: list[int],
               counts: list[int] | None = None, first_row: int = 0) -> tuple | None:
    """What the splice takes of a document's frames entry (plain values): its shares, the
    number of its rows before the first edited frame's and after the last edited frame's,
    and the rows in between (with ``doc_id``, as tuples); None when it is not an entry
    the splice can read (rows not frame by frame in plan order). ``counts``: the rows
    per frame, where known (then the rows are not gone through); with them ``entry``
    may hold only the rows from row ``first_row`` on (those of the edited frames among
    them)."""
    try:
        shares = entry["documents"]
        columns = entry.get("matches") or []
        if not isinstance(shares, list) or len(shares) != len(names) + 1 or not edited:
            return None
        at = {n: j for j, n in enumerate(names)}
        first, last_edited = edited[0], edited[-1]
        if counts is not None:
            prefix, suffix = sum(counts[:first]), sum(counts[last_edited + 1:])
            a, b = prefix - first_row, sum(counts) - suffix - first_row
            rows = list(zip(repeat(doc_id, b - a), *(c[a:b] for c in columns), strict=True)) \
                if b > a else []
            return shares, prefix, suffix, rows
        prefix = suffix = start = 0
        last = -1
        inside: tuple[int, int] | None = None
        for name, run in groupby(zip(columns[0], columns[1], strict=True) if columns else ()):
            j = at.get(name, -1)
            n = sum(1 for _ in run)
            if j <= last:
                return None  # not frame by frame in plan order
            last = j
            if j < first:
                prefix += n
            elif j > last_edited:
                suffix += n
            elif inside is None:
                inside = (start, start + n)
            else:
                inside = (inside[0], start + n)
            start += n
        rows: list = []
        if inside is not None:
            a, b = inside
            rows = list(zip(repeat(doc_id, b - a), *(c[a:b] for c in columns), strict=True))
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None
    return shares, prefix, suffix, rows


def _decoded_changes(doc_id: str, raw: bytes, names: list, edited: list[int]) -> tuple | None:
    try:
        entry = json.loads(raw)
    except ValueError:
        return None
    return changes_of(doc_id, entry, names, edited) if isinstance(entry, dict) else None


def _same(a, b) -> bool:
    return a == b or (a is None and b != b) or (a != a and b != b)


#: Where each document's rows start in a table this module wrote (``SpilledTable ->
#: (doc ids, starts)``): the next splice starts from that table, and counting its rows
#: per document again was a GROUP BY over every row (the table has no other note of
#: where each document's rows are). Held as long as the table object is.
_STARTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _keep_starts(table, ids: Sequence[str], starts: list[int], changed: list) -> None:
    """Note where each document's rows start in ``table``, spliced from a table whose
    documents started at ``starts`` with the ``changed`` rows (:attr:`_Changes.rows`)."""
    counts = [b - a for a, b in zip(starts[:-1], starts[1:], strict=True)]
    for i, prefix, suffix, rows in changed:
        counts[i] = prefix + len(rows) + suffix
    new = list(accumulate(counts, initial=1))
    if new[-1] - 1 == len(table):
        _STARTS[table] = (tuple(ids), new)


def _document_starts(source, ids: Sequence[str]) -> list[int] | None:
    """The rowid of each document's first row in ``source`` (rows in document order, rowids
    1 .. n), and past the last row at the end; None when the rows are not so."""
    kept = _STARTS.get(source)
    if kept is not None and kept[0] == tuple(ids) and kept[1][-1] - 1 == len(source):
        return list(kept[1])
    counts = source.store.row_counts(source.name)
    if counts is None:
        return None
    starts = [1]
    for doc_id in ids:
        starts.append(starts[-1] + counts.pop(doc_id, 0))
    if counts or starts[-1] - 1 != len(source):
        return None  # rows of other documents
    return starts


#: Below this share of the table's rows in the documents whose entries did not change,
#: the edited frames' rows are read as :func:`_edited_rows` reads them; above it, by a
#: scan of the new table (which reads every row but returns only the edited frames').
UNCHANGED_SHARE = 0.1


def _edited_rows(source, ids: Sequence[str], starts: list[int], changed: list,
                 wanted: list, table) -> tuple[pd.DataFrame, np.ndarray] | None:
    """The rows of the ``wanted`` frames in the new table, in table order, and each
    row's document (its place in ``ids``), without scanning the table: those of the
    changed documents are the rows just sent (``changed``, as in :attr:`_Changes.rows`),
    those of the others are theirs in ``source`` (the last run's table). None when the
    others hold more than :data:`UNCHANGED_SHARE` of the rows (then a scan reads fewer
    rows through Python)."""
    names = set(wanted)
    done = {i for i, *_ in changed}
    others = [i for i in range(len(ids)) if i not in done and starts[i + 1] > starts[i]]
    if sum(starts[i + 1] - starts[i] for i in others) > UNCHANGED_SHARE * (starts[-1] - 1):
        return None
    sent, sent_doc = [], []
    for i, _, _, rows in changed:
        mine = [r for r in rows if (r[1], r[2]) in names]
        sent += mine
        sent_doc.append(np.full(len(mine), i, dtype=np.int64))
    new = pd.DataFrame.from_records(sent, columns=table.columns, coerce_float=False
                                    ).astype(table.dtypes)
    old = source.rows_for([ids[i] for i in others]).reset_index(drop=True)
    old = old[np.fromiter((n in names for n in zip(old["codebook"], old["frame"], strict=True)),
                          dtype=bool, count=len(old))]
    at = {ids[i]: i for i in others}
    doc = np.concatenate([*sent_doc, np.fromiter((at[d] for d in old["doc_id"]),
                                                 dtype=np.int64, count=len(old))])
    order = np.argsort(doc, kind="stable")   # each document's rows stay in their order
    rows = pd.concat([new, old], ignore_index=True).iloc[order].reset_index(drop=True)
    return rows, doc[order]


def _evidence(kept: pd.DataFrame, rows: pd.DataFrame, new_doc: np.ndarray | None,
              ids: Sequence[str], names: list, edited: list[int], keep,
              block: int) -> pd.DataFrame:
    """The evidence candidates: the last run's of the frames not edited, and the edited
    frames' picked again block by block (by codebook, frame and group, so one frame's
    candidates do not depend on another's rows) from their ``rows`` in the new table
    (``new_doc``: each row's place in ``ids``, where known), in table order."""
    wanted = [names[j] for j in edited]
    pos = {doc_id: k for k, doc_id in enumerate(ids)}
    frame_at = {n: j for j, n in enumerate(names)}
    parts = []
    others = kept
    if len(kept):
        edited_rows = pd.Series(list(zip(kept["codebook"], kept["frame"], strict=True)),
                                index=kept.index).isin(set(wanted))
        others = kept[~edited_rows.to_numpy()]
    other_doc = np.fromiter((pos[d] for d in others["doc_id"]), dtype=np.int64,
                            count=len(others))
    if new_doc is None:
        new_doc = np.fromiter((pos[d] for d in rows["doc_id"]), dtype=np.int64,
                              count=len(rows))
    for start in range(0, len(ids), block):
        mine = rows[(new_doc >= start) & (new_doc < start + block)].reset_index(drop=True)
        picked = keep(mine) if len(mine) else mine
        theirs = others[(other_doc >= start) & (other_doc < start + block)]
        if picked is None or not len(picked):
            part = theirs
        elif not len(theirs):
            part = picked
        else:
            part = pd.concat([theirs, picked], ignore_index=True)
            order = np.lexsort((
                [frame_at[n] for n in zip(part["codebook"], part["frame"], strict=True)],
                [pos[d] for d in part["doc_id"]]))   # stable: each frame's rows in order
            part = part.iloc[order]
        if len(part):
            parts.append(part)
    if not parts:
        return kept.iloc[:0]
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
