"""Place a chart's PDF operators (drawn by :mod:`analysis.report.pdf_charts`, maybe in
another process) on an fpdf2 page: at the cursor, or in a place kept for it while the
text went on being laid out.

Kept free of matplotlib: the process laying out the report's text never imports it. The
numbers and names are written as matplotlib's PDF writer writes them, so a chart placed
here is the same bytes as one written by it.
"""
from __future__ import annotations

import io

from analysis.charts.fonts import safe_text

__all__ = ["opacity_placeholder", "place_operators", "KeptChartPlaces"]

# PDF's initial graphics state, which matplotlib's renderer assumes; the page may have
# changed it.
_RESET = b"0 g 0 G 1 w 0 J 0 j [] 0 d 10 M"
# As matplotlib's PDF Name: characters outside "!".."~" written as #xx.
_HEXIFY = {c: f"#{c:02x}" for c in {*range(256)} - {*range(ord("!"), ord("~") + 1)}}


def opacity_placeholder(index: int) -> str:
    """The name a chart's ``index``-th opacity carries until the chart is placed."""
    # Ends in "_" so that placeholder 1 is no prefix of placeholder 10.
    return f"SinoruOpacity{index}_"


def _name(name: str) -> bytes:
    return b"/" + str(name).translate(_HEXIFY).encode("ascii")


def _number(value: float) -> bytes:
    # As matplotlib's pdfRepr: fixed point, no exponent, trailing zeros dropped.
    return (b"%.10f" % value).rstrip(b"0").rstrip(b".")


def _opacity_state(pdf, alpha: tuple[float, float]) -> bytes:
    """The name of an ExtGState resource of the current page setting ``alpha``."""
    from fpdf.drawing import GraphicsStyle
    from fpdf.enums import PDFResourceType

    style = GraphicsStyle()
    style.stroke_opacity, style.fill_opacity = alpha
    catalog = pdf._resource_catalog
    name = catalog.register_graphics_style(style)
    catalog.add(PDFResourceType.EXT_G_STATE, name, pdf.page)
    return _name(name)


def place_operators(pdf, ops: bytes, opacities, size_in: tuple[float, float], *,
                    alt_text: str | None = None) -> None:
    """Draw a chart's operators at the cursor across the text width (a new page first if
    it does not fit) and move the cursor below it, as ``FPDF.image`` places a picture.

    ``ops`` draw in points from the chart's lower left; ``opacities`` are the (stroke,
    fill) pairs they name by :func:`opacity_placeholder`, in order.
    """
    width_in, height_in = size_in
    w = pdf.epw
    h = w * height_in / width_in
    pdf.need(h)
    for index, alpha in enumerate(opacities):
        ops = ops.replace(_name(opacity_placeholder(index)), _opacity_state(pdf, alpha))
    scale = w * pdf.k / (width_in * 72)
    left, bottom = pdf.l_margin * pdf.k, (pdf.h - pdf.y - h) * pdf.k
    content = (b"q %s 0 0 %s %s %s cm " % tuple(_number(float(v)) for v in
                                                 (scale, scale, left, bottom))
               + _RESET + b"\n" + ops + b"\nQ")
    if alt_text:
        # Marked as a figure with its alt text for screen readers, as FPDF.image does.
        with pdf._marked_sequence(alt_text=alt_text):
            pdf._out(content)
    else:
        pdf._out(content)
    pdf.set_xy(pdf.x, pdf.y + h)


class KeptChartPlaces:
    """For an ``fpdf.FPDF``: keep a chart's place in the page's content now, and draw the
    chart there later, exactly as if it had been drawn then (the same operators at the same
    point of the page's content)."""

    _kept_charts: list[tuple[bytes, int, float, object]]

    def keep_chart_place(self, instance, height: float) -> None:
        """Keep ``height`` mm at the cursor (on this page) for ``instance``'s drawing."""
        if not hasattr(self, "_kept_charts"):
            self._kept_charts = []
        marker = b"%%sinoru-chart %d" % len(self._kept_charts)
        self._out(marker)
        self._kept_charts.append((marker, self.page, self.y, instance))
        self.set_xy(self.x, self.y + height)

    def fill_charts(self, charts) -> None:
        """Draw every chart in the place :meth:`keep_chart_place` kept for it, exactly as if it had
        been drawn there: the same operators at the same point of the page's content."""
        page, x, y = self.page, self.x, self.y
        auto, margin = self.auto_page_break, self.b_margin
        self.set_auto_page_break(False)   # each chart was given a place where it fits
        try:
            for marker, page_no, top, instance in getattr(self, "_kept_charts", ()):
                self.page = page_no
                self.set_xy(self.l_margin, top)
                contents = self.pages[page_no].contents
                end = len(contents)
                self._place(charts.drawing(instance))
                drawn = bytes(contents[end:])
                del contents[end:]
                at = contents.index(marker + b"\n")
                contents[at:at + len(marker) + 1] = drawn
        finally:
            self._kept_charts = []
            self.page = page
            self.set_auto_page_break(auto, margin)
            self.set_xy(x, y)

    def _place(self, drawing) -> None:
        """A chart at the cursor across the text width: drawn as vector paths (through
        SVG when it needs what the direct route lacks), or as a picture."""
        alt = safe_text(drawing.caption)
        if drawing.kind == "ops":
            place_operators(self, drawing.data, drawing.opacities, drawing.size_in,
                            alt_text=alt)
        elif drawing.kind == "svg":
            self.image(io.BytesIO(drawing.data), w=self.epw, alt_text=alt)
        else:
            from PIL import Image

            self.image(Image.frombuffer("RGBA", drawing.pixels, drawing.data, "raw", "RGBA",
                                        0, 1), w=self.epw, alt_text=alt)
