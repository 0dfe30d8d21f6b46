"""Put the per-document entries back together block by block, in document order, as the
chunks of the per-document stage arrive, so the entries of a large corpus are never all
held at once; row-level tables can go to disk (:class:`Spill`) as each block is done.

Putting blocks together gives the same result objects as one :func:`assemble` over the
whole corpus (the column types are those of the computed results).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.doc_stage import assemble
from analysis.table_store import TableStore

__all__ = ["Spill", "BlockAssembler", "BLOCK_DOCUMENTS", "spilled_name"]

#: Documents put together at a time (about 2 MB of entries per analyzer).
BLOCK_DOCUMENTS = 2048


def spilled_name(analyzer: str, field: str) -> str:
    """The store's name of an analyzer's row table, e.g. ``sentiment.sentences``."""
    return f"{analyzer}.{field}"


@dataclass(frozen=True)
class Spill:
    """Which row tables go to disk, and what of them the corpus stage keeps in memory.

    ``tables`` maps ``(analyzer, field)`` (e.g. ``("sentiment", "sentences")``) to a
    function that takes one block's rows (whole documents, in order) and returns the
    rows to keep in memory, or to None to keep none (the field is then the empty table).
    ``kept_for`` maps an analyzer to what those functions read of its tables besides the
    rows (the frames' evidence candidates: the groups, as a digest): a warm process
    reuses an assembled result only for the same value.
    """

    store: TableStore
    tables: Mapping[tuple[str, str], Callable[[pd.DataFrame], pd.DataFrame] | None]
    kept_for: Mapping[str, str] = dataclasses.field(default_factory=dict)


class BlockAssembler:
    """Assembles one analyzer's result from its entries, block by block."""

    def __init__(self, name: str, template, ids: Sequence[str], spill: Spill | None) -> None:
        self.name = name
        self.template = template
        self.ids = ids
        self.spill = spill
        self._first = None            # the first block's result: its fixed fields
        self._parts: dict[str, list[pd.DataFrame]] = {}

    def _spilled(self, field: str) -> bool:
        return self.spill is not None and (self.name, field) in self.spill.tables

    def add(self, start: int, entries: Sequence[bytes], dtypes: dict | None) -> None:
        """Put the documents ``start .. start + len(entries)`` together (in order)."""
        ids = self.ids[start:start + len(entries)]
        self.add_result(assemble(self.template, ids, entries, dtypes))

    def add_result(self, result) -> None:
        """Add the result of the next documents (a block, or all of them at once)."""
        if self._first is None:
            self._first = result
        for field in dataclasses.fields(self.template):
            empty = getattr(self.template, field.name)
            value = getattr(result, field.name)
            if not isinstance(empty, pd.DataFrame) or value is empty:
                continue  # a fixed field, or a table without rows in this block
            if self._spilled(field.name):
                self.spill.store.append(spilled_name(self.name, field.name), value)
                keep = self.spill.tables[(self.name, field.name)]
                value = keep(value) if keep is not None else None
                if value is None or not len(value):
                    continue
            self._parts.setdefault(field.name, []).append(value)

    def reset(self) -> None:
        """Forget what was added (the analyzer's result is replaced by another)."""
        self._first = None
        self._parts = {}
        if self.spill is not None:
            for analyzer, field in self.spill.tables:
                if analyzer == self.name:
                    self.spill.store.drop(spilled_name(analyzer, field))

    def result(self):
        """The analyzer's result for every document added."""
        if self._first is None:
            return self.template
        changes = {}
        for field in dataclasses.fields(self.template):
            empty = getattr(self.template, field.name)
            if not isinstance(empty, pd.DataFrame):
                changes[field.name] = getattr(self._first, field.name)
                continue
            parts = self._parts.get(field.name)
            if not parts:
                changes[field.name] = empty
            elif len(parts) == 1:
                changes[field.name] = parts[0]
            elif empty.index.name == "doc_id":
                changes[field.name] = pd.concat(parts)
            else:
                changes[field.name] = pd.concat(parts, ignore_index=True)
        self._parts = {}
        return dataclasses.replace(self.template, **changes)
