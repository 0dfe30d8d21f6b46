"""A drill-down in an opened project reads its passages from the project file on a worker
thread: the window keeps running while they are read, the panel says it is reading, the
passages then arrive, and a reply for an item the user has since left behind is dropped.
A fresh analysis (tables in memory) lists its passages at once, as before."""
from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from chart_clicks import pick, pick_passages
from menu_actions import open_through_file_menu
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGroupBox

from sinoru_desktop.project_tables import ProjectTable


@pytest.fixture(scope="module")
def analysed():
    from small_corpus import FAST, two_group_corpus

    from analysis.config import AnalysisConfig
    from analysis.pipeline import run_analysis
    from sinoru_desktop.project import Project

    corpus = two_group_corpus()
    config = replace(AnalysisConfig(), **FAST)
    return Project(corpus=corpus, config=config, results=run_analysis(corpus, config))


@pytest.fixture
def saved(analysed, tmp_path):
    from sinoru_desktop.project import save_project

    path = tmp_path / "study.sinoru"
    save_project(analysed, path)
    return path


def open_file(qtbot, make_window, monkeypatch, path):
    window = open_through_file_menu(qtbot, make_window(), monkeypatch, path)
    window.show_panel("compare")
    return window


def item_with_passages(compare, chart: str) -> str:
    """A bar of ``chart`` that lists passages (clicked in a window with results in
    memory, where passages are listed at once)."""
    canvas = compare.card(chart).canvas
    for gid in canvas.pickable_gids():
        pick(canvas, gid)
        if not compare.drill.passages_frame().empty:
            return gid
    raise AssertionError(f"no {chart} bar lists passages: {canvas.pickable_gids()}")


def listed(compare) -> list[dict]:
    return compare.drill.passages_frame().to_dict("records")


class Gates:
    """Holds every read of a project's row table until released: the first thread that
    reads waits on ``first``, any later thread on ``later``. Records which threads read."""

    def __init__(self, monkeypatch) -> None:
        self.first, self.later = threading.Event(), threading.Event()
        self.threads: list[threading.Thread] = []
        self.waiting: set[int] = set()
        real = ProjectTable._parts

        def held(table, *args, **kwargs):
            me = threading.current_thread()
            if me not in self.threads:
                self.threads.append(me)
            gate = self.first if me is self.threads[0] else self.later
            self.waiting.add(self.threads.index(me))
            gate.wait(30)  # bounded: a read on the GUI thread fails the test, not hangs it
            self.waiting.discard(self.threads.index(me))
            yield from real(table, *args, **kwargs)

        monkeypatch.setattr(ProjectTable, "_parts", held)

    def release(self) -> None:
        self.first.set()
        self.later.set()


def ticking(window) -> list[int]:
    """A 10 ms timer on the GUI thread; the list counts its ticks."""
    ticks = [0]
    timer = QTimer(window)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start()
    return ticks


def test_tone_bar_passages_are_read_from_the_file_off_the_gui_thread(
        qtbot, make_window, analysed, saved, monkeypatch, no_dialogs):
    unsaved = make_window()
    unsaved.load_into_state(analysed, None)
    before = unsaved.panels["compare"]
    gid = item_with_passages(before, "sentiment")
    # In memory: the passages are listed by the click itself, with no reading state.
    pick(before.card("sentiment").canvas, gid)
    assert not before.drill.reading and before.drill.passages_frame().shape[0] > 0
    expected = listed(before)

    readers: list[threading.Thread] = []
    real = ProjectTable._parts

    def recorded(table, *args, **kwargs):
        readers.append(threading.current_thread())
        yield from real(table, *args, **kwargs)

    monkeypatch.setattr(ProjectTable, "_parts", recorded)
    window = open_file(qtbot, make_window, monkeypatch, saved)
    compare = window.panels["compare"]
    shown = pick_passages(qtbot, compare.card("sentiment").canvas, compare.drill, gid)

    assert shown.to_dict("records") == expected
    assert readers and threading.main_thread() not in readers, readers
    assert window.state.results.tables.on_disk("sentences")
    heading = compare.drill.heading.text()
    assert heading.startswith("Sentence tone") and "reading" not in heading
    assert no_dialogs.calls == []


def test_a_slow_read_leaves_the_window_running_and_says_it_is_reading(
        qtbot, make_window, analysed, saved, monkeypatch, no_dialogs):
    unsaved = make_window()
    unsaved.load_into_state(analysed, None)
    gid = item_with_passages(unsaved.panels["compare"], "frames")
    expected = listed(unsaved.panels["compare"])

    window = open_file(qtbot, make_window, monkeypatch, saved)
    compare = window.panels["compare"]
    gates = Gates(monkeypatch)
    ticks = ticking(window)
    pick(compare.card("frames").canvas, gid)

    # The read waits in its thread; the GUI thread keeps handling events meanwhile.
    qtbot.waitUntil(lambda: gates.waiting == {0}, timeout=10_000)
    start = ticks[0]
    qtbot.waitUntil(lambda: ticks[0] >= start + 5, timeout=10_000)
    drill = compare.drill
    assert drill.reading
    assert "reading passages" in drill.heading.text()
    titles = [box.title() for box in drill.findChildren(QGroupBox)]
    assert titles and all(t.endswith("reading passages\u2026") for t in titles), titles
    assert drill.passages_frame().empty

    gates.release()
    qtbot.waitUntil(lambda: not drill.reading, timeout=30_000)
    assert listed(compare) == expected
    assert not any("reading" in box.title() for box in drill.findChildren(QGroupBox))
    assert no_dialogs.calls == []


def test_a_reply_for_an_item_left_behind_is_dropped(
        qtbot, make_window, analysed, saved, monkeypatch, no_dialogs):
    unsaved = make_window()
    before = unsaved.panels["compare"]
    unsaved.load_into_state(analysed, None)
    frame_gid = item_with_passages(before, "frames")
    frame_passages = listed(before)
    tone_gid = item_with_passages(before, "sentiment")
    tone_passages = listed(before)
    assert frame_passages != tone_passages

    window = open_file(qtbot, make_window, monkeypatch, saved)
    compare = window.panels["compare"]
    drill = compare.drill
    gates = Gates(monkeypatch)
    # The user clicks a frame bar, and a tone bar while the frame's passages are read.
    pick(compare.card("frames").canvas, frame_gid)
    qtbot.waitUntil(lambda: gates.waiting == {0}, timeout=10_000)
    pick(compare.card("sentiment").canvas, tone_gid)
    qtbot.waitUntil(lambda: 1 in gates.waiting, timeout=10_000)

    # The tone bar's passages arrive first and are shown.
    gates.later.set()
    qtbot.waitUntil(lambda: not drill.reading, timeout=30_000)
    assert listed(compare) == tone_passages
    # Then the frame bar's read ends: its passages are not shown in place of the tone's.
    gates.first.set()
    assert drill._reader.wait(30_000)
    qtbot.wait(50)  # deliver any queued reply
    assert listed(compare) == tone_passages
    assert drill.gid == tone_gid and drill.heading.text().startswith("Sentence tone")
    assert no_dialogs.calls == []
