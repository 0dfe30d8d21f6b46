"""Ingest on the five real seed articles: manifest, extracted metadata, boilerplate."""
from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from analysis.corpus import META_FIELDS
from analysis.ingest import import_paths, restore

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_LINE = re.compile(r"^Tel\.?:", re.M)


@pytest.fixture(scope="module")
def with_manifest(seeds_dir):
    return import_paths([seeds_dir], seeds_dir / "manifest.csv")


@pytest.fixture(scope="module")
def without_manifest(seeds_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("seeds_only")
    for f in seeds_dir.glob("*.txt"):
        shutil.copy(f, folder / f.name)
    return import_paths([folder])


def _seed(result, prefix: str):
    (doc,) = [d for d in result.corpus if d.doc_id.startswith(prefix)]
    return doc


def test_manifest_metadata(seeds_dir, with_manifest):
    result = with_manifest
    assert len(result.corpus) == 5
    assert result.report.skipped == [] and result.report.warnings == []
    with open(seeds_dir / "manifest.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        doc = result.corpus[Path(row["file"]).stem]
        for key in META_FIELDS:
            if row[key]:
                assert doc.meta[key] == row[key], (row["file"], key)
    # An empty manifest outlet leaves the group the manifest gave.
    assert _seed(result, "003").meta["group"] == "chinese"


def test_titles_extracted_without_manifest(seeds_dir, without_manifest):
    assert len(without_manifest.corpus) == 5
    for f in sorted(seeds_dir.glob("*.txt")):
        first = next(ln.strip() for ln in f.read_text(encoding="utf-8").splitlines()
                     if ln.strip())
        assert without_manifest.corpus[f.stem].meta["title"] == first


def test_bylines_extracted_and_removed(without_manifest):
    zhao = _seed(without_manifest, "001")
    assert zhao.meta["author"] == "Zhao Mingwen"
    assert zhao.meta["date"] == "2018-06-07"
    assert (zhao.meta["outlet"], zhao.meta["group"]) == ("Peace and Development", "chinese")
    assert "作者" not in zhao.text
    assert any("作者" in r.text and r.reason == "byline" for r in zhao.removed)
    assert not re.search(r"^Source:", zhao.text, re.M)

    scmp = _seed(without_manifest, "000")
    assert scmp.meta["author"] == "Kinling Lo; Jun Mai"
    assert (scmp.meta["outlet"], scmp.meta["group"]) == ("South China Morning Post", "western")
    assert "Authors:" not in scmp.text

    zhang = _seed(without_manifest, "004")
    assert zhang.meta["reference"] == "doi:10.31278/1810-6374-2021-19-3-94-100"
    assert "10.31278" not in zhang.text


def test_boilerplate_removed_with_reasons(without_manifest):
    zhao = _seed(without_manifest, "001")
    assert "Adjust font size" not in zhao.text
    assert [r.reason for r in zhao.removed if "Adjust font size" in r.text] == ["web furniture"]

    zhang = _seed(without_manifest, "004")
    assert not EMAIL.search(zhang.text) and EMAIL.search(zhang.raw_text)
    assert not PHONE_LINE.search(zhang.text) and PHONE_LINE.search(zhang.raw_text)
    assert "ORCID" not in zhang.text and "Researchgate" not in zhang.text
    reasons = {r.reason for r in zhang.removed
               if EMAIL.search(r.text) or "ORCID" in r.text or PHONE_LINE.search(r.text)}
    assert reasons == {"contact"}

    for prefix, phrase in (("000", "You might also like"), ("002", "leave a reply")):
        doc = _seed(without_manifest, prefix)
        assert phrase not in doc.text
        assert [r.reason for r in doc.removed if phrase in r.text] == ["web furniture"]


def test_no_article_prose_removed(seeds_dir, without_manifest):
    for f in sorted(seeds_dir.glob("*.txt")):
        doc = without_manifest.corpus[f.stem]
        # Compared with spaces normalised (import turns no-break spaces into spaces).
        long_lines = [" ".join(ln.split()) for ln in f.read_text(encoding="utf-8").splitlines()
                      if len(ln.strip()) > 150]
        assert long_lines
        for line in long_lines:
            assert line in doc.text, (f.name, line[:60])
        # One paragraph per line: no line of the analysed text starts mid-sentence.
        assert not [ln for ln in doc.text.split("\n") if ln[:1].islower()]


def test_restore_is_exact(without_manifest):
    from analysis.ingest.boilerplate import apply_removals

    for doc in without_manifest.corpus:
        assert apply_removals(doc.raw_text, doc.removed)[0] == doc.text
        assert restore(doc).text == doc.raw_text
        for r in doc.removed:
            assert doc.raw_text[r.start:r.end] == r.text
    zhang = _seed(without_manifest, "004")
    back = restore(zhang, ["contact"])
    assert EMAIL.search(back.text) and "10.31278" not in back.text


def test_near_duplicate_of_pasted_copy(seeds_dir, tmp_path):
    original = (seeds_dir / "002_133436a51ec01ed6.txt").read_text(encoding="utf-8")
    words = original.split(" ")
    for i in range(40, len(words), 60):  # a handful of small edits, as in a wire rewrite
        words[i] = words[i].upper() + "x"
    for f in seeds_dir.glob("*.txt"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "pasted_copy.txt").write_text(" ".join(words), encoding="utf-8")
    result = import_paths([tmp_path])
    dups = result.report.duplicates
    assert [(d.kind, d.doc_ids) for d in dups] == [
        ("near", ("002_133436a51ec01ed6", "pasted_copy"))]
    assert 0.8 <= dups[0].similarity < 1.0
    assert len(result.corpus) == 6  # reported, never dropped
