"""Build and label the China–Russia domain-check sample of target mentions.

    python -m analysis.commands.domain_sample build --sheet DIR/mentions.csv
        finds every target mention in the seed articles, writes the coding sheet (with the
        sentences, for the coders; keep it outside the project) and the project's sample
        of references (file names and offsets only, no article text).
    python -m analysis.commands.domain_sample merge --coder-a A.csv --coder-b B.csv
                                                    [--adjudicated ADJ.csv]
        merges the coders' labels (columns mention_id, label) and the adjudicated labels
        into the project's sample and prints Krippendorff's alpha.

Then ``sinoru evaluate --domain`` scores the models on it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.models.data import DataError
from analysis.models.domain_check import (
    agreement,
    build_sample,
    coding_rows,
    default_sample_path,
    default_seeds_dir,
    merge_codes,
    read_codes,
    read_sample,
    write_csv,
)

__all__ = ["main"]


def _build(args) -> int:
    rows = build_sample(args.seeds)
    if not rows:
        print(f"no target mentions found in {args.seeds}/*.txt", file=sys.stderr)
        return 2
    write_csv(rows, args.sample)
    write_csv(coding_rows(rows, args.seeds), args.sheet)
    files = len({r.file for r in rows})
    print(f"{len(rows)} mentions in {files} articles: coding sheet {args.sheet}, "
          f"references {args.sample}")
    return 0


def _merge(args) -> int:
    rows = read_sample(args.sample)
    codes = []
    for path in (args.coder_a, args.coder_b, args.adjudicated):
        if path is None:
            codes.append({})
            continue
        found, problems = read_codes(path)
        for p in problems:
            print(f"skipped: {p}", file=sys.stderr)
        unknown = sorted(set(found) - {r.mention_id for r in rows})
        if unknown:
            print(f"{path}: {len(unknown)} mention id(s) not in the sample, ignored "
                  f"(first: {unknown[0]})", file=sys.stderr)
        codes.append(found)
    merged = merge_codes(rows, *codes)
    write_csv(merged, args.sample)
    alpha, n_both, raw = agreement(merged)
    open_ = sum(1 for r in merged if r.coder_a and r.coder_b and r.coder_a != r.coder_b
                and not r.label)
    print(f"coded by both: {n_both} of {len(rows)}; raw agreement {raw:.3f}; "
          f"Krippendorff's alpha (nominal) {alpha:.3f}; labelled {sum(bool(r.label) for r in merged)}; "
          f"disagreements not yet adjudicated: {open_}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.commands.domain_sample",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, default=default_sample_path(),
                        help="the project's sample of references (default: the shipped one)")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="find the mentions; write the sheet and the references")
    b.add_argument("--seeds", type=Path, default=default_seeds_dir(),
                   help="folder of the articles (*.txt; default ../shared/corpus/seeds)")
    b.add_argument("--sheet", type=Path, required=True,
                   help="where to write the coding sheet (with the sentences; keep it "
                        "outside the project)")
    m = sub.add_parser("merge", help="merge coders' and adjudicated labels; print alpha")
    m.add_argument("--coder-a", type=Path, required=True)
    m.add_argument("--coder-b", type=Path, required=True)
    m.add_argument("--adjudicated", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        return _build(args) if args.command == "build" else _merge(args)
    except DataError as exc:
        print(f"domain_sample: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
