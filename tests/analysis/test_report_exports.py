"""HTML, CSV/XLSX, chart images and the ``sinoru report`` command."""
from __future__ import annotations

import argparse
import csv
import zipfile

import pytest
from report_sample import make_results, shown_share

from analysis.report import SECTIONS, ReportOptions, build_html, export_charts, write_tables
from analysis.report.tables import sheet_name

SHEETS = ["groups", "frames", "sentiment", "sentiment_distribution", "targets", "keyness",
          "markers", "readability", "topics", "timeline", "tests", "collocations", "documents", "evidence",
          "provenance", "models", "settings"]






SCRIPT = "<script>alert('x')</script>"


def test_html_escapes_article_text_and_runs_nothing(tmp_path):
    res = make_results()
    res.data["documents"][1]["title"] = "A title with <img src=x onerror=alert(1)>"
    res.data["evidence"]["terms"]["chinese|western"]["a"]["mutual trust"][0]["right"] = (
        " trust <script>steal()</script> grows")
    path = build_html(res, tmp_path / "r.html",
                      ReportOptions(charts=("frames:china_russia", "keyness")))
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "onerror=alert" not in page.replace(
        "onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Partnership report 0" in page
    assert "&lt;script&gt;steal()&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("<svg") == 3  # one frame chart and two keyness sides, inline
    assert "<link" not in page and 'src="http' not in page  # self-contained


def test_html_has_the_sections_and_figures(tmp_path):
    res = make_results()
    no_charts = tuple(s for s in SECTIONS if s != "charts")
    page = build_html(res, tmp_path / "r.html", ReportOptions(sections=no_charts)).read_text(
        "utf-8")
    assert "<svg" not in page
    for heading in ("Summary of findings", "Groups compared", "Comparison tests",
                    "Evidence: passages behind the figures", "Appendix A: Documents",
                    "Appendix B: Methods and data provenance", "Contents"):
        assert heading in page
    cell = res.groups["western"]["frames"]["china_russia"]["alliance_bloc"]
    assert shown_share(cell) in page
    assert "Россия" in page and "全面战略协作伙伴关系" in page
    assert '<a href="#summary-of-findings">' in page


def test_a_plain_results_dict_is_accepted(tmp_path):
    data = make_results().to_dict()   # what json.load(results.json) gives
    page = build_html(data, tmp_path / "d.html",
                      ReportOptions(sections=("summary", "tables"))).read_text("utf-8")
    assert "Sample corpus" in page and "Groups compared" in page


def test_xlsx_sheets_headers_and_values(tmp_path):
    from openpyxl import load_workbook

    res = make_results()
    res.data["documents"][0]["title"] = "=HYPERLINK(\"http://x\")"
    write_tables(res, xlsx_path=tmp_path / "t.xlsx")
    wb = load_workbook(tmp_path / "t.xlsx")
    assert wb.sheetnames == SHEETS
    ws = wb["frames"]
    header = [c.value for c in ws[1]]
    assert header == ["codebook", "frame", "label", "group", "share", "ci_low", "ci_high",
                      "n_documents_with", "n_documents"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    first = [c.value for c in ws[2]]
    cell = res.groups["chinese"]["frames"]["china_russia"]["strategic_partnership"]
    assert first[:4] == ["china_russia", "strategic_partnership",
                         "Strategic partnership and mutual trust", "chinese"]
    assert first[4] == pytest.approx(cell["share"], rel=1e-12)
    docs = wb["documents"]
    title_col = [c.value for c in docs[1]].index("title") + 1
    stored = docs.cell(row=2, column=title_col)
    assert stored.value == "=HYPERLINK(\"http://x\")" and stored.data_type == "s"
    # The Settings/Warnings sheet: every setting, each group's unit and spread, each
    # comparison's test design, every warning.
    settings = [[c.value for c in row] for row in wb["settings"].iter_rows(min_row=2)]
    by_name = {(k, n): v for k, n, v in settings}
    assert by_name[("setting", "n_boot")] == 2000
    assert "range of these documents" in by_name[("group", "western")]
    assert by_name[("test", "chinese vs western")].startswith("exact (10 arrangements)")
    assert [v for k, _n, v in settings if k == "warning"] == res.data["warnings"]


def test_sheet_names_are_sanitised_and_unique():
    used: set[str] = set()
    a = sheet_name("frames: china/russia [v2]? and a very long tail", used)
    b = sheet_name("frames: china/russia [v2]? and a very long tail", used)
    assert len(a) <= 31 and len(b) <= 31 and a != b
    assert not set(a) & set("[]:*?/\\")


def test_csv_tables_are_written_and_formulas_neutralised(tmp_path):
    res = make_results()
    res.data["documents"][0]["title"] = "=1+1"
    written = write_tables(res, csv_dir=tmp_path / "csv")
    assert sorted(p.stem for p in written) == sorted(SHEETS)
    with open(tmp_path / "csv" / "documents.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["title"] == "'=1+1"
    assert len(rows) == len(res.data["documents"])
    with open(tmp_path / "csv" / "keyness.csv", encoding="utf-8-sig", newline="") as fh:
        terms = [r["term"] for r in csv.DictReader(fh)]
    assert "全面战略协作伙伴关系" in terms


def test_a_failed_workbook_leaves_the_old_one(tmp_path, monkeypatch):
    import analysis.report.xlsx as xlsx

    target = tmp_path / "t.xlsx"
    target.write_bytes(b"old")
    calls = {"n": 0}
    real = xlsx._cell_value

    def failing(v):
        calls["n"] += 1
        if calls["n"] > 50:
            raise OSError("disk full")
        return real(v)

    monkeypatch.setattr(xlsx, "_cell_value", failing)
    with pytest.raises(OSError):
        write_tables(make_results(), xlsx_path=target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]


def test_chart_export_to_folder_and_zip(tmp_path):
    res = make_results({"a": 2, "b": 1})
    files = export_charts(res, tmp_path / "charts", formats=("png", "svg"), dpi=40,
                          keys=("frames", "targets"))
    names = [p.name for p in files]
    assert "captions.txt" in names
    pngs = [p for p in files if p.suffix == ".png"]
    svgs = [p for p in files if p.suffix == ".svg"]
    assert [p.stem for p in pngs] == [p.stem for p in svgs] == [
        "01_frames_china_russia", "02_frames_generic", "03_targets"]
    assert pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svgs[0].read_bytes()[:600]
    assert "01_frames_china_russia.png" in names
    captions = (tmp_path / "charts" / "captions.txt").read_text("utf-8")
    assert "n = a 2 documents" in captions
    zpath = export_charts(res, tmp_path / "charts.zip", formats=("svg",), keys=("keyness",))[0]
    with zipfile.ZipFile(zpath) as zf:
        assert sorted(zf.namelist()) == ["01_keyness_a_vs_b_a.svg", "02_keyness_a_vs_b_b.svg",
                                         "captions.txt"]
        assert b"<svg" in zf.read("01_keyness_a_vs_b_a.svg")


def test_a_failed_chart_zip_leaves_nothing(tmp_path, monkeypatch):
    import analysis.report.chart_export as ce

    real, count = ce.render_chart, {"n": 0}

    def failing(*a, **k):
        count["n"] += 1
        if count["n"] == 3:
            raise RuntimeError("renderer crashed")
        return real(*a, **k)

    monkeypatch.setattr(ce, "render_chart", failing)
    with pytest.raises(RuntimeError):
        export_charts(make_results(), tmp_path / "c.zip", formats=("svg",),
                      keys=("frames", "sentiment", "targets"))
    assert list(tmp_path.iterdir()) == []


def _run_cli(argv):
    from analysis.commands import report

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    report.register(sub, "report")
    return report.run(parser.parse_args(["report", *argv]))


def test_report_command_writes_what_was_asked(tmp_path, capsys):
    res = make_results()
    res.write(tmp_path / "res")
    code = _run_cli([str(tmp_path / "res" / "results.json"), "--xlsx", str(tmp_path / "t.xlsx"),
                     "--csv", str(tmp_path / "csv"), "--quiet"])
    assert code == 0
    assert (tmp_path / "t.xlsx").is_file() and (tmp_path / "csv" / "frames.csv").is_file()
    out = capsys.readouterr().out
    assert f"XLSX written to {tmp_path / 't.xlsx'}" in out
    assert f"CSV written to {tmp_path / 'csv'}" in out


def test_report_command_takes_note_and_sections(tmp_path, capsys):
    from pypdf import PdfReader

    res = make_results()
    res.write(tmp_path / "res")
    code = _run_cli([str(tmp_path / "res"), "--pdf", str(tmp_path / "r.pdf"),
                     "--html", str(tmp_path / "r.html"), "--csv", str(tmp_path / "csv"),
                     "--title", "Summit coverage", "--author", "A. Analyst",
                     "--note", "Scope: wire copy only.\nDrafts excluded.",
                     "--sections", "methods,title", "--quiet"])
    assert code == 0
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages)
    assert "Summit coverage" in text and "Author: A. Analyst" in text
    assert "Scope: wire copy only." in text and "Drafts excluded." in text
    assert "Appendix B: Methods" in text and "Summary of findings" not in text
    page = (tmp_path / "r.html").read_text("utf-8")
    assert "<p>Scope: wire copy only.</p><p>Drafts excluded.</p>" in page
    assert "Summary of findings" not in page
    # The tables of the chosen sections only, with the report's own details first.
    assert sorted(p.stem for p in (tmp_path / "csv").iterdir()) == ["models", "provenance",
                                                                   "report"]
    with open(tmp_path / "csv" / "report.csv", encoding="utf-8-sig", newline="") as fh:
        info = {r["field"]: r["value"] for r in csv.DictReader(fh)}
    assert info["author"] == "A. Analyst" and info["note"].startswith("Scope: wire copy")
    assert _run_cli([str(tmp_path / "res"), "--pdf", str(tmp_path / "x.pdf"),
                     "--sections", "title,appendix"]) == 2
    assert "unknown section 'appendix'" in capsys.readouterr().err


def test_cancelled_csv_export_writes_no_file(tmp_path):
    from analysis import Cancelled
    from analysis.report import export_report

    def cancel(fraction):
        if fraction > 0.3:
            raise Cancelled

    with pytest.raises(Cancelled):
        export_report(make_results(), "csv", tmp_path / "csv", ReportOptions(), cancel)
    assert not (tmp_path / "csv").exists() or not list((tmp_path / "csv").iterdir())


def test_report_command_refuses_bad_input(tmp_path, capsys):
    assert _run_cli([str(tmp_path / "missing"), "--pdf", str(tmp_path / "x.pdf")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    bad = tmp_path / "results.json"
    bad.write_text("{\"schema\": \"other\"}", encoding="utf-8")
    assert _run_cli([str(bad), "--pdf", str(tmp_path / "x.pdf")]) == 2
    assert "not a Sinoru results file" in capsys.readouterr().err
    assert _run_cli([str(bad)]) == 2
    assert "nothing to write" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_cancelled_html_writes_nothing(tmp_path):
    from analysis import Cancelled

    def cancel(fraction):
        if fraction > 0.5:
            raise Cancelled

    with pytest.raises(Cancelled):
        build_html(make_results(), tmp_path / "r.html",
                   ReportOptions(sections=("summary", "tables", "documents")), progress=cancel)
    assert list(tmp_path.iterdir()) == []


def test_a_corpus_without_a_folder_is_named_by_its_size():
    from analysis.corpus import Corpus, Document, corpus_name

    assert corpus_name(Corpus([Document("a", "One text."), Document("b", "Two.")])) == \
        "2 documents"
    pasted = Corpus([Document("a", "x", source="/in/2022/a.txt"),
                     Document("b", "y", source="/in/2023/b.txt")])
    assert corpus_name(pasted) == "in"                 # the folder both came from
