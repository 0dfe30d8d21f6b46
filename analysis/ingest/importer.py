"""Import files and folders into a clean corpus: the one entry point of ingest."""
from __future__ import annotations

import errno
import hashlib
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.corpus import META_FIELDS, Corpus, Document, Removal
from analysis.ingest.boilerplate import apply_removals, find_boilerplate
from analysis.ingest.decode import REPAIRED
from analysis.ingest.dedup import DuplicateFinder, bin_minima, text_print
from analysis.ingest.exports import read_export
from analysis.ingest.layout import build_text
from analysis.ingest.limits import archive_problem
from analysis.ingest.manifest import Manifest, read_manifest
from analysis.ingest.metadata import extract_metadata, parse_date
from analysis.ingest.outlets import OutletRegistry
from analysis.ingest.readers import DOCUMENT_READERS, RawItem, SkipFile, read_document
from analysis.ingest.report import ImportedRow, ImportReport, ImportResult, SkippedRow
from analysis.ingest.tables import TABLE_SUFFIXES, read_table
from analysis.ingest.webpage import HTML_MODES, WEB_SUFFIXES, article_removals, saved_page_folder
from analysis.ingest.workers import cores_for, in_order
from analysis.lang import SEGMENTED, document_language
from analysis.progress import ProgressCallback, wrap_progress
from analysis.text import _TOKEN as _WORD_TOKEN  # analysis.text.words' tokens, just counted
from analysis.text import segment

__all__ = ["import_paths", "SUPPORTED_SUFFIXES", "DEFAULT_MAX_BYTES"]

SUPPORTED_SUFFIXES = tuple(dict.fromkeys((*DOCUMENT_READERS, *WEB_SUFFIXES, *TABLE_SUFFIXES)))
DEFAULT_MAX_BYTES = 50 * 2**20
_IGNORED_NAMES = {"thumbs.db", "desktop.ini", "__macosx"}
# A corpus folder's own notes: not articles when met in a folder (named on their own they
# are imported like any file).
_FOLDER_NOTES = {"readme", "license", "licence", "changelog", "contributing", "notice"}


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"


def _ignored(name: str) -> bool:
    """Hidden files and folders, ``__MACOSX`` resource forks and OS litter."""
    return name.startswith(".") or name.lower() in _IGNORED_NAMES


def _link_problem(path: Path) -> str | None:
    """Why a symbolic link cannot be followed (broken, or a loop), or None."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "link loop (the link leads back to itself)"
        if os.path.islink(path):
            target = Path(path.parent, os.readlink(path))
            return f"broken link (points to {target}, which does not exist)"
    return None


def _walk(root: Path, report: ImportReport) -> Iterator[Path]:
    """Files under ``root`` in sorted order, following links. A folder that cannot be
    listed, a broken link, a link loop or a link back into a folder already read is a
    line in ``report.skipped``, never a silent gap."""
    seen: set[tuple[int, int]] = set()

    def visit(folder: Path) -> Iterator[Path]:
        info = folder.stat()
        if (info.st_dev, info.st_ino) in seen:
            report.skipped.append(SkippedRow(str(folder), "link loop (leads back to a "
                                                          "folder already read)"))
            return
        seen.add((info.st_dev, info.st_ino))
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            report.skipped.append(SkippedRow(str(folder), "cannot read this folder "
                                                          f"({exc.strerror or exc})"))
            return
        for entry in entries:
            path = Path(entry.path)
            if _ignored(entry.name):
                continue
            problem = _link_problem(path) if entry.is_symlink() else None
            if problem:
                report.skipped.append(SkippedRow(str(path), problem))
            elif entry.is_dir():
                yield from visit(path)
            elif entry.is_file():
                yield path

    yield from visit(root)


def _collect(paths: Sequence[str | Path], manifest: Path | None,
             report: ImportReport) -> list[Path]:
    """Files to import, in a stable order, each once; missing paths and unknown file
    types go to ``report.skipped``."""
    files: list[Path] = []
    seen: set[Path] = set()
    page_assets: dict[Path, int] = {}
    skip_manifest = Path(os.path.abspath(manifest)) if manifest is not None else None

    def add(f: Path) -> None:
        key = Path(os.path.abspath(f))  # cheaper than resolve() for 20,000 files
        if key in seen or key == skip_manifest:
            return
        seen.add(key)
        if f.suffix.lower() not in SUPPORTED_SUFFIXES:
            kind = f"'{f.suffix}'" if f.suffix else "(no extension)"
            report.skipped.append(SkippedRow(str(f), f"unsupported file type {kind}"))
            return
        files.append(f)

    for p in paths:
        path = Path(p)
        problem = _link_problem(path) if path.is_symlink() else None
        if problem:
            report.skipped.append(SkippedRow(str(path), problem))
        elif path.is_dir():
            for f in _walk(path, report):
                assets = saved_page_folder(f)
                if assets is not None:
                    page_assets[assets] = page_assets.get(assets, 0) + 1
                    continue
                if f.stem.lower() in _FOLDER_NOTES:
                    report.warnings.append(f"{f}: left out as the folder's notes, not an "
                                           "article (name the file on its own to import it)")
                    continue
                add(f)
        elif path.is_file():
            add(path)
        else:
            report.skipped.append(SkippedRow(str(path), "no such file or folder"))
    for folder, n in page_assets.items():
        report.warnings.append(f"{folder}: {n} file(s) left out as parts of the saved web "
                               "page beside it, not articles")
    return files


class _Ids:
    """Stable, unique document ids from file stems (suffixes -2, -3 ... on clashes)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, wanted: str) -> str:
        base = re.sub(r"[^\w.-]+", "_", wanted).strip("_.") or "doc"
        doc_id, n = base, 1
        while doc_id in self.used:
            n += 1
            doc_id = f"{base}-{n}"
        self.used.add(doc_id)
        return doc_id


