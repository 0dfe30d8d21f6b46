"""Small shared helpers for the views: groups of documents, sources and passages."""
from __future__ import annotations

import weakref
from collections.abc import Iterable

from analysis.corpus import META_FIELDS, Corpus, Document
from analysis.results import Results

__all__ = ["grouping_columns", "group_doc_ids", "split_choices", "remember_view_lists", "compared_groups", "doc_source",
           "passage", "short_name", "fit_long_combo", "fill_pair_combo", "refill_combo",
           "HIDDEN_COLUMNS"]

#: Metadata-table columns that identify or measure a document rather than describe it.
HIDDEN_COLUMNS = frozenset({"doc_id", "source", "sha256", "n_chars", "title", "reference"})


def short_name(name: str, limit: int = 32) -> str:
    """``name`` cut to ``limit`` characters with an ellipsis: real group names run to 80
    characters and would hold a view wider than the screen (show the full one in a
    tooltip)."""
    return name if len(name) <= limit else name[:limit - 1].rstrip() + "\u2026"


def fit_long_combo(combo, chars: int = 18) -> None:
    """Let a combo box be narrower than its longest item (about ``chars`` characters show):
    group pairs and target names run long and would hold the window wider than the screen.
    Give its items their full text as a tooltip (:func:`fill_pair_combo` does)."""
    from PySide6.QtWidgets import QComboBox

    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)


def refill_combo(combo, items) -> None:
    """Refill ``combo`` with ``(label, data)`` items, keeping the item chosen before when it
    is still there; no change signal is sent while refilling."""
    previous = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for label, data in items:
        combo.addItem(label, data)
    combo.setCurrentIndex(max(combo.findData(previous), 0))
    combo.blockSignals(False)


def fill_pair_combo(combo, comparisons) -> None:
    """Refill ``combo`` (see :func:`refill_combo`) with one "A vs B" item per comparison,
    its data ``(a, b)``, the full pair as tooltip."""
    from PySide6.QtCore import Qt

    from sinoru_desktop.plain_text import literal_text

    pairs = [(f"{c['a']} vs {c['b']}", (c["a"], c["b"])) for c in comparisons]
    refill_combo(combo, pairs)
    for i, (label, _pair) in enumerate(pairs):
        combo.setItemData(i, literal_text(label), Qt.ItemDataRole.ToolTipRole)


_grouping_columns: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def grouping_columns(corpus: Corpus) -> list[str]:
    """Metadata columns a user can group by: any column with at least one value.

    One pass over the documents' metadata, remembered per corpus (corpora are immutable;
    several views ask at every change): a 100,000-article project spent 11 s here
    building the metadata table twice.
    """
    if not len(corpus):
        return []
    known = _grouping_columns.get(corpus)
    if known is None:
        order = {k: None for k in META_FIELDS}  # the metadata table's column order
        filled = set()
        for doc in corpus:
            for key, value in doc.meta.items():
                order.setdefault(key, None)
                if key not in filled and str(value or "").strip():
                    filled.add(key)
        known = [c for c in order if c in filled and c not in HIDDEN_COLUMNS]
        _grouping_columns[corpus] = known
    return list(known)


_group_doc_ids: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def group_doc_ids(corpus: Corpus, column: str) -> dict[str, list[str]]:
    """Document ids per value of metadata ``column`` (documents without a value are left
    out), groups in order of first appearance.

    Remembered per corpus and column, like :func:`grouping_columns`: the Compare view
    lists the groups at every change, and one pass over 100,000 documents stalled the
    window for a third of a second. The lists are shared: read them, never change them.
    """
    known = _group_doc_ids.setdefault(corpus, {})
    groups = known.get(column)
    if groups is None:
        groups = {}
        for doc in corpus:
            value = (doc.meta.get(column, "") or "").strip()
            if value:
                groups.setdefault(value, []).append(doc.doc_id)
        known[column] = groups
    return dict(groups)


_split_columns: tuple = (None, "", [])  # (the documents table, group column, columns)


def split_choices(results: Results, group_column: str) -> list[str]:
    """The columns the charts of ``results`` can be split by
    (:func:`analysis.split.split_columns`), remembered for the last results asked about:
    one pass over every document's value of every column (0.5 s and more at 100,000
    documents) made when a project opens, on the loading thread, not again when the
    Compare view shows it."""
    global _split_columns
    from analysis.split import split_columns

    documents = results.table("documents")
    if documents.empty:
        return []
    ref, column, columns = _split_columns
    if ref is None or ref() is not documents or column != group_column:
        columns = split_columns(documents, group_column)
        _split_columns = (weakref.ref(documents), group_column, columns)
    return list(columns)


def remember_view_lists(corpus: Corpus, results: Results | None, group_by: str) -> None:
    """Make, off the GUI thread, the lists the Compare view asks for when it shows these
    documents and results (columns, groups, splits): each is one pass over every document,
    0.05 s at 10,000 documents and 0.3-0.9 s at 100,000, which the window would freeze for
    if the view made them. They are remembered, so the view then only reads them."""
    grouping_columns(corpus)
    group_doc_ids(corpus, group_by)
    if results is not None:
        split_choices(results, results.data.get("group_by") or group_by)


def compared_groups(results: Results | None, selected: Iterable[str] = ()) -> list[str]:
    """The groups a view shows: the results' groups, limited to ``selected`` when given."""
    if results is None:
        return list(selected)
    names = results.group_names
    chosen = [g for g in names if g in set(selected)]
    return chosen or names


def doc_source(doc: Document) -> str:
    """Where a passage comes from, as a reader wants it: "outlet, title"."""
    outlet = doc.get("outlet", "unknown outlet")
    return f"{outlet}, {doc.title}"


def passage(text: str, start: int, end: int, window: int = 60) -> tuple[str, str, str]:
    """Left context, match and right context of ``text[start:end]``, one line each."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    left = text[max(0, start - window):start]
    right = text[end:end + window]
    # Start and end the context on whole words when it was cut mid-word.
    if start - window > 0 and " " in left.strip():
        left = left[left.index(" "):]
    if end + window < len(text) and " " in right.strip():
        right = right[:right.rindex(" ")]
    flat = str.maketrans({"\n": " ", "\t": " ", "\r": " "})
    return left.translate(flat), text[start:end].translate(flat), right.translate(flat)
