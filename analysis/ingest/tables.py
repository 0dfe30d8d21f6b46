"""Read table files (.csv, .xlsx, .jsonl): one article per row, a text column, metadata."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable
from pathlib import Path

from analysis.ingest.limits import MAX_CELL_CHARS, mb
from analysis.ingest.readers import RawItem, SkipFile, decode_or_skip

__all__ = ["read_table", "choose_text_column", "sniff_delimiter", "TABLE_SUFFIXES",
           "TEXT_COLUMN_NAMES"]

TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm", ".jsonl", ".ndjson")
#: Column names taken as the article text, in order of preference (case-insensitive).
TEXT_COLUMN_NAMES = ("text", "body", "content", "article", "full_text", "fulltext",
                     "article_text", "maintext", "正文", "内容", "текст")
# Other spellings of the metadata fields (lower case) -> the field.
_SYNONYMS = {"headline": "title", "heading": "title", "authors": "author", "byline": "author",
             "writer": "author", "publication": "outlet", "publisher": "outlet",
             "newspaper": "outlet", "media": "outlet", "source": "outlet", "site": "outlet",
             "published": "date", "pub_date": "date", "publication_date": "date",
             "date_published": "date", "pubdate": "date", "lang": "language",
             "doi": "reference", "category": "outlet_type", "type": "outlet_type"}


# Key under which a row that could not be parsed carries its reason (not a column name).
_ERROR = "\0error"


def choose_text_column(columns: list[str], rows: list[dict[str, str]]) -> str:
    """The text column: a known name ("text", "body", "content", ...), else a column whose
    name contains "text", "body", "content" or "sentence", else the column with the longest
    average value; columns holding JSON lists or objects are never chosen by length."""
    lowered = {c.lower().strip(): c for c in columns}
    for name in TEXT_COLUMN_NAMES:
        if name in lowered:
            return lowered[name]
    sample = rows[:200]

    def is_json(col: str) -> bool:
        values = [r.get(col) or "" for r in sample if r.get(col)]
        return bool(values) and all(v[:1] in "[{" for v in values)

    plain = [c for c in columns if not is_json(c)] or list(columns)
    named = [c for c in plain if any(w in c.lower() for w in ("text", "body", "content",
                                                              "sentence"))]
    return max(named or plain, key=lambda c: sum(len(r.get(c) or "") for r in sample))


def sniff_delimiter(text: str, default: str = ",") -> str:
    """The delimiter of a CSV from its header line: European spreadsheets save with ``;``."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts.get(default, 0) else default


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(data: bytes, delimiter: str) -> tuple[list[str], list[dict[str, str]], str, list]:
    text, enc = decode_or_skip(data)
    delimiter = sniff_delimiter(text, delimiter)
    # Python's csv refuses any field over 128 KB, which rejected a whole file for one long
    # article; the file-size limit already bounds a field, and read_table skips rows with
    # a cell over MAX_CELL_CHARS. (Raised only: the limit is process-wide.)
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = list(reader)
    except csv.Error as exc:
        raise SkipFile(f"not a readable CSV ({exc})") from exc
    columns = [c for c in (reader.fieldnames or []) if c is not None]
    return columns, [{k: _cell(v) for k, v in r.items() if k is not None} for r in rows], enc, []


def _xlsx_rows(data: bytes) -> tuple[list[str], list[dict[str, str]], str, list]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException
        raise SkipFile(f"cannot read Excel file ({type(exc).__name__}: {exc})") from exc
    try:
        sheet = book.worksheets[0]
        it = sheet.iter_rows(values_only=True)
        header = [_cell(c) for c in next(it, ())]
        rows = []
        for values in it:
            if values is None or all(v is None for v in values):
                rows.append({})
                continue
            rows.append({h: _cell(v) for h, v in zip(header, values, strict=False) if h})
        notes = ([f"only the first sheet '{sheet.title}' was read "
                  f"({len(book.worksheets)} sheets)"] if len(book.worksheets) > 1 else [])
    except Exception as exc:  # read-only sheets are parsed while iterating: damaged XML
        raise SkipFile(f"cannot read Excel file ({type(exc).__name__}: {exc})") from exc
    finally:
        book.close()
    return [h for h in header if h], rows, "", notes


