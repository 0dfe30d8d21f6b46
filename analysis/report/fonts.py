"""Fonts for the PDF: Noto Sans with the CJK subset and DejaVu Sans as glyph fallbacks,
embedded (and subset) by fpdf2, so Latin, Cyrillic, Greek and Chinese render in one text."""
from __future__ import annotations

from pathlib import Path

from analysis.charts.fonts import (
    FONT_FILES,
    font_path,
    matplotlib_font,
    safe_text,
    supported_chars,
)

__all__ = ["setup_pdf_fonts", "LastResortFallback", "safe_text", "supported_chars",
           "FONT_FILES", "BODY"]

#: Family name the PDF uses for body text.
BODY = "body"


def _dejavu(style: str) -> Path | None:
    name = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}[style]
    path = matplotlib_font(name)
    return path if path is not None and path.is_file() else None


def setup_pdf_fonts(pdf) -> str:
    """Register the fonts on an ``fpdf.FPDF`` and set the fallbacks; returns the body family.

    Noto Sans (regular, bold, italic) is the body font. Characters it lacks come from the
    Sinoru CJK Subset, then DejaVu Sans (shipped with matplotlib). If the shipped fonts are
    missing from an installation, DejaVu Sans becomes the body font so a report is still
    written.
    """
    styles = {"": "regular", "B": "bold", "I": "italic"}
    have_noto = all(font_path(role) is not None for role in styles.values())
    for style, role in styles.items():
        path = font_path(role) if have_noto else _dejavu(style)
        if path is None:
            raise RuntimeError("no usable font: the Noto Sans files in resources/fonts and "
                               "matplotlib's DejaVu Sans are both missing")
        pdf.add_font(BODY, style, str(path))
    fallbacks = []
    cjk = font_path("cjk")
    if cjk is not None:
        pdf.add_font("cjk", "", str(cjk))
        fallbacks.append("cjk")
    if have_noto and _dejavu("") is not None:
        if fallbacks and isinstance(pdf, LastResortFallback):
            pdf.last_resort_font = str(_dejavu(""))   # read when a character needs it
        else:
            pdf.add_font("dejavu", "", str(_dejavu("")))
            fallbacks.append("dejavu")
    if fallbacks:
        pdf.set_fallback_fonts(fallbacks, exact_match=False)
    return BODY


class LastResortFallback:
    """An ``FPDF`` mix-in: DejaVu Sans, the last fallback font, is read only when a
    character that neither Noto Sans nor the CJK subset has first needs it.

    Reading it costs about 0.1 s and most reports never use it. It comes last among the
    fallbacks either way, so every character gets the same font as when it is read up
    front.
    """

    last_resort_font: str | None = None

    def get_fallback_font(self, char: str, style: str = "") -> str | None:
        found = super().get_fallback_font(char, style)
        if found is None and self.last_resort_font:
            path, self.last_resort_font = self.last_resort_font, None
            families = list(dict.fromkeys(key.rstrip("BI") or key
                                          for key in self._fallback_font_ids))
            self.add_font("dejavu", "", path)
            self.set_fallback_fonts([*families, "dejavu"], exact_match=False)
            found = super().get_fallback_font(char, style)
        return found
