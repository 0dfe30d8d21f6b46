"""The PDF's charts drawn with shared glyph definitions are the very same drawing."""
from __future__ import annotations

import contextlib

import fpdf.image_parsing
from fpdf.svg import SVGObject
from report_sample import make_results, page_streams

import analysis.report.pdf as report_pdf
from analysis.report import ReportOptions, build_pdf
from analysis.report.svg_paths import SharedDefsSVG

# No title page: it carries the time the report was written.
_CHARTS = ReportOptions(sections=("charts", "tables"))



def test_charts_with_shared_glyphs_draw_exactly_what_copying_draws(tmp_path, monkeypatch):
    results = make_results()
    parsed = []

    class Spy(SharedDefsSVG):
        def __init__(self, *args, **kwargs):
            parsed.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr("analysis.report.svg_paths.SharedDefsSVG", Spy)
    fast = build_pdf(results, tmp_path / "fast.pdf", _CHARTS)
    assert parsed, "the charts were not parsed by the sharing SVG reader"
    assert fpdf.image_parsing.SVGObject is SVGObject  # restored after the report

    monkeypatch.setattr(report_pdf, "shared_svg_defs", contextlib.nullcontext)
    slow = build_pdf(results, tmp_path / "slow.pdf", _CHARTS)

    fast_streams, slow_streams = page_streams(fast), page_streams(slow)
    assert len(fast_streams) == len(slow_streams)
    drawn = [s for s in slow_streams if b" re f" in s or b" c " in s]
    assert drawn, "no vector drawing found in the chart pages"
    assert fast_streams == slow_streams
