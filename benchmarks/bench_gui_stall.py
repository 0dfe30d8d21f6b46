"""How long the window stops responding while an analysis runs, while saving a large
project and while importing many files: the longest gap of the GUI event loop, measured
with a 10 ms timer.

Run from the project root (offscreen, settings in a temporary folder)::

    python benchmarks/bench_gui_stall.py                      # 20,000 documents, 2,000 files
    python benchmarks/bench_gui_stall.py --docs 5000 --files 500 --analyse 1000
    # the analyst's loop: the seeds analysed, their results arriving, a re-run after one
    # codebook edit, and a saved 10,000-article project opened to its charts
    python benchmarks/bench_gui_stall.py --seeds ../shared/corpus/seeds --open 10000 \
        --workdir big --docs 0 --files 0 --analyse 0

    # the results of a large analysis arriving from the worker (made beforehand with
    # `python -m analysis analyze CORPUS --manifest CORPUS/manifest.csv --out OUT`)
    python benchmarks/bench_gui_stall.py --arrive CORPUS OUT --docs 0 --files 0 --analyse 0

Each row gives the longest stall (wall clock), in brackets the most CPU time the whole
process spent between two ticks (another thread holding the interpreter lock stalls the
GUI thread too), and the most CPU time the GUI thread itself spent between two ticks: on a
machine shared with other busy programs the stall grows while the process waits for a
core, the CPU figures do not.

With ``--seeds`` the first analysis is split in two: while the worker analyses, and from
the results' arrival until the Compare charts in view are drawn. ``--seeds`` and
``--arrive`` also time the garbage collections the GUI thread ran meanwhile (the app
collects there, from a timer: ``sinoru_desktop/gui_gc.py``); ``--arrive`` waits for the
views' modules the app imports once its window is shown (the others start with them
loading), and then keeps the large project open 10 s more. ``--open`` builds the
project once in ``--workdir`` (see ``benchmarks/bench_open_project.py``).

The analysis runs twice on ``--analyse`` documents: from the Analysis menu (in the warm
worker process, as the app does) and, for comparison, on a thread of the GUI process
(how the app ran it before). The worker is warm first.

The save and the import are started from the File menu / the import path a user takes
and run in the app's task runner; the figures include everything the GUI thread does
before and after (taking the snapshot, showing the results).
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


HEADER = ["task", "seconds", "longest stall s (process CPU s in it)",
          "GUI thread busy (CPU s)", "result"]


def stalls(probe) -> list[str]:
    """The probe's figures: the longest stall (wall clock) with the most CPU the whole
    process spent between two ticks (it counts another thread holding the interpreter
    lock too, and bounds the stall where a core is free), and the most CPU the GUI
    thread itself spent between two ticks."""
    return [f"{probe.longest:.3f} ({probe.longest_process_cpu:.3f})", f"{probe.longest_cpu:.3f}"]


def wait_until(app, condition, timeout: float = 600.0) -> None:
    """Run the event loop (without sleeping in between) until ``condition()`` holds."""
    from PySide6.QtCore import QEventLoop

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the task did not end in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def big_corpus(n: int, words: int):
    from analysis.corpus import Corpus, Document
    from benchmarks.make_corpus import make_article

    rng = random.Random(7)
    return Corpus(Document(f"d{i:06d}", make_article(rng, ("chinese", "western")[i % 2], words),
                           meta={"group": ("chinese", "western")[i % 2],
                                 "title": f"Article {i}", "outlet": f"Outlet {i % 40}"})
                  for i in range(n))


def analysis_stalls(app, window, n: int, words: int) -> list[list[str]]:
    """Longest stall while ``n`` documents are analysed in the worker, and on a thread."""
    from analysis.pipeline import stage_at
    from benchmarks._app import menu_action
    from benchmarks.bench_open_project import charts_shown
    from sinoru_desktop.project import Project
    from sinoru_desktop.stall_probe import StallProbe
    from sinoru_desktop.warm_worker import shared_worker
    from sinoru_desktop.worker_process import run_analysis_task

    worker = shared_worker()
    worker.ensure_started()
    wait_until(app, lambda: worker.is_ready)
    window.load_into_state(Project(corpus=big_corpus(n, words)), None)
    wait_until(app, lambda: True)
    rows = []
    action = menu_action(window, "&Run Analysis")
    before = window.state.results
    t0 = time.perf_counter()
    with StallProbe() as probe:
        action.trigger()
        wait_until(app, lambda: window.state.results is not before)
        running = stalls(probe)
        probe.longest = probe.longest_cpu = probe.longest_process_cpu = 0.0
        wait_until(app, lambda: not window.runner.busy and charts_shown(window))
    rows.append([f"analyse {n:,} documents (worker process)", f"{time.perf_counter() - t0:.1f}",
                 *running, ""])
    rows.append([f"analyse {n:,} documents: results arriving, charts in view drawn", "",
                 *stalls(probe), f"{len(window.state.results.group_names)} groups"])
    s, done = window.state, []
    t0 = time.perf_counter()
    with StallProbe() as probe:
        window.runner.start(run_analysis_task, s.corpus, s.config, (), None, "bench",
                            label="Analysing (thread)…", on_done=done.append, stages=stage_at)
        wait_until(app, lambda: bool(done))
    rows.append([f"analyse {n:,} documents (thread, before)", f"{time.perf_counter() - t0:.1f}",
                 *stalls(probe), ""])
    window.state.set_dirty(False)
    return rows


class CollectionTimes:
    """The garbage collections run on the GUI thread (see ``sinoru_desktop/gui_gc.py``)
    while in use: how many of each generation, their total and the longest, wall clock
    and the thread's CPU."""

    def __init__(self) -> None:
        import threading

        self._gui = threading.get_ident()
        self._start = (0.0, 0.0)
        self.count = [0, 0, 0]
        self.total = self.total_cpu = self.longest = self.longest_cpu = 0.0

    def _on_gc(self, phase: str, info: dict) -> None:
        import threading

        if threading.get_ident() != self._gui:
            return
        now = (time.perf_counter(), time.thread_time())
        if phase == "start":
            self._start = now
            return
        wall, cpu = now[0] - self._start[0], now[1] - self._start[1]
        self.count[info["generation"]] += 1
        self.total, self.total_cpu = self.total + wall, self.total_cpu + cpu
        self.longest, self.longest_cpu = max(self.longest, wall), max(self.longest_cpu, cpu)

    def __enter__(self) -> CollectionTimes:
        import gc

        gc.callbacks.append(self._on_gc)
        return self

    def __exit__(self, *exc) -> None:
        import gc

        gc.callbacks.remove(self._on_gc)

    def row(self, what: str) -> list[str]:
        return [f"garbage collections on the GUI thread, {what}", f"{self.total:.2f}",
                f"{self.longest:.3f}", f"{self.longest_cpu:.3f}",
                "by generation " + "/".join(map(str, self.count))]


