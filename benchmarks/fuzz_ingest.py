"""Fuzz the importers, the manifest reader, the codebook loader and the project loader.

Each hostile input (see :mod:`benchmarks.hostile`) runs in a worker process beside a good
file; the worker is watched for time and memory and restarted after a hang. Prints inputs
tried, crashes, hangs, errors caught only by the importer's catch-all, the slowest input
and peak memory; failing inputs are saved for reproduction.

    nice python -m benchmarks.fuzz_ingest --minutes 10 --seed 1 --out fuzz-out
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

__all__ = ["check_case", "main"]

GOOD = ("Ferry Timetable Agreed\n\nThe port authorities of both cities agreed a new ferry "
        "timetable on Monday, officials said.\n")
_CATCH_ALL = "could not be read ("  # the importer's reason for an exception it did not expect


class PropertyFailed(AssertionError):
    """An input broke the rule: clear one-line reason naming the file, good file imported."""


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise PropertyFailed(message)


def _one_line(text: str) -> bool:
    return bool(text.strip()) and "\n" not in text


def check_case(kind: str, suffix: str, data: bytes, folder: Path, registry=None) -> str:
    """Feed one hostile input to its loader in ``folder`` (empty, writable) and check the
    rule; returns a one-line outcome ("imported ...", "skipped: reason", "caught: ...").

    Raises
    ------
    PropertyFailed
        The good file beside it was lost, or a reason is missing, multi-line or does not
        name the file. Any other exception is a crash of the loader.
    """
    from analysis.ingest import import_paths

    good = folder / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    hostile = folder / f"hostile{suffix}"
    hostile.write_bytes(data)
    if kind == "codebook":
        from analysis.codebook import CodebookError, load_codebook

        try:
            load_codebook(hostile)
        except CodebookError as exc:
            _require(_one_line(str(exc)) and hostile.name in str(exc), f"reason: {exc!r}")
            return f"refused: {exc.reason}"
        return "loaded"
    if kind == "project":
        from sinoru_desktop.project import ProjectError, load_project

        try:
            load_project(hostile)
        except ProjectError as exc:
            _require(hostile.name in str(exc).split("\n")[0], f"reason: {exc!r}")
            _require(_one_line(str(exc)), f"reason over several lines: {exc!r}")
            return f"refused: {exc.reason}"
        return "loaded"
    manifest = hostile if kind == "manifest" else None
    paths = [good] if kind == "manifest" else [folder]
    result = import_paths(paths, manifest, registry=registry)
    report = result.report
    _require(any(d.source == str(good) for d in result.corpus), "the good file was lost")
    report.format()
    json.dumps(report.to_dict(), ensure_ascii=False)
    for warning in report.warnings:
        _require(_one_line(warning), f"warning over several lines: {warning!r}")
    if kind == "manifest":
        for warning in report.warnings:
            _require(str(hostile) in warning or "good.txt" in warning,
                     f"warning does not name the manifest: {warning!r}")
        return f"{len(report.warnings)} warning(s)"
    mine = [s for s in report.skipped if s.path.split("#")[0] == str(hostile)]
    for row in mine:
        _require(_one_line(row.reason), f"reason over several lines: {row.reason!r}")
    caught = [r.reason for r in mine if r.reason.startswith(_CATCH_ALL)]
    if caught:
        return f"caught: {caught[0][:160]}"
    n_docs = len(result.corpus) - 1
    if mine and not n_docs:
        return f"skipped: {mine[0].reason[:160]}"
    _require(n_docs > 0 or mine, "the hostile file neither imported nor skipped")
    return f"imported {n_docs} document(s), skipped {len(mine)} row(s)"


# The worker ---------------------------------------------------------------------------
def _worker(conn) -> None:
    """Run cases sent over ``conn`` until it closes; reply (status, outcome, seconds)."""
    from analysis.ingest import OutletRegistry

    registry = OutletRegistry.load()
    while True:
        try:
            kind, suffix, data = conn.recv()
        except EOFError:
            return
        folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
        started = time.perf_counter()
        try:
            status, outcome = "ok", check_case(kind, suffix, data, folder, registry)
        except PropertyFailed as exc:
            status, outcome = "property", str(exc)
        except Exception:
            status, outcome = "crash", traceback.format_exc(limit=-3)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        conn.send((status, outcome, time.perf_counter() - started))


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class _Worker:
    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child,), daemon=True)
        self.proc.start()
        self.peak_mb = 0.0

    def run(self, case, timeout: float, max_mb: float) -> tuple[str, str, float]:
        self.conn.send(case)
        started = time.perf_counter()
        while not self.conn.poll(0.2):
            rss = _rss_mb(self.proc.pid)
            self.peak_mb = max(self.peak_mb, rss)
            elapsed = time.perf_counter() - started
            if elapsed > timeout:
                return "hang", f"no answer after {timeout:.0f} s", elapsed
            if rss > max_mb:
                return "memory", f"{rss:,.0f} MB resident", elapsed
            if not self.proc.is_alive():
                return "crash", f"worker died (exit code {self.proc.exitcode})", elapsed
        self.peak_mb = max(self.peak_mb, _rss_mb(self.proc.pid, "VmHWM"))
        return self.conn.recv()

    def stop(self) -> None:
        self.proc.kill()
        self.proc.join()


def main(argv: list[str] | None = None) -> int:
    from benchmarks.hostile import hostile_case

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per input")
    parser.add_argument("--max-mb", type=float, default=2048.0, help="resident memory limit")
    parser.add_argument("--out", default="fuzz-out", help="folder for failing inputs")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    out = Path(args.out)
    worker = _Worker()
    counts: dict[str, int] = {}
    kinds: dict[str, int] = {}
    slowest = (0.0, "")
    peak = 0.0
    failures: list[str] = []
    deadline = time.monotonic() + args.minutes * 60
    n = 0
    while time.monotonic() < deadline:
        n += 1
        case = hostile_case(rng)
        status, outcome, seconds = worker.run(case, args.timeout, args.max_mb)
        counts[status] = counts.get(status, 0) + 1
        kinds[case[0]] = kinds.get(case[0], 0) + 1
        if status == "ok" and outcome.startswith("caught"):
            counts["caught"] = counts.get("caught", 0) + 1
        label = f"{case[0]} {case[1]} ({len(case[2]):,} bytes)"
        if seconds > slowest[0]:
            slowest = (seconds, label)
        if status != "ok" or outcome.startswith("caught"):
            out.mkdir(parents=True, exist_ok=True)
            name = f"{n:06d}-{status}-{case[0]}{case[1]}"
            (out / name).write_bytes(case[2])
            failures.append(f"{name}: {outcome.strip().splitlines()[-1][:200]}")
            print(f"[{n}] {status}: {label}: {outcome.strip().splitlines()[-1][:200]}",
                  flush=True)
        if status in ("hang", "memory") or not worker.proc.is_alive():
            peak = max(peak, worker.peak_mb)
            worker.stop()
            worker = _Worker()
    peak = max(peak, worker.peak_mb)
    worker.stop()
    print(f"\ninputs tried: {n:,} in {args.minutes:g} min (seed {args.seed}): "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))
    print(f"crashes: {counts.get('crash', 0)}; property failures: {counts.get('property', 0)}; "
          f"hangs (> {args.timeout:g} s): {counts.get('hang', 0)}; memory blow-ups "
          f"(> {args.max_mb:,.0f} MB): {counts.get('memory', 0)}; errors caught only by the "
          f"importer's catch-all: {counts.get('caught', 0)}")
    print(f"slowest input: {slowest[0]:.1f} s ({slowest[1]}); peak worker memory: "
          f"{peak:,.0f} MB")
    if failures:
        print(f"failing inputs saved in {out}/")
    return 1 if any(counts.get(k) for k in ("crash", "property", "hang", "memory")) else 0


if __name__ == "__main__":
    sys.exit(main())
