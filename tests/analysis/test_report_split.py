"""The Compare view's split in the reports: the group charts again with each group x year
cell, and every cell's figures as a table."""
from __future__ import annotations

import pytest
from pypdf import PdfReader

from analysis.report import export_report
from analysis.report.options import ReportOptions, report_outline

LATER = {"s3": "2023-03-07", "s4": "2023-03-21", "w3": "2023-03-09", "w4": "2023-03-28"}


@pytest.fixture(scope="module")
def results():
    from dataclasses import replace

    from views_corpus import views_corpus

    from analysis.config import AnalysisConfig
    from analysis.corpus import Corpus
    from analysis.pipeline import run_analysis

    corpus = Corpus([replace(d, meta={**d.meta, "date": LATER.get(d.doc_id, d.get("date"))})
                     for d in views_corpus()])
    return run_analysis(corpus, AnalysisConfig(n_boot=100, n_perm=100))


def test_pdf_repeats_the_group_charts_split_by_year(results, tmp_path):
    options = ReportOptions(split_by="year")
    path = export_report(results, "pdf", tmp_path / "r.pdf", options)[0]
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert "Sentiment distribution, split by year" in text
    assert "Frames: Generic news frames, split by year" in text
    assert "world · 2023 mean" in text                    # the chart's own caption
    assert "the range of these documents" in text
    assert any(line.startswith("Charts split by year") for line in report_outline(results, options))
    plain = export_report(results, "pdf", tmp_path / "plain.pdf")[0]
    assert "split by year" not in " ".join(p.extract_text() for p in PdfReader(plain).pages)


def test_html_and_workbook_carry_the_split(results, tmp_path):
    from openpyxl import load_workbook

    options = ReportOptions(split_by="year")
    page = export_report(results, "html", tmp_path / "r.html", options)[0].read_text("utf-8")
    assert "Tone toward targets, split by year" in page
    book = load_workbook(export_report(results, "xlsx", tmp_path / "r.xlsx", options)[0],
                         read_only=True)
    rows = list(book["split_by_year"].iter_rows(values_only=True))
    header = rows[0]
    table = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    cell = next(r for r in table if r["cell"] == "world · 2023" and r["figure"] == "sentiment.mean")
    docs = results.table("documents").set_index("doc_id")
    assert cell["mean"] == pytest.approx(docs.loc[["w3", "w4"], "sentiment.mean"].mean())
    assert (cell["group"], cell["year"], cell["n_documents"]) == ("world", "2023", 2)
    assert cell["spread"] == "range of these documents"
