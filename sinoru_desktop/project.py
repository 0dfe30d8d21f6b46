"""The ``.sinoru`` project file: one SQLite database holding everything about a project.

Tables
------
``info(key, value)``
    ``schema`` ("sinoru.project"), ``schema_version``, ``app_version``, ``created``,
    ``saved``, ``config`` (AnalysisConfig.to_dict() as JSON), ``targets_yaml``,
    ``ui`` (JSON of view settings), ``recovered_from`` (recovery files only).
``documents(position, doc_id, text, raw_text, removed, meta, source, sha256)``
    ``removed`` and ``meta`` are JSON; ``raw_text`` is "" when it equals ``text``.
``codebooks(codebook_id, yaml)``
    User-edited codebook YAML texts.
``provenance(position, time, event, detail)``
    One row per import (``detail`` JSON: files with their sha256, counts).
``results(name, body)``
    ``name`` is "results.json" (Results.to_json()) or a detail table name (CSV text).
    Opening parses results.json; each table is parsed when first asked for, and a table
    never asked for is saved again unparsed (:mod:`sinoru_desktop.project_tables`).
``row_tables(name, columns, dtypes, n_rows, token)`` and one table ``"rows:NAME"`` each
    The row-level detail tables (sentences, frame and marker matches, target mentions),
    one SQLite table each with an index on ``doc_id``: a drill-down reads only the rows
    it shows. Projects saved before format 2 hold them as CSV in ``results`` instead,
    and still open; saving them again stores them indexed.
``word_counts(doc_id, words)``
    Word tokens per document, so opening a large project need not count them again.
    Optional: counted at load for projects saved before it.
``doc_cache(key, value)``
    Per-document analyzer results (JSON bytes) that let a re-run skip unchanged work
    (:mod:`analysis.doc_cache`). Optional: projects saved before it open with an empty cache.

Saving never touches the user's file in place: a new database is written beside it and
moved over it with ``os.replace``. Nothing is pickled.

Text that is not valid Unicode (a file name whose bytes are not UTF-8, kept by Python as
lone surrogates, see :mod:`analysis.names`) is stored exactly: in JSON columns as ``\\udcNN``
escapes, in text columns as a BLOB of its UTF-8 bytes ("surrogatepass"). Loading turns a
BLOB in a text column back into text, and refuses a value that is neither, naming the
column.
"""
from __future__ import annotations

import codecs
import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from analysis import __version__
from analysis.atomic import atomic_path, process_alive, remove_stale_temporaries
from analysis.config import AnalysisConfig
from analysis.corpus import Corpus, Document, Removal
from analysis.names import display_name, has_surrogates, json_text
from analysis.progress import Cancelled
from analysis.results import Results, ResultsError
from sinoru_desktop import project_lock
from sinoru_desktop.json_pieces import loads_in_pieces
from sinoru_desktop.project_tables import (
    ROW_TABLES,
    ROW_TABLES_DDL,
    CsvTable,
    ProjectTable,
    ProjectTableError,
    read_row_tables,
    write_row_table,
)

__all__ = ["Project", "ProjectError", "ProjectLocked", "save_project", "load_project", "PROJECT_SUFFIX",
           "pending_recoveries", "Autosaver", "load_with_word_counts",
           "SCHEMA", "SCHEMA_VERSION"]

_log = logging.getLogger(__name__)

SCHEMA = "sinoru.project"
#: 2: the row tables are stored indexed (``row_tables``); a Sinoru that reads only
#: format 1 would open such a file without its passages, and so refuses it.
SCHEMA_VERSION = 2
PROJECT_SUFFIX = ".sinoru"
#: PRAGMA application_id of every project file ("SNRU"), so `file` tools can tell it.
APPLICATION_ID = 0x534E5255
_SQLITE_MAGIC = b"SQLite format 3\x00"

