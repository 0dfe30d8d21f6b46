"""Charts drawn straight into the PDF look like the SVG route's: same pages, same words,
same colours in the same place, and no SVG is written or parsed for them."""
from __future__ import annotations

import re

import pytest
from matplotlib.figure import Figure
from pypdf import PdfReader
from report_sample import make_results, page_streams

import analysis.report.chart_drawings as chart_drawings
import analysis.report.pdf as report_pdf
import analysis.report.pdf_charts as pdf_charts
from analysis.report import ReportOptions, build_pdf
from analysis.report.pdf_charts import NeedsSVG, place_figure

# No title page: it carries the time the report was written.
_CHARTS = ReportOptions(sections=("charts", "tables"))
_FILL = re.compile(rb"(?<![\d.])(\d*\.?\d+) (\d*\.?\d+) (\d*\.?\d+) rg\b")



def _fill_colours(stream: bytes) -> set[tuple[float, ...]]:
    return {tuple(round(float(v), 2) for v in m.groups()) for m in _FILL.finditer(stream)}


def _words(path) -> list[str]:
    return [(p.extract_text() or "").split() for p in PdfReader(str(path)).pages]


def test_direct_charts_match_the_svg_route(tmp_path, monkeypatch):
    results = make_results()
    parsed = []
    original_image = report_pdf.ReportPDF.image

    def spy_image(self, name, *args, **kwargs):
        head = name.getvalue()[:200] if hasattr(name, "getvalue") else b""
        if b"<svg" in head or b"<?xml" in head:
            parsed.append(head)
        return original_image(self, name, *args, **kwargs)

    monkeypatch.setattr(report_pdf.ReportPDF, "image", spy_image)
    # Charts drawn here, so that the SVG route forced below applies to them.
    monkeypatch.setattr(chart_drawings, "second_process_available", lambda: False)
    direct = build_pdf(results, tmp_path / "direct.pdf", _CHARTS)
    n_direct_svg = len(parsed)

    def svg_only(*_args, **_kwargs):
        raise NeedsSVG("test: the SVG route")

    monkeypatch.setattr(pdf_charts, "figure_operators", svg_only)
    via_svg = build_pdf(results, tmp_path / "svg.pdf", _CHARTS)
    n_charts = len(parsed) - n_direct_svg
    assert n_charts >= 8, "the SVG route drew fewer charts than expected"
    # Only a chart that needs what the direct route lacks (hatching) still goes via SVG.
    assert n_direct_svg < n_charts / 2

    assert _words(direct) == _words(via_svg)
    direct_streams, svg_streams = page_streams(direct), page_streams(via_svg)
    colours_direct = set().union(*map(_fill_colours, direct_streams))
    colours_svg = set().union(*map(_fill_colours, svg_streams))
    assert len(colours_svg) >= 4
    assert colours_direct == colours_svg


@pytest.fixture
def page():
    pdf = report_pdf.ReportPDF("test")
    pdf.add_page()
    pdf.set_y(100)
    yield pdf
    pdf.close_fonts()


def test_a_chart_is_placed_across_the_text_width_below_the_cursor(tmp_path, page):
    pdf, y0 = page, page.y
    fig = Figure(figsize=(6.0, 3.0))
    fig.add_subplot().barh([0], [1.0], color="#0072B2")
    place_figure(pdf, fig, alt_text="a bar")
    assert pdf.y == pytest.approx(y0 + pdf.epw / 2)  # height = width * 3 / 6
    pdf.output(str(tmp_path / "one.pdf"))
    stream = b"".join(page_streams(tmp_path / "one.pdf"))
    scale, left, bottom = re.search(rb"q ([\d.]+) 0 0 [\d.]+ ([\d.]+) ([\d.]+) cm", stream).groups()
    assert float(scale) * 6.0 * 72 == pytest.approx(pdf.epw * pdf.k, rel=1e-4)
    assert float(left) == pytest.approx(pdf.l_margin * pdf.k, rel=1e-4)
    assert float(bottom) == pytest.approx((pdf.h - y0 - pdf.epw / 2) * pdf.k, rel=1e-4)
    assert (0.0, 0.45, 0.7) in _fill_colours(stream)  # the bar's blue


def test_a_hatched_chart_asks_for_the_svg_route(page):
    fig = Figure(figsize=(6.0, 3.0))
    fig.add_subplot().barh([0], [1.0], hatch="////")
    with pytest.raises(NeedsSVG):
        place_figure(page, fig)
