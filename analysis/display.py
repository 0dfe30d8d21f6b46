"""Text from outside (file names, cells) made safe to print: nothing in it can drive the
terminal or reorder the line."""
from __future__ import annotations

import re

__all__ = ["escaped"]

# C0 and C1 controls (ESC starts terminal sequences), DEL, bidi marks, overrides and
# isolates (a right-to-left override shows "gpj.exe" as "exe.jpg"), invisible format
# characters, line/paragraph separators, and lone surrogates (the undecodable bytes of a
# file name that is not UTF-8, which a UTF-8 terminal cannot even encode).
_UNSAFE = ("\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
           "\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff")
_UNSAFE_LINE = re.compile(f"[{_UNSAFE}\n]")
_UNSAFE_TEXT = re.compile(f"[{_UNSAFE}]")


def escaped(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every unsafe character written as ``\\uXXXX``.

    The escapes are those of JSON, so JSON text stays valid and still names the exact
    file. ``keep_newlines`` keeps line breaks (a block of lines the program composed);
    without it a newline in a name cannot forge a line of its own.
    """
    pattern = _UNSAFE_TEXT if keep_newlines else _UNSAFE_LINE
    return pattern.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