_DDL = """
CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE documents (position INTEGER NOT NULL, doc_id TEXT PRIMARY KEY, text TEXT NOT NULL,
    raw_text TEXT NOT NULL, removed TEXT NOT NULL, meta TEXT NOT NULL, source TEXT NOT NULL,
    sha256 TEXT NOT NULL);
CREATE INDEX documents_in_order ON documents (position);
CREATE TABLE codebooks (codebook_id TEXT PRIMARY KEY, yaml TEXT NOT NULL);
CREATE TABLE provenance (position INTEGER PRIMARY KEY, time TEXT NOT NULL,
    event TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE results (name TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE word_counts (doc_id TEXT PRIMARY KEY, words INTEGER NOT NULL);
CREATE TABLE doc_cache (key TEXT PRIMARY KEY, value BLOB NOT NULL);
""" + ROW_TABLES_DDL


class ProjectError(Exception):
    """A project file that cannot be opened or saved; the message names file and reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        # One line, however the reason came: SQLite quotes cell values, line breaks and all.
        reason = " ".join(str(reason).split())
        if len(reason) > 300:
            reason = reason[:299] + "…"
        super().__init__(f"{display_name(Path(path).name)}: {reason}")
        self.path = str(path)
        self.reason = reason


class ProjectLocked(ProjectError):
    """The project is open in another Sinoru; ``holder`` says who (or is None)."""

    def __init__(self, path: str | Path, reason: str,
                 holder: project_lock.LockHolder | None) -> None:
        super().__init__(path, reason)
        self.holder = holder


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Project:
    """Everything a project file holds.

    ``provenance`` is a list of ``{"time", "event", "detail"}`` dicts, oldest first;
    ``ui`` is free-form JSON-safe view state (selected groups, column widths ...);
    ``doc_cache`` maps cache keys to per-document analyzer results (bytes);
    ``word_counts`` maps doc_id to word tokens (those known; the rest are counted at load).
    """

    corpus: Corpus = field(default_factory=Corpus)
    config: AnalysisConfig = field(default_factory=AnalysisConfig)
    codebooks: dict[str, str] = field(default_factory=dict)
    targets_yaml: str | None = None
    results: Results | None = None
    provenance: list[dict] = field(default_factory=list)
    ui: dict = field(default_factory=dict)
    app_version: str = __version__
    created: str = field(default_factory=_now)
    recovered_from: str | None = None
    doc_cache: dict[str, bytes] = field(default_factory=dict)
    word_counts: dict[str, int] = field(default_factory=dict)


# Saving -------------------------------------------------------------------------------
def _db(text: str) -> str | bytes:
    """A text value for SQLite: text, or the exact bytes of text that is not valid Unicode."""
    return text.encode("utf-8", "surrogatepass") if has_surrogates(text) else text


def _json(value) -> str:
    return json_text(json.dumps(value, ensure_ascii=False, default=str))


def _documents(project: Project, progress):
    """The documents' rows, reporting progress (0..0.9) every 500 documents."""
    n = max(len(project.corpus), 1)
    for i, d in enumerate(project.corpus):
        if progress is not None and i % 500 == 0:
            progress(0.9 * i / n)
        # raw_text is stored only when boilerplate was removed (else it equals text).
        yield (i, _db(d.doc_id), _db(d.text), _db(d.raw_text if d.raw_text != d.text else ""),
               _json([[r.start, r.end, r.text, r.reason] for r in d.removed]),
               _json(dict(d.meta)), _db(d.source), d.sha256)


