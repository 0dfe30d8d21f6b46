"""The term map in the reports: static in the PDF, interactive and self-contained in HTML."""
from __future__ import annotations

import json
import re

import pytest
from pypdf import PdfReader
from views_corpus import views_results

from analysis.report.html import render_html
from analysis.report.pdf import build_pdf


@pytest.fixture(scope="module")
def results():
    return views_results()


def test_html_report_carries_an_interactive_term_map_with_every_term(results):
    page = render_html(results)
    assert "<h3" in page and "Term map: state vs world" in page
    assert page.count("<canvas") == 1
    data = json.loads(re.search(r'<script type="application/json">(.*?)</script>', page,
                                re.S).group(1))
    n = int((results.table("term_map")["comparison"] == "state|world").sum())
    assert len(data["t"]) == n and "sanctions" in data["t"]
    i = data["t"].index("sanctions")
    assert (data["na"][i], data["nb"][i]) == (0, 4)
    assert "Word shift of the tone: state vs world" in page and "Gallagher" in page
    assert "Sentence tone over time" in page
    # Self-contained: nothing is fetched from elsewhere.
    assert not re.search(r'<script[^>]+src=|<link[^>]+href=|https?://[^"\s]*\.js', page)


def test_a_term_cannot_close_the_script(results):
    from analysis.results import Results

    hostile = results.table("term_map").copy()
    hostile.loc[0, "term"] = "</script><script>alert(1)</script>"
    page = render_html(Results(results.data, {**results.tables, "term_map": hostile}))
    assert "<script>alert(1)" not in page
    assert "\\u003c/script>\\u003cscript>alert(1)" in page


def test_pdf_report_shows_the_static_term_map(results, tmp_path):
    path = build_pdf(results, tmp_path / "report.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Term map: state vs world" in text
    assert "Word shift of the tone: state vs world" in text
    assert "Sentence tone over time" in text
    assert "terms of state" in text.replace("\n", " ")