def _jsonl_rows(data: bytes) -> tuple[list[str], list[dict[str, str]], str, list]:
    text, enc = decode_or_skip(data)
    rows: list[dict[str, str]] = []
    columns: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append({_ERROR: f"line {n}: not JSON ({exc.msg})"})
            continue
        if not isinstance(obj, dict):
            rows.append({_ERROR: f"line {n}: not a JSON object"})
            continue
        row = {str(k): (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list))
                        else _cell(v)) for k, v in obj.items()}
        columns.extend(k for k in row if k not in columns)
        rows.append(row)
    return columns, rows, enc, []


def read_table(path: Path, data: bytes, text_column: str | None = None
               ) -> tuple[list[RawItem], list[str]]:
    """One :class:`RawItem` per row of a table file, and notes about the file.

    Every column other than the text column becomes metadata (known synonyms such as
    "headline" or "publication" are mapped to ``title``/``outlet``; other names are kept
    as they are). A row with empty text comes back with ``error`` set. A ``doc_id``
    column, when present, names the documents.

    Raises
    ------
    SkipFile
        Unreadable file, no rows, or a requested ``text_column`` that does not exist.
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        columns, rows, enc, notes = _xlsx_rows(data)
    elif suffix in (".jsonl", ".ndjson"):
        columns, rows, enc, notes = _jsonl_rows(data)
    else:
        columns, rows, enc, notes = _csv_rows(data, "\t" if suffix == ".tsv" else ",")
    if not columns or not any(rows):
        raise SkipFile("table has no data rows")
    lowered = {c.lower().strip() for c in columns}
    if not text_column and "file" in lowered and not lowered & set(TEXT_COLUMN_NAMES):
        raise SkipFile("looks like a manifest (a 'file' column and no text column); "
                       "pass it as the manifest instead")
    if text_column:
        match = [c for c in columns if c.lower().strip() == text_column.lower().strip()]
        if not match:
            raise SkipFile(f"no column '{text_column}' (columns: {', '.join(columns)})")
        column = match[0]
    else:
        column = choose_text_column(columns, [r for r in rows if r])
        if column.lower().strip() not in TEXT_COLUMN_NAMES:
            notes.insert(0, f"no 'text', 'body' or 'content' column: using '{column}' "
                            "as the article text; choose another with the text column "
                            "option")
    meta_cols = _meta_columns([c for c in columns if c != column])
    items = []
    for n, row in enumerate(rows, 1):
        source = f"{path}#row {n}"
        text = row.get(column, "")
        longest = max(map(len, row.values()), default=0)
        error = (row.get(_ERROR, "")
                 or (f"a cell of {longest / 2**20:.1f} MB, more than the "
                     f"{mb(MAX_CELL_CHARS)} cell limit" if longest > MAX_CELL_CHARS else "")
                 or ("" if text.strip() else f"empty '{column}' cell"))
        meta = {field: row.get(col, "") for col, field in meta_cols if row.get(col, "")}
        items.append(RawItem(
            pages=[text], source=source, encoding=enc, meta=meta, row=n, error=error,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            doc_id=meta.pop("doc_id", "")))
    return items, notes


def _meta_columns(columns: Iterable[str]) -> list[tuple[str, str]]:
    """(column, metadata key) pairs; a synonym is used only when the field itself is absent."""
    lowered = [(c, c.strip().lower()) for c in columns]
    present = {low for _c, low in lowered}
    out = []
    for col, low in lowered:
        key = _SYNONYMS.get(low, low)
        if key != low and key in present:
            key = low  # both "outlet" and "source" exist: keep "source" as it is
        out.append((col, "doc_id" if low in ("doc_id", "docid") else key))
    return out