def _fill_outlet(meta: dict[str, str], registry: OutletRegistry) -> None:
    """Fill empty outlet fields from the registry (by outlet name, else by URL domain)."""
    info = registry.lookup(meta["outlet"]) if meta["outlet"] else None
    if info is None and not meta["outlet"] and meta.get("url"):
        info = registry.lookup(meta["url"])
        if info is not None:
            meta["outlet"] = info.name
    if info is not None:
        if not meta["outlet_type"]:
            meta["outlet_type"] = info.outlet_type
        if not meta["group"]:
            meta["group"] = info.group


def _build(item: RawItem, manifest_row: dict[str, str], registry: OutletRegistry,
           doc_id: str, html: str = "article") -> Document:
    """A Document from extracted text: layout, boilerplate, metadata, outlet registry."""
    raw_text, furniture = build_text(item.pages, item.wrapped)
    if not any(ch.isalnum() for ch in raw_text):
        raise SkipFile("no text in it")
    extracted = extract_metadata(raw_text, registry)
    # Bylines first: on a tie for the same line the first reason listed is kept.
    removals = [*extracted.removals, *(_removal(raw_text, s, e, r) for s, e, r in furniture),
                *find_boilerplate(raw_text)]
    if item.article is not None and html == "article":
        removals += article_removals(raw_text, item.article, item.meta.get("title", ""))
    text, kept = apply_removals(raw_text, removals)
    if not any(ch.isalnum() for ch in text):
        raise SkipFile("nothing left after removing boilerplate")
    meta = {key: "" for key in META_FIELDS}
    # Precedence: the manifest, then what the format declares, then what the text says.
    meta.update({k: v for k, v in extracted.meta.items() if v})
    fmt = dict(item.meta)
    if fmt.get("date"):
        fmt["date"] = parse_date(fmt["date"]) or fmt["date"]
    meta.update({k: v for k, v in fmt.items() if v})
    meta.update({k: v for k, v in manifest_row.items() if v})
    _fill_outlet(meta, registry)
    return Document(doc_id=doc_id, text=text, meta=meta, raw_text=raw_text,
                    removed=kept, source=item.source, sha256=item.sha256)


def _html_mode(value: str, default: str, path: Path) -> tuple[str, str]:
    """A manifest's per-file ``html`` setting, or ``default`` when empty or unknown (then
    with a warning; else the warning is "")."""
    if not value:
        return default, ""
    if value.lower() not in HTML_MODES:
        return default, (f"{path}: manifest html value '{value}' is not one of "
                         f"{', '.join(HTML_MODES)}; using {default}")
    return value.lower(), ""


def _removal(text: str, start: int, end: int, reason: str) -> Removal:
    return Removal(start, end, text[start:end], reason)


