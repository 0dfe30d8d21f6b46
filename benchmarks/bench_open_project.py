"""Open a saved, analysed project to its charts: File > Open until the Compare view
shows its charts (the cards in view drawn and painted). Prints one table with the goal.

Run from the project root (offscreen, settings in a temporary folder)::

    python -m benchmarks.bench_open_project --workdir big            # 10,000 articles
    python -m benchmarks.bench_open_project --docs 1000 --workdir big

The project (synthetic 600-word articles with the results of their analysis) is built
once and kept in ``--workdir``; later runs only open it. A project kept by an older
version of this script, without its word counts, is saved again once with them, as the
app saves a project. The file dialog is answered as
a user would answer it; the clock runs from the menu action to the charts on screen.
Beside the wall time: the GUI process's CPU seconds and peak RSS, and the longest stall
of the GUI event loop while the project opens. Then the first bar of the frames, targets
and sentence-tone charts is clicked, as a user drills down to the passages behind it,
each timed the same way until its passages are listed (they are read on a worker thread,
so the window keeps running meanwhile).

As in the app, the views' modules are first imported in the background once the window
is shown (its own row); ``--cold`` opens the project before that, at once.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOAL_S = 2.0


def build_project(path: Path, n: int) -> None:
    """A saved project of ``n`` synthetic articles with the results of their analysis."""
    from analysis.pipeline import run_analysis
    from benchmarks.bench_gui_stall import big_corpus
    from sinoru_desktop.project import Project, save_project

    print(f"building a project of {n:,} analysed documents (once) …", flush=True)
    from sinoru_desktop.panels.corpus_panel import word_count

    corpus = big_corpus(n, 600)
    # With the word counts, as the app saves a project.
    save_project(Project(corpus=corpus, results=run_analysis(corpus),
                         word_counts={d.doc_id: word_count(d.text) for d in corpus}), path)


def build_from_results(path: Path, out: Path, inputs: Path, manifest: Path | None) -> None:
    """A saved project of the files in ``inputs`` with the results ``sinoru analyze``
    wrote to ``out`` for them (e.g. for 100,000 articles, analysed once by the CLI)."""
    import json

    import pandas as pd

    from analysis.cells import restore_formulas
    from analysis.ingest import import_paths
    from analysis.results import TABLES, Results
    from sinoru_desktop.panels.corpus_panel import word_count
    from sinoru_desktop.project import Project, save_project

    print(f"building a project from {inputs} and the results in {out} (once) …", flush=True)
    corpus = import_paths([str(inputs)], manifest=str(manifest) if manifest else None).corpus
    # As Results.load reads them, but with the ids as text: read_csv would make the id
    # "000123" the number 123, and no passage would belong to a document any more.
    tables = {name: restore_formulas(pd.read_csv(out / f"{name}.csv", keep_default_na=False,
                                                 na_values=[""], dtype={"doc_id": str}))
              for name in TABLES if (out / f"{name}.csv").is_file()}
    results = Results.from_dict(json.loads((out / "results.json").read_text("utf-8")), tables)
    n = results.groups and sum(g["n_documents"] for g in results.groups.values())
    if n != len(corpus):
        raise SystemExit(f"{out} holds the results of {n} documents, {inputs} has "
                         f"{len(corpus)}: not the results of these files")
    save_project(Project(corpus=corpus, results=results,
                         word_counts={d.doc_id: word_count(d.text) for d in corpus}), path)


def add_word_counts(path: Path) -> None:
    """Save the project at ``path`` again with its word counts, as the app saves it
    (projects built by older versions of this benchmark lack them)."""
    from sinoru_desktop.project import load_with_word_counts, save_project

    print("storing the word counts in the project (once) …", flush=True)
    project, counts = load_with_word_counts(str(path), True, progress=lambda _f: None)
    project.word_counts = counts
    save_project(project, path)


def project_path(workdir: Path, n: int, results: Path | None = None,
                 inputs: Path | None = None, manifest: Path | None = None) -> Path:
    """The saved project of ``n`` articles in ``workdir`` (built when missing: from
    ``results`` and ``inputs`` when given, else analysed here)."""
    import sqlite3

    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"open-{n}.sinoru"
    if not path.exists():
        if results is not None:
            build_from_results(path, results, inputs, manifest)
        else:
            build_project(path, n)
    con = sqlite3.connect(path)
    try:
        counted = con.execute("SELECT count(*) FROM word_counts").fetchone()[0]
    finally:
        con.close()
    if counted < n:
        add_word_counts(path)
    return path


def charts_shown(window) -> bool:
    """True once the Compare view is current and every card in view has its chart."""
    if not window.panels.built("compare"):  # asking for it would build it
        return False
    compare = window.panels["compare"]
    if window.panel_stack.currentWidget() is not compare:
        return False
    shown = [card for card in compare.cards.values()
             if card.isVisible() and not card.visibleRegion().isEmpty()]
    return bool(shown) and all(card.built for card in shown)


def wait_until(condition, timeout: float = 600.0) -> None:
    """Run the event loop until ``condition()`` holds, checking it every 5 ms.

    Not a busy loop: the load runs on a worker thread, and a GUI thread polling without
    pause would take the interpreter from it and slow the very thing measured.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return
    loop = QEventLoop()
    end = time.monotonic() + timeout
    timer = QTimer()
    timer.setInterval(5)

    def check() -> None:
        if condition() or time.monotonic() > end:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not condition():
        raise TimeoutError("the project did not open in time")


