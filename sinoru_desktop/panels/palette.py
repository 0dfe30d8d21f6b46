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
           "is_dark", "chip_html", "contrast_ratio", "legible_mark", "MIN_MARK_CONTRAST",
           "DARK_THEME_HIGHLIGHT_INK"]

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


#: WCAG contrast a highlight keeps against a dark background (non-text marks: 3:1).
MIN_MARK_CONTRAST = 3.0
#: Text on a dark-theme highlight is this near-black, for a text contrast of 4.5:1 or more.
DARK_THEME_HIGHLIGHT_INK = QColor("#111111")


def highlight_colour(index: int, alpha: int = 110, *,
                     background: QColor | None = None) -> QColor:
    """The highlight colour of the ``index``-th frame (cycling), with transparency.

    On a dark ``background`` (the dark theme) a translucent tint would sink into it, so the
    colour is opaque and lightened until it keeps a WCAG contrast of 3:1 against the
    background; text on it is then drawn in :data:`DARK_THEME_HIGHLIGHT_INK`.
    """
    colour = QColor(HIGHLIGHT_COLOURS[index % len(HIGHLIGHT_COLOURS)])
    if background is not None and background.lightness() < 128:
        return legible_mark(colour, background)
    colour.setAlpha(alpha)
    return colour


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour."""
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1 … 21)."""
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def legible_mark(colour: QColor, background: QColor,
                 minimum: float = MIN_MARK_CONTRAST) -> QColor:
    """``colour`` mixed with white, step by step, until it keeps ``minimum`` contrast
    against ``background`` (its hue stays recognisable)."""
    out = QColor(colour)
    for step in range(11):
        mix = step / 10
        out = QColor.fromRgbF(colour.redF() + (1 - colour.redF()) * mix,
                              colour.greenF() + (1 - colour.greenF()) * mix,
                              colour.blueF() + (1 - colour.blueF()) * mix)
        if contrast_ratio(out, background) >= minimum:
            break
    return out


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
