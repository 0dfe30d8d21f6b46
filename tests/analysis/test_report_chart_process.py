"""Charts drawn in a second process give the very PDF that drawing them here gives, and a
chart that the second process cannot draw is drawn here instead."""
from __future__ import annotations

import multiprocessing

import pytest
from report_sample import make_results, page_streams
from views_corpus import views_results

import analysis.report.chart_drawings as chart_drawings
from analysis.report import ReportOptions, build_pdf

# No title page: it carries the time the report was written.
_OPTIONS = ReportOptions(sections=("summary", "charts", "tables"))


def _spy_processes(monkeypatch) -> list:
    started = []
    original = chart_drawings.ChartDrawings._start

    def start(self, *args):
        original(self, *args)
        started.append(self._process)

    monkeypatch.setattr(chart_drawings.ChartDrawings, "_start", start)
    return started


@pytest.mark.parametrize("make", [make_results, views_results],
                         ids=["group charts", "with term map, word shift, tone over time"])
def test_charts_from_a_second_process_are_the_charts_drawn_here(make, tmp_path, monkeypatch):
    results = make()
    monkeypatch.setattr(chart_drawings, "second_process_available", lambda: True)
    started = _spy_processes(monkeypatch)
    drawn_here = []
    draw_here = chart_drawings.ChartDrawings._draw_here
    monkeypatch.setattr(chart_drawings.ChartDrawings, "_draw_here",
                        lambda self, inst: drawn_here.append(inst.key) or draw_here(self, inst))
    aside = build_pdf(results, tmp_path / "aside.pdf", _OPTIONS)
    assert len(started) == 1 and started[0] is not None, "no second process drew the charts"
    assert drawn_here == [], "the second process could not draw these charts"
    assert multiprocessing.active_children() == [], "the chart process was left running"

    monkeypatch.setattr(chart_drawings, "second_process_available", lambda: False)
    here = build_pdf(results, tmp_path / "here.pdf", _OPTIONS)
    assert len(started) == 1

    streams = page_streams(aside)
    assert streams == page_streams(here)
    assert aside.read_bytes().count(b"/Subtype /Image") == here.read_bytes().count(
        b"/Subtype /Image")
    assert sum(b" cm " in s and b" re" in s for s in streams) >= 5   # charts were drawn


def test_a_chart_the_second_process_cannot_draw_is_drawn_here(tmp_path, monkeypatch):
    results = make_results()
    monkeypatch.setattr(chart_drawings, "second_process_available", lambda: False)
    here = page_streams(build_pdf(results, tmp_path / "here.pdf", _OPTIONS))

    # The second process ends before drawing anything (as when it is killed).
    monkeypatch.setattr(chart_drawings, "second_process_available", lambda: True)
    monkeypatch.setattr(chart_drawings, "_serve", _ends_at_once)
    started = _spy_processes(monkeypatch)
    assert page_streams(build_pdf(results, tmp_path / "fallback.pdf", _OPTIONS)) == here
    assert started and started[0] is not None


def _ends_at_once(conn, *_args) -> None:
    conn.close()


def test_the_text_of_a_report_is_laid_out_without_matplotlib(tmp_path):
    # The second process draws the charts; this one, laying out the text, never pays for
    # importing the plotting library.
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    support = root / "tests" / "support"
    code = (f"import sys; sys.path.insert(0, {str(support)!r}); "
            "from report_sample import make_results; "
            "from analysis.report import ReportOptions, build_pdf; "
            f"build_pdf(make_results(), {str(tmp_path / 'r.pdf')!r}, "
            "ReportOptions(sections=('summary', 'charts', 'tables'))); "
            "print('matplotlib' in sys.modules)")
    # The second process imports this code by its file name; guard as a script must.
    script = tmp_path / "report.py"
    script.write_text(f"if __name__ == '__main__':\n    exec({code!r})\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), *filter(None, [
        os.environ.get("PYTHONPATH")])])}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         check=True, env=env).stdout.strip()
    assert out == "False"
    assert (tmp_path / "r.pdf").stat().st_size > 50_000


def test_a_cancelled_report_leaves_no_chart_process(tmp_path, monkeypatch):
    from analysis import Cancelled

    monkeypatch.setattr(chart_drawings, "second_process_available", lambda: True)
    started = _spy_processes(monkeypatch)

    def cancel(fraction):
        if fraction >= 0.3:
            raise Cancelled

    try:
        build_pdf(make_results(), tmp_path / "cancelled.pdf", _OPTIONS, progress=cancel)
    except Cancelled:
        pass
    else:
        raise AssertionError("the report was not cancelled")
    assert started and started[0] is not None
    assert not (tmp_path / "cancelled.pdf").exists()
    assert multiprocessing.active_children() == []