def open_to_charts(app, window, path: Path) -> tuple[float, float, float]:
    """File > Open ``path`` (the dialog answered); returns (wall s, GUI-process CPU s,
    stall probe) until its charts are shown."""
    from PySide6.QtWidgets import QFileDialog

    from benchmarks._app import menu_action
    from sinoru_desktop.stall_probe import StallProbe

    window.state.set_dirty(False)
    QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (str(path), ""))
    action = menu_action(window, "&Open…")
    target = str(path.resolve())
    t0, c0 = time.perf_counter(), time.process_time()
    with StallProbe() as probe:
        action.trigger()
        wait_until(lambda: window.state.project_path == target and not window.runner.busy
                   and window.state.results is not None and charts_shown(window))
        window.panels["compare"].repaint()  # painted, not just scheduled
    return time.perf_counter() - t0, time.process_time() - c0, probe


def stall_cell(probe) -> str:
    """The longest stall, and the most CPU the process spent between two ticks: on a
    loaded machine the stall also counts waiting for a core, that figure does not (and
    bounds the stall from above where a core is free)."""
    return f"{probe.longest:.3f} ({probe.longest_process_cpu:.3f})"


def click_chart_item(canvas, gid: str) -> None:
    """Click the chart item ``gid`` as matplotlib reports a user's click on it."""
    from matplotlib.backend_bases import MouseEvent, PickEvent

    artist = canvas.figure.findobj(lambda a: a.get_gid() == gid)[0]
    mouse = MouseEvent("button_press_event", canvas, 10, 10, button=1)
    canvas.callbacks.process("pick_event", PickEvent("pick_event", canvas, mouse, artist))


def drill_down(window, chart: str) -> list | None:
    """Click the first bar of the Compare chart ``chart``, as a user asks for its
    passages; the row of the table printed (None when the chart has no bar)."""
    from sinoru_desktop.stall_probe import StallProbe

    compare = window.panels["compare"]
    canvas = compare.card(chart).canvas
    gids = canvas.pickable_gids()
    if not gids:
        return None
    t0, c0 = time.perf_counter(), time.process_time()
    with StallProbe() as probe:
        click_chart_item(canvas, gids[0])
        # Passages from the project's row tables are read on a worker thread.
        wait_until(lambda: not compare.drill.reading)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    shown = len(compare.drill.passages_frame())
    return [f"then the first drill-down into {chart} ({shown} passages)", f"{wall:.2f}",
            f"{cpu:.2f}", "", stall_cell(probe),
            f"stall <= 0.1 s {'✓' if probe.longest <= 0.1 else '✗'}"]