def _write(con: sqlite3.Connection, project: Project, progress=None) -> list[ProjectTable]:
    """Write ``project`` into the empty database ``con``; returns the row tables copied
    unchanged from the file they were read from (see :func:`save_project`)."""
    con.executescript(_DDL)
    sources = _attach_sources(con, project.results)  # before any transaction begins
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    info = {
        "schema": SCHEMA, "schema_version": str(SCHEMA_VERSION), "app_version": __version__,
        "created": project.created, "saved": _now(),
        "config": _json(project.config.to_dict()),
        "ui": _json(project.ui),
    }
    if project.targets_yaml is not None:
        info["targets_yaml"] = project.targets_yaml
    if project.recovered_from:
        info["recovered_from"] = project.recovered_from
    con.executemany("INSERT INTO info VALUES (?, ?)",
                    ((k, _db(v)) for k, v in info.items()))
    con.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    _documents(project, progress))
    con.executemany("INSERT INTO codebooks VALUES (?, ?)",
                    ((_db(k), _db(v)) for k, v in sorted(project.codebooks.items())))
    con.executemany(
        "INSERT INTO provenance VALUES (?, ?, ?, ?)",
        ((i, _db(str(p.get("time", ""))), _db(str(p.get("event", ""))),
          _json(p.get("detail", {})))
         for i, p in enumerate(project.provenance)))
    copied = []
    if project.results is not None:
        _insert_results_json(con, project.results)
        tables = project.results.tables
        for name in tables:
            if name in ROW_TABLES:
                kept = write_row_table(con, name, tables.stored(name), sources)
                if kept is not None:
                    copied.append(kept)
        for name, parts in _csv_tables(tables):
            _insert_text(con, name, parts)
    con.executemany("INSERT INTO doc_cache VALUES (?, ?)", project.doc_cache.items())
    counts = project.word_counts
    con.executemany("INSERT INTO word_counts VALUES (?, ?)",
                    ((_db(d.doc_id), counts[d.doc_id]) for d in project.corpus
                     if d.doc_id in counts))
    return copied


#: Bytes of a large text (results.json, a table's CSV) written to the file per write call.
_CHUNK_BYTES = 1 << 20
#: Cells of a table turned into CSV text per pandas call. pandas formats a call's rows in
#: one C call that holds the interpreter lock: with its own chunks (100,000 cells) that
#: took 30-50 ms each for the documents table of a 10,000-article project (77 columns).
_CSV_CHUNK_CELLS = 10_000


def _insert_results_json(con: sqlite3.Connection, results: Results) -> None:
    """Store results.json as the text row "results.json" (see :func:`_insert_text`)."""
    _insert_text(con, "results.json", results.json_parts())


def _insert_text(con: sqlite3.Connection, name: str, parts: Iterable[str]) -> None:
    """Store the text ``parts`` make as the ``results`` row ``name`` without holding the
    interpreter lock for long: a save runs on a thread, and one str of tens of MB
    (hundreds at 100,000 articles) encoded and bound in a single call froze the window
    for a quarter of a second and more. It is encoded part by part, written into a
    zero-filled row through SQLite's incremental I/O in 1 MB chunks, and turned into
    text (the same UTF-8 bytes) by SQLite itself; text that is not valid Unicode stays
    the BLOB of its exact bytes, as :func:`_db` stores it."""
    chunks, pending, pending_size, size = [], [], 0, 0
    valid = True
    for part in parts:
        try:
            encoded = part.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: an undecodable file name
            valid = False
            encoded = part.encode("utf-8", "surrogatepass")
        pending.append(encoded)
        pending_size += len(encoded)
        if pending_size > _CHUNK_BYTES:
            chunks.append(b"".join(pending))
            size += pending_size
            pending, pending_size = [], 0
    chunks.append(b"".join(pending))
    size += pending_size
    rowid = con.execute("INSERT INTO results VALUES (?, zeroblob(?))",
                        (_db(name), size)).lastrowid
    with con.blobopen("results", "body", rowid) as blob:
        for chunk in chunks:
            blob.write(chunk)
    if valid:
        con.execute("UPDATE results SET body = CAST(body AS TEXT) WHERE rowid = ?", (rowid,))


def _attach_sources(con: sqlite3.Connection, results: Results | None) -> dict[str, str]:
    """Attach each project file that row tables are still read from, so they are copied
    inside SQLite; returns path -> schema name."""
    sources: dict[str, str] = {}
    if results is None:
        return sources
    for name in results.tables:
        stored = results.tables.stored(name)
        if isinstance(stored, ProjectTable) and stored.path not in sources:
            sources[stored.path] = schema = f"source{len(sources)}"
            con.execute(f"ATTACH DATABASE ? AS {schema}", (stored.path,))
    return sources


def _csv_tables(tables):
    """(name, CSV text in parts) per detail table other than the row tables; a table read
    from a project file and never asked for since is written back as it was read,
    unparsed."""
    for name in tables:
        if name in ROW_TABLES:
            continue
        stored = tables.stored(name)
        if isinstance(stored, CsvTable):
            yield name, _decoded_in_chunks(stored.csv)
        else:
            yield name, _csv_parts(tables[name])


