"""Reports that never overstate or leak: sources of figures named, file names without
folders, model names printed once, statistics explained, unique HTML ids, no orphans."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from report_sample import make_results

from analysis.report import ReportOptions, build_pdf
from analysis.report.content import DisplayTable
from analysis.report.html import build_html
from analysis.report.pdf import ReportPDF

DETECTOR = {"id": "generic_detector", "label": "Generic news frames (trained detector)",
            "version": "", "model": "generic-frames-linear-v1", "unit": "documents",
            "description": "", "frames": [{"id": "conflict", "label": "Conflict",
                                           "description": ""}]}


def _results():
    res = make_results()
    res.data["codebooks"] = [*res.data["codebooks"], DETECTOR]
    for i, doc in enumerate(res.data["documents"]):
        doc["frames"]["generic_detector"] = {"conflict": 1.0 if i % 2 == 0 else 0.0}
    for p in res.data["provenance"]:
        p["source"] = f"/home/analyst/Private cases/sources/{p['source']}"
    return res


def _pdf_text(path) -> str:
    text = "\n".join((p.extract_text() or "").replace("\x00", "")
                     for p in PdfReader(str(path)).pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def report_text(tmp_path_factory):
    path = tmp_path_factory.mktemp("honest") / "r.pdf"
    build_pdf(_results(), path, ReportOptions(sections=("title", "summary", "tables",
                                                         "documents", "methods")))
    return _pdf_text(path)


def test_appendix_a_names_the_source_of_each_frame_figure(report_text):
    # Compared without spaces: how pypdf spaces text in wrapped table cells varies.
    compact = re.sub(r"\s+", "", report_text)
    assert "Mainframes(source)" in compact
    assert "ofsentences(codebook)" in compact
    assert "detectorflags:Conflict" in compact
    assert "Conflict100%" not in compact


def test_provenance_shows_file_names_never_the_analysts_folders(report_text, tmp_path):
    assert "/home/analyst" not in report_text and "Private cases" not in report_text
    assert "ch0000.txt" in report_text
    html = build_html(_results(), tmp_path / "r.html",
                      ReportOptions(sections=("methods",))).read_text("utf-8")
    assert "/home/analyst" not in html and "ch0000.txt" in html


def test_the_detector_model_name_is_printed_once_not_as_a_version(report_text):
    assert "vgeneric" not in report_text
    assert "Generic news frames (trained detector; model generic-frames-linear-v1)" in report_text


def test_the_methods_appendix_explains_every_statistic_it_prints(report_text):
    for needed in ("206.835", "Sinoru's own sentence splitter", "100 consecutive words",
                   "0.5 added to each count", "(count + 1) / (draws + 1)",
                   "all are enumerated", "Mann-Whitney", "non-negative matrix factorisation",
                   "hedges (may, reportedly", "quotation marks", "yes or no",
                   "Actor salience", "range of these documents",
                   "outlets are resampled with replacement and then documents"):
        assert needed in report_text, needed


def test_html_has_no_duplicate_element_ids(tmp_path):
    page = build_html(make_results(), tmp_path / "r.html", ReportOptions()).read_text("utf-8")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert ids and "<svg" in page
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, sorted(duplicates)[:10]
    # References inside each chart still point at its own (renamed) elements.
    for ref in re.findall(r'url\(#([^)]+)\)', page):
        assert ref in ids


def test_a_table_never_starts_with_one_row_at_the_foot_of_a_page():
    pdf = ReportPDF("t")
    pdf.add_page()
    tall = "word " * 60
    table = DisplayTable(["Document", "Notes"], [[f"doc {i}", tall] for i in range(3)],
                         [1, 3], "A note above the table.")
    pdf.set_y(pdf.page_break_trigger - 30)   # room for the header and one tall row only
    pdf.display_table(table)
    # The whole start of the table moved to the next page with its note.
    import io
    pages = PdfReader(io.BytesIO(bytes(pdf.output()))).pages
    first, second = (p.extract_text().replace("\x00", "") for p in pages[:2])
    assert "doc 0" not in first and "A note above" not in first
    assert "A note above" in second and "doc 0" in second and "doc 1" in second


def test_a_table_that_fits_on_a_page_is_never_split_leaving_one_row():
    import io

    pdf = ReportPDF("t")
    pdf.add_page()
    rows = [[f"term {i}", "12"] for i in range(15)]
    table = DisplayTable(["Term", "n"], rows, [3, 1])
    pdf.set_y(pdf.page_break_trigger - 60)   # room for most of the rows, not all
    pdf.display_table(table)
    pages = PdfReader(io.BytesIO(bytes(pdf.output()))).pages
    first, second = (p.extract_text().replace("\x00", "") for p in pages[:2])
    assert "term 0" not in first and "term 0" in second and "term 14" in second


def test_a_table_that_fits_the_rest_of_the_page_starts_there():
    # Its rows are measured as they are drawn: the keep-together check used to measure
    # each cell about 2 mm narrower than drawn, so a row of one line counted as two, and
    # a table that fitted went to the next page, leaving the rest of this one empty.
    import io

    probe = ReportPDF("t")
    probe.add_page()
    probe.set_font(probe.body, "", 7.5)
    drawn_width = probe.epw * 3 / 4 - 2.4   # the wide column's text width, padding aside
    text = "word"
    while probe.get_string_width(text + " word") < drawn_width - 0.3:
        text += " word"
    rows = [[f"row {i}", text] for i in range(12)]
    table = DisplayTable(["Name", "Text"], rows, [1, 3])
    top = probe.y
    probe.display_table(table)
    height = probe.y - top   # the table as drawn, with the gap after it
    probe.close_fonts()
    assert height < 80

    pdf = ReportPDF("t")
    pdf.add_page()
    pdf.set_y(pdf.page_break_trigger - height - 3)
    pdf.display_table(table)
    pages = PdfReader(io.BytesIO(bytes(pdf.output()))).pages
    first = pages[0].extract_text().replace("\x00", "")
    assert len(pages) == 1
    assert "row 0" in first and "row 11" in first
