"""Decompression and nesting bombs stop quickly with the limit they hit; good files import."""
from __future__ import annotations

from pathlib import Path

import pytest

from analysis.ingest import import_paths
from analysis.ingest.limits import MAX_HTML_DEPTH
from benchmarks.hostile import docx_bomb, nested_html, xlsx_bomb

GOOD = "Harbour Talks Resume\n\nThe port authorities of both cities met again on Monday.\n"


def _import_beside_good(tmp_path: Path, name: str, data: bytes):
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = import_paths([tmp_path])
    assert result.corpus.ids == ["good"]
    reasons = {Path(s.path).name: s.reason for s in result.report.skipped}
    return reasons[name], result.report.format()


def test_docx_bomb_stops_at_the_expansion_limit(tmp_path):
    # 1.1 MB on disk, 1.1 GB of word/document.xml: imported for 15 minutes before.
    reason, text = _import_beside_good(tmp_path, "bomb.docx", docx_bomb(1100))
    assert reason == "expands to more than 256 MB (expansion limit)"
    assert f"{tmp_path / 'bomb.docx'}: {reason}" in text


def test_docx_whose_directory_lies_is_bounded_by_the_bytes_read(tmp_path):
    # The directory claims 1 KB per member; the deflate stream holds 300 MB. zipfile's
    # read() inflates all of it (3 s, 700 MB) before it notices: refused from the check,
    # which reads in 1 MB steps.
    import tracemalloc

    tracemalloc.start()
    try:
        reason, _text = _import_beside_good(tmp_path, "liar.docx", docx_bomb(300, lie=True))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reason == ("damaged archive (BadZipFile: Bad CRC-32 for file "
                      "'word/document.xml')"), reason
    assert peak < 64 * 2**20


def test_archive_check_reads_members_in_steps():
    from analysis.ingest.limits import archive_problem

    data = docx_bomb(3)
    assert archive_problem(data, max_expanded=2 * 2**20) == \
        "expands to more than 2 MB (expansion limit)"
    assert archive_problem(data) is None
    assert archive_problem(b"PK\x03\x04 not a zip PK\x05\x06") is None  # the reader says why


def test_xlsx_bomb_stops_at_the_expansion_limit(tmp_path):
    reason, _text = _import_beside_good(tmp_path, "bomb.xlsx", xlsx_bomb(400))
    assert reason == "expands to more than 256 MB (expansion limit)"