def _csv_parts(frame):
    """``frame.to_csv(index=False)`` in parts of about :data:`_CSV_CHUNK_CELLS` cells, as
    pandas cuts it itself (``chunksize``), so that no single call holds the interpreter
    lock for long."""
    rows = max(1, _CSV_CHUNK_CELLS // max(len(frame.columns), 1))
    if any(kind.kind == "M" for kind in frame.dtypes):
        # pandas picks a date column's format per call (the date alone when every value
        # in the call is at midnight): one call keeps one format for the whole column.
        rows = max(len(frame), 1)
    for start in range(0, max(len(frame), 1), rows):
        yield frame.iloc[start:start + rows].to_csv(index=False, header=start == 0)


def _decoded_in_chunks(data: bytes):
    """``data.decode("utf-8", "surrogatepass")`` a megabyte at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")
    for start in range(0, len(data), _CHUNK_BYTES):
        yield decoder.decode(data[start:start + _CHUNK_BYTES])
    yield decoder.decode(b"", final=True)


def save_project(project: Project, path: str | Path, *, progress=None,
                 adopt: bool = True) -> None:
    """Write ``project`` to ``path`` atomically (the old file stays intact on failure).

    Row tables still read from the file the project was opened from are copied into the
    new file unchanged; with ``adopt`` (a save of the project itself, not a recovery copy)
    they are read from ``path`` afterwards, so the old file is no longer needed.

    The project's lock (see :mod:`sinoru_desktop.project_lock`) is held while saving,
    unless this process holds it already (the project is open here); temporaries left by
    interrupted saves are removed first.

    Also a task function: ``progress`` (0..1) may raise :class:`analysis.Cancelled`,
    which leaves the old file as it was and no temporary file behind.

    Raises
    ------
    ProjectLocked
        When another Sinoru has the project open (the message names it).
    ProjectError
        For every other failure: the folder is not writable, the disk is full (the message
        says which), or anything unforeseen (named by its type).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # the lock file goes there first
        with project_lock.holding(path), atomic_path(path) as tmp:
            remove_stale_temporaries(path, exclusive=True)  # our own tmp is kept
            tmp.unlink()  # sqlite wants to create the file itself
            con = sqlite3.connect(tmp)
            try:
                with con:
                    copied = _write(con, project, progress)
            finally:
                con.close()
        if adopt:
            for table in copied:
                table.moved_to(path.resolve())
    except project_lock.LockedError as exc:
        raise ProjectLocked(path, f"could not be saved: {exc}. Save it under another name, or "
                                  "close it there first", exc.holder) from None
    except (OSError, sqlite3.Error) as exc:
        raise ProjectError(path, f"could not be saved ({exc})") from exc
    except ProjectTableError as exc:
        raise ProjectError(path, f"could not be saved: the passages could not be copied "
                                 f"({exc}); run the analysis again, then save") from exc
    except Cancelled:
        raise
    except Exception as exc:  # noqa: BLE001 - the GUI must show a reason, not "Unexpected error"
        raise ProjectError(path, f"could not be saved ({type(exc).__name__}: {exc})") from exc


# Loading ------------------------------------------------------------------------------
def _check_header(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except FileNotFoundError as exc:
        raise ProjectError(path, "the file does not exist") from exc
    except IsADirectoryError as exc:
        raise ProjectError(path, "this is a folder, not a project file") from exc
    except OSError as exc:
        raise ProjectError(path, f"the file cannot be read ({exc.strerror or exc})") from exc
    if not head:
        raise ProjectError(path, "the file is empty")
    if not head.startswith(_SQLITE_MAGIC):
        raise ProjectError(path, "this is not a Sinoru project file")
    if len(head) < 100:
        raise ProjectError(path, "the file is damaged (it is truncated)")
    if int.from_bytes(head[68:72], "big") != APPLICATION_ID:
        raise ProjectError(path, "this is an SQLite database, but not a Sinoru project")


def _text(value: object, path: Path, column: str, where: str) -> str:
    """A text column's value as text: a BLOB is decoded, anything else is refused.

    Other programs (or older tools) may write a BLOB where Sinoru writes text; the engine
    would carry the bytes along and the GUI fail on them later, far from the cause.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            raise ProjectError(path, f"the file is damaged: column '{column}' of {where} holds "
                                     "bytes that are not UTF-8 text") from None
    kind = "nothing (NULL)" if value is None else f"a value of type {type(value).__name__}"
    raise ProjectError(path, f"the file is damaged: column '{column}' of {where} holds {kind} "
                             "where text belongs")


def _rows(con: sqlite3.Connection, path: Path, table: str, columns: str, order: str = ""):
    """The rows of ``table`` with every listed column as text (see :func:`_text`).

    A message names the row by its first column (the key: doc_id, name ...) when that is
    text, else by its number.
    """
    names = [c.strip() for c in columns.split(",")]
    sql = f"SELECT {columns} FROM {table}" + (f" ORDER BY {order}" if order else "")
    for n, row in enumerate(con.execute(sql), 1):
        if all(type(v) is str for v in row):  # the usual case: nothing to check or name
            yield row
            continue
        key = row[0]
        where = (f"the row {names[0]} = {display_name(key)!r}" if isinstance(key, str)
                 else f"row {n}")
        yield [_text(v, path, f"{table}.{c}", where) for c, v in zip(names, row, strict=True)]


def _info(con: sqlite3.Connection, path: Path) -> dict[str, str]:
    try:
        info = {k: v for k, v in _rows(con, path, "info", "key, value")}
    except sqlite3.OperationalError as exc:
        raise ProjectError(path, "this is not a Sinoru project (no project information)") from exc
    if info.get("schema") != SCHEMA:
        raise ProjectError(path, "this is not a Sinoru project (unknown schema)")
    try:
        version = int(info.get("schema_version", ""))
    except ValueError as exc:
        raise ProjectError(path, "the file is damaged (bad schema version)") from exc
    if version > SCHEMA_VERSION:
        raise ProjectError(path, f"it was saved by a newer Sinoru ({info.get('app_version', '?')},"
                                 f" project format {version}); please update Sinoru to open it")
    return info


def _read(con: sqlite3.Connection, path: Path, in_memory: bool) -> Project:
    info = _info(con, path)
    # No PRAGMA quick_check: it reads the whole file twice over. Damaged pages raise
    # sqlite3.DatabaseError while the rows below are read, which load_project reports.
    docs = []
    for doc_id, text, raw, removed, meta, source, sha in _rows(
            con, path, "documents", "doc_id, text, raw_text, removed, meta, source, sha256",
            order="position"):
        meta = json.loads(meta)
        if not isinstance(meta, dict):
            raise ProjectError(path, f"the file is damaged: column 'documents.meta' of the row "
                                     f"doc_id = {display_name(doc_id)!r} is not a JSON object")
        docs.append(Document(doc_id=doc_id, text=text, raw_text=raw,
                             removed=() if removed == "[]" else
                             tuple(Removal(int(s), int(e), t, r)
                                   for s, e, t, r in json.loads(removed)),
                             meta=meta, source=source, sha256=sha))
    provenance = [{"time": t, "event": e, "detail": json.loads(d)} for t, e, d in _rows(
        con, path, "provenance", "time, event, detail", order="position")]
    return Project(
        corpus=Corpus(docs),
        config=AnalysisConfig.from_dict(json.loads(info.get("config") or "{}")),
        codebooks=dict(_rows(con, path, "codebooks", "codebook_id, yaml")),
        targets_yaml=info.get("targets_yaml"),
        results=_results(con, path, in_memory),
        provenance=provenance,
        ui=json.loads(info.get("ui") or "{}"),
        app_version=info.get("app_version", ""),
        created=info.get("created", ""),
        recovered_from=info.get("recovered_from"),
        doc_cache=_doc_cache(con, path),
        word_counts=_word_counts(con),
    )


def _has_table(con: sqlite3.Connection, name: str) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                       (name,)).fetchone() is not None


def _word_counts(con: sqlite3.Connection) -> dict[str, int]:
    """The stored word counts (none in projects saved before they were stored)."""
    if not _has_table(con, "word_counts"):
        return {}
    return {k: n for k, n in con.execute("SELECT doc_id, words FROM word_counts")
            if isinstance(k, str) and isinstance(n, int)}  # anything else is recounted


def _doc_cache(con: sqlite3.Connection, path: Path) -> dict[str, bytes]:
    """The cached per-document results; none in projects saved before the table existed."""
    if not _has_table(con, "doc_cache"):
        return {}
    cache = {}
    for key, value in con.execute("SELECT key, value FROM doc_cache"):
        if not isinstance(key, str) or not isinstance(value, bytes):
            # Only a speed-up: a damaged entry is dropped (recomputed), never shown.
            _log.warning("%s: skipped a damaged cache entry", display_name(path.name))
            continue
        cache[key] = value
    return cache


def _results(con: sqlite3.Connection, path: Path, in_memory: bool) -> Results | None:
    """Cached results, or None when there are none or they are unreadable (re-run instead).

    Only results.json is parsed here; each detail table is parsed when first asked for
    (:class:`~sinoru_desktop.project_tables.CsvTable`), and the row tables are read from
    the file by document (:class:`~sinoru_desktop.project_tables.ProjectTable`), or
    read whole now when ``in_memory``.
    """
    # Bytes, not text: a table's CSV is parsed from its UTF-8 bytes ("surrogatepass"
    # keeps an undecodable file name exact), so it is never decoded twice.
    bodies = {}
    text_row = None
    for n, (name, body, kind, rowid) in enumerate(con.execute(
            "SELECT name, CASE WHEN name = 'results.json' AND typeof(body) = 'text' THEN NULL"
            " ELSE CAST(body AS BLOB) END, typeof(body), rowid FROM results"), 1):
        name = _text(name, path, "results.name", f"row {n}")
        if body is None:  # results.json as it is saved: text, parsed in chunks below
            text_row = rowid
            continue
        if kind != "text" and not (kind == "blob" and body.isascii()):  # rare: refused
            value = body if kind == "blob" else con.execute(  # unless UTF-8 text
                "SELECT body FROM results WHERE name = ?", (name,)).fetchone()[0]
            _text(value, path, "results.body", f"the row name = {display_name(name)!r}")
        bodies[name] = body
    body = bodies.pop("results.json", None)
    if text_row is None and body is None:
        return None
    tables = {name: CsvTable(name, csv) for name, csv in bodies.items()}
    for name, table in read_row_tables(con, path.resolve()).items():
        tables[name] = table.load() if in_memory else table
    try:
        # In pieces: one json.loads of tens of MB would freeze the window meanwhile.
        with contextlib.closing(_text_chunks(con, "results", "body", text_row)
                                if text_row is not None else
                                (b.decode("utf-8", "surrogatepass") for b in (body,))) as text:
            data = loads_in_pieces(text)
        return Results.from_dict(data, tables)
    except (ResultsError, json.JSONDecodeError):
        # Results from another Sinoru version: the corpus is what matters; re-run.
        return None


def _text_chunks(con: sqlite3.Connection, table: str, column: str, rowid: int):
    """A text cell, read and decoded 4 MB at a time, as it is parsed: results.json is
    tens of MB (hundreds at 100,000 articles). Fetching and decoding it in one call each
    held the interpreter lock, so the window froze, for 0.1 s and more; joining the
    decoded chunks into one str froze it for 0.9 s at 100,000 articles."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")
    with con.blobopen(table, column, rowid, readonly=True) as blob:
        while chunk := blob.read(4 * _CHUNK_BYTES):
            yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)


