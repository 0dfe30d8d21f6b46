"""Hostile input for the importers: bombs, mutated valid files and random bytes.

Used by the property-based tests (a few seconds in CI) and by ``python -m
benchmarks.fuzz_ingest`` (minutes by hand). Everything is generated in memory from a seed:
no hostile binary is ever committed.
"""
from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib

__all__ = ["deflate_repeated", "zip_archive", "docx_bomb", "xlsx_bomb", "nested_html",
           "random_bytes", "seed_files", "mutate", "hostile_case", "IMPORT_SUFFIXES", "KINDS"]

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


# Valid files to mutate, one per format the importers read, written from our own text.
_TITLE = "Harbour Cities Agree on a Timetable"
_BODY = ("The port authorities of both cities signed an agreement on Tuesday. Ferries will "
         "sail every hour from the spring, officials said, and freight slots will double.")
IMPORT_SUFFIXES = (".txt", ".md", ".html", ".pdf", ".docx", ".csv", ".tsv", ".xlsx", ".jsonl")
#: What a hostile case is fed to: the importer (by suffix), the manifest reader, the
#: codebook loader, the project loader.
KINDS = ("import", "manifest", "codebook", "project")


@functools.cache
def seed_files() -> dict[str, bytes]:
    """Valid seed files by suffix (plus "manifest", "codebook" and "project")."""
    import docx
    import openpyxl
    from fpdf import FPDF

    seeds = {
        ".txt": f"{_TITLE}\n\nBy Mara Ellison\n\n{_BODY}\n\n{_BODY}\n".encode(),
        ".md": f"---\ntitle: {_TITLE}\ndate: 2023-05-02\n---\n# {_TITLE}\n\n- *{_BODY}*\n"
               .encode(),
        ".html": (f"<html><head><title>{_TITLE}</title><meta name=author content='M. Ellison'>"
                  f"<script>var x = '<div>';</script></head><body><nav><a href=/>Home</a></nav>"
                  f"<h1>{_TITLE}</h1><div><p>{_BODY}<br><p>{_BODY}<ul><li>one<li>two</ul>"
                  "</div><pre>  kept  </pre></body></html>").encode(),
        ".csv": f'title,outlet,text\n"{_TITLE}",Xinhua,"{_BODY}"\nSecond,TASS,{_BODY}\n'
                .encode(),
        ".tsv": f"title\ttext\n{_TITLE}\t{_BODY}\n".encode(),
        ".jsonl": (f'{{"title": "{_TITLE}", "text": "{_BODY}", "tags": ["a"]}}\n'
                   f'{{"text": "{_BODY}"}}\n').encode(),
        "manifest": f"file,title,group\ngood.txt,{_TITLE},western\nhostile.txt,X,y\n".encode(),
        "codebook": _codebook_seed(),
    }
    pdf = FPDF()
    pdf.set_compression(False)  # readable content streams give mutations more to hit
    pdf.set_font("Helvetica", size=11)
    for _ in range(2):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"{_TITLE}\n\n{_BODY}")
    seeds[".pdf"] = bytes(pdf.output())
    document = docx.Document()
    document.add_heading(_TITLE, level=1)
    document.add_paragraph(_BODY)
    document.add_paragraph("one point", style="List Bullet")
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "cell"
    seeds[".docx"] = _saved(document.save)
    book = openpyxl.Workbook()
    book.active.append(["title", "text", "date"])
    book.active.append([_TITLE, _BODY, "2023-05-02"])
    seeds[".xlsx"] = _saved(book.save)
    return seeds


def _saved(save) -> bytes:
    buffer = io.BytesIO()
    save(buffer)
    return buffer.getvalue()


def _codebook_seed() -> bytes:
    from analysis.resources import resource

    return resource("codebooks", "generic.yaml").read_bytes()


@functools.cache
def project_seed() -> bytes:
    """A small valid project file (the desktop app's format; imported only when asked)."""
    import tempfile
    from pathlib import Path

    from analysis.ingest import import_paths
    from sinoru_desktop.project import Project, save_project

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "a.txt").write_bytes(seed_files()[".txt"])
        corpus = import_paths([Path(tmp) / "a.txt"]).corpus
        save_project(Project(corpus=corpus, ui={"tab": 1}), Path(tmp) / "p.sinoru")
        return (Path(tmp) / "p.sinoru").read_bytes()


