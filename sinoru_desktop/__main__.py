"""``sinoru-desktop``: start the app; ``--version`` and ``--self-test`` return at once."""
from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="sinoru-desktop",
                                     description="Sinoru Desktop: compare media framing.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--self-test", action="store_true",
                        help="exercise every dependency offscreen, print one line, exit 0 or 1")
    parser.add_argument("--demo", action="store_true", help="open the built-in demo project")
    parser.add_argument("project", nargs="?", help="a .sinoru project file to open")
    # Qt adds its own arguments (-platform, -style ...); leave unknown ones to it.
    args, _unknown = parser.parse_known_args(argv)
    return args


def main(argv: list[str] | None = None) -> int:
    # The frozen app is its own Python: a worker process started by multiprocessing
    # (spawn) runs this executable, and freeze_support turns it into the worker here.
    import multiprocessing

    multiprocessing.freeze_support()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.version:
        # Keep this path free of heavy imports: it must answer at once.
        from analysis import __version__

        print(f"Sinoru Desktop {__version__}")
        return 0
    if args.self_test:
        from sinoru_desktop.selftest import run_self_test

        return run_self_test()
    from sinoru_desktop.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
