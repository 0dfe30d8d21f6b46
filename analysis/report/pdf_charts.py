"""Draw a matplotlib chart straight into the PDF page as vector operators.

The report used to save each chart as SVG and have fpdf2 parse it back (about half of the
seed report's time went to writing and re-reading those SVG files). Here matplotlib's own
PDF renderer writes its path operators into memory, and they are placed on the fpdf2 page
in a scaled graphics state. Text is drawn as glyph outlines, as in the SVG route, with the
same text metrics, so a chart looks the same and needs no font on the reader's machine.

A chart that needs something a plain content stream cannot carry (hatch patterns, raster
images) raises :class:`NeedsSVG`, and the caller uses the SVG route for it.
"""
from __future__ import annotations

import numpy as np
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_pdf import Name, PdfFile, RendererPdf, pdfRepr
from matplotlib.textpath import TextToPath

from analysis.report.pdf_place import opacity_placeholder, place_operators

__all__ = ["NeedsSVG", "figure_operators", "place_figure"]


class NeedsSVG(Exception):
    """The figure uses a feature drawn only through the SVG route."""


class _Stream:
    """The part of matplotlib's ``PdfFile`` that ``RendererPdf`` writes paths to: the
    operators are kept in memory; each opacity gets a placeholder name, made an ExtGState
    resource of the page when the chart is placed (it may be drawn in another process)."""

    def __init__(self, width_in: float, height_in: float) -> None:
        self.width, self.height = width_in, height_in
        self.chunks: list[bytes] = []
        self.opacities: list[tuple[float, float]] = []

    def output(self, *data) -> None:
        self.chunks.append(b" ".join(pdfRepr(x) for x in data))

    def writePath(self, path, transform, clip=False, sketch=None) -> None:  # noqa: N802
        # As PdfFile.writePath: only unfilled paths are clipped to the figure (and simplified).
        box = (0.0, 0.0, self.width * 72, self.height * 72) if clip else None
        self.output(*PdfFile.pathOperations(path, transform, box,
                                            simplify=path.should_simplify if clip else False,
                                            sketch=sketch))

    def alphaState(self, alpha: tuple[float, float]) -> Name:  # noqa: N802
        if alpha not in self.opacities:
            self.opacities.append(alpha)
        return Name(opacity_placeholder(self.opacities.index(alpha)))

    def hatchPattern(self, *_):  # noqa: N802
        raise NeedsSVG("hatch pattern")

    def imageObject(self, *_):  # noqa: N802
        raise NeedsSVG("raster image")


class _KeptTextToPath(TextToPath):
    """Glyph outlines of a text kept for the next chart: tick labels, group names and
    legends repeat across a report's charts."""

    _MAX = 20_000

    def __init__(self) -> None:
        super().__init__()
        self._kept: dict[tuple, tuple] = {}

    def get_text_path(self, prop, s, ismath=False, *, features=None, language=None):
        key = (hash(prop), s, ismath, tuple(features or ()), language)
        kept = self._kept.get(key)
        if kept is None:
            verts, codes = super().get_text_path(prop, s, ismath=ismath, features=features,
                                                 language=language)
            kept = (np.asarray(verts, float), np.asarray(codes))
            for array in kept:
                array.flags.writeable = False  # shared by every later use
            if len(self._kept) >= self._MAX:
                self._kept.clear()
            self._kept[key] = kept
        return kept


class _Renderer(RendererPdf):
    """matplotlib's PDF renderer with every mark drawn as a path in the content stream
    (no fonts, no marker or collection XObjects) and the SVG renderer's text metrics."""

    draw_markers = RendererBase.draw_markers
    draw_path_collection = RendererBase.draw_path_collection
    draw_gouraud_triangles = RendererBase.draw_gouraud_triangles
    get_text_width_height_descent = RendererBase.get_text_width_height_descent
    _text2path = _KeptTextToPath()

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath == "TeX":
            raise NeedsSVG("TeX text")
        self._draw_text_as_path(gc, x, y, s, prop, angle, ismath, mtext)

    def draw_image(self, gc, x, y, im, transform=None):
        raise NeedsSVG("raster image")


def figure_operators(fig) -> tuple[bytes, tuple[tuple[float, float], ...]]:
    """The content-stream operators drawing ``fig`` in points, origin at its lower left,
    and the opacities (stroke, fill) they name by placeholder, in order of first use.

    Raises :class:`NeedsSVG` when the figure needs the SVG route.
    """
    fig.set_dpi(72)  # one display unit per point, as when saving to PDF or SVG
    width_in, height_in = fig.get_size_inches()
    stream = _Stream(width_in, height_in)
    renderer = _Renderer(stream, 72, height_in, width_in)
    fig.draw(renderer)
    renderer.finalize()
    return b"\n".join(stream.chunks), tuple(stream.opacities)


def place_figure(pdf, fig, *, alt_text: str | None = None) -> None:
    """Draw ``fig`` with :func:`place_operators`. Raises :class:`NeedsSVG` (having drawn
    nothing) when the figure needs the SVG route."""
    ops, opacities = figure_operators(fig)
    place_operators(pdf, ops, opacities, tuple(fig.get_size_inches()), alt_text=alt_text)
