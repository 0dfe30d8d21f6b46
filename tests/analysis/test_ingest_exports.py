"""News-database exports (Factiva, Nexis Uni, ProQuest) split into their articles."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from analysis.ingest import import_paths

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
sys.path.insert(0, str(FIXTURES))
from stories import STORIES  # noqa: E402

LANG = {"English": "en", "Russian": "ru", "Chinese": "zh"}


def _import(*names):
    result = import_paths([FIXTURES / n for n in names])
    assert not result.report.skipped, result.report.format()
    return result


@pytest.mark.parametrize(("name", "export", "keys"), [
    ("factiva_article_format.txt", "Factiva", ["port", "visa", "grain"]),
    ("factiva_rtf_export.rtf", "Factiva", ["fair", "border"]),
    ("factiva_html_export.html", "Factiva", ["yuan", "arctic"]),
    ("factiva_indexed.txt", "Factiva", ["visa", "fair"]),
    ("nexis_docx_export.docx", "Nexis Uni", ["port", "yuan"]),
    ("nexis_single.rtf", "Nexis Uni", ["arctic"]),
    ("nexis_pdf_export.pdf", "Nexis Uni", ["visa", "fair"]),
    ("proquest_export.txt", "ProQuest", ["visa", "arctic", "grain"]),
])
def test_export_splits_into_articles_with_their_fields(name, export, keys):
    result = _import(name)
    docs = result.corpus.documents
    assert [d.meta["title"] for d in docs] == [STORIES[k]["title"] for k in keys]
    stem = Path(name).stem
    assert [d.doc_id for d in docs] == [f"{stem}_{n}" for n in range(1, len(keys) + 1)]
    for doc, key in zip(docs, keys, strict=True):
        s = STORIES[key]
        y, m, d = s["date"]
        assert doc.meta["export"] == export
        assert doc.meta["outlet"] == s["outlet"]
        assert doc.meta["date"] == f"{y:04d}-{m:02d}-{d:02d}"
        assert doc.meta["author"] == s["author"]
        assert doc.meta["section"].lower() == s["section"].lower()
        assert doc.meta["language"] == LANG[s["lang"]]
        if export != "ProQuest":  # ProQuest prints no word count
            assert doc.meta["word_count"] == str(s["words"])
        # The text is the article's paragraphs, and none of the export's fields.
        lines = [line for line in doc.text.split("\n") if line.strip()]
        assert lines[:len(s["paras"])] == s["paras"]
        for field in ("words", "Document ", "Load-Date", "Copyright", "Body", "Page 1 of",
                      "Publication title", s["title"]):
            assert field not in doc.text
        assert doc.source.endswith(f"{name}#article {docs.index(doc) + 1}")


def test_cross_export_duplicates_are_flagged():
    result = _import("factiva_article_format.txt", "nexis_docx_export.docx",
                     "proquest_export.txt")
    sets = [set(d.doc_ids) for d in result.report.duplicates]
    # The same story in Factiva and Nexis (with Nexis's extra credit line): near duplicate.
    assert {"factiva_article_format_1", "nexis_docx_export_1"} in sets
    near = next(d for d in result.report.duplicates
                if set(d.doc_ids) == {"factiva_article_format_1", "nexis_docx_export_1"})
    assert near.kind == "near"
    # Identical texts in Factiva and ProQuest: an exact duplicate set.
    assert {"factiva_article_format_2", "proquest_export_1"} in sets


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "text", "why"), [
    ("notes.txt", "Reading list for the seminar\n\nSee the attached paper.\n\n"
     "End of Document\n", "Nexis Uni"),
    ("ids.txt", "Saved searches\nDocument ABCDEFGHIJ0123456789KLMNO\n"
     "Document ABCDEFGHIJ0123456789KLMNP\n", "Factiva"),
    ("list.txt", "Document 1 of 2\n\nA title only\n\nDocument 2 of 2\n\nAnother title\n",
     "ProQuest"),
])
def test_lookalike_splits_into_nothing_and_says_why(tmp_path, name, text, why):
    path = _write(tmp_path, name, text)
    result = import_paths([path])
    assert len(result.corpus) == 0
    [skipped] = result.report.skipped
    assert skipped.path == str(path)
    assert f"looks like a {why} export" in skipped.reason
    assert "but" in skipped.reason


def test_ordinary_text_mentioning_export_words_is_one_article(tmp_path):
    text = ("Archivists compare databases\n\nThe HD scans and the Load-Date field were "
            "discussed, and one speaker read out the words End of Document to laughter.\n\n"
            "Another paragraph about Document 1 of 3 in a citation.\n")
    result = import_paths([_write(tmp_path, "talk.txt", text)])
    assert [d.doc_id for d in result.corpus] == ["talk"]


def test_one_broken_document_does_not_lose_the_others(tmp_path):
    text = (FIXTURES / "proquest_export.txt").read_text(encoding="utf-8")
    # Document 2 loses its text: the other two are imported, and the report says why.
    start = text.index("Full text: The authority")
    end = text.index("Subject:", start)
    path = _write(tmp_path, "pq.txt", text[:start] + text[end:])
    result = import_paths([path])
    assert [d.meta["title"] for d in result.corpus] == [
        STORIES["visa"]["title"], STORIES["grain"]["title"]]
    [skipped] = result.report.skipped
    assert skipped.path == f"{path}#article 2"
    assert "ProQuest article 2: no 'Full text:'" in skipped.reason


def test_plain_rtf_is_one_document(tmp_path):
    path = tmp_path / "memo.rtf"
    path.write_text("{\\rtf1\\ansi\\ansicpg1251{\\fonttbl{\\f0 Arial;}}\\f0 "
                    "Port talks resume\\par The delegations met again on Friday and agreed "
                    "on a timetable.\\par \\'cf\\'ee\\'f0\\'f2 \\u1086?\\u1090?\\u1082?"
                    "\\u1088?\\u1099?\\u1090?.\\par}", encoding="ascii")
    doc = import_paths([path]).corpus.documents[0]
    assert doc.text.split("\n") == ["Port talks resume",
                                    "The delegations met again on Friday and agreed on a "
                                    "timetable.", "Порт открыт."]


def test_not_really_rtf_says_why(tmp_path):
    result = import_paths([_write(tmp_path, "fake.rtf", "just text, no RTF header")])
    assert "not an RTF file" in result.report.skipped[0].reason


def test_folder_of_exports_and_articles(tmp_path):
    for name in ("factiva_article_format.txt", "nexis_pdf_export.pdf"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    _write(tmp_path, "own_note.txt", "A note of my own\n\nIt is one article about ports.\n")
    result = import_paths([tmp_path])
    assert len(result.corpus) == 3 + 2 + 1
    assert result.corpus["own_note"].meta.get("export", "") == ""


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1251"])
def test_export_in_other_encodings(tmp_path, encoding):
    text = (FIXTURES / "factiva_article_format.txt").read_text(encoding="utf-8")
    path = tmp_path / "factiva.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    result = import_paths([path])
    assert [d.meta["title"] for d in result.corpus] == [
        STORIES[k]["title"] for k in ("port", "visa", "grain")]
    assert result.corpus.documents[2].meta["outlet"] == "Деловая неделя"
