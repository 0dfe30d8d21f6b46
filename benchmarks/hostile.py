"""Hostile input for the importers: bombs, mutated valid files and random bytes.

Used by the property-based tests (a few seconds in CI) and by ``python -m
benchmarks.fuzz_ingest`` (minutes by hand). Everything is generated in memory from a seed:
no hostile binary is ever committed.
"""
from __future__ import annotations

import io
import random
import struct
import zlib

__all__ = ["deflate_repeated", "zip_archive", "docx_bomb", "xlsx_bomb", "nested_html",
           "random_bytes"]

_MB = 2**20


def _blocks(data: bytes, final: bool = False) -> bytes:
    """Raw deflate blocks for ``data`` from a fresh compressor, ending byte-aligned after a
    full flush (so blocks from several calls can be concatenated), or final."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    return comp.compress(data) + comp.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def deflate_repeated(head: bytes, chunk: bytes, times: int, tail: bytes
                     ) -> tuple[bytes, int, int]:
    """A raw deflate stream of ``head + chunk * times + tail`` built without ever holding
    the expanded data: the compressed chunk is simply repeated. Returns (stream, crc32,
    expanded size)."""
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    stream = _blocks(head) + _blocks(chunk) * times + _blocks(tail, final=True)
    return stream, zlib.crc32(tail, crc), len(head) + len(chunk) * times + len(tail)


def zip_archive(members: list[tuple[str, bytes, int, int]], *, declared: int | None = None
                ) -> bytes:
    """A zip file from (name, raw deflate stream, crc32, size) members, written by hand so
    the headers may lie: ``declared`` replaces every member's uncompressed size."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, stream, crc, size in members:
        shown = size if declared is None else declared
        offset = out.tell()
        raw = name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc,
                              len(stream), shown, len(raw), 0) + raw + stream)
        central.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc,
                                  len(stream), shown, len(raw), 0, 0, 0, 0, 0, offset) + raw)
    cd = central.getvalue()
    start = out.tell()
    out.write(cd)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                          len(cd), start, 0))
    return out.getvalue()


def _member(name: str, text: str) -> tuple[str, bytes, int, int]:
    data = text.encode()
    return name, _blocks(data, final=True), zlib.crc32(data), len(data)


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_DOCX_PARTS = [
    ("[Content_Types].xml",
     '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
     'package/2006/content-types"><Default Extension="rels" ContentType="application/'
     'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
     'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
     '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
     '</Types>'),
    ("_rels/.rels",
     '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
     'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
     'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
     'Target="word/document.xml"/></Relationships>'),
]


def _bomb_member(name: str, head: str, tail: str, expanded_mb: int
                 ) -> tuple[str, bytes, int, int]:
    """``head`` + ``expanded_mb`` MB of letters + ``tail`` as one deflated member."""
    return (name, *deflate_repeated(head.encode(), b"a" * _MB, expanded_mb, tail.encode()))


def docx_bomb(expanded_mb: int, *, lie: bool = False) -> bytes:
    """A .docx whose word/document.xml holds one paragraph of ``expanded_mb`` MB; with
    ``lie`` the zip directory claims every member is 1 KB."""
    doc = _bomb_member("word/document.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>'
                       "<w:p><w:r><w:t>", "</w:t></w:r></w:p></w:body></w:document>",
                       expanded_mb)
    return zip_archive([*(_member(n, t) for n, t in _DOCX_PARTS), doc],
                       declared=1024 if lie else None)


def xlsx_bomb(expanded_mb: int) -> bytes:
    """An .xlsx whose first sheet holds one cell of ``expanded_mb`` MB."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = [
        ("[Content_Types].xml",
         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
         'content-types"><Default Extension="rels" ContentType="application/vnd.'
         'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
         '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
         'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
         'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
         'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        ("_rels/.rels",
         '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
         f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>'),
        ("xl/workbook.xml",
         f'<?xml version="1.0"?><workbook {ns} xmlns:r="{rel}"><sheets><sheet name="S" '
         'sheetId="1" r:id="rId1"/></sheets></workbook>'),
        ("xl/_rels/workbook.xml.rels",
         '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
         f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
         'Target="worksheets/sheet1.xml"/></Relationships>'),
    ]
    sheet = _bomb_member("xl/worksheets/sheet1.xml",
                         f'<?xml version="1.0"?><worksheet {ns}><sheetData><row r="1"><c '
                         'r="A1" t="inlineStr"><is><t>text</t></is></c></row><row r="2"><c '
                         'r="A2" t="inlineStr"><is><t>',
                         "</t></is></c></row></sheetData></worksheet>", expanded_mb)
    return zip_archive([*(_member(n, t) for n, t in parts), sheet])


def nested_html(depth: int, tag: str = "div") -> bytes:
    """An HTML page of ``depth`` nested elements with a word in each (100,000 divs: 1.1 MB)."""
    return (b"<html><body>" + f"<{tag}>x".encode() * depth + f"</{tag}>".encode() * depth
            + b"</body></html>")


def random_bytes(rng: random.Random, max_len: int = 4096) -> bytes:
    return rng.randbytes(rng.randint(0, max_len))