def seed_stalls(app, window, seeds: Path) -> list[list[str]]:
    """Longest stalls of the analyst's loop on the seeds: analysing, results arriving
    (until the charts in view are drawn), and a re-run after one codebook edit."""
    from benchmarks._app import menu_action
    from benchmarks.bench_iteration import edited_generic
    from benchmarks.bench_open_project import charts_shown
    from sinoru_desktop.stall_probe import StallProbe
    from sinoru_desktop.warm_worker import shared_worker

    worker = shared_worker()
    worker.ensure_started()
    wait_until(app, lambda: worker.is_ready)
    window.start_import([str(seeds)], str(seeds / "manifest.csv"))
    wait_until(app, lambda: window.state.has_documents and not window.runner.busy)
    action = menu_action(window, "&Run Analysis")
    rows = []
    for step in ("first analysis", "re-run after one codebook edit"):
        if step != "first analysis":
            window.state.edit("Edit codebook", codebooks={"generic": edited_generic()})
        before = window.state.results
        t0 = time.perf_counter()
        with StallProbe() as probe, CollectionTimes() as collections:
            action.trigger()
            # Until the results are in, the stalls are the analysis's; the stall that
            # holds their arrival is measured at the next tick, in the second phase.
            wait_until(app, lambda before=before: window.state.results is not before)
            running = stalls(probe)
            probe.longest = probe.longest_cpu = probe.longest_process_cpu = 0.0
            wait_until(app, lambda: not window.runner.busy and charts_shown(window))
        n = len(window.state.corpus)
        rows.append([f"{step}, {n} seeds: analysing (worker process)",
                     f"{time.perf_counter() - t0:.2f}", *running, ""])
        rows.append([f"{step}, {n} seeds: results arriving, charts in view drawn", "",
                     *stalls(probe), f"{len(window.panels['compare'].cards)} cards"])
        rows.append(collections.row(f"{step}, both phases"))
    return rows


def saved_results_task(out_dir: str, *, progress):
    """Worker task: the results of an earlier ``sinoru analyze --out`` run, as an
    analysis hands them to the app (the arrival of a large analysis without running it)."""
    from analysis.results import Results
    from sinoru_desktop.worker_process import AnalysisRun

    progress(0.0)
    return AnalysisRun(Results.load(out_dir), {})


