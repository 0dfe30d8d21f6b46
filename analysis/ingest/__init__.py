"""Ingest: from files and folders to a clean corpus with an import report.

The pipeline, the CLI and the desktop app call :func:`import_paths`; the other names are
the pieces they show or configure (the report, the outlet registry, the manifest).
"""
from analysis.ingest.boilerplate import restore
from analysis.ingest.dedup import Duplicate, find_duplicates
from analysis.ingest.importer import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, import_paths
from analysis.ingest.manifest import Manifest, read_manifest
from analysis.ingest.outlets import OutletInfo, OutletRegistry
from analysis.ingest.report import ImportedRow, ImportReport, ImportResult, SkippedRow

__all__ = ["import_paths", "ImportResult", "ImportReport", "ImportedRow", "SkippedRow",
           "Duplicate", "find_duplicates", "OutletRegistry", "OutletInfo", "read_manifest",
           "Manifest", "restore", "SUPPORTED_SUFFIXES", "DEFAULT_MAX_BYTES"]
