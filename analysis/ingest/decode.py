"""Turn the bytes of a text file into a string: BOMs, UTF-8 first, UTF-16, then detection."""
from __future__ import annotations

import codecs
import re

__all__ = ["DecodeError", "decode_bytes", "looks_binary"]

# Candidate legacy encodings handed to charset-normalizer, in the order we trust them.
# Keeping the list short makes detection fast and stops exotic code pages from winning
# on short texts (a cp1251 Russian text can also "decode" as mac_cyrillic or koi8).
_CANDIDATES = ["gb18030", "cp1251", "cp1252", "big5", "shift_jis", "euc_kr"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can recognise."""


# C0/C1 control characters other than white space, and the Unicode specials block.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufff0-\uffff]")


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) / len(sample) if sample else 0.0


def looks_binary(text: str) -> bool:
    """True when a decoded text is mostly control characters (a binary file, not prose)."""
    return _control_ratio(text) > 0.02


def _concentration(column: bytes) -> float:
    """Share of the bytes taken by the three most common values."""
    counts = sorted((column.count(b) for b in set(column)), reverse=True)
    return sum(counts[:3]) / max(len(column), 1)


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess BOM-less UTF-16 from its byte pattern.

    In UTF-16 text the high byte of each code unit comes from very few values (0x00 for
    ASCII, 0x04 for Cyrillic, ...) while the low bytes vary, so one byte parity is far more
    concentrated than the other. The guess is kept only when the text decodes cleanly.
    """
    if len(data) < 8 or len(data) % 2:
        return None
    sample = data[:8192]
    even, odd = _concentration(sample[0::2]), _concentration(sample[1::2])
    if odd > 0.7 and even < 0.5:
        enc = "utf-16-le"
    elif even > 0.7 and odd < 0.5:
        enc = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    return None if looks_binary(text) else enc


_CP1251_LETTERS = frozenset([*range(0xC0, 0x100), 0xA8, 0xB8])  # А..я, Ё, ё


def _looks_cp1251(data: bytes) -> bool:
    """Russian in cp1251: nearly all non-ASCII bytes are Cyrillic letters, and they come in
    runs (whole words). Short texts fool statistical detection ("Москва" reads as Big5);
    Western cp1252 text fails the runs test (one accented letter at a time) and GB18030
    text the letters test."""
    high = [i for i, b in enumerate(data[:20000]) if b >= 0x80]
    if len(high) < 4:
        return False
    sample = data[:20000]
    letters = sum(1 for i in high if sample[i] in _CP1251_LETTERS)
    high_set = set(high)
    in_runs = sum(1 for i in high if i - 1 in high_set or i + 1 in high_set)
    return letters >= 0.95 * len(high) and in_runs >= 0.8 * len(high)


def _clean_utf16(data: bytes, enc: str) -> str | None:
    """The UTF-16 decoding of ``data`` when it is plainly prose (CJK text without ASCII has
    no telling byte pattern, but decodes into letters only one way round)."""
    if len(data) % 2:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    sample = text[:5000]
    wordy = sum(1 for ch in sample if ch.isalpha() or ch.isspace() or ch in "，。、；：？！“”（）")
    return text if sample and wordy / len(sample) > 0.9 and not looks_binary(text) else None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` and name the encoding used.

    Order: a byte-order mark; BOM-less UTF-16 when there are NUL bytes; strict UTF-8;
    BOM-less UTF-16 from its byte pattern;
    charset-normalizer over a short list of legacy encodings (GB18030, cp1251, cp1252, ...).

    Returns
    -------
    (text, encoding)

    Raises
    ------
    DecodeError
        For binary data or bytes no candidate encoding explains.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"has a {enc} byte-order mark but is not valid {enc}") from exc
            return text.lstrip("\ufeff"), enc.replace("-sig", " (BOM)")
    if b"\x00" in data[:65536]:
        # Text has no NUL bytes, except UTF-16 (every ASCII character carries one).
        utf16 = _utf16_without_bom(data)
        if utf16:
            return data.decode(utf16), utf16
        for enc in ("utf-16-le", "utf-16-be"):
            text = _clean_utf16(data, enc)
            if text is not None:
                return text, enc
        raise DecodeError("binary data (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if looks_binary(text):
            raise DecodeError("binary data (mostly control characters), not text")
        return text, "utf-8"
    utf16 = _utf16_without_bom(data)  # UTF-16 of scripts without NULs (CJK, Cyrillic)
    if utf16:
        return data.decode(utf16), utf16
    if _looks_cp1251(data):
        return data.decode("cp1251"), "cp1251"
    from charset_normalizer import from_bytes  # imported lazily: it is slow to import

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise DecodeError("not text in any supported encoding (UTF-8, UTF-16, GB18030, "
                          "cp1251, cp1252, ...)")
    text = str(best)
    if looks_binary(text) or _mess(best) > 0.2:
        raise DecodeError("binary data or an unknown encoding: the decoded text is garbled")
    return text, best.encoding.replace("_", "-")


def _mess(match: object) -> float:
    """charset-normalizer's chaos ratio for a match (0 clean .. 1 garbage)."""
    return float(getattr(match, "chaos", 0.0) or 0.0)