def load_project(path: str | Path, *, in_memory: bool = False) -> Project:
    """Read a project file.

    The row tables stay in the file and are read from it as they are needed, so the file
    must stay where it is while the project is open (a save moves them to the file it
    writes); ``in_memory`` reads them now, for a file about to be removed (a recovery
    file).

    Raises
    ------
    ProjectError
        For a missing, unreadable, non-project, damaged or newer-version file; the message
        names the file and the reason.
    """
    path = Path(path)
    _check_header(path)
    with contextlib.suppress(OSError):  # only what killed writers left behind
        remove_stale_temporaries(path, exclusive=project_lock.held(path))
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ProjectError(path, f"the file cannot be opened ({exc})") from exc
    try:
        return _read(con, path, in_memory)
    except ProjectError:
        raise
    except sqlite3.DatabaseError as exc:
        raise ProjectError(path, f"the file is damaged ({exc})") from exc
    except (ValueError, TypeError, KeyError, ProjectTableError) as exc:
        # bad JSON, duplicate ids, bad config, an unreadable row table
        raise ProjectError(path, f"the file is damaged ({exc})") from exc
    finally:
        con.close()


def load_with_word_counts(path: str, read_only: bool = False, *,
                          progress) -> tuple[Project, dict[str, int]]:
    """Task function: load a project and count each document's words off the GUI thread,
    with the modules of the views that will show it imported.

    Unless ``read_only``, first make sure no other Sinoru has the project open (the GUI
    takes the lock when it shows the project, see ``AppState.project_path``).

    Raises
    ------
    ProjectLocked
        When another Sinoru has it open (the message names it and offers a read-only copy).
    """
    from sinoru_desktop.panels.corpus_panel import word_count
    from sinoru_desktop.window.views import import_views

    progress(0.0)
    if not read_only:
        try:
            with project_lock.holding(path):
                remove_stale_temporaries(path, exclusive=True)
        except project_lock.LockedError as exc:
            raise ProjectLocked(path, f"{exc}. Close it there, or open a read-only copy",
                                exc.holder) from None
        except OSError:
            pass  # a read-only folder cannot hold a lock file; the project still opens
    # A read-only copy keeps its row tables in memory: the Sinoru that has the file open
    # may replace it, and the copy must still show (and save) its passages.
    project = load_project(path, in_memory=read_only)
    progress(0.4)
    counts = project.word_counts
    for i, doc in enumerate(project.corpus):
        if i % 500 == 0:
            progress(0.4 + 0.3 * i / max(len(project.corpus), 1))
        if doc.doc_id not in counts:  # saved before counts were stored
            counts[doc.doc_id] = word_count(doc.text)
    if project.results is not None:
        # The first view (Compare) splits groups by the documents' columns: read that
        # table here, not on the GUI thread. The row-level tables wait until asked for.
        project.results.table("documents")
    progress(0.8)
    import_views()  # imports the views' modules, so the GUI thread only builds them
    progress(1.0)
    return project, counts


