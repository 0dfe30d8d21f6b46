"""The import of a folder read by one process and by worker processes: wall time, CPU
seconds of the importer and of its workers, peak memory, and whether corpus and report
are the same.

    python -m benchmarks.bench_import DIR --jobs 1 2

Each run is a fresh process (so start-up and peak memory are its own). On a shared
machine read the CPU columns: wall time depends on the load.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

_RUN = r"""
import hashlib, json, resource, sys, time
from analysis.ingest import import_paths

def main():
    folder, manifest, jobs = sys.argv[1], sys.argv[2] or None, sys.argv[3]
    started = time.perf_counter()
    result = import_paths([folder], manifest, jobs=None if jobs == "auto" else int(jobs))
    wall = time.perf_counter() - started
    digest = hashlib.sha256()
    for d in result.corpus:
        digest.update(repr((d.doc_id, d.text, sorted(d.meta.items()), d.raw_text, d.removed,
                            d.source, d.sha256)).encode())
    report = result.report
    digest.update(repr((report.imported, report.skipped, report.warnings,
                        [x.to_dict() for x in report.duplicates])).encode())
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"docs": len(result.corpus), "skipped": len(report.skipped),
                      "wall": wall, "cpu": me.ru_utime + me.ru_stime,
                      "workers_cpu": kids.ru_utime + kids.ru_stime,
                      "rss_mib": me.ru_maxrss / 1024, "workers_rss_mib": kids.ru_maxrss / 1024,
                      "digest": digest.hexdigest()[:16]}))

if __name__ == "__main__":
    main()
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--manifest", type=Path, help="default: FOLDER/manifest.csv if any")
    parser.add_argument("--jobs", nargs="+", default=["1", "auto"],
                        help="1: the importer alone; N: N workers; auto: the default")
    args = parser.parse_args(argv)
    manifest = args.manifest or args.folder / "manifest.csv"
    manifest_arg = str(manifest) if manifest.is_file() else ""
    print(f"{'jobs':>5} {'docs':>7} {'skipped':>7} {'wall s':>7} {'CPU s':>6} "
          f"{'workers CPU s':>13} {'peak MiB':>8} {'worker MiB':>10}  same")
    first = None
    for jobs in args.jobs:
        out = subprocess.run([sys.executable, "-c", _RUN, str(args.folder), manifest_arg, jobs],
                             capture_output=True, text=True, check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        first = first or r["digest"]
        print(f"{jobs:>5} {r['docs']:>7,} {r['skipped']:>7,} {r['wall']:>7.1f} {r['cpu']:>6.1f} "
              f"{r['workers_cpu']:>13.1f} {r['rss_mib']:>8.0f} {r['workers_rss_mib']:>10.0f}  "
              f"{'yes' if r['digest'] == first else 'NO'}", flush=True)


if __name__ == "__main__":
    main()
