"""Time from launching ``python -m sinoru_desktop`` to an interactive main window.

Run from the project root::

    python benchmarks/bench_startup.py            # 7 runs, offscreen
    python benchmarks/bench_startup.py --runs 15

Each run starts a fresh interpreter with ``SINORU_QUIT_WHEN_SHOWN=1``: the app prints the
seconds since launch once the event loop has shown the window, then quits. Settings and
user data go to a temporary folder, so the first-run welcome page is what is measured.
Also reports whether pandas/matplotlib/sklearn were imported before the window appeared.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 1.5


def one_run(env: dict[str, str]) -> float:
    env = dict(env, SINORU_QUIT_WHEN_SHOWN="1", SINORU_BENCH_T0=repr(time.time()))
    proc = subprocess.run([sys.executable, "-m", "sinoru_desktop"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    for line in proc.stdout.splitlines():
        if line.startswith("shown "):
            return float(line.split()[1])
    raise RuntimeError(f"no timing printed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")


def heavy_modules(env: dict[str, str]) -> list[str]:
    """Heavy libraries imported before the window was shown (should be none)."""
    code = ("import os, sys, runpy; os.environ['SINORU_QUIT_WHEN_SHOWN']='1';"
            "from sinoru_desktop import app;"
            "orig = app._report_shown\n"
            "def report(w):\n"
            "    print('HEAVY', [m for m in ('pandas', 'matplotlib', 'sklearn', 'textstat', "
            "'scipy') if m in sys.modules]); orig(w)\n"
            "app._report_shown = report\n"
            "runpy.run_module('sinoru_desktop', run_name='__main__')")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    for line in proc.stdout.splitlines():
        if line.startswith("HEAVY"):
            return eval(line[6:], {})  # a list literal printed by the child above
    return ["(unknown: " + proc.stderr[-300:] + ")"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sinoru-bench-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   SINORU_DATA_DIR=str(Path(tmp) / "data"), XDG_CONFIG_HOME=str(Path(tmp) / "cfg"),
                   PYTHONPATH=str(ROOT))
        one_run(env)  # warm the OS file cache; not counted
        times = [one_run(env) for _ in range(args.runs)]
        heavy = heavy_modules(env)
    median = statistics.median(times)
    print(f"runs: {', '.join(f'{t:.3f}' for t in times)}")
    print(f"median time to shown window: {median:.3f} s (target <= {TARGET_S} s)")
    print(f"heavy modules imported before the window: {', '.join(heavy) or 'none'}")
    return 0 if median <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
