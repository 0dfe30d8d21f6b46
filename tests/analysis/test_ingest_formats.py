"""Ingest reads every supported format and encoding into one-paragraph-per-line text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.corpus import META_FIELDS
from analysis.ingest import import_paths

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
EN = (FIXTURES / "article_en.txt").read_text(encoding="utf-8")
RU = (FIXTURES / "article_ru.txt").read_text(encoding="utf-8")
ZH = (FIXTURES / "article_zh.txt").read_text(encoding="utf-8")
FR = (FIXTURES / "article_fr.txt").read_text(encoding="utf-8")


def _only(result):
    assert len(result.corpus) == 1, result.report.format()
    return result.corpus.documents[0]


@pytest.mark.parametrize(("text", "encoding", "reported"), [
    (EN, "utf-8", "utf-8"),
    (EN, "utf-8-sig", "utf-8 (BOM)"),
    (EN, "utf-16", "utf-16-le"),          # Python writes a little-endian BOM
    (RU, "utf-16-le", "utf-16-le"),       # no BOM: guessed from the byte pattern
    (EN, "utf-16-be", "utf-16-be"),
    (ZH, "gb18030", "gb18030"),
    (RU, "cp1251", "cp1251"),
    (FR, "cp1252", "cp1252"),
])
def test_encodings_decode_to_the_same_text(tmp_path, text, encoding, reported):
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    result = import_paths([path])
    doc = _only(result)
    assert result.report.imported[0].encoding == reported
    first_line = text.split("\n")[0]
    assert doc.text.split("\n")[0] == first_line
    assert doc.meta["title"] == first_line
    assert doc.meta["language"] == {EN: "en", RU: "ru", ZH: "zh", FR: "fr"}[text]
    # Every paragraph of the source survives as one line (blank lines dropped).
    body = [p for p in text.split("\n") if p and not p.startswith(("By ", "Published"))]
    assert doc.text.split("\n") == body


@pytest.mark.parametrize(("text", "encoding"), [
    ("Москва", "cp1251"), ("Порт открыт.", "cp1251"), ("Café déjà vu, naïve rôle.", "cp1252")])
def test_short_legacy_texts(tmp_path, text, encoding):
    # Too short for statistics: "Москва" in cp1251 also reads as three Big5 characters.
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode(encoding))
    result = import_paths([path])
    assert _only(result).text == text
    assert result.report.imported[0].encoding == encoding


def test_curly_quotes_kept_and_crlf_normalised(tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes(EN.replace("\n", "\r\n").encode("utf-8"))
    doc = _only(import_paths([path]))
    assert "\r" not in doc.raw_text
    assert "“We have argued about this for a decade,”" in doc.text
    assert "workers’ union" in doc.text


def test_hard_wrapped_text_is_rejoined(tmp_path):
    para1 = ("The port authorities of two neighbouring harbour cities signed an agreement on "
             "Tuesday to run a shared ferry timetable from next spring, ending years of "
             "disputes over landing slots between the operators.")
    para2 = ("Officials said the plan would cut waiting times for commuters by about a "
             "quarter, and that the first boats would sail in April.")
    import textwrap
    wrapped = "Ferry Deal\n\n" + "\n\n".join(textwrap.fill(p, 60) for p in (para1, para2))
    wrapped += "\n\n• first bullet\n• second bullet\n"
    path = tmp_path / "wrapped.txt"
    path.write_text(wrapped, encoding="utf-8")
    doc = _only(import_paths([path]))
    assert doc.text.split("\n") == ["Ferry Deal", para1, para2, "• first bullet",
                                    "• second bullet"]


def test_markdown(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("---\ntitle: Ferry Note\ndate: 2023-03-14\n---\n# Ferry Note\n\n"
                    "The **new** timetable starts in [April](https://example.org/a).\n\n"
                    "- first point\n- second point\n", encoding="utf-8")
    doc = _only(import_paths([path]))
    assert doc.text.split("\n") == ["Ferry Note", "The new timetable starts in April.",
                                    "• first point", "• second point"]
    assert doc.meta["date"] == "2023-03-14"


def test_html_blocks_meta_and_registry(tmp_path):
    html = """<html><head><title>Ferry deal - Harbour News</title>
    <meta property="og:url" content="https://www.scmp.com/news/ferry-deal">
    <meta property="article:published_time" content="2023-03-14T09:00:00Z">
    <meta name="author" content="Mara Ellison"><script>var x = 1;</script></head>
    <body><nav>Home | World | Sport</nav><h1>Harbour Cities Agree
    on a Timetable</h1><p>The port authorities <em>signed</em> an agreement
    on Tuesday.</p><p>Officials said waiting times would fall.</p>
    <ul><li>Ferries every hour</li><li>Night boats</li></ul>
    <footer>Subscribe to our newsletter</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    doc = _only(import_paths([path]))
    # The article only: the headline is the title, the menu and footer stay greyed.
    assert doc.text.split("\n") == [
        "The port authorities signed an agreement on Tuesday.",
        "Officials said waiting times would fall.",
        "• Ferries every hour", "• Night boats"]
    assert doc.meta["title"] == "Harbour Cities Agree on a Timetable"
    assert doc.meta["date"] == "2023-03-14"
    assert doc.meta["author"] == "Mara Ellison"
    assert (doc.meta["outlet"], doc.meta["group"]) == ("South China Morning Post", "western")


