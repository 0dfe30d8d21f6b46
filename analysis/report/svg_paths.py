"""Place matplotlib's SVG charts in the PDF without copying every glyph per use.

matplotlib writes text as paths: each glyph once in ``<defs>``, then one ``<use>`` per
character. fpdf2 deep-copies the referenced path for every ``<use>`` (about half of the
report's rendering time), although nothing changes a definition once it is read. Here the
definitions are shared instead of copied; the PDF drawn is the same, operator for
operator (tests/analysis/test_report_pdf_speed.py compares the two).
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

import fpdf.image_parsing as _image_parsing
from fpdf.svg import SVGObject

__all__ = ["SharedDefsSVG", "shared_svg_defs"]

_SHARED_TYPES: dict[type, type] = {}


def _shared_type(cls: type) -> type:
    """A subclass of ``cls``, same memory layout, whose deep copy is the object itself."""
    if cls not in _SHARED_TYPES:
        _SHARED_TYPES[cls] = type(f"Shared{cls.__name__}", (cls,),
                                  {"__slots__": (), "__deepcopy__": lambda self, memo: self,
                                   "__module__": __name__})
    return _SHARED_TYPES[cls]


class SharedDefsSVG(SVGObject):
    """An fpdf2 ``SVGObject`` whose ``<defs>`` entries are shared by every ``<use>``."""

    def update_xref(self, key, referenced) -> None:
        try:
            referenced.__class__ = _shared_type(type(referenced))
        except TypeError:
            pass  # a type whose class cannot change is copied as before
        super().update_xref(key, referenced)


@contextlib.contextmanager
def shared_svg_defs() -> Iterator[None]:
    """While active, ``FPDF.image`` parses SVG with :class:`SharedDefsSVG`.

    fpdf2's ``image()`` builds its ``SVGObject`` in ``fpdf.image_parsing``; if a later
    fpdf2 stops doing so, this does nothing and the slower copying parser is used.
    """
    if getattr(_image_parsing, "SVGObject", None) is not SVGObject:
        yield
        return
    _image_parsing.SVGObject = SharedDefsSVG
    try:
        yield
    finally:
        _image_parsing.SVGObject = SVGObject
