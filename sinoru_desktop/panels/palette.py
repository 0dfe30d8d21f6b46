"""Colour-blind-safe colours for highlights, shared by every view.

The Okabe–Ito palette (Okabe & Ito 2008) is distinguishable under the common forms of
colour blindness; Paul Tol's "muted" scheme extends it when a codebook has more frames
than Okabe–Ito has colours. Highlights are drawn semi-transparent so the text under them
stays readable on light and dark themes alike.
"""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from analysis.charts import OKABE_ITO as _CHART_OKABE_ITO

__all__ = ["OKABE_ITO", "HIGHLIGHT_COLOURS", "highlight_colour", "sentiment_colour",
           "is_dark", "chip_html"]

#: Okabe–Ito, in its usual order (black last): the charts' own palette, so a frame's
#: highlight and the chart colours come from one place.
OKABE_ITO = tuple(_CHART_OKABE_ITO.values())
# Frame highlights: Okabe-Ito without black (it cannot tint text) and without blue and
# vermillion, which are kept for the sentence-tone shading so the two never look alike;
# then Paul Tol's "muted" colours for codebooks with many frames.
_OI = dict(_CHART_OKABE_ITO)
HIGHLIGHT_COLOURS = (_OI["orange"], _OI["bluish_green"], _OI["reddish_purple"], _OI["yellow"],
                     "#332288", "#CC6677", "#88CCEE", "#999933", "#882255", "#44AA99",
                     "#117733", "#DDCC77", "#AA4499", _OI["sky_blue"])
# Negative and positive ends of the sentiment shading: vermillion and blue, a pair that
# stays apart for every common colour-vision deficiency.
_NEGATIVE = _OI["vermillion"]
_POSITIVE = _OI["blue"]


def highlight_colour(index: int, alpha: int = 110) -> QColor:
    """The highlight colour of the ``index``-th frame (cycling), with transparency."""
    colour = QColor(HIGHLIGHT_COLOURS[index % len(HIGHLIGHT_COLOURS)])
    colour.setAlpha(alpha)
    return colour


def sentiment_colour(compound: float, max_alpha: int = 70) -> QColor | None:
    """A faint background for a sentence with VADER ``compound`` score (−1..1).

    Returns ``None`` for neutral sentences (|compound| < 0.05, VADER's own threshold) so
    most of the text keeps the normal background.
    """
    if compound is None or compound != compound or abs(compound) < 0.05:
        return None
    colour = QColor(_POSITIVE if compound > 0 else _NEGATIVE)
    colour.setAlpha(int(15 + (max_alpha - 15) * min(abs(compound), 1.0)))
    return colour


def is_dark(palette: QPalette) -> bool:
    """True when the widget palette has a dark base (a dark theme)."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def chip_html(colour: QColor, label: str) -> str:
    """A small coloured square followed by ``label``, for rich-text legends."""
    from html import escape

    return (f'<span style="background-color:{colour.name()};">&nbsp;&nbsp;&nbsp;</span>'
            f"&nbsp;{escape(label)}")
