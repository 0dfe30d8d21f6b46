"""End to end: the seed articles plus our own Chinese and Russian articles, imported from
one folder, analysed, and written as tables and a PDF report (issue 15)."""
from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from analysis.kwic import kwic
from analysis.lang import NOT_AVAILABLE
from analysis.text import segment

OWN = Path(__file__).parent / "fixtures" / "languages"


@pytest.fixture(scope="module")
def mixed(seeds_dir, tmp_path_factory):
    """(corpus, results) of a folder holding the seeds and our eight articles, with one
    manifest (our rows leave the language empty: the importer detects it)."""
    from analysis.config import AnalysisConfig
    from analysis.ingest import import_paths
    from analysis.pipeline import run_analysis

    folder = tmp_path_factory.mktemp("mixed")
    rows = []
    for src in (seeds_dir, OWN):
        with open(src / "manifest.csv", encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                shutil.copy(src / row["file"], folder / row["file"])
                rows.append(row)
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    imported = import_paths([folder], manifest=folder / "manifest.csv")
    results = run_analysis(imported.corpus, AnalysisConfig(n_boot=200, n_perm=200),
                           corpus_name="mixed")
    return imported.corpus, results


def _comparison(results, a, b):
    return next(c for c in results.comparisons if (c["a"], c["b"]) == (a, b))


def test_languages_are_detected_and_chinese_is_split_into_words_and_sentences(mixed):
    corpus, _ = mixed
    assert corpus["zh_official_1"].get("language") == "zh"
    assert corpus["ru_2"].get("language") == "ru"
    assert corpus["000_a278140c4671e24a"].get("language") == "en"
    seg = segment(corpus["zh_official_2"].text, "zh")
    assert "外交部发言人在例行记者会上表示，" in seg.sentences[1].text
    assert seg.sentences[1].text.endswith("造福两国人民。")
    assert {"外交部", "发言人", "伙伴关系", "互利共赢"} & set(seg.norms) >= {"外交部", "发言人"}
    assert max(len(w) for w in seg.norms) <= 6  # words, not whole runs of characters


def test_keyness_is_compared_within_each_language_and_says_so(mixed):
    _, results = mixed
    comp = _comparison(results, "chinese", "western")
    assert comp["languages"] == {"a": {"en": 3, "zh": 3}, "b": {"en": 2, "zh": 2}}
    assert "Compared within one language: English (3 vs 2 documents), Chinese (3 vs 2 " \
           "documents)" in comp["language_note"]
    assert comp["language_note"] in results.warnings
    zh = comp["keyness_by_language"]["zh"]
    official = [t["term"] for t in zh["a"]]
    western = [t["term"] for t in zh["b"]]
    assert "战略 协作" in official and "共赢" in official
    assert "制裁" in western and "乌克兰 战争" in western
    # English terms never mix into the Chinese comparison, nor Chinese into the English
    assert all(not t.isascii() for t in official + western)
    assert all(t["term"].isascii() for t in comp["keyness_by_language"]["en"]["a"])


def test_russian_keyness_counts_lemmas_and_shows_a_surface_form(mixed):
    _, results = mixed
    comp = _comparison(results, "russian", "western")
    assert comp["keyness_by_language"] == {}
    assert "No language has documents in both groups" in comp["language_note"]
    terms = {t["term"]: t for t in comp["keyness"]["a"]}
    # партнёрство, -а, -у: one term over three documents, shown as the corpus writes it
    assert "партнёрства" in terms and terms["партнёрства"]["docs_a"] == 3
    assert "многополярный мир" in terms


def test_concordance_finds_every_case_form_and_chinese_words(mixed):
    corpus, _ = mixed
    hits = kwic(corpus, "партнёрство")
    assert set(hits["match"].str.lower()) >= {"партнёрство", "партнёрства", "партнёрству"}
    zh = kwic(corpus, "制裁")
    assert set(zh["doc_id"]) == {"zh_western_1", "zh_western_2"}
    assert all(row.left or row.right for row in zh.itertuples())  # context is kept


def test_sentiment_and_readability_are_not_available_for_chinese_and_russian(mixed, tmp_path):
    from analysis.report import ReportOptions, build_pdf, write_tables

    _, results = mixed
    docs = results.tables["documents"].set_index("doc_id")
    assert docs.loc["ru_1", "not_available"] == (
        f"sentiment, targets, readability: {NOT_AVAILABLE} (Russian)")
    assert math.isnan(docs.loc["zh_official_1", "sentiment.mean"])
    assert math.isnan(docs.loc["zh_official_1", "readability.flesch_reading_ease"])
    assert docs.loc["zh_official_1", "readability.mean_sentence_length"] > 5
    assert docs.loc["000_a278140c4671e24a", "not_available"] == ""
    chinese = results.groups["chinese"]
    assert chinese["not_available"]["sentiment"] == 3 and chinese["sentiment"]["n"] == 3
    assert results.groups["russian"]["readability"]["flesch_reading_ease"]["mean"] is None
    assert any("for 3 of 6 documents of 'chinese' (Chinese 3): its figures for them use the "
               "other 3 documents" in w for w in results.warnings)

    write_tables(results, csv_dir=tmp_path)
    with open(tmp_path / "documents.csv", encoding="utf-8-sig") as f:
        rows = {r["doc_id"]: r for r in csv.DictReader(f)}
    assert rows["zh_western_1"]["not_available"].endswith(f"{NOT_AVAILABLE} (Chinese)")
    assert rows["zh_western_1"]["sentiment"] == ""
    assert rows["000_a278140c4671e24a"]["not_available"] == ""

    pdf = build_pdf(results, tmp_path / "mixed.pdf", ReportOptions())
    reader = PdfReader(pdf)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert NOT_AVAILABLE in text and "Compared within one language" in text
    # the within-language comparison has its own chart and table in the report
    assert "Distinctive of western (vs chinese), Chinese documents" in text
    assert "Within Chinese documents only (3 vs 2)" in text.replace("\n", " ")
    assert "многополярный мир" in text and "партнёрства" in text
    # Chinese titles are drawn with the embedded CJK font (its text does not extract:
    # the subset font has no Unicode map pypdf reads), on the page listing the documents.
    listing = next(p for p in reader.pages if "zh_official_1" in p.extract_text())
    fonts = {str(f["/BaseFont"]) for f in listing["/Resources"]["/Font"].values()}
    assert any("SinoruCJKSubset" in f for f in fonts)
