"""``sinoru import-check``: import files and folders and print the import report."""
from __future__ import annotations

import argparse
import json

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name, help="check what would be imported from files and folders",
        description="Import files and folders (.txt .md .html .pdf .docx; .csv .xlsx .jsonl "
                    "with one article per row) and print the import report: documents, "
                    "skipped files with reasons, duplicates and warnings. Nothing is saved.",
        epilog="Exit codes: 0 everything imported; 1 some files or rows skipped; "
               "2 nothing usable, or the --manifest file does not exist.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    parser.add_argument("--manifest", metavar="CSV",
                        help="CSV with a 'file' column and metadata columns")
    parser.add_argument("--text-column", metavar="NAME",
                        help="text column of table files (default: text/body/content, "
                             "else the column with the longest values)")
    parser.add_argument("--outlets", metavar="YAML",
                        help="your outlet registry additions (see docs/ingest.md)")
    parser.add_argument("--max-mb", type=float, default=50.0, metavar="MB",
                        help="refuse files larger than this (default: 50)")
    parser.add_argument("--html", choices=("article", "whole-page"), default="article",
                        help="web pages: keep the article (default) or the whole page")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def run(args: argparse.Namespace) -> int:
    from analysis.commands.console import ProgressBar, error, manifest_missing, say
    from analysis.ingest import OutletRegistry, import_paths

    try:
        registry = OutletRegistry.load(args.outlets)
    except ValueError as exc:
        error(str(exc))
        return 2
    if manifest_missing(args.manifest):
        return 2
    result = import_paths(args.paths, args.manifest, text_column=args.text_column,
                          registry=registry, max_bytes=int(args.max_mb * 2**20), html=args.html,
                          progress=ProgressBar("Importing", enabled=not args.quiet))
    report = result.report
    if args.json:
        say(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        say(report.format())
    return report.exit_code
