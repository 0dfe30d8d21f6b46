"""Find super-linear work in the importers: each token repeated n and 4n times.

    nice python -m benchmarks.scale_ingest --suffixes .txt .md .html .csv

Prints the tokens whose import time grows more than 6-fold for 4 times the input (linear
work grows 4-fold, quadratic 16-fold) and takes over half a second, with both timings.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

TOKENS = ["[", "![", "[a](", "**a ", "__a ", "*a ", "<", "<a ", "&", "&#", "By ", "Published ",
          "http://", "www.", "- ", "# ", "\n", " \n", "\n\n", "a\n", "A. ", "Mr. ", "©", "|",
          "\t", '"', "'", "—", "...", "1. ", "Page 1\n", "•", "@", "#a ", ":", "a-\n", "A\n"]


def _body(suffix: str, token: str, n: int) -> str:
    if suffix in (".csv", ".tsv"):
        sep = "," if suffix == ".csv" else "\t"
        return f'title{sep}text\nT{sep}"' + (token * n).replace('"', '""') + '"\n'
    return "Title here\n\n" + token * n + " end.\n"


def main(argv: list[str] | None = None) -> None:
    from analysis.ingest import OutletRegistry, import_paths

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suffixes", nargs="+", default=[".txt", ".md", ".html", ".csv"])
    parser.add_argument("--n", type=int, default=4000)
    args = parser.parse_args(argv)
    registry = OutletRegistry.load()
    found = 0
    for suffix in args.suffixes:
        for token in TOKENS:
            times = []
            for n in (args.n, 4 * args.n):
                with tempfile.TemporaryDirectory() as tmp:
                    path = Path(tmp) / f"x{suffix}"
                    path.write_text(_body(suffix, token, n), encoding="utf-8")
                    started = time.perf_counter()
                    import_paths([path], registry=registry)
                    times.append(time.perf_counter() - started)
            if times[1] > 0.5 and times[1] / max(times[0], 0.01) > 6:
                found += 1
                print(f"{suffix} {token!r}: {times[0]:.2f} s for {args.n:,}, "
                      f"{times[1]:.2f} s for {4 * args.n:,}", flush=True)
    print(f"{found} token(s) with super-linear import time in {', '.join(args.suffixes)}")


if __name__ == "__main__":
    main()
