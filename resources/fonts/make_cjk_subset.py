"""Make "Sinoru CJK Subset" from Noto Sans CJK SC Regular (SIL OFL 1.1) with fontTools.

Keeps the common Chinese characters (GB 2312, 6,763 Simplified; Big5 level 1, 5,401
Traditional), CJK punctuation, full-width forms and a few symbols, and renames the font as
the OFL asks of modified versions. Run from the project root:

    python resources/fonts/make_cjk_subset.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

(Debian/Ubuntu: ``apt-get install fonts-noto-cjk`` provides the source collection.)
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

NAME = "Sinoru CJK Subset"
PS_NAME = "SinoruCJKSubset-Regular"
OUT = Path(__file__).resolve().parent / "SinoruCJKSubset-Regular.otf"


def codepoints() -> set[int]:
    cps: set[int] = set()
    # GB 2312: rows 0xB0-0xF7 are the 6,763 hanzi (level 1 and 2); rows 0xA1-0xA9 symbols.
    for hi in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8)):
        for lo in range(0xA1, 0xFF):
            try:
                cps.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    # Big5 level 1 (frequently used Traditional characters): 0xA440-0xC67E.
    for hi in range(0xA4, 0xC7):
        for lo in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            try:
                cps.add(ord(bytes([hi, lo]).decode("big5")))
            except UnicodeDecodeError:
                pass
    cps |= set(range(0x3000, 0x3040))   # CJK symbols and punctuation
    cps |= set(range(0xFF00, 0xFFF0))   # half-width and full-width forms
    cps |= {0x2212, 0x25A1, 0x2026, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x00B7}
    return cps


def main(source: str) -> None:
    if source.lower().endswith(".ttc"):
        coll = TTCollection(source)
        font = next(f for f in coll.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    else:
        font = TTFont(source)
    options = subset.Options()
    options.layout_features = []      # horizontal Chinese text needs no OpenType features
    options.hinting = False           # hints add ~25% and matter little in PDFs and charts
    options.name_IDs = ["*"]
    options.notdef_outline = True      # a visible box for characters outside the subset
    options.drop_tables += ["VORG", "vhea", "vmtx"]  # vertical writing is not used
    sub = subset.Subsetter(options)
    sub.populate(unicodes=codepoints())
    sub.subset(font)
    names = font["name"]
    for rec in list(names.names):
        if rec.nameID in (1, 4, 16, 21):
            rec.string = NAME
        elif rec.nameID == 3:
            rec.string = f"2.004;{PS_NAME}"
        elif rec.nameID == 6:
            rec.string = PS_NAME
        elif rec.nameID == 7:
            names.removeNames(nameID=7)
    names.setName(
        "Modified from Noto Sans CJK SC 2.004 (© 2014-2021 Adobe): character subset and "
        "renamed; SIL Open Font License 1.1.", 10, 3, 1, 0x409)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [PS_NAME]
        top = cff.topDictIndex[0]
        for attr in ("FullName", "FamilyName"):
            if hasattr(top, attr):
                setattr(top, attr, NAME)
    font.save(str(OUT))
    print(f"{OUT.name}: {OUT.stat().st_size / 1e6:.2f} MB, "
          f"{len(font.getBestCmap())} characters")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_cjk_subset.py NotoSansCJK-Regular.ttc (or NotoSansCJKsc-Regular.otf)")
    main(sys.argv[1])
