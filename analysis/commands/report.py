"""``sinoru report``: write the PDF/HTML report, tables and chart images from results.json."""
from __future__ import annotations

import argparse
from pathlib import Path

from analysis.commands.console import ProgressBar, error, say
from analysis.report.options import SECTIONS

__all__ = ["register", "run"]


def register(sub, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name, help="write reports (PDF, HTML, XLSX, CSV, chart images) from results",
        description="Write reports from the results of 'sinoru analyze': a PDF with "
                    "findings, charts, tables, evidence passages and appendices; the same as "
                    "self-contained HTML; every table as CSV files and/or one XLSX workbook; "
                    "every chart as PNG and SVG in a folder or a zip file.")
    p.add_argument("results", metavar="RESULTS_DIR_OR_JSON",
                   help="folder holding results.json, or the results.json file")
    p.add_argument("--pdf", metavar="FILE", help="write the PDF report here")
    p.add_argument("--html", metavar="FILE", help="write the HTML report here")
    p.add_argument("--xlsx", metavar="FILE", help="write all tables into one XLSX workbook")
    p.add_argument("--csv", metavar="DIR", help="write all tables as CSV files into DIR")
    p.add_argument("--charts", metavar="DIR_OR_ZIP",
                   help="write every chart as PNG and SVG into DIR (or a .zip file)")
    p.add_argument("--title", help="report title (default: 'Sinoru report: <corpus name>')")
    p.add_argument("--author", default="", help="author shown on the title page")
    p.add_argument("--note", default="",
                   help="your own note (scope, caveats), shown under the title")
    p.add_argument("--sections", metavar="LIST", default=",".join(SECTIONS),
                   help="comma-separated sections to include, in any order (default: all: "
                        f"{','.join(SECTIONS)})")
    p.add_argument("--max-documents", type=int, default=200, metavar="N",
                   help="documents listed in the PDF/HTML appendix (default 200; all are in "
                        "the tables)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def run(args) -> int:
    from analysis.report import ReportOptions, export_charts, export_report
    from analysis.report.options import parse_sections
    from analysis.results import Results, ResultsError

    if not any((args.pdf, args.html, args.xlsx, args.csv, args.charts)):
        error("nothing to write: give at least one of --pdf, --html, --xlsx, --csv, --charts")
        return 2
    try:
        sections = parse_sections(args.sections)
    except ValueError as exc:
        error(f"--sections: {exc}")
        return 2
    source = Path(args.results)
    if not source.exists():
        error(f"{source}: no such file or folder")
        return 2
    try:
        results = Results.load(source)
    except ResultsError as exc:
        error(str(exc))
        return 2
    options = ReportOptions(sections=sections, title=args.title or "", author=args.author,
                            note=args.note, max_documents_in_appendix=max(0, args.max_documents))
    # The same export_report as the app's File > Export report…: one code path.
    jobs = [(label, target, lambda p, f=fmt, t=target: export_report(results, f, t, options, p))
            for fmt, label, target in (("pdf", "PDF", args.pdf), ("html", "HTML", args.html),
                                       ("xlsx", "XLSX", args.xlsx), ("csv", "CSV", args.csv))
            if target]
    if args.charts:
        jobs.append(("Charts", args.charts,
                     lambda p: export_charts(results, args.charts, progress=p)))
    failed = 0
    for label, target, job in jobs:
        try:
            job(ProgressBar(f"Writing {label}", enabled=not args.quiet))
        except OSError as exc:
            error(f"{target}: cannot write {label} ({exc.strerror or exc})")
            failed += 1
            continue
        say(f"{label} written to {target}")
    return 1 if failed else 0
