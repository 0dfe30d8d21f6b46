"""Turn the bytes of a text file into a string: BOMs, UTF-8 first, UTF-16, then detection.

A file that is UTF-8 except for a few bytes (a pasted cp1252 phrase, one stray byte) is
repaired locally, and the encoding label says so: "utf-8, 2 bytes in 1 place repaired
(read as cp1252)". Labels carrying :data:`REPAIRED` are reported to the user.
"""
from __future__ import annotations

import codecs
import re

__all__ = ["DecodeError", "decode_bytes", "looks_binary", "REPAIRED"]

#: Word in an encoding label that marks a repaired decoding.
REPAIRED = "repaired"

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


# Scripts and punctuation of Chinese, Japanese and Korean, full-width forms included.
_CJK = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")


def _cjk_utf16(data: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16 of Chinese (Japanese, Korean) text without ASCII, which has no
    NUL bytes and no telling byte pattern: taken when one byte order decodes into CJK
    characters and punctuation almost only. Legacy CJK bytes read as UTF-16 fall into
    surrogates and private-use code points instead."""
    if len(data) < 16 or len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        sample = text[:5000]
        cjk = len(_CJK.findall(sample))
        plain = sum(1 for ch in sample if ch < "\x7f" and (ch.isprintable() or ch.isspace()))
        if cjk >= 0.3 * len(sample) and cjk + plain >= 0.95 * len(sample):
            return text, enc
    return None


_ESCAPED = re.compile("[\udc80-\udcff]+")  # undecodable bytes under "surrogateescape"
# Characters real text is made of, by UTF-8 length: Latin, Greek, Cyrillic (2 bytes);
# punctuation, currency, CJK, kana, Hangul, full-width forms (3 bytes). Legacy bytes that
# happen to form valid UTF-8 mostly land elsewhere (French "à\xa0«" reads as Samaritan).
_PLAUSIBLE_2 = re.compile("[\u00a0-\u058f]")
_PLAUSIBLE_3 = re.compile("[\u2000-\u206f\u20a0-\u20cf\u3000-\u9fff\uac00-\ud7af"
                          "\uff00-\uffef]")


def _repaired_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few undecodable bytes, repaired where they are, or None when the
    bulk of the file is not clearly UTF-8.

    Clearly UTF-8: valid multi-byte sequences of plausible characters hold at least as
    many bytes as the invalid ones (legacy text seldom forms them by chance). Each
    invalid run is read as cp1252 when that gives letters or punctuation (a phrase pasted
    from a Western Windows editor), else replaced by U+FFFD.
    """
    text = data.decode("utf-8", "surrogateescape")
    runs = [m for m in _ESCAPED.finditer(text)]
    n_bad = sum(m.end() - m.start() for m in runs)
    if not runs:
        return None
    evidence = 2 * len(_PLAUSIBLE_2.findall(text)) + 3 * len(_PLAUSIBLE_3.findall(text))
    if evidence < 4 or evidence < n_bad:
        return None
    ways: set[str] = set()

    def repair(match: re.Match) -> str:
        raw = match.group().encode("utf-8", "surrogateescape")
        try:
            fixed = raw.decode("cp1252")
        except UnicodeDecodeError:
            fixed = ""
        if fixed and all(ch.isprintable() and not ch.isspace() for ch in fixed):
            ways.add("read as cp1252")
            return fixed
        ways.add("replaced by \ufffd")
        return "\ufffd"

    repaired = _ESCAPED.sub(repair, text)
    if looks_binary(repaired):
        return None
    places = len(runs)
    label = (f"utf-8, {n_bad} byte{'s' * (n_bad != 1)} in {places} "
             f"place{'s' * (places != 1)} {REPAIRED} ({' or '.join(sorted(ways))})")
    return repaired, label


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` and name the encoding used.

    Order: a byte-order mark; BOM-less UTF-16 when there are NUL bytes; strict UTF-8;
    UTF-8 with a few bytes repaired; BOM-less UTF-16 from its byte pattern;
    charset-normalizer over a short list of legacy encodings (GB18030, cp1251, cp1252, ...);
    BOM-less UTF-16 of CJK text.

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
    repaired = _repaired_utf8(data)
    if repaired:
        return repaired
    utf16 = _utf16_without_bom(data)  # UTF-16 of scripts without NULs (CJK, Cyrillic)
    if utf16:
        return data.decode(utf16), utf16
    if _looks_cp1251(data):
        try:
            return data.decode("cp1251"), "cp1251"
        except UnicodeDecodeError:  # 0x98 is no character in cp1251: not cp1251 after all
            pass
    from charset_normalizer import from_bytes  # imported lazily: it is slow to import

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None or looks_binary(str(best)) or _mess(best) > 0.2:
        cjk = _cjk_utf16(data)  # last: pure CJK UTF-16 has no other sign of itself
        if cjk:
            return cjk
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
