"""The analyst's loop with the app open: first analysis, re-run after one codebook edit,
and opening a large saved project to its charts. Prints one table.

Run from the project root (offscreen, settings in a temporary folder)::

    python -m benchmarks.bench_iteration ../shared/corpus/seeds
    python -m benchmarks.bench_iteration ../shared/corpus/seeds --docs 10000 --workdir big

Everything goes the way a user goes: the seeds are imported through the app's import
path, the analysis starts from the Analysis menu and runs in the warm worker process,
the codebook edit is one undoable edit of the generic codebook (one term added), and the
project opens through File > Open (the file dialog answered). The clock stops when the
results are shown (first analysis, re-run) or the Compare view with its charts has been
painted (open). The worker is warm first (as it is once the app has been open for a
moment); its warm-up time is printed too. ``--docs`` builds (once, kept in ``--workdir``)
a project of synthetic 600-word articles with its results for the open figure.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def edited_generic() -> str:
    """The built-in generic codebook with one term added (what a user's edit does)."""
    from analysis.resources import resource

    text = resource("codebooks/generic.yaml").read_text(encoding="utf-8")
    return text.replace("  - war\n", "  - war\n  - sanction*\n", 1)


def process_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) of process ``pid`` so far (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError, TypeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_from_menu(app, window, wait_until) -> float:
    """Start the analysis from the Analysis menu; seconds until its results are in the
    views (``run_from_menu.charts``: until the charts in view are drawn too)."""
    from benchmarks._app import menu_action
    from benchmarks.bench_open_project import charts_shown
    from sinoru_desktop.stall_probe import StallProbe

    before = window.state.results
    action = menu_action(window, "&Run Analysis")
    t0 = time.perf_counter()
    with StallProbe() as probe:
        action.trigger()
        wait_until(app, lambda: not window.runner.busy and window.state.results is not before)
        elapsed = time.perf_counter() - t0
        wait_until(app, lambda: charts_shown(window))
    run_from_menu.charts = time.perf_counter() - t0
    run_from_menu.stall = probe.longest
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", help="folder of articles with a manifest.csv (the seeds)")
    parser.add_argument("--docs", type=int, default=0,
                        help="also time opening a saved project of this many articles")
    parser.add_argument("--workdir", default=None, help="keeps the built project between runs")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="sinoru-iter-"))
    from benchmarks._app import offscreen_app

    app = offscreen_app(tmp)
    from benchmarks._common import print_table
    from benchmarks.bench_gui_stall import wait_until
    from sinoru_desktop.main_window import MainWindow
    from sinoru_desktop.panels.chart_render import chart_renderer
    from sinoru_desktop.warm_worker import shared_worker

    rows = []
    t0 = time.perf_counter()
    worker = shared_worker()
    worker.ensure_started()
    wait_until(app, lambda: worker.is_ready)
    rows.append(["worker warm-up (background, once per session)",
                 f"{time.perf_counter() - t0:.2f}", "", "", "", "", ""])

    window = MainWindow()
    window.auto_analyse = False
    window.show()
    seeds = Path(args.seeds)
    window.start_import([str(seeds)], str(seeds / "manifest.csv"))
    wait_until(app, lambda: window.state.has_documents and not window.runner.busy)
    n = len(window.state.corpus)

    for step in ("first analysis", "re-run after one codebook edit", "re-run, nothing changed"):
        if step.startswith("re-run after"):
            window.state.edit("Edit codebook", codebooks={"generic": edited_generic()})
        app0, worker0 = time.process_time(), process_cpu(worker.pid)
        asked = chart_renderer().asked
        seconds = run_from_menu(app, window, wait_until)
        drawn = chart_renderer().asked - asked
        cpu = (f"{time.process_time() - app0:.2f} + "
               f"{process_cpu(worker.pid) - worker0:.2f}")
        goal = {"first analysis": 2.0, "re-run after one codebook edit": 0.5}.get(step)
        rows.append([f"{step}, {n} seeds" + (f" (goal <= {goal} s)" if goal else ""),
                     f"{seconds:.2f}", f"{run_from_menu.charts:.2f}", cpu,
                     f"{run_from_menu.stall:.3f}", str(drawn),
                     f"{len(window.state.doc_cache):,} cache entries"
                     if step == "first analysis" else ""])

    if args.docs:
        from benchmarks.bench_open_project import open_to_charts, project_path

        path = project_path(Path(args.workdir) if args.workdir else tmp, args.docs)
        seconds, _cpu, stall = open_to_charts(app, window, path)
        rows.append([f"open a saved {args.docs:,}-article project to its charts (goal <= 2 s)",
                     "", f"{seconds:.2f}", "", f"{stall:.3f}", "",
                     f"{path.stat().st_size / 1e6:.0f} MB"])

    print_table(["step (app open, worker warm)", "results in the views s",
                 "charts in view drawn s", "CPU s to charts (app + worker)",
                 "longest GUI stall s (goal <= 0.1)",
                 "charts drawn (render thread)", "note"],
                rows)
    window.state.set_dirty(False)
    window.close()
    worker.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
