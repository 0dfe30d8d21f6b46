"""The PDF report as a reader sees it: sections, figures, page numbers, contents, scripts."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from report_sample import make_results, shown_share

from analysis import Cancelled
from analysis.report import ReportOptions, build_pdf, report_outline
from analysis.report.formatting import signed


def pages_text(path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(str(path)).pages]


def flat(text: str) -> str:
    """Whitespace collapsed (PDF text extraction breaks lines and spaces CJK glyphs) and the
    NULs pypdf puts before glyphs of the CID-keyed CJK font removed."""
    return re.sub(r"\s+", " ", text.replace("\x00", ""))


@pytest.fixture(scope="module")
def full_report(tmp_path_factory):
    res = make_results()
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    build_pdf(res, path)
    return res, path, pages_text(path)


def test_pdf_has_every_section_and_page_numbers(full_report):
    _res, path, pages = full_report
    n = len(pages)
    assert n >= 8
    text = flat("\n".join(pages))
    for heading in ("Contents", "Summary of findings", "Groups compared", "Results",
                    "Frames: China–Russia relations", "Tone toward targets",
                    "Distinctive of chinese (vs western)", "Comparison tests",
                    "Evidence: passages behind the figures", "Appendix A: Documents",
                    "Appendix B: Methods and data provenance", "Data provenance"):
        assert heading in text, heading
    for i, page in enumerate(pages[1:], start=2):
        assert f"Page {i} of {n}" in page
    assert "Page 1 of" not in pages[0]  # the title page has no footer
    assert "Sinoru report: Sample corpus" in pages[3]  # running header


def test_contents_lists_sections_with_their_pages(full_report):
    _res, _path, pages = full_report
    toc = pages[1]
    assert "Contents" in toc
    for heading in ("Appendix A: Documents", "Comparison tests", "Summary of findings"):
        m = re.search(re.escape(heading) + r"\s+(\d+)", toc)
        assert m, heading
        page = int(m.group(1))
        assert heading in flat(pages[page - 1]), f"{heading} not on page {page}"


def test_title_page_names_groups_codebooks_and_version(full_report):
    _res, _path, pages = full_report
    title = flat(pages[0])
    assert "Sinoru report: Sample corpus" in title
    assert "chinese: 3 documents from 2 outlets" in title
    assert "western: 2 documents from 2 outlets" in title
    assert "China–Russia relations (v1.2)" in title and "Sinoru version: 0.1.0" in title


def test_figures_in_the_pdf_are_the_results(full_report):
    res, _path, pages = full_report
    text = flat("\n".join(pages))
    for g in ("chinese", "western"):
        cell = res.groups[g]["frames"]["china_russia"]["strategic_partnership"]
        assert shown_share(cell) in text
        mean = res.groups[g]["sentiment"]["mean"]
        assert signed(mean) in text
    z = res.comparison("chinese", "western")["keyness"]["a"][0]["z"]
    assert f"{z:.2f}" in text
    assert "macro-F1 0.61 (95% CI 0.58–0.64)" in text and "NewsMTSC test split" in text
    assert "Benjamini–Hochberg" in text and "Dirichlet prior" in text


def test_every_script_renders_and_untrusted_text_is_shown_as_text(full_report):
    _res, _path, pages = full_report
    joined = "\n".join(pages)
    assert "Россия" in joined
    # pypdf puts NULs between CID-keyed glyphs; poppler's pdftotext reads the text cleanly.
    assert "全面战略协作伙伴关系" in re.sub(r"[\s\x00]+", "", joined)
    assert "<script>alert('x')</script> Partnership report 0" in flat(joined)


def test_summary_states_contrasts_and_the_small_sample_caution(full_report):
    _res, _path, pages = full_report
    text = flat("\n".join(pages))
    assert "Small samples (chinese 3 documents and western 2 documents)" in text
    # 3 and 2 documents: the spread is the range of these documents, never a "95% CI".
    assert "(range of these documents" in text
    assert "of sentences (95% CI" not in text and "words (95% CI" not in text
    assert "Terms most distinctive of chinese-group texts against western-group texts" in text


def test_per_document_appendix_and_boilerplate(full_report):
    _res, _path, pages = full_report
    text = flat("\n".join(pages))
    assert "Subscribe to our newsletter for more news." in text
    assert "no date" in text  # a document without a date


def test_models_not_measured_and_awkward_groups(tmp_path):
    res = make_results({"solo": 1, "pair": 2, "trio": 3}, dates=False)
    res.data["models"] = {}
    res.data["evidence"] = {}
    # A character outside every shipped font (CJK Extension B) must not stop the report.
    res.data["documents"][0]["title"] = "Rare \U00020000 character"
    path = build_pdf(res, tmp_path / "awkward.pdf",
                     ReportOptions(charts=("timeline", "frames:china_russia")))
    text = flat("\n".join(pages_text(path)))
    assert "not measured" in text
    assert "No dates" in text
    assert "No evidence passages were recorded" in text
    assert "0% (range 0–0%); 0/1 docs" in text   # a frame no document carries, a one-doc group
    assert "Rare \u25a1 character" in text


def test_two_thousand_documents_stay_bounded(tmp_path):
    res = make_results({"a": 1000, "b": 1000}, seed=5)
    opts = ReportOptions(sections=("summary", "documents", "methods"))
    path = build_pdf(res, tmp_path / "big.pdf", opts)
    pages = pages_text(path)
    text = flat("\n".join(pages))
    assert "1,800 more documents are not listed here" in text
    assert "1,800 more files are listed in the provenance table" in text
    # Bounded by what is listed, not by the corpus: 200 rows fit in about 19 pages,
    # where listing all 2,000 would take well over a hundred. (Its speed lives in
    # benchmarks/bench_report.py, not here.)
    assert len(pages) <= 25, f"{len(pages)} pages for a 2,000-document report"
    assert "Appendix: documents (200 of 2000)" in report_outline(res, opts)


def test_a_failed_pdf_leaves_no_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    import analysis.report.pdf as pdf_mod

    res = make_results()
    target = tmp_path / "r.pdf"
    opts = ReportOptions(sections=("summary", "methods"))

    def broken(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pdf_mod, "_methods", broken)
    with pytest.raises(RuntimeError):
        build_pdf(res, target, opts)
    assert not target.exists() and list(tmp_path.iterdir()) == []
    target.write_bytes(b"old report")

    def cancel(fraction):
        if fraction > 0.5:
            raise Cancelled

    monkeypatch.undo()
    with pytest.raises(Cancelled):
        build_pdf(res, target, opts, progress=cancel)
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


def test_many_groups_report_each_against_the_rest():
    from analysis.report.options import selected_charts

    res = make_results({"a": 2, "b": 2, "c": 2, "d": 2})
    keyness = [i.key for i in selected_charts(res, ReportOptions())
               if i.chart_id == "keyness"]
    assert keyness == [f"keyness:{g}|rest:{s}" for g in "abcd" for s in "ab"]
    three = make_results({"a": 2, "b": 2, "c": 2})
    assert [i.key for i in selected_charts(three, ReportOptions())
            if i.chart_id == "keyness"][:2] == ["keyness:a|b:a", "keyness:a|b:b"]
    outline = report_outline(res)
    assert "Chart: Distinctive of a (vs rest) (with its table)" in outline
    assert not any("Distinctive of a (vs b)" in line for line in outline)


def test_sections_can_be_left_out(tmp_path):
    res = make_results()
    opts = ReportOptions(sections=("summary", "tables"), title="Custom title")
    text = flat("\n".join(pages_text(build_pdf(res, tmp_path / "t.pdf", opts))))
    assert "Custom title" in text and "Summary of findings" in text
    assert "Frames: China–Russia relations" in text     # the table still has its heading
    assert "Evidence: passages" not in text and "Appendix A" not in text
    outline = report_outline(res, opts)
    assert outline[0] == "Summary of findings" and "Table: comparison tests" in outline


def test_awkward_text_never_breaks_the_pdf(tmp_path):
    res = make_results({"g" * 80: 2, "b": 1})
    docs = res.data["documents"]
    docs[0]["title"] = "x" * 600                       # one unbreakable word
    docs[1]["title"], docs[1]["outlet"] = "\n\n \r\t", None
    docs[2]["removed"] = [{"reason": None, "text": "y" * 5000}] * 5
    res.data["corpus_name"] = "z" * 300
    res.data["comparisons"][0]["keyness"]["a"][0]["term"] = "w" * 200
    path = build_pdf(res, tmp_path / "odd.pdf",
                     ReportOptions(charts=("keyness",), sections=(
                         "title", "summary", "charts", "documents")))
    text = flat("\n".join(pages_text(path)))
    assert "untitled" in text                          # a blank title is named as such
    assert "(+2 more)" in text                        # five removals: three shown, two counted
    assert "x" * 60 in text.replace(" ", "")


def _font_names(path) -> set[str]:
    names = set()
    for page in PdfReader(str(path)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_the_last_resort_font_is_embedded_only_when_a_character_needs_it(tmp_path):
    # DejaVu Sans draws what neither Noto Sans nor the CJK subset has (the arrow); it is
    # read when first needed, so a report without such a character skips reading it.
    options = ReportOptions(sections=("title", "summary"))
    res = make_results()
    plain = build_pdf(res, tmp_path / "plain.pdf", options)
    assert not any("DejaVu" in name for name in _font_names(plain))
    res.data["documents"][0]["title"] = "Talks \u2194 trade"
    res.data["corpus_name"] = "Talks \u2194 trade"
    arrow = build_pdf(res, tmp_path / "arrow.pdf", options)
    assert any("DejaVu" in name for name in _font_names(arrow))
    assert "Talks \u2194 trade" in flat("\n".join(pages_text(arrow)))


def test_the_last_resort_font_is_read_on_first_need():
    from analysis.report.pdf import ReportPDF

    pdf = ReportPDF("t")
    pdf.add_page()
    pdf.para("Plain words, \u0420\u0443\u0441\u0441\u043a\u0438\u0439, \u4e2d\u6587.")
    assert "dejavu" not in pdf.fonts
    pdf.para("An arrow \u2194 here.")
    assert "dejavu" in pdf.fonts
    pdf.close_fonts()
