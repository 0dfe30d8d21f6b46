"""Import articles: choose files or a folder (and a manifest), run ingest, show the report."""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from analysis.names import display_name
from analysis.progress import ProgressCallback
from sinoru_desktop.dataframe_model import DataFrameModel

__all__ = ["ImportOutcome", "run_import", "find_manifest", "merge_import", "ImportDialog", "show_import_dialog",
           "show_import_report", "report_rows"]

IMPORT_FILTER = ("Articles (*.txt *.md *.html *.htm *.mhtml *.mht *.pdf *.docx *.rtf *.csv *.xlsx "
                 "*.json *.jsonl);;All files (*)")


@dataclass(frozen=True)
class ImportOutcome:
    """What an import task returns to the GUI: the ingest result and what was asked for."""

    result: object            # analysis.ingest.ImportResult (corpus + report)
    paths: tuple[str, ...]
    manifest: str | None
    rows: dict | None = None  # report_rows(result), made in the worker


def find_manifest(paths: tuple[str, ...]) -> str | None:
    """The ``manifest.csv`` at the top of an imported folder, if there is one."""
    for p in paths:
        candidate = Path(p) / "manifest.csv"
        if Path(p).is_dir() and candidate.is_file():
            return str(candidate)
    return None


def run_import(paths: tuple[str, ...], manifest: str | None, registry_file: str | None, *,
               progress: ProgressCallback) -> ImportOutcome:
    """Task function: ingest ``paths`` (files and folders) with an optional manifest.

    Without a manifest, a ``manifest.csv`` at the top of an imported folder is used (and
    not imported as a table of articles). ``registry_file`` is the user's outlet registry
    YAML, which extends the built-in outlet presets.
    """
    from analysis.ingest import OutletRegistry, import_paths

    manifest = manifest or find_manifest(paths)
    problem = None
    try:
        registry = OutletRegistry.load(registry_file)
    except ValueError as exc:  # a broken user file must not block imports
        registry, problem = OutletRegistry.load(None), f"{exc} (the built-in outlet list was used)"
    result = import_paths(list(paths), manifest, registry=registry, progress=progress)
    if problem:
        result.report.warnings.append(problem)
    # The report's rows are made here: for thousands of files they take a while.
    return ImportOutcome(result, tuple(paths), manifest, report_rows(result))


def merge_import(existing, imported):
    """Add the newly imported documents to ``existing`` (a Corpus).

    Returns ``(corpus, already_present)``: documents whose source bytes (sha256) are
    already in the project are not added again; an id that is taken gets a ``-2``… suffix.
    """
    from dataclasses import replace

    from analysis.corpus import Corpus

    hashes = {d.sha256 for d in existing if d.sha256}
    ids = set(existing.ids)
    added, present = [], []
    for doc in imported:
        if doc.sha256 and doc.sha256 in hashes:
            present.append(doc)
            continue
        doc_id, n = doc.doc_id, 2
        while doc_id in ids:
            doc_id, n = f"{doc.doc_id}-{n}", n + 1
        ids.add(doc_id)
        hashes.add(doc.sha256)
        added.append(replace(doc, doc_id=doc_id) if doc_id != doc.doc_id else doc)
    return Corpus([*existing, *added]), present


def report_rows(result) -> dict[str, list[tuple[str, ...]]]:
    """The rows of the report dialog's three tabs, from an ``ImportResult``.

    ``imported``: (source, title, outlet, group, words); ``skipped``: (file, reason);
    ``duplicates``: (kind, documents, similarity).
    """
    words = {r.doc_id: r.n_words for r in result.report.imported}
    imported = [(display_name(d.source), d.title, d.get("outlet"), d.get("group"),
                 f"{words.get(d.doc_id, 0):,}") for d in result.corpus]
    skipped = [(display_name(str(s.path)), s.reason) for s in result.report.skipped]
    duplicates = [("exact copy" if d.kind == "exact" else "near copy", ", ".join(d.doc_ids),
                   f"{d.similarity:.2f}") for d in result.report.duplicates]
    return {"imported": imported, "skipped": skipped, "duplicates": duplicates}


