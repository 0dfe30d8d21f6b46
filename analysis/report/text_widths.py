"""Measure text for the PDF's line breaking without re-adding every character per step.

fpdf2 breaks lines by measuring the line so far after each character: the width of
"t", "th", "the", … each summed over all its characters again (a third of the report's
text layout time). Here the sum of a text's glyph widths is kept, so the next, one
character longer, costs one addition. The sums are the same integers added in the same
order, so every width, line break and page is exactly what fpdf2 computes
(tests/analysis/test_report_text_widths.py compares the two PDFs).
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

from fpdf.fonts import TTFFont

__all__ = ["prefix_text_widths"]

_MAX_TEXTS = 200_000  # per font: a bound on memory for very long reports


def _get_text_width(original, sums_by_font: dict[int, dict[str, int]]):
    def get_text_width(self, text, font_size_pt, text_shaping_params):
        if text_shaping_params or getattr(self, "is_symbol", True):
            return original(self, text, font_size_pt, text_shaping_params)
        if font_size_pt > self.biggest_size_pt:
            self.biggest_size_pt = font_size_pt
        sums = sums_by_font.setdefault(id(self), {"": 0})
        total = sums.get(text)
        if total is None:
            cw = self.cw
            prefix = sums.get(text[:-1])
            if prefix is None:
                total = sum(cw[ord(c)] for c in text)
            else:
                total = prefix + cw[ord(text[-1])]
            if len(sums) > _MAX_TEXTS:
                sums.clear()
                sums[""] = 0
            sums[text] = total
        # As TTFFont.get_text_width: the integer sum, then scaled.
        return len(text), total * font_size_pt * 0.001

    return get_text_width


@contextlib.contextmanager
def prefix_text_widths() -> Iterator[None]:
    """While active, fpdf2's TrueType fonts measure text from the kept prefix sums.

    Text shaping and symbol fonts keep fpdf2's own measuring. If a later fpdf2 changes
    how it measures (no ``cw`` table), this does nothing.
    """
    original = TTFFont.__dict__.get("get_text_width")
    if original is None or not hasattr(TTFFont, "_map_symbol_text"):
        yield
        return
    # By font object (TTFFont has __slots__): the fonts outlive this context's use.
    TTFFont.get_text_width = _get_text_width(original, {})
    try:
        yield
    finally:
        TTFFont.get_text_width = original
