"""Limits on the work one file may cost, checked before a parser sees it.

The size on disk is checked by the importer before a file is read. Zip-based formats
(.docx, .xlsx, ...) are checked here for what they expand to, and HTML for how deeply its
elements nest and how many there are: a 1 MB file can otherwise expand to gigabytes or
cost the HTML parser quadratic time. Each reason names the limit that was hit.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

__all__ = ["MAX_EXPANDED_BYTES", "MAX_PDF_CONTENT_BYTES", "MAX_CELL_CHARS", "MAX_ARCHIVE_MEMBERS",
           "MAX_HTML_DEPTH", "MAX_HTML_ELEMENTS", "mb",
           "archive_problem", "html_problem"]

#: What all members of a zip-based file may expand to together (a long book as .docx
#: expands to about 20 MB; a 50 MB spreadsheet of articles to about 250 MB).
MAX_EXPANDED_BYTES = 256 * 2**20
#: Decoded page-content streams of one PDF: pypdf extracts about 0.3 MB of page content
#: a second, so this bounds one PDF to about a minute (a 600-page book has about 16 MB).
MAX_PDF_CONTENT_BYTES = 16 * 2**20
#: Members of one zip-based file (a .docx has about a dozen).
MAX_ARCHIVE_MEMBERS = 10_000
#: Characters in one table cell (a long article has 50,000; a cell over this is a row
#: to look at, not an article).
MAX_CELL_CHARS = 2**20
#: Nesting depth of HTML elements (news pages nest 20 to 60 deep).
MAX_HTML_DEPTH = 1_000
#: HTML elements in one page (a long news page has a few thousand).
MAX_HTML_ELEMENTS = 250_000

_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_CHUNK = 2**20


def mb(n: int) -> str:
    """A size in whole megabytes, as the limit messages show it."""
    return f"{n / 2**20:,.0f} MB"


def archive_problem(data: bytes, max_expanded: int = MAX_EXPANDED_BYTES) -> str | None:
    """Why a zip-based file must not be parsed (too many members, expands too far, a
    member that does not match the directory), or None. Not a zip at all: None (the
    format's reader gives the reason).

    The sizes in the zip directory are checked first (instant for an honest bomb); then
    every member is decompressed in 1 MB steps and the bytes actually produced are
    counted and checked against the directory, since a directory can lie.
    """
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0:
        return None
    if end + _EOCD.size <= len(data):
        _sig, _disk, _cd_disk, _n_here, n_members, cd_size, _off, _cl = _EOCD.unpack_from(
            data, end)
        # Checked before zipfile reads the directory: a million members cost gigabytes.
        if n_members > MAX_ARCHIVE_MEMBERS or cd_size > MAX_ARCHIVE_MEMBERS * 400:
            return f"has more than {MAX_ARCHIVE_MEMBERS:,} archive members (member limit)"
    too_big = f"expands to more than {mb(max_expanded)} (expansion limit)"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error):
        return None  # not an archive after all: the format's reader says why
    try:
        with archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_MEMBERS:
                return f"has more than {MAX_ARCHIVE_MEMBERS:,} archive members (member limit)"
            if sum(m.file_size for m in members) > max_expanded:
                return too_big
            produced = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        produced += len(chunk)
                        if produced > max_expanded:
                            return too_big
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError,
            EOFError, ValueError, RuntimeError, KeyError, struct.error, zlib.error) as exc:
        # A member that does not match its directory entry: the parsers' own read() would
        # inflate all of it before noticing (300 MB behind a "1 KB" entry), so refuse here.
        return f"damaged archive ({type(exc).__name__}: {exc})"
    return None


# Elements that never have content, so never nest.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr"
                  .split())
# Their content is text to the parser, tags and all, up to their end tag.
_RAW_TEXT = ("script", "style")
_RAW_END = {tag: re.compile(f"</{tag}", re.I) for tag in _RAW_TEXT}
# A tag name as Python's html.parser reads it (it may hold "<" or "."; "<pble.<ul>" is one
# start tag), ended by white space, "/" or ">".
_NAME = re.compile(r"[a-zA-Z][^\t\n\r\f />\x00]*")
_TAG_START = re.compile(r"<(?:!--|/?[a-zA-Z])")


def html_problem(text: str) -> str | None:
    """Why an HTML page must not be parsed (nested too deep, too many elements), or None.

    One linear pass over the tags, read and nested as the parser will: an unclosed
    element (``<p>`` or ``<div>`` alike) stays open until an end tag of an element that
    encloses it. A parse tree 100,000 elements deep costs quadratic time to build and walk.
    Every search starts where the previous one ended, so hostile input ("<a <a <a ...")
    cannot make the scan itself quadratic.
    """
    stack: list[str] = []
    open_count: dict[str, int] = {}
    elements = pos = 0
    while found := _TAG_START.search(text, pos):
        lt = found.start()
        if text.startswith("<!--", lt):
            end = text.find("-->", lt + 4)
            pos = end + 3 if end >= 0 else len(text)
            continue
        closing = text.startswith("</", lt)
        name = _NAME.match(text, lt + 1 + closing)
        gt = text.find(">", name.end())
        if gt < 0:
            break  # an unfinished tag at the end is text to the parser
        pos = gt + 1
        tag = name.group().lower()
        if tag in _VOID:
            continue
        if closing:
            if open_count.get(tag):  # an end tag closes everything opened inside it
                while (popped := stack.pop()) != tag:
                    open_count[popped] -= 1
                open_count[tag] -= 1
            continue
        elements += 1
        if elements > MAX_HTML_ELEMENTS:
            return f"has more than {MAX_HTML_ELEMENTS:,} HTML elements (element limit)"
        if tag in _RAW_TEXT:
            end = _RAW_END[tag].search(text, pos)
            pos = end.start() if end else len(text)
            continue
        if text[gt - 1] != "/":
            stack.append(tag)
            open_count[tag] = open_count.get(tag, 0) + 1
            if len(stack) > MAX_HTML_DEPTH:
                return f"nests HTML elements more than {MAX_HTML_DEPTH:,} deep (nesting limit)"
    return _unfinished_problem(text)


# Python's html.parser (before 3.13.4/3.12.11) rescans the rest of the page at every tag
# opener after the last ">": 16,000 "<a " with no ">" took 83 s.
_OPENER = re.compile(r"<[a-zA-Z/!?]")
_MAX_UNFINISHED_WORK = 4_000_000  # openers x characters after the last ">": about 0.4 s


def _unfinished_problem(text: str) -> str | None:
    tail = text.rfind(">") + 1
    n_openers = len(_OPENER.findall(text, tail))
    if n_openers * (len(text) - tail) > _MAX_UNFINISHED_WORK:
        return (f"ends in {n_openers:,} unfinished tags with no '>' after them "
                "(unfinished-markup limit)")
    return None