class ImportDialog(QDialog):
    """Pick files and folders to import and an optional manifest.

    Signals
    -------
    importRequested(list, str) : the chosen paths and the manifest ("" when none).
    """

    importRequested = Signal(list, str)

    def __init__(self, parent: QWidget | None = None, paths: list[str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import articles")
        self.resize(620, 420)
        self.paths = QListWidget()
        self.paths.setToolTip("Files and folders to import (folders are read recursively)")
        self.add_files_button = QPushButton("Add files…")
        self.add_folder_button = QPushButton("Add folder…")
        self.remove_button = QPushButton("Remove")
        self.add_files_button.clicked.connect(self._on_add_files)
        self.add_folder_button.clicked.connect(self._on_add_folder)
        self.remove_button.clicked.connect(self._on_remove)
        side = QVBoxLayout()
        for b in (self.add_files_button, self.add_folder_button, self.remove_button):
            side.addWidget(b)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.paths, 1)
        row.addLayout(side)

        self.manifest = QLineEdit()
        self.manifest.setPlaceholderText("optional: a CSV with file, title, outlet, group, date…")
        self.manifest.setToolTip("A manifest.csv inside an imported folder is used automatically")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._on_browse_manifest)
        manifest_row = QHBoxLayout()
        manifest_row.addWidget(self.manifest, 1)
        manifest_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Manifest:", manifest_row)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Text, HTML, PDF, Word, CSV/Excel files or folders. "
                                "Metadata comes from the manifest, the files and the "
                                "outlet registry."))
        layout.addLayout(row, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        for path in paths or []:
            self.add_path(path)
        self._update()

    def add_path(self, path: str) -> None:
        if path and path not in self.chosen_paths():
            self.paths.addItem(path)
        self._update()

    def chosen_paths(self) -> list[str]:
        return [self.paths.item(i).text() for i in range(self.paths.count())]

    def _update(self) -> None:
        self.import_button.setEnabled(self.paths.count() > 0)

    @Slot()
    def _on_add_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Add articles", "", IMPORT_FILTER)
        for f in files:
            self.add_path(f)

    @Slot()
    def _on_add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of articles")
        if folder:
            self.add_path(folder)
            # The import reads the folder's manifest.csv by itself; show it, so the user
            # sees where the groups will come from before pressing Import.
            found = find_manifest((folder,))
            if found and not self.manifest.text().strip():
                self.manifest.setText(found)

    @Slot()
    def _on_remove(self) -> None:
        for item in self.paths.selectedItems():
            self.paths.takeItem(self.paths.row(item))
        self._update()

    @Slot()
    def _on_browse_manifest(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a manifest", "",
                                              "Manifest (*.csv *.xlsx);;All files (*)")
        if path:
            self.manifest.setText(path)

    @Slot()
    def _on_accept(self) -> None:
        if not self.paths.count():
            return
        self.importRequested.emit(self.chosen_paths(), self.manifest.text().strip())
        self.accept()


def show_import_dialog(parent: QWidget | None = None,
                       paths: list[str] | None = None) -> ImportDialog:
    """Build, show and return the import dialog."""
    dialog = ImportDialog(parent, paths)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def _table(headers: list[str], rows: list[tuple[str, ...]]) -> QTableView:
    """A read-only table of ``rows``, shown through a model: one item object per cell
    (a QTableWidget's) made a 10,000-file report 0.24 s of GUI-thread work, and 50,000
    objects for the app's garbage collector to walk afterwards."""
    import pandas as pd

    frame = pd.DataFrame([tuple(map(str, row)) for row in rows],
                         columns=[str(i) for i in range(len(headers))], dtype=object)
    table = QTableView()
    model = DataFrameModel(frame, columns=dict(zip(frame.columns, headers, strict=True)),
                           parent=table)
    table.setModel(model)
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setResizeContentsPrecision(200)  # widths from the first rows, not 1,000
    table.resizeColumnsToContents()
    return table


def show_import_report(parent: QWidget | None, result, already_present=(),
                       rows: dict | None = None) -> QDialog:
    """Build, show and return the import report of an ``ImportResult``: imported, skipped
    (with the reason) and suspected duplicates (``already_present``: documents the project
    held before). ``rows`` are ``report_rows(result)`` when already made."""
    rows = dict(rows or report_rows(result))
    rows["duplicates"] = rows["duplicates"] + [("already in the project", d.doc_id, "1.00")
                           for d in already_present]
    dialog = QDialog(parent)
    dialog.setWindowTitle("Import report")
    dialog.resize(760, 460)
    n_in, n_skip, n_dup = (len(rows[k]) for k in ("imported", "skipped", "duplicates"))
    summary = QLabel(f"<b>{n_in} imported</b>, {n_skip} skipped, "
                     f"{n_dup} suspected duplicate{'s' if n_dup != 1 else ''}.")
    tabs = QTabWidget()
    tabs.addTab(_table(["Source", "Title", "Outlet", "Group", "Words"], rows["imported"]),
                f"Imported ({n_in})")
    tabs.addTab(_table(["File", "Reason"], rows["skipped"]), f"Skipped ({n_skip})")
    tabs.addTab(_table(["Kind", "Documents", "Similarity"], rows["duplicates"]),
                f"Suspected duplicates ({n_dup})")
    if n_skip and not n_in:
        tabs.setCurrentIndex(1)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(summary)
    layout.addWidget(tabs, 1)
    warnings = result.report.warnings
    if warnings:
        note = QLabel("<br>".join(html.escape(str(w)) for w in warnings))
        note.setWordWrap(True)
        layout.addWidget(note)
    layout.addWidget(buttons)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
