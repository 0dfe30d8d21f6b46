"""Text measured from kept prefix sums lays out the PDF exactly as fpdf2's own measuring."""
from __future__ import annotations

import contextlib

from fpdf.fonts import TTFFont
from report_sample import make_results, page_streams

import analysis.report.pdf as report_pdf
from analysis.report import ReportOptions, build_pdf
from analysis.report.text_widths import prefix_text_widths

# No title page: it carries the time the report was written.
_TEXT = ReportOptions(sections=("summary", "tables", "evidence", "documents", "methods"))



def test_prefix_widths_lay_out_exactly_what_fpdf_measures(tmp_path, monkeypatch):
    results = make_results()
    original = TTFFont.get_text_width
    fast = build_pdf(results, tmp_path / "fast.pdf", _TEXT)
    assert TTFFont.get_text_width is original  # restored after the report

    monkeypatch.setattr(report_pdf, "prefix_text_widths", contextlib.nullcontext)
    slow = build_pdf(results, tmp_path / "slow.pdf", _TEXT)

    fast_streams, slow_streams = page_streams(fast), page_streams(slow)
    assert sum(s.count(b" Tj") + s.count(b" TJ") for s in slow_streams) > 1000
    assert fast_streams == slow_streams


def test_a_longer_text_measures_as_its_characters_add_up():
    pdf = report_pdf.ReportPDF("t")
    try:
        pdf.set_font(pdf.body, "", 10)
        font = pdf.current_font
        words = "Partnership “without limits” — 无上限 — без ограничений"
        plain = [font.get_text_width(words[:i], 10, None) for i in range(len(words) + 1)]
        with prefix_text_widths():
            kept = [font.get_text_width(words[:i], 10, None) for i in range(len(words) + 1)]
            again = [font.get_text_width(words[:i], 10, None)
                     for i in range(len(words), -1, -1)]
    finally:
        pdf.close_fonts()
    assert kept == plain
    assert again == plain[::-1]
    assert plain[-1][1] > plain[10][1] > 0
