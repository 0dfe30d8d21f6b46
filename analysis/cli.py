"""The ``sinoru`` command line: one sub-command per module in :mod:`analysis.commands`.

Exit codes: 0 success; 1 the work ran but some input was skipped or a check failed;
2 usage error or unreadable input (nothing produced); 130 interrupted.
"""
from __future__ import annotations

import argparse
import importlib
import multiprocessing
import sys

from analysis import __version__

__all__ = ["main", "COMMANDS"]

# name -> module in analysis.commands; each module has register(subparsers) and run(args).
COMMANDS = {
    "analyze": "analyze",
    "import-check": "import_check",
    "report": "report",
    "evaluate": "evaluate",
}

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sinoru",
        description="Compare how outlet groups frame the same story.",
        epilog="Exit codes: 0 ok; 1 done, but some input skipped or a check failed; "
               "2 usage error or nothing usable; 130 interrupted.")
    parser.add_argument("--version", action="version", version=f"sinoru {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        mod = importlib.import_module(f"analysis.commands.{module}")
        p = mod.register(sub, name)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    # A frozen (PyInstaller) build starts its analysis worker processes by running this
    # executable again: freeze_support turns such a start into the worker.
    multiprocessing.freeze_support()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("sinoru: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
