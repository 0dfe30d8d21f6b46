"""The fonts shipped in ``resources/fonts`` (Noto Sans, Sinoru CJK Subset) for charts and
reports, and a guard that swaps characters no shipped font has for a visible box."""
from __future__ import annotations

import functools
import re
from pathlib import Path

__all__ = ["FONT_FILES", "font_path", "font_families", "supported_chars", "safe_text",
           "matplotlib_font",
           "REPLACEMENT"]

#: role -> file name under resources/fonts.
FONT_FILES = {
    "regular": "NotoSans-Regular.ttf",
    "bold": "NotoSans-Bold.ttf",
    "italic": "NotoSans-Italic.ttf",
    "cjk": "SinoruCJKSubset-Regular.otf",
}
#: Shown instead of a character that no shipped font can draw (it is in the CJK subset).
REPLACEMENT = "\u25a1"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def font_path(role: str) -> Path | None:
    """Path of a shipped font file, or None when it is missing from this installation."""
    try:
        from analysis.resources import resource_path

        path = resource_path("fonts", FONT_FILES[role])
    except (OSError, KeyError):
        return None
    return path if path.is_file() else None


@functools.cache
def font_families() -> tuple[str, ...]:
    """Family names for matplotlib text: Noto Sans, Sinoru CJK Subset, then DejaVu Sans.

    Registers the shipped fonts with matplotlib once; matplotlib falls back through the
    list glyph by glyph, so Latin, Cyrillic and Chinese labels all render.
    """
    from matplotlib import font_manager

    families: list[str] = []
    for role in ("regular", "bold", "italic", "cjk"):
        path = font_path(role)
        if path is None:
            continue
        try:
            font_manager.fontManager.addfont(str(path))
            name = font_manager.FontProperties(fname=str(path)).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
        if name not in families:
            families.append(name)
    families.append("DejaVu Sans")
    return tuple(families)


@functools.cache
def supported_chars() -> frozenset[int]:
    """Code points some shipped font (or matplotlib's DejaVu Sans) can draw."""
    from fontTools.ttLib import TTFont

    paths = [font_path(r) for r in ("regular", "cjk")]
    dejavu = matplotlib_font("DejaVuSans.ttf")
    if dejavu is not None:
        paths.append(dejavu)
    cps: set[int] = set()
    for path in paths:
        if path is None or not path.is_file():
            continue
        try:
            font = TTFont(str(path), lazy=True)
            cps.update(font.getBestCmap() or {})
            font.close()
        except Exception:  # noqa: BLE001 - a damaged font must not stop a report
            continue
    return frozenset(cps)


def matplotlib_font(name: str) -> Path | None:
    """A font file shipped with matplotlib, found without importing matplotlib (the PDF's
    text needs only this file from it)."""
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "mpl-data" / "fonts" / "ttf" / name


def safe_text(text, *, keep_newlines: bool = True) -> str:
    """``text`` with control characters removed and characters no font can draw replaced
    by a box, so a PDF or chart never fails or shows nothing on unusual input."""
    s = "" if text is None else str(text)
    s = _CONTROL.sub("", s).replace("\t", " ")
    if not keep_newlines:
        s = s.replace("\r", " ").replace("\n", " ")
    ok = supported_chars()
    if not ok or all(ord(c) in ok or c in "\n\r" for c in s):
        return s
    return "".join(c if (ord(c) in ok or c in "\n\r") else REPLACEMENT for c in s)
