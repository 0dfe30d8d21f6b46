"""The bundled demo corpus: twelve synthetic articles, six per group, marked so in the
manifest (the metadata), never in the article text."""
from __future__ import annotations

import csv
import re

from analysis.resources import resource_path

DEMO = resource_path("demo")
MARK = "Illustrative text written for the Sinoru demo; not published by "
COLUMNS = ["file", "title", "outlet", "outlet_type", "group", "author", "date", "language",
           "reference", "synthetic"]


def _manifest() -> list[dict[str, str]]:
    with (DEMO / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z][A-Za-z'-]*", text))


def test_manifest_lists_twelve_files_six_per_group():
    rows = _manifest()
    assert len(rows) == 12
    assert sorted(r["group"] for r in rows) == ["chinese"] * 6 + ["western"] * 6
    assert len({r["file"] for r in rows}) == 12
    assert len({r["outlet"] for r in rows}) == 12
    listed = {r["file"] for r in rows}
    on_disk = {p.name for p in DEMO.glob("*.txt")}
    assert listed == on_disk


def test_every_text_is_marked_synthetic_in_the_manifest_not_in_its_text():
    for row in _manifest():
        assert row["reference"] == MARK + row["outlet"]
        assert row["synthetic"] == "yes"
        words = set(re.findall(r"[a-z]+", (DEMO / row["file"]).read_text(encoding="utf-8")
                               .lower()))
        # A disclaimer inside the article becomes vocabulary ("invented" ranked #13 among
        # the distinctive Western terms).
        assert not {"invented", "illustrative", "sinoru", "demo"} & words, row["file"]


def test_texts_are_short_articles_spread_over_five_years():
    rows = _manifest()
    for row in rows:
        n = _words((DEMO / row["file"]).read_text(encoding="utf-8"))
        assert 180 <= n <= 350, f"{row['file']}: {n} words"
    for group in ("chinese", "western"):
        years = {r["date"][:4] for r in rows if r["group"] == group}
        assert {"2021", "2025"} <= years, group
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"]) for r in rows)


def test_groups_use_their_contrasting_vocabulary():
    rows = _manifest()
    text = {g: " ".join((DEMO / r["file"]).read_text(encoding="utf-8").lower()
                        for r in rows if r["group"] == g) for g in ("chinese", "western")}
    for phrase in ("strategic partnership of coordination", "endogenous dynamics",
                   "mutual trust", "multipolar", "win-win", "resolutely"):
        assert phrase in text["chinese"], phrase
        assert phrase not in text["western"], phrase
    for phrase in ("no-limits partnership", "quasi-alliance", "secondary sanctions",
                   "junior partner", "reportedly", "analysts say"):
        assert phrase in text["western"], phrase
        assert phrase not in text["chinese"], phrase


def test_demo_imports_cleanly_through_its_manifest():
    from analysis.ingest import import_paths

    rows = _manifest()
    result = import_paths([DEMO / r["file"] for r in rows], DEMO / "manifest.csv")
    assert result.report.skipped == []
    assert result.report.duplicates == []
    corpus = result.corpus
    assert len(corpus) == 12
    by_group = {}
    for doc in corpus:
        by_group.setdefault(doc.get("group"), []).append(doc)
    assert sorted((g, len(d)) for g, d in by_group.items()) == [("chinese", 6), ("western", 6)]
    for row, doc in zip(rows, corpus, strict=True):
        assert doc.get("outlet") == row["outlet"]
        assert doc.get("date") == row["date"]
        assert doc.get("reference") == MARK + row["outlet"]
    # The web furniture, contact address and bilingual byline are taken out of the text.
    texts = {doc.source.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]: doc for doc in corpus}
    cgtn = texts["cn04_cgtn_people_exchanges.txt"]
    assert "Share this article" not in cgtn.text
    assert "press@example.org" not in cgtn.text
    assert "Share this article" in cgtn.raw_text
    china_daily = texts["cn03_china_daily_energy.txt"]
    assert "责编" not in china_daily.text
    assert "Россия и Китай" in texts["w02_bbc_no_limits_strain.txt"].text


def test_demo_report_says_the_texts_are_synthetic_and_keyness_has_no_disclaimer_words(
        tmp_path):
    from pypdf import PdfReader

    from analysis.config import AnalysisConfig
    from analysis.ingest import import_paths
    from analysis.pipeline import run_analysis
    from analysis.report import ReportOptions, build_pdf
    from analysis.report.findings import findings

    rows = _manifest()
    corpus = import_paths([DEMO / r["file"] for r in rows], DEMO / "manifest.csv").corpus
    assert all(doc.get("synthetic") == "yes" for doc in corpus)
    res = run_analysis(corpus, AnalysisConfig(n_boot=100, n_perm=100), corpus_name="Demo")
    comp = res.comparisons[0]
    terms = [t["term"] for side in ("a", "b") for t in comp["keyness"][side]]
    assert not {"invented", "illustrative", "demo", "sinoru"} & set(terms)
    summary = [f.text for f in findings(res)]
    assert summary[1].startswith("All texts in this analysis are synthetic")
    path = build_pdf(res, tmp_path / "demo.pdf", ReportOptions(sections=("title", "summary")))
    pages = [(p.extract_text() or "").replace("\x00", "") for p in PdfReader(str(path)).pages]
    title = " ".join(pages[0].split())
    assert "All texts in this analysis are synthetic" in title