def test_zip_with_too_many_members(tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(10_001):
            archive.writestr(f"m{i}", b"")
    reason, _text = _import_beside_good(tmp_path, "many.docx", buffer.getvalue())
    assert reason == "has more than 10,000 archive members (member limit)"


def test_html_nesting_bomb_is_rejected_in_linear_time(tmp_path):
    # 100,000 nested <div>s in 1.1 MB took 10 min 53 s (quadratic) before.
    data = nested_html(100_000)
    assert 1.0 < len(data) / 2**20 < 1.2
    reason, _text = _import_beside_good(tmp_path, "deep.html", data)
    assert reason == f"nests HTML elements more than {MAX_HTML_DEPTH:,} deep (nesting limit)"


def test_html_nested_within_the_limit_imports(tmp_path):
    path = tmp_path / "nested.html"
    path.write_bytes(nested_html(MAX_HTML_DEPTH - 10).replace(
        b"<body>", b"<body><h1>Harbour Talks Resume</h1><p>The ports met on Monday.</p>"))
    result = import_paths([path])
    assert result.corpus.ids == ["nested"], result.report.format()


def test_unclosed_paragraphs_closed_by_their_section_import(tmp_path):
    # The parser nests unclosed <p>s; a closing </div> closes them all again.
    path = tmp_path / "plain.html"
    section = "<div>" + "".join(f"<p>Paragraph {i} about the harbour." for i in range(100))
    path.write_text("<html><body><h1>Harbour</h1>" + (section + "</div>") * 30
                    + "</body></html>", encoding="utf-8")
    assert import_paths([path]).corpus.ids == ["plain"]


def test_unclosed_elements_count_as_nesting(tmp_path):
    data = b"<html><body>" + b"<p>para" * (MAX_HTML_DEPTH + 1)
    reason, _text = _import_beside_good(tmp_path, "unclosed.html", data)
    assert reason.endswith("deep (nesting limit)")


def test_tag_scan_is_linear_on_unclosed_angle_brackets():
    from analysis.ingest.limits import html_problem

    # Quadratic scanning would take hours here; linear takes well under a second, and the
    # page is refused before the parser (which is quadratic on it) sees it.
    assert html_problem("<a " * 300_000).endswith("(unfinished-markup limit)")
    assert html_problem("<p>" + "<a></a>" * 200_000) is None  # finished tags: allowed


def test_html_with_too_many_elements(tmp_path):
    data = b"<html><body>" + b"<b>x</b>" * 250_001 + b"</body></html>"
    reason, _text = _import_beside_good(tmp_path, "flat.html", data)
    assert reason == "has more than 250,000 HTML elements (element limit)"


@pytest.mark.parametrize("size_mb", [1, 5])
def test_ordinary_docx_is_not_caught(tmp_path, size_mb):
    path = tmp_path / "long.docx"
    path.write_bytes(docx_bomb(size_mb))
    result = import_paths([path])
    assert result.corpus.ids == ["long"], result.report.format()


def test_tags_are_read_as_the_parser_reads_them(tmp_path):
    # Found by the fuzzer (60 s, then killed): "<pble.<ul>" is one start tag to the parser
    # (tag "pble.<ul"), never closed; 10,000 of them nest 10,000 deep.
    data = b"<html><body><div><p>Ferries sail at dawn." + (
        b"<pble.<ul><li>one<li>two</ul></div>" * 10_000) + b"</body></html>"
    reason, _text = _import_beside_good(tmp_path, "odd.html", data)
    assert reason == f"nests HTML elements more than {MAX_HTML_DEPTH:,} deep (nesting limit)"


def test_scripts_and_comments_hold_no_tags(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><body><h1>Harbour</h1><p>The ferries sail at dawn.</p>"
                    "<script>" + "document.write('<div>');" * 2000 + "</SCRIPT>"
                    "<!--" + "<div>" * 2000 + "-->" "</body></html>", encoding="utf-8")
    assert import_paths([path]).corpus.ids == ["page"]


def test_unfinished_tags_at_the_end_are_refused(tmp_path):
    # Python's html.parser rescans the rest of the page at each of them: 16,000 "<a "
    # with no ">" after them took 83 s.
    data = b"<html><body><p>Ferries sail at dawn.</p>" + b"<a " * 16_000
    reason, _text = _import_beside_good(tmp_path, "open.html", data)
    assert reason == ("ends in 16,000 unfinished tags with no '>' after them "
                      "(unfinished-markup limit)")


def test_a_few_unfinished_tags_import(tmp_path):
    path = tmp_path / "cut.html"
    path.write_text("<html><body><h1>Harbour</h1><p>The ferries sail at dawn.</p>"
                    "<p>Cut off <a href='x' <b", encoding="utf-8")
    assert import_paths([path]).corpus.ids == ["cut"]


def test_markdown_links_and_emphasis_scan_in_linear_time(tmp_path):
    # A line of 40,000 "![" took 37 s (quadratic); 200,000 would take a quarter of an hour.
    path = tmp_path / "brackets.md"
    path.write_text("# Harbour\n\nFerries sail [at dawn](http://x.example) **daily**.\n\n"
                    + "![" * 100_000 + "[a](" * 50_000 + "**a " * 50_000 + "\n",
                    encoding="utf-8")
    result = import_paths([path])
    assert result.corpus.ids == ["brackets"]
    assert result.corpus["brackets"].text.split("\n")[1] == "Ferries sail at dawn daily."