def save_copy(window, path: Path) -> list[list]:
    """Save the opened project under another name (the app's save, in the background,
    the tables never read whole); the rows of the table printed: the save, and the
    garbage collections the GUI thread ran meanwhile (their CPU time does not grow with
    the machine's load, as the stall's wall time does)."""
    from benchmarks.bench_gui_stall import CollectionTimes
    from sinoru_desktop.stall_probe import StallProbe

    t0, c0 = time.perf_counter(), time.process_time()
    with StallProbe() as probe, CollectionTimes() as collections:
        window.save_to(str(path))
        wait_until(lambda: not window.saver.busy and path.exists())
    return [[f"then save it under another name ({path.stat().st_size / 2**20:.0f} MiB)",
             f"{time.perf_counter() - t0:.2f}", f"{time.process_time() - c0:.2f}", "",
             stall_cell(probe), ""],
            ["… garbage collections on the GUI thread meanwhile", f"{collections.total:.2f}",
             f"{collections.total_cpu:.3f}", "",
             f"longest {collections.longest:.3f} ({collections.longest_cpu:.3f})",
             "by generation " + "/".join(map(str, collections.count))]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000, help="articles in the project")
    parser.add_argument("--workdir", default=None,
                        help="keeps the built project between runs (default: a temp folder)")
    parser.add_argument("--cold", action="store_true",
                        help="open the project at once, before the app's start-up imports "
                             "(which it runs in the background) are done")
    parser.add_argument("--from-results", metavar="OUT", type=Path,
                        help="build the project from this `sinoru analyze --out` folder "
                             "instead of analysing here (with --inputs, the files analysed)")
    parser.add_argument("--inputs", metavar="DIR", type=Path,
                        help="the folder of articles --from-results was analysed from")
    parser.add_argument("--manifest", metavar="CSV", type=Path,
                        help="the manifest that analysis was given")
    parser.add_argument("--no-save", action="store_true",
                        help="skip saving the project under another name at the end")
    args = parser.parse_args(argv)
    if (args.from_results is None) != (args.inputs is None):
        parser.error("--from-results and --inputs go together")

    tmp = Path(tempfile.mkdtemp(prefix="sinoru-open-"))
    path = project_path(Path(args.workdir) if args.workdir else tmp, args.docs,
                        args.from_results, args.inputs, args.manifest)
    from benchmarks._app import offscreen_app

    app = offscreen_app(tmp)
    from benchmarks._common import print_table
    from sinoru_desktop.main_window import MainWindow
    from sinoru_desktop.stall_probe import StallProbe
    from sinoru_desktop.warm_worker import shared_worker
    from sinoru_desktop.window.views import import_views_in_background

    window = MainWindow()
    window.auto_analyse = False
    window.show()
    rows = []
    if not args.cold:  # as the app does once its window is shown; the user then opens
        t0, c0 = time.perf_counter(), time.process_time()
        with StallProbe() as probe:
            # As the app does: what is alive once they are imported is frozen, left out
            # of the garbage collector's walks (a project opened later is not).
            thread = import_views_in_background(freeze=True)
            wait_until(lambda: not thread.is_alive())
        rows.append(["start-up imports, in the background (before File > Open)",
                     f"{time.perf_counter() - t0:.2f}", f"{time.process_time() - c0:.2f}",
                     "", stall_cell(probe), "no stall > 0.1 s"])
    wall, cpu, probe = open_to_charts(app, window, path)
    stall = probe.longest
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append([f"open a saved {args.docs:,}-article project to its charts"
                 + (" (cold)" if args.cold else ""), f"{wall:.2f}", f"{cpu:.2f}",
                 f"{peak:.0f}", stall_cell(probe),
                 f"<= {GOAL_S:.0f} s {'✓' if wall <= GOAL_S else '✗'}, stall <= 0.1 s "
                 f"{'✓' if stall <= 0.1 else '✗'}"])
    for chart in ("frames", "targets", "sentiment"):
        row = drill_down(window, chart)
        if row is not None:
            rows.append(row)
    if not args.no_save:
        rows += save_copy(window, tmp / "saved.sinoru")
    rows.append(["peak RSS at the end", "", "",
                 f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", "", ""])
    print_table(["step", "wall s", "CPU s (GUI process)", "peak RSS MiB",
                 "longest GUI stall s (process CPU s in it)", "goal"], rows)
    window.state.set_dirty(False)
    window.close()
    shared_worker().shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