def arrival_stalls(app, window, corpus: Path, out_dir: Path) -> list[list[str]]:
    """Longest stall while the results of a large analysis (``out_dir``, made by
    ``sinoru analyze`` from ``corpus``) come from the worker process and are shown, until
    the Compare charts in view are drawn; and the garbage collections on the GUI thread
    then and in the ten seconds after, with the project open."""
    from benchmarks.bench_open_project import charts_shown
    from sinoru_desktop.stall_probe import StallProbe
    from sinoru_desktop.warm_worker import shared_worker
    from sinoru_desktop.window.analysis_runs import prepare_views
    from sinoru_desktop.window.views import wait_for_background_imports

    worker = shared_worker()
    worker.ensure_started()
    wait_until(app, lambda: worker.is_ready)
    manifest = corpus / "manifest.csv"
    window.start_import([str(corpus)], str(manifest) if manifest.is_file() else None)
    wait_until(app, lambda: window.state.has_documents and not window.runner.busy)
    wait_for_background_imports()
    made_from = window.state.revision()
    before = window.state.results
    t0 = time.perf_counter()
    with StallProbe() as probe, CollectionTimes() as collections:
        # The path of an analysis's results: pickled in the worker, read by the reader
        # thread, handed to the window as the Analysis menu's run hands them.
        window.runner.start(saved_results_task, str(out_dir), label="Analysing…",
                            on_done=lambda run: window._on_analysis_done(run, made_from),
                            in_worker=True, prepare=partial(prepare_views, window.state.corpus,
                                                            window.state.config.group_by))
        wait_until(app, lambda: window.state.results is not before)
        wait_until(app, lambda: not window.runner.busy and charts_shown(window))
    n = len(window.state.corpus)
    rows = [[f"results of a {n:,}-article analysis arriving, charts in view drawn",
             f"{time.perf_counter() - t0:.2f}", *stalls(probe),
             f"{len(window.panels['compare'].cards)} cards"],
            collections.row("meanwhile")]
    with StallProbe() as probe, CollectionTimes() as collections:
        end = time.monotonic() + 10
        wait_until(app, lambda: time.monotonic() > end)
    rows += [[f"the {n:,}-article project open, 10 s after", "10", *stalls(probe), ""],
             collections.row("in those 10 s")]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000, help="documents in the saved project")
    parser.add_argument("--words", type=int, default=600, help="words per document")
    parser.add_argument("--files", type=int, default=2_000, help="files imported")
    parser.add_argument("--analyse", type=int, default=1_000, help="documents analysed (0: skip)")
    parser.add_argument("--seeds", default=None,
                        help="folder of articles with a manifest.csv: the analyst's loop on it")
    parser.add_argument("--open", type=int, default=0,
                        help="also open a saved, analysed project of this many articles")
    parser.add_argument("--arrive", nargs=2, metavar=("CORPUS", "OUT"), default=None,
                        help="import CORPUS, then show the results `sinoru analyze CORPUS "
                             "--out OUT` wrote, as they arrive from an analysis")
    parser.add_argument("--workdir", default=None, help="keeps the --open project between runs")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="sinoru-stall-"))
    from benchmarks._app import offscreen_app

    app = offscreen_app(tmp)
    from benchmarks._common import ensure_corpus, print_table
    from sinoru_desktop.main_window import MainWindow
    from sinoru_desktop.project import Project
    from sinoru_desktop.stall_probe import StallProbe

    window = MainWindow()
    window.auto_analyse = False
    window.show()
    from sinoru_desktop.window.views import import_views_in_background

    import_views_in_background(freeze=True)  # as the app does once its window is shown
    rows = []
    if args.seeds:
        rows += seed_stalls(app, window, Path(args.seeds))
    if args.arrive:
        rows += arrival_stalls(app, window, *map(Path, args.arrive))
    if args.open:
        from benchmarks.bench_open_project import open_to_charts, project_path

        path = project_path(Path(args.workdir) if args.workdir else tmp, args.open)
        wall, _cpu, probe = open_to_charts(app, window, path)
        rows.append([f"open a saved {args.open:,}-article project to its charts", f"{wall:.2f}",
                     *stalls(probe), f"{path.stat().st_size / 1e6:.0f} MB"])
    if args.analyse:
        rows += analysis_stalls(app, window, args.analyse, args.words)

    if not args.docs:
        print_table(HEADER, rows)
        print("goal: no stall longer than 0.100 s")
        window.state.set_dirty(False)
        window.close()
        return 0
    # Save a large project.
    print(f"building a project of {args.docs:,} documents …", flush=True)
    window.load_into_state(Project(corpus=big_corpus(args.docs, args.words)), None, dirty=True)
    path = tmp / "big.sinoru"
    window.state.project_path = str(path)
    wait_until(app, lambda: True)
    t0 = time.perf_counter()
    with StallProbe() as probe:
        window.save_action.trigger()
        wait_until(app, lambda: path.exists() and not window.state.dirty)
    rows.append([f"save {args.docs:,} documents", f"{time.perf_counter() - t0:.1f}",
                 *stalls(probe), f"{path.stat().st_size / 1e6:.0f} MB"])

    if args.files:  # import many files into a new project
        folder = ensure_corpus(tmp / "articles", args.files)
        window.state.set_dirty(False)
        window.new_project()
        wait_until(app, lambda: not window.runner.busy)
        t0 = time.perf_counter()
        with StallProbe() as probe:
            window.start_import([str(folder)])
            wait_until(app, lambda: window.state.has_documents and not window.runner.busy)
            wait_until(app, lambda: True)
        rows.append([f"import {args.files:,} files", f"{time.perf_counter() - t0:.1f}",
                     *stalls(probe), f"{len(window.state.corpus):,} documents"])
    print_table(HEADER, rows)
    print("goal: no stall longer than 0.100 s")
    window.state.set_dirty(False)
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
