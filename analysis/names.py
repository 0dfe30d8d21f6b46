"""File names that are not valid UTF-8, kept exactly and written as valid text.

On Linux a file name is bytes; Python decodes the bytes that are not UTF-8 into lone
"surrogate" characters (``b'caf\\xe9.txt'`` becomes ``'caf\\udce9.txt'``), so that the
name still opens the file. Such a string cannot be encoded as UTF-8, and every UTF-8
writer (JSON, CSV, SQLite, XLSX) refuses it. Sinoru keeps the original name in
``Document.source`` and in the provenance, and writes it:

- losslessly where Sinoru reads it back: JSON as ``\\udce9`` escapes (:func:`json_text`),
  SQLite as the name's bytes (see ``sinoru_desktop.project``);
- readably where people read it: CSV, XLSX, HTML, PDF and the terminal show
  ``caf\\xe9.txt`` (:func:`display_name`, or the ``DISPLAY_ERRORS`` codec error handler).
"""
from __future__ import annotations

import codecs
import re

__all__ = ["has_surrogates", "display_name", "display_strings", "json_text", "DISPLAY_ERRORS"]

_SURROGATE = re.compile("[\ud800-\udfff]")
#: Codec error handler that writes un-encodable surrogates as ``\\xNN`` / ``\\uNNNN``.
DISPLAY_ERRORS = "sinoru-display"


def has_surrogates(text: str) -> bool:
    """True when ``text`` holds lone surrogates (an undecodable file name)."""
    return _SURROGATE.search(text) is not None


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def display_name(text: str) -> str:
    """``text`` with each undecodable byte shown as ``\\xNN``: valid, readable text."""
    if not has_surrogates(text):
        return text
    return _SURROGATE.sub(lambda m: _escape(m.group()), text)


def display_strings(value):
    """``value`` (JSON-like: dicts, lists, strings) with every string made displayable."""
    if isinstance(value, str):
        return display_name(value)
    if isinstance(value, dict):
        return {display_strings(k): display_strings(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [display_strings(v) for v in value]
    return value


def json_text(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) made valid UTF-8.

    A surrogate can only occur inside a JSON string, where ``\\udce9`` is a valid escape
    that ``json.loads`` turns back into the same character: nothing is lost.
    """
    if not has_surrogates(text):
        return text
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _display_errors(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    return "".join(_escape(c) for c in bad), exc.end


codecs.register_error(DISPLAY_ERRORS, _display_errors)