def test_docx(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.core_properties.title = "Harbour Deal"
    document.add_heading("Harbour Cities Agree", level=1)
    document.add_paragraph("The port authorities signed an agreement on Tuesday.")
    document.add_paragraph("Ferries every hour", style="List Bullet")
    document.add_paragraph("Officials said waiting times would fall.")
    path = tmp_path / "deal.docx"
    document.save(path)
    doc = _only(import_paths([path]))
    assert doc.text.split("\n") == ["Harbour Cities Agree",
                                    "The port authorities signed an agreement on Tuesday.",
                                    "• Ferries every hour",
                                    "Officials said waiting times would fall."]
    assert doc.meta["title"] == "Harbour Deal"


def _make_pdf(path: Path) -> str:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.set_auto_page_break(True, margin=25)
    pdf.set_font("Helvetica", size=11)
    long_para = " ".join(["The harbour authorities met again to discuss the timetable, "
                          "and the operators asked for more landing slots at the pier."] * 12)

    def header():
        pdf.set_y(8)
        pdf.cell(0, 6, "Harbour Review 2023, Vol. 4", align="C")
        pdf.set_y(20)

    def footer():
        pdf.set_y(-15)
        pdf.cell(0, 6, str(pdf.page_no()), align="C")

    pdf.header, pdf.footer = header, footer
    pdf.add_page()
    pdf.multi_cell(0, 6, "Harbour Cities Agree on a Timetable")
    pdf.ln(4)
    for _ in range(5):
        pdf.multi_cell(0, 6, long_para)
        pdf.ln(4)
    pdf.output(str(path))
    return long_para


def test_pdf_rejoins_lines_and_removes_page_furniture(tmp_path):
    path = tmp_path / "review.pdf"
    long_para = _make_pdf(path)
    doc = _only(import_paths([path]))
    lines = doc.text.split("\n")
    assert lines[0] == "Harbour Cities Agree on a Timetable"
    # Five paragraphs, each one line, although they were wrapped and cross pages.
    assert lines[1:] == [long_para] * 5
    reasons = {r.reason for r in doc.removed}
    assert reasons == {"page furniture"}
    removed = " ".join(r.text for r in doc.removed)
    from pypdf import PdfReader
    n_pages = len(PdfReader(path).pages)
    assert n_pages >= 2
    assert removed.count("Harbour Review 2023, Vol. 4") == n_pages  # one per page
    numbers = [ln for r in doc.removed for ln in r.text.split("\n") if ln.strip().isdigit()]
    assert numbers == [str(i) for i in range(1, n_pages + 1)]
    assert "Harbour Review" not in doc.text


def test_csv_rows_text_column_and_metadata(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("headline,body,outlet,date,url_slug\n"
                    "Ferry deal,The port authorities signed an agreement.,Xinhua,"
                    "2023-03-14,ferry\n"
                    "Night boats,Night ferries return in May.,Reuters,2023-04-01,night\n"
                    "Empty,,TASS,2023-05-01,none\n", encoding="utf-8")
    result = import_paths([path])
    docs = result.corpus.documents
    assert [d.doc_id for d in docs] == ["articles_row1", "articles_row2"]
    assert docs[0].text == "The port authorities signed an agreement."
    assert docs[0].meta["title"] == "Ferry deal"
    assert (docs[0].meta["outlet"], docs[0].meta["group"]) == ("Xinhua", "chinese")
    assert docs[1].meta["group"] == "western"
    assert docs[0].meta["url_slug"] == "ferry"  # extra columns are kept
    assert docs[0].source.endswith("articles.csv#row 1")
    assert set(META_FIELDS) <= set(docs[0].meta)
    assert [(Path(s.path).name, s.reason) for s in result.report.skipped] == [
        ("articles.csv#row 3", "empty 'body' cell")]


def test_table_text_column_option_and_longest_default(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("id,note,summary\n1,Short,This summary is the longest column here.\n",
                    encoding="utf-8")
    result = import_paths([path])
    assert result.corpus.documents[0].text == "This summary is the longest column here."
    assert any("using 'summary'" in w for w in result.report.warnings)
    jsonl = tmp_path / "sentences.jsonl"
    jsonl.write_text(json.dumps({"id": "a1", "sentence_clean": "The ferry sailed.",
                                 "targets": [{"mention": "ferry", "from": 4, "to": 9}]}) + "\n",
                     encoding="utf-8")
    result = import_paths([jsonl])
    assert result.corpus.documents[0].text == "The ferry sailed."
    assert any("using 'sentence_clean'" in w for w in result.report.warnings)
    result = import_paths([path], text_column="note")
    assert result.corpus.documents[0].text == "Short"
    result = import_paths([path], text_column="missing")
    assert len(result.corpus) == 0
    assert "no column 'missing'" in result.report.skipped[0].reason


def test_xlsx_and_jsonl(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Title", "Text", "Date", "Group"])
    sheet.append(["Ferry deal", "The authorities signed an agreement.", dt.date(2023, 3, 14),
                  "custom"])
    book.save(tmp_path / "sheet.xlsx")
    lines = [json.dumps({"text": "Night ferries return in May.", "outlet": "rt.com"}),
             "{not json", json.dumps({"content": "no text key"})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_paths([tmp_path])
    by_id = {d.doc_id: d for d in result.corpus}
    assert set(by_id) == {"feed_row1", "sheet_row1"}
    assert by_id["sheet_row1"].meta["date"] == "2023-03-14"
    assert by_id["sheet_row1"].meta["group"] == "custom"
    assert (by_id["feed_row1"].meta["outlet"], by_id["feed_row1"].meta["group"]) == (
        "rt.com", "russian")
    reasons = {Path(s.path).name: s.reason for s in result.report.skipped}
    assert reasons["feed.jsonl#row 2"].startswith("line 2: not JSON")
    assert reasons["feed.jsonl#row 3"] == "empty 'text' cell"


def test_doc_ids_unique_and_stable(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same name.txt").write_text(EN, encoding="utf-8")
    first = import_paths([tmp_path])
    second = import_paths([tmp_path])
    assert first.corpus.ids == ["same_name", "same_name-2"] == second.corpus.ids
    assert first.report.duplicates[0].kind == "exact"
    assert first.report.duplicates[0].doc_ids == ("same_name", "same_name-2")
