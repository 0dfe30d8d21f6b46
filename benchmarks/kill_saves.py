"""Kill-test of project saves: a process saving a project is killed (SIGKILL) at random
moments; after each kill the last completed save must open intact, and no temporary file
may outlive the next open or save.

Run from the project root (POSIX only: it sends SIGKILL)::

    python -m benchmarks.kill_saves                  # 200 kills, 300-document project
    python -m benchmarks.kill_saves --kills 20 --documents 2000

Each saver is forked from a server that has imported Sinoru already, so a kill costs
milliseconds, not an interpreter start. The saver saves in a loop and reports each save
that returned; the project's ``ui["marker"]`` says which save is on disk. After a kill the
check alternates between an open (``load_project``) and a save by this process. The test
suite runs 20 kills (tests/gui/test_kill_saves.py).
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from analysis.atomic import temporaries_of
from analysis.corpus import Corpus, Document
from sinoru_desktop.project import Project, load_project, save_project

__all__ = ["KillReport", "run_kills", "main"]

_WORDS = ("trade energy sanctions partnership summit ministers agreed pipeline banks payments "
          "yuan rouble security cooperation talks border strategic dialogue exports grain "
          "analysts said the and of in on with for").split()


def make_project(n_documents: int, seed: int = 1) -> Project:
    """A project of ``n_documents`` synthetic articles of about 300 words each."""
    rng = random.Random(seed)
    docs = [Document(f"d{i:05d}", " ".join(rng.choices(_WORDS, k=300)) + ".",
                     meta={"title": f"Article {i}", "group": "ab"[i % 2]},
                     source=f"articles/{i}.txt", sha256=f"{i:064x}")
            for i in range(n_documents)]
    return Project(corpus=Corpus(docs), ui={"marker": -1})


def _saver(path: str, n_documents: int, seed: int, first_marker: int, conn) -> None:
    """Child: save the project over and over, telling the parent each completed save."""
    project = make_project(n_documents, seed)
    marker = first_marker
    while True:
        project.ui = {"marker": marker}
        save_project(project, path)
        conn.send(marker)
        marker += 1


@dataclass
class KillReport:
    """What the kills left behind and what the next open or save found."""

    kills: int = 0
    interrupted: int = 0        # kills that left temporaries (a save was cut short)
    litter_bytes_max: int = 0   # the most bytes of temporaries one kill left
    left_after_next: int = 0    # temporaries still there after the next open/save (want 0)
    failures: list[str] = field(default_factory=list)  # broken or unexpected projects
    save_seconds: float = 0.0   # one uninterrupted save of the project
    seconds: float = 0.0

    def lines(self) -> list[str]:
        return [f"kills: {self.kills}",
                f"kills that cut a save short (left temporaries): {self.interrupted}",
                f"largest litter of one kill: {self.litter_bytes_max / 1e6:.2f} MB",
                f"temporaries left after the next open or save: {self.left_after_next}",
                f"projects that did not open intact as the last completed save: "
                f"{len(self.failures)}",
                f"one save: {self.save_seconds:.3f} s; whole run: {self.seconds:.1f} s"]


def _peek_marker(path: Path) -> tuple[int, int]:
    """(marker, number of documents) read with plain SQLite, touching nothing."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        ui = con.execute("SELECT value FROM info WHERE key = 'ui'").fetchone()[0]
        n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()
    import json

    return json.loads(ui)["marker"], n


def run_kills(folder: str | os.PathLike[str], kills: int = 200, n_documents: int = 300,
              seed: int = 12, echo=None) -> KillReport:
    """Kill ``kills`` savers of a ``n_documents`` project in ``folder``; see the module doc."""
    rng = random.Random(seed)
    path = Path(folder) / "killed.sinoru"
    project = make_project(n_documents, seed)
    report = KillReport()
    start = time.perf_counter()
    save_project(project, path)
    report.save_seconds = time.perf_counter() - start
    known = -1  # the marker of the last completed save
    context = multiprocessing.get_context("forkserver")
    # Pandas and the project code are imported once, in the server the savers fork from.
    context.set_forkserver_preload(["sinoru_desktop.project"])
    for k in range(kills):
        first = (k + 1) * 1_000_000
        parent_end, child_end = context.Pipe(duplex=False)
        proc = context.Process(target=_saver, args=(str(path), n_documents, seed, first,
                                                    child_end), daemon=True)
        proc.start()
        child_end.close()
        # Anywhere from before the first save to a few saves in.
        time.sleep(rng.uniform(0.0, 3.0 * report.save_seconds))
        proc.kill()
        proc.join()
        done = []
        while parent_end.poll():
            try:
                done.append(parent_end.recv())
            except EOFError:
                break
        parent_end.close()
        proc.close()
        in_progress = done[-1] + 1 if done else first
        known = done[-1] if done else known
        litter = temporaries_of(path)
        report.kills += 1
        if litter:
            report.interrupted += 1
            report.litter_bytes_max = max(report.litter_bytes_max,
                                          sum(p.stat().st_size for p in litter if p.exists()))
        try:
            on_disk, n = _peek_marker(path)
            if on_disk not in (known, in_progress) or n != n_documents:
                report.failures.append(f"kill {k}: marker {on_disk} with {n} documents, "
                                       f"expected {known} or {in_progress}")
            known = on_disk
            if k % 2 == 0:  # the next open
                opened = load_project(path)
                if opened.ui["marker"] != known or len(opened.corpus) != n_documents:
                    report.failures.append(f"kill {k}: opened marker {opened.ui['marker']}")
            else:  # the next save, by another process than the killed one
                known = -(k + 1)
                project.ui = {"marker": known}
                save_project(project, path)
        except Exception as exc:  # noqa: BLE001 - a broken project is the finding
            report.failures.append(f"kill {k}: {type(exc).__name__}: {exc}")
        report.left_after_next += len(temporaries_of(path))
        if echo is not None and (k + 1) % 20 == 0:
            echo(f"{k + 1} kills, {report.interrupted} cut a save short, "
                 f"{len(report.failures)} failures")
    report.seconds = time.perf_counter() - start
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--folder", help="where to save (default: a temporary folder)")
    args = parser.parse_args(argv)
    if os.name != "posix":
        print("the kill-test sends SIGKILL: POSIX only", file=sys.stderr)
        return 2
    import tempfile

    # By its package name, so that the forked savers find _saver (not in "__main__").
    from benchmarks.kill_saves import run_kills

    with tempfile.TemporaryDirectory(prefix="sinoru-kill-") as tmp:
        report = run_kills(args.folder or tmp, args.kills, args.documents, args.seed,
                           echo=print)
    print("\n".join(report.lines()))
    for failure in report.failures:
        print("FAILURE", failure)
    return 1 if report.failures or report.left_after_next else 0


if __name__ == "__main__":
    raise SystemExit(main())
