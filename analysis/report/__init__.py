"""Reports of analysis results: PDF, self-contained HTML, CSV/XLSX tables and chart images.

The desktop app's File > Export report… and ``sinoru report`` call these functions; all of
them draw the same charts (:mod:`analysis.charts`) and write every file atomically.
"""
from __future__ import annotations

from pathlib import Path

from analysis.report.export import REPORT_FORMATS, export_report
from analysis.report.options import SECTIONS, ReportOptions, report_outline

__all__ = ["ReportOptions", "SECTIONS", "REPORT_FORMATS", "build_pdf", "build_html",
           "write_tables", "export_report", "export_charts", "report_outline"]


def _readable(results):
    """The results as people read them: undecodable file names shown as ``caf\\xe9.txt``.

    (Every string is valid text afterwards, so the PDF, HTML and XLSX writers need no
    care; see :mod:`analysis.names`.)
    """
    from analysis.charts._common import data_of
    from analysis.names import display_strings
    from analysis.results import Results

    return Results(display_strings(data_of(results)), getattr(results, "tables", {}))


def build_pdf(results, path: str | Path, options: ReportOptions | None = None,
              progress=None) -> Path:
    """Write the PDF report (see :func:`analysis.report.pdf.build_pdf`)."""
    from analysis.report.chart_drawings import report_drawings

    results, options = _readable(results), options or ReportOptions()
    # The charts start being drawn in their own process before the PDF writer (fpdf2, a
    # good part of a second) is even imported.
    charts = report_drawings(results, options)
    try:
        from analysis.report.pdf import build_pdf as _build
    except BaseException:
        charts.close()
        raise
    return _build(results, path, options, progress, charts)


def build_html(results, path: str | Path, options: ReportOptions | None = None,
               progress=None) -> Path:
    """Write the self-contained HTML report (see :func:`analysis.report.html.build_html`)."""
    from analysis.report.html import build_html as _build

    return _build(_readable(results), path, options, progress)


def write_tables(results, csv_dir: str | Path | None = None,
                 xlsx_path: str | Path | None = None, options: ReportOptions | None = None,
                 progress=None) -> list[Path]:
    """Write the report tables as CSV files and/or one XLSX workbook (see
    :func:`analysis.report.tables.write_tables`)."""
    from analysis.report.tables import write_tables as _write

    return _write(_readable(results), csv_dir, xlsx_path, options, progress)


def export_charts(results, target_dir_or_zip: str | Path, formats=("png", "svg"),
                  progress=None, *, keys=None, dpi: int = 150) -> list[Path]:
    """Write every chart (or those named in ``keys``) as PNG/SVG into a folder or a
    ``.zip``."""
    from analysis.report.chart_export import export_charts as _export

    return _export(_readable(results), target_dir_or_zip, formats, progress=progress, keys=keys, dpi=dpi)
