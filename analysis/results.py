"""Results of one analysis: the results.json structure plus the detail tables behind it.

See docs/results-schema.md for every key.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from itertools import islice
from math import isfinite
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.atomic import atomic_path
from analysis.cells import restore_formulas, write_csv, write_table_csv
from analysis.document_rows import DocumentRows
from analysis.indented_json import encode_indented
from analysis.json_rows import RowTemplates
from analysis.names import json_text
from analysis.table_store import SpilledTable

__all__ = ["Results", "SCHEMA", "SCHEMA_VERSION", "ResultsError", "clean_json", "Tables"]

SCHEMA = "sinoru.results"
SCHEMA_VERSION = 1

#: Detail tables (name -> CSV file) kept beside results.json.
TABLES = ("documents", "group_summary", "keyness", "tests", "frame_matches",
          "target_mentions", "sentences", "marker_matches", "topics",
          "term_map", "word_shift", "collocations")


# Columns of the written tables that hold names, never numbers. Read without this, an
# id such as "000123" or a term such as "2024" would come back as a number, and the
# passages of document "000123" would belong to no document.
TEXT_COLUMNS = (
    "doc_id", "id", "title", "outlet", "outlet_type", "group", "group_label", "author",
    "date", "language", "reference", "source", "codebook", "frame", "term", "rule",
    "marker", "target", "mention", "label", "top_terms", "comparison", "side",
    "section", "key", "stat", "p_method", "collocate", "word", "scope", "kind",
)


def read_table_csv(source, **options) -> pd.DataFrame:
    """A table written by :meth:`Results.write` (or ``to_csv(index=False)``) read back
    with its name columns as text and empty cells as missing."""
    return pd.read_csv(source, keep_default_na=False, na_values=[""],
                       dtype={column: str for column in TEXT_COLUMNS}, **options)


class ResultsError(ValueError):
    """A results file that cannot be read (wrong schema, damaged JSON)."""


def clean_json(value):
    """Make a value JSON-safe: NaN/inf become None, numpy scalars become Python numbers."""
    kind = type(value)
    # Most values of a results.json are plain text, numbers and flags: returned at once
    # (exactly these types: a numpy scalar's type is a subclass, checked below). Inside a
    # container they are taken as they come, without a call each: a 10,000-article
    # results.json has a million values, and the call per value was a third of writing it.
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return value if isfinite(value) else None
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            kind = type(v)
            if kind is float:
                if not isfinite(v):
                    v = None
            elif not (kind is str or kind is int or kind is bool or v is None):
                v = clean_json(v)
            out[k if type(k) is str else str(k)] = v
        return out
    if isinstance(value, (list, tuple, DocumentRows)):
        out = []
        for v in value:
            kind = type(v)
            if kind is float:
                if not isfinite(v):
                    v = None
            elif not (kind is str or kind is int or kind is bool or v is None):
                v = clean_json(v)
            out.append(v)
        return out
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not isfinite(value):
        return None
    return value


def _deferred(value) -> bool:
    """A table not read yet: on disk (:class:`analysis.table_store.SpilledTable`) or any
    other value with ``load()``, ``len()``, ``chunks()`` and ``rows_for()`` (a project
    file's tables are parsed when first asked for)."""
    return isinstance(value, SpilledTable) or (
        not isinstance(value, pd.DataFrame) and hasattr(value, "load"))


class Tables(MutableMapping):
    """The detail tables by name: DataFrames in memory, or tables on disk
    (:class:`analysis.table_store.SpilledTable`) read the first time they are asked for.

    A large analysis keeps its row-level tables (sentences, matches, mentions) on disk;
    ``tables["sentences"]`` still gives the DataFrame. :meth:`rows_for` reads only some
    documents' rows and :meth:`chunks` streams a table without loading it.
    """

    def __init__(self, tables: Mapping | None = None) -> None:
        self._items: dict = dict(tables or {})

    def __getitem__(self, name: str) -> pd.DataFrame:
        value = self._items[name]
        if _deferred(value):
            value = self._items[name] = value.load()  # read once, then held as before
        return value

    def __setitem__(self, name: str, frame) -> None:
        self._items[name] = frame

    def __delitem__(self, name: str) -> None:
        del self._items[name]

    def __contains__(self, name: object) -> bool:
        return name in self._items  # without reading the table (Mapping's would)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Tables({self._items!r})"

    def __reduce__(self):
        # Sent to another process (the app's worker) as plain DataFrames: the file on
        # disk belongs to this process.
        return (Tables, (dict(self.items()),))

    def stored(self, name: str):
        """Table ``name`` as held: a DataFrame, or a table not read yet (see above)."""
        return self._items[name]

    def on_disk(self, name: str) -> bool:
        """Whether table ``name`` is still on disk (not read into memory)."""
        return _deferred(self._items.get(name))

    def n_rows(self, name: str) -> int:
        """Rows of table ``name`` without reading it (0 when absent)."""
        value = self._items.get(name)
        return 0 if value is None else len(value)

    def rows_for(self, name: str, doc_ids) -> pd.DataFrame:
        """The rows of table ``name`` that belong to the documents ``doc_ids`` (its
        ``doc_id`` column), in table order, read from disk when the table is there."""
        value = self._items.get(name)
        if value is None:
            return pd.DataFrame()
        if _deferred(value):
            return value.rows_for(doc_ids)
        if "doc_id" not in value.columns:
            return value.iloc[0:0]
        return value[value["doc_id"].isin(list(doc_ids))]

    def chunks(self, name: str) -> Iterator[pd.DataFrame]:
        """Table ``name`` in row order, in parts (one part when it is in memory)."""
        value = self._items[name]
        if _deferred(value):
            yield from value.chunks()
        else:
            yield value


#: Rows of a top-level list encoded per call in :meth:`Results.json_parts`.
_ROWS_PER_CALL = 200


@dataclass(frozen=True)
class Results:
    """One analysis run.

    ``data`` is the results.json structure; ``tables`` the detail DataFrames
    (``documents``, ``frame_matches``, ``target_mentions``, ``sentences`` …) with the
    columns listed in docs/results-schema.md.
    """

    data: dict
    tables: Tables = field(default_factory=Tables)

    def __post_init__(self) -> None:
        if not isinstance(self.tables, Tables):
            object.__setattr__(self, "tables", Tables(self.tables))

    # Convenience views -------------------------------------------------------------
    @property
    def groups(self) -> dict:
        return self.data.get("groups", {})

    @property
    def group_names(self) -> list[str]:
        return list(self.groups)

    @property
    def comparisons(self) -> list[dict]:
        return self.data.get("comparisons", [])

    @property
    def warnings(self) -> list[str]:
        return self.data.get("warnings", [])

    def table(self, name: str) -> pd.DataFrame:
        return self.tables.get(name, pd.DataFrame())

    def comparison(self, a: str, b: str) -> dict | None:
        for comp in self.comparisons:
            if comp["a"] == a and comp["b"] == b:
                return comp
        return None

    def to_dict(self) -> dict:
        return clean_json(self.data)

    def to_json(self) -> str:
        return "".join(self.json_parts())

    def json_parts(self) -> Iterator[str]:
        """results.json in parts, equal joined to ``json.dumps(self.to_dict(),
        ensure_ascii=False, indent=2)``: each top-level entry (and each document row) is
        cleaned and encoded on its own, so a large corpus is never held twice."""
        # An undecodable file name (source, provenance) stays exact as a \udcNN escape.
        data = self.data
        if not data:
            yield "{}"
            return
        for n, (key, value) in enumerate(data.items()):
            head = ("{" if n == 0 else ",") + "\n  " + json.dumps(str(key), ensure_ascii=False)
            if isinstance(value, (list, DocumentRows)) and len(value) > 1:
                yield json_text(head + ": [")
                # Rows in batches, one encoder call each: Python's indenting encoder (the
                # fallback of encode_indented) leaves a reference cycle of ~30 objects per
                # call, which called per row gave the app's collector 0.3 million objects
                # of garbage to walk during a save.
                # (Iterated, not indexed: a document row reached by index is kept.)
                # Rows of one shape (the document rows) from a template (see json_rows).
                rows, templates = iter(value), RowTemplates()
                for start in range(0, len(value), _ROWS_PER_CALL):
                    batch = list(islice(rows, _ROWS_PER_CALL))
                    text = templates.encode(batch)
                    if text is None:
                        # "[\n  row,\n  row\n]": the rows as the list's items one level
                        # deeper.
                        batch = [clean_json(row) for row in batch]
                        text = encode_indented(batch)[1:-2].replace("\n", "\n  ")
                    yield json_text(("" if start == 0 else ",") + text)
                yield "\n  ]"
            else:
                text = encode_indented(clean_json(value)).replace("\n", "\n  ")
                yield json_text(head + ": " + text)
        yield "\n}"

    # Files -------------------------------------------------------------------------
    def write(self, out_dir: str | Path) -> list[Path]:
        """Write results.json and one CSV per non-empty table into ``out_dir`` atomically."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = [out / "results.json"]
        with atomic_path(written[0]) as tmp, open(tmp, "w", encoding="utf-8") as fh:
            fh.writelines(self.json_parts())
        for name in self.tables:
            target = out / f"{name}.csv"
            # Titles and outlets never run as formulas; a table on disk is copied in
            # parts, never read into memory whole.
            if self.tables.on_disk(name):
                write_table_csv(self.tables.stored(name), target)
            else:
                write_csv(self.tables[name], target)
            written.append(target)
        return written

    @classmethod
    def from_dict(cls, data: dict, tables: dict[str, pd.DataFrame] | None = None) -> Results:
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ResultsError("not a Sinoru results file (missing schema 'sinoru.results')")
        version = data.get("schema_version")
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise ResultsError(f"results schema version {version!r} is newer than this "
                               f"Sinoru understands ({SCHEMA_VERSION}); please update Sinoru")
        return cls(data, dict(tables or {}))

    @classmethod
    def load(cls, path: str | Path) -> Results:
        """Read results.json (or a folder holding it) and any CSV tables beside it."""
        path = Path(path)
        file = path / "results.json" if path.is_dir() else path
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ResultsError(f"{file}: cannot read results ({exc})") from exc
        tables = {}
        for name in TABLES:
            csv = file.parent / f"{name}.csv"
            if csv.is_file():
                try:
                    tables[name] = restore_formulas(read_table_csv(csv))
                except (pd.errors.ParserError, pd.errors.EmptyDataError):
                    tables[name] = pd.DataFrame()
        return cls.from_dict(data, tables)