def _items(path: Path, max_bytes: int, text_column: str | None,
           warn: Callable[[str], None]) -> Iterator[RawItem]:
    """Raw items of one file; raises :class:`SkipFile` for a file that cannot be read."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SkipFile(f"cannot read it ({exc.strerror or exc})") from exc
    if size > max_bytes:
        # Refused from its size alone: the file is never opened.
        raise SkipFile(f"too large: {_mb(size)} (limit {_mb(max_bytes)})")
    if size == 0:
        raise SkipFile("empty file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SkipFile(f"cannot read it ({exc.strerror or exc})") from exc
    problem = archive_problem(data)  # .docx, .xlsx and any other zip-based file
    if problem:
        raise SkipFile(problem)
    if path.suffix.lower() in TABLE_SUFFIXES:
        rows, notes = read_table(path, data, text_column)
        for note in notes:
            warn(f"{path}: {note}")
        yield from rows
    else:
        articles = read_export(path, data)  # None: not a news-database export
        if articles is not None:
            yield from articles
        else:
            yield read_document(path, data, hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class _Task:
    """One file to read, with what the manifest says of it (looked up in file order by
    the importer's own process, which keeps track of the rows it used)."""

    path: Path
    row_of: dict[str, str]
    html: str
    warning: str  # about its manifest row; the report shows it before the file's own


@dataclass(frozen=True)
class _Settings:
    registry: OutletRegistry
    max_bytes: int
    text_column: str | None


_settings: _Settings | None = None  # this process's, set by _start before any chunk


def _start(settings: _Settings) -> None:
    global _settings
    _settings = settings


def _file_events(task: _Task, settings: _Settings) -> list[list]:
    """What importing one file gives, in order, for the importer to replay:
    ``["warning", text]``, ``["skipped", source, reason]``, ``["id", wanted]`` (a row
    refused after it was given an id: the id stays taken) and ``["doc", wanted, fields,
    n_words, encoding, print, bin minima]`` (``fields``: the Document's after its id)."""
    path, events = task.path, []

    def warn(note: str) -> None:
        events.append(["warning", note])

    try:
        for n, item in enumerate(_items(path, settings.max_bytes, settings.text_column, warn)):
            if n == 0 and REPAIRED in item.encoding:  # once per file, not per row
                events.append(["warning", f"{path}: decoded as {item.encoding}; check "
                                          "the text there"])
            if item.error:
                events.append(["skipped", item.source, item.error])
                continue
            wanted = item.doc_id or (path.stem if item.row is None
                                     else f"{path.stem}_row{item.row}")
            try:
                # A manifest row naming a table file applies to each of its rows.
                doc = _build(item, task.row_of, settings.registry, "", task.html)
            except SkipFile as exc:
                events.extend((["id", wanted], ["skipped", item.source, str(exc)]))
                continue
            except Exception:
                events.append(["id", wanted])
                raise
            lang = document_language(doc)
            # Chinese has no spaces: its words come from the segmenter, not a regex.
            text = doc.text
            n_words = (segment(text, lang).n_words if lang in SEGMENTED
                       else len(_WORD_TOKEN.findall(text)))
            raw = doc.raw_text
            fields = (text, dict(doc.meta), "" if raw == text else raw, doc.removed,
                      doc.source, doc.sha256)
            events.append(["doc", wanted, fields, n_words, item.encoding, None, None])
    except SkipFile as exc:
        events.append(["skipped", str(path), str(exc)])
    except Exception as exc:  # never let one odd file abort a batch of thousands
        events.append(["skipped", str(path),
                       f"could not be read ({type(exc).__name__}: {exc})"])
    return events


def _read_chunk(tasks: list[_Task]) -> list[list[list]]:
    """The events of each file (in a worker process, or the importer's own), with each
    document's duplicate print and signature made here too."""
    out = [_file_events(task, _settings) for task in tasks]
    docs = [event for events in out for event in events if event[0] == "doc"]
    shingled, token_lists = [], []
    for event in docs:
        event[5], toks = text_print(event[2][0])
        if len(toks) >= 3:
            shingled.append(event)
            token_lists.append(toks)
    if token_lists:  # hashed together: numpy's cost per call is shared
        for event, row in zip(shingled, bin_minima(token_lists), strict=True):
            event[6] = row
    return out


#: Files below which the import reads them itself: two worker processes take about 0.6 s
#: to start and a CPU second between them, which reading fewer files in parallel does not
#: win back (about 0.8 ms a file, for 600-word articles).
_MIN_FILES_FOR_WORKERS = 2000
_CHUNK = 32  # files sent to a worker at once


def import_paths(paths: Sequence[str | Path], manifest: str | Path | None = None, *,
                 text_column: str | None = None, registry: OutletRegistry | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, html: str = "article",
                 progress: ProgressCallback | None = None,
                 jobs: int | None = None) -> ImportResult:
    """Import files and folders (recursively) into a corpus, with a report.

    Parameters
    ----------
    paths : sequence of str or Path
        Files and folders. Supported: .txt .md .html/.htm .pdf .docx (one article per
        file) and .csv .tsv .xlsx .jsonl (one article per row).
    manifest : path, optional
        CSV with a ``file`` column and metadata columns; its values win over extracted ones.
    text_column : str, optional
        The text column of table files (default: "text", "body", "content", ... or the
        column with the longest values).
    registry : OutletRegistry, optional
        Outlet registry used to fill ``outlet_type``/``group`` (default: built-in).
    max_bytes : int
        Files larger than this are refused without being read.
    html : {"article", "whole-page"}
        What to keep of a web page: its article (the rest of the page is a reversible
        removal) or the whole page. A manifest column ``html`` sets it per file.
    progress : callable, optional
        Receives 0..1; may raise :class:`analysis.progress.Cancelled`.
    jobs : int, optional
        Processes that read the files (default: one per core for a folder of many files,
        else the calling process alone). The result is the same for any number.

    Returns
    -------
    ImportResult
        ``corpus`` (documents in file order; every META_FIELDS key present) and ``report``.
        Bad input never raises: each unreadable file or row is a line in
        ``report.skipped`` and the rest is imported.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # one path given on its own, not a sequence of paths
    if html not in HTML_MODES:
        raise ValueError(f"html must be one of {', '.join(HTML_MODES)}, not {html!r}")
    report = ImportReport()
    registry = registry if registry is not None else OutletRegistry.load()
    man: Manifest = read_manifest(manifest)
    report.warnings.extend(man.warnings)
    files = _collect(paths, man.path, report)
    ids = _Ids()
    docs: list[Document] = []
    # Duplicates are looked for as each document arrives: holding every text's words and
    # shingles for one search at the end took about 4 GB at 100,000 articles.
    duplicates = DuplicateFinder()
    callback = wrap_progress(progress, 0.0, 0.9)
    done = 0

    def poke() -> None:  # progress, and Cancel's chance, while a worker reads files
        callback(done / len(files) if files else 1.0)

    def tasks() -> Iterator[_Task]:
        for path in files:
            row_of = man.match(path)
            file_html, warning = _html_mode(row_of.pop("html", ""), html, path)
            yield _Task(path, row_of, file_html, warning)

    callback(0.0)
    settings = _Settings(registry, max_bytes, text_column)
    workers = cores_for(len(files), _MIN_FILES_FOR_WORKERS) if jobs is None else (
        jobs if jobs > 1 else 0)
    for task, events in in_order(_read_chunk, tasks(), workers=workers, chunk=_CHUNK,
                                 initializer=_start, initargs=(settings,), poke=poke):
        if done % 20 == 0:
            poke()
        done += 1
        if task.warning:
            report.warnings.append(task.warning)
        for event in events:
            kind = event[0]
            if kind == "warning":
                report.warnings.append(event[1])
            elif kind == "skipped":
                report.skipped.append(SkippedRow(event[1], event[2]))
            elif kind == "id":  # a row refused after its id was given: the id stays taken
                ids.make(event[1])
            else:
                _, wanted, fields, n_words, encoding, key, minima = event
                doc = Document(ids.make(wanted), *fields)
                docs.append(doc)
                duplicates.add_print(doc.doc_id, key, minima)
                report.imported.append(ImportedRow(doc.source, doc.doc_id, n_words,
                                                   encoding))
    callback(1.0)
    for name in man.unused():
        report.warnings.append(f"manifest {man.path}: names '{name}', which was not among "
                               "the imported files")
    report.duplicates = duplicates.result(lambda i: docs[i].text,
                                          progress=wrap_progress(progress, 0.9, 1.0))
    if progress:
        progress(1.0)
    return ImportResult(Corpus(docs), report)