# Byte strings that parsers treat specially: markup openers, quotes, archive and PDF
# markers, YAML anchors, escapes and bidi marks, encodings' odd bytes.
_TOKENS = [b"<div>", b"</div>", b"<!--", b"<a ", b"<p>", b"<script>", b'"', b"\n", b"\r",
           b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xe9", b"\x81", b"PK\x03\x04",
           b"PK\x05\x06", b"%%EOF", b" obj ", b"stream\n", b"endstream", b"/Length 99999999",
           b"trailer", b"xref", b"&a [*a, *a, *a]", b"*a", b"[", b"{", b": ", b"- ", b"!!python/",
           b"\x1b[2J", "\u202e".encode(), b"\t", b",", b";", b"\\", b"---\n", b"(?:", b"(a+)+$"]


def mutate(data: bytes, rng: random.Random, max_size: int = 2**20) -> bytes:
    """One to four random byte-level edits of ``data`` (flips, inserts, deletes, repeats,
    truncation, special tokens), never growing past ``max_size``."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        pos = rng.randint(0, len(out))
        if op == 0 and out:                                   # flip bits
            for _ in range(rng.randint(1, 8)):
                out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        elif op == 1:                                         # insert random bytes
            out[pos:pos] = rng.randbytes(rng.randint(1, 64))
        elif op == 2 and out:                                 # delete a range
            del out[pos:pos + rng.randint(1, max(1, len(out) // 4))]
        elif op == 3 and out:                                 # repeat a slice many times
            start = rng.randrange(len(out))
            piece = bytes(out[start:start + rng.randint(1, 64)])
            times = rng.choice([2, 10, 1000, 100_000])
            out[start:start] = piece * min(times, max(1, (max_size - len(out)) // len(piece)))
        elif op == 4:                                         # truncate
            del out[pos:]
        elif op == 5:                                         # special tokens, maybe many
            token = rng.choice(_TOKENS)
            times = rng.choice([1, 1, 3, 5000])
            out[pos:pos] = token * min(times, max(1, (max_size - len(out)) // len(token)))
        else:                                                 # overwrite with odd bytes
            for _ in range(rng.randint(1, 8)):
                if out:
                    out[rng.randrange(len(out))] = rng.choice(b"\x00\xff\x7f\x80\x1b<>\"\n")
    return bytes(out[:max_size])


def _mutate_member(data: bytes, rng: random.Random, max_size: int) -> bytes:
    """A zip-based file with one member mutated (parsers see damaged XML, not just a
    damaged archive)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [(i, archive.read(i)) for i in archive.infolist()]
    except zipfile.BadZipFile:
        return mutate(data, rng, max_size)
    pick = rng.randrange(len(members))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, (info, body) in enumerate(members):
            archive.writestr(info.filename,
                             mutate(body, rng, max_size) if n == pick else body)
    return buffer.getvalue()


def hostile_case(rng: random.Random, kind: str | None = None, suffix: str | None = None,
                 max_size: int = 2**20) -> tuple[str, str, bytes]:
    """One hostile input: (kind, suffix, bytes), at most ``max_size`` bytes unless a bomb.
    Mostly mutated seeds, sometimes random bytes, another format's bytes under this
    suffix, or a bomb."""
    kind = kind or rng.choice(KINDS)
    suffix = {"manifest": ".csv", "codebook": ".yaml", "project": ".sinoru"}.get(
        kind) or suffix or rng.choice(IMPORT_SUFFIXES)
    key = kind if kind != "import" else suffix
    seed = project_seed() if kind == "project" else seed_files()[key]
    roll = rng.random()
    if roll < 0.08:
        data = random_bytes(rng, min(max_size, 4096))
    elif roll < 0.14:
        data = mutate(rng.choice(list(seed_files().values())), rng, max_size)
    elif roll < 0.17 and kind == "import":
        data = {".docx": lambda: docx_bomb(rng.choice([1, 300])),
                ".xlsx": lambda: xlsx_bomb(rng.choice([1, 300])),
                ".html": lambda: nested_html(rng.choice([500, 5000, 100_000]))
                }.get(suffix, lambda: mutate(seed, rng, max_size))()
    elif suffix in (".docx", ".xlsx") and roll < 0.6:
        data = _mutate_member(seed, rng, max_size)
    else:
        data = mutate(seed, rng, max_size)
    return kind, suffix, data
