"""One report export by format: what ``sinoru report`` and the app's File > Export report…
both call, so the two always write the same files."""
from __future__ import annotations

from pathlib import Path

from analysis.progress import ProgressCallback
from analysis.report.options import ReportOptions

__all__ = ["REPORT_FORMATS", "export_report"]

#: Format -> what it writes, in words. "csv" writes a folder of CSV files.
REPORT_FORMATS = {"pdf": "PDF report", "html": "HTML report (one self-contained file)",
                  "xlsx": "XLSX workbook (one sheet per table)",
                  "csv": "CSV files (one per table, in a folder)"}


def export_report(results, fmt: str, target: str | Path, options: ReportOptions | None = None,
                  progress: ProgressCallback | None = None) -> list[Path]:
    """Write the report of ``results`` as ``fmt`` (a key of :data:`REPORT_FORMATS`) to
    ``target`` (a folder for "csv"), atomically; returns the paths written.

    ``progress`` receives 0..1; raising :class:`analysis.Cancelled` from it stops the export
    and leaves no file.
    """
    from analysis.report import build_html, build_pdf, write_tables

    options = options or ReportOptions()
    if fmt == "pdf":
        return [build_pdf(results, target, options, progress)]
    if fmt == "html":
        return [build_html(results, target, options, progress)]
    if fmt == "xlsx":
        return write_tables(results, xlsx_path=target, options=options, progress=progress)
    if fmt == "csv":
        return write_tables(results, csv_dir=target, options=options, progress=progress)
    raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(REPORT_FORMATS)}")