# Crash recovery ------------------------------------------------------------------------
def pending_recoveries() -> list[Path]:
    """Recovery files left by sessions that did not close cleanly, newest first."""
    from sinoru_desktop.settings import recovery_dir

    found = []
    for path in recovery_dir().glob(f"autosave-*{PROJECT_SUFFIX}"):
        try:
            pid = int(path.stem.removeprefix("autosave-"))
        except ValueError:
            continue
        # Elsewhere than on POSIX a session cannot be told alive: offer its file.
        if not process_alive(pid, unknown=False):
            found.append(path)
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


class Autosaver:
    """Writes recovery files on a background thread so autosave never freezes the window.

    :meth:`drop` (after a clean save or close) waits for a write in progress and makes
    sure no older snapshot can reappear afterwards.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None

    def save(self, project: Project, path: Path) -> bool:
        """Start writing ``project`` to ``path``; False when a write is still running."""
        if self._thread is not None and self._thread.is_alive():
            return False
        self._thread = threading.Thread(target=self._write, args=(project, path, self._generation),
                                        name="sinoru-autosave", daemon=True)
        self._thread.start()
        return True

    def _write(self, project: Project, path: Path, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            try:
                save_project(project, path, adopt=False)  # a copy: the project stays
                self.last_error = None
            except ProjectError as exc:  # shown in the status bar by the next autosave tick
                self.last_error = exc.reason
                _log.warning("Autosave to %s failed: %s", display_name(str(path)), exc.reason)
            except Exception as exc:  # noqa: BLE001 - an escaping error would end the thread
                # silently and every later autosave with it: record it instead.
                self.last_error = f"{type(exc).__name__}: {exc}"
                _log.exception("Autosave to %s failed", display_name(str(path)))

    def drop(self, path: Path) -> None:
        """Delete the recovery file (after a clean save or close)."""
        with self._lock:
            self._generation += 1
            path.unlink(missing_ok=True)

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
