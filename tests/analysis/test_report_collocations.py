"""Collocations of each target in the reports: a section per target in the PDF and the
HTML page, with collocates, their association (logDice, MI, G²) and counts per group, and
the whole table in the XLSX workbook and the CSV folder."""
from __future__ import annotations

import csv

import pytest
from pypdf import PdfReader
from views_corpus import views_results

from analysis.report import export_report
from analysis.report.html import render_html
from analysis.report.options import ReportOptions, report_outline


@pytest.fixture(scope="module")
def results():
    return views_results()


def test_pdf_has_a_collocation_section_per_target(results, tmp_path):
    path = export_report(results, "pdf", tmp_path / "r.pdf")[0]
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Collocations of Russia" in text
    assert "Collocations of China-Russia partnership" in text
    # "sanctions" stands beside Russia in three world articles (three times).
    flat = " ".join(text.split())
    assert "world sanctions 3 3 13.58" in flat
    assert "state friendly 2 2 13.00" in flat
    assert "Mentions of Russia: state 4, world 4" in flat


def test_html_has_the_same_sections(results):
    page = render_html(results)
    assert "Collocations of Russia</h3>" in page
    assert "<td>sanctions</td><td>3</td><td>3</td><td>13.58</td>" in page


def test_workbook_and_csv_carry_every_collocation(results, tmp_path):
    from openpyxl import load_workbook

    book = export_report(results, "xlsx", tmp_path / "r.xlsx")[0]
    sheet = load_workbook(book, read_only=True)["collocations"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("group", "target", "collocate", "together", "documents")
    assert len(rows) - 1 == len(results.table("collocations"))
    assert ("world", "Russia", "sanctions", 3, 3) in {r[:5] for r in rows[1:]}
    folder = tmp_path / "csv"
    export_report(results, "csv", folder)
    with open(folder / "collocations.csv", encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert {"group": "world", "target": "Russia", "collocate": "sanctions"}.items() <= \
        next(r for r in table if r["collocate"] == "sanctions" and r["target"] == "Russia").items()


def test_outline_lists_the_collocations(results):
    assert any(line.startswith("Collocations: Russia") for line in report_outline(results))
    assert not any("Collocations" in line
                   for line in report_outline(results, ReportOptions(sections=("summary",))))
