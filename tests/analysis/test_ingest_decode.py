"""Decoding guesses per file, repairs locally where the bulk is one encoding, and says so."""
from __future__ import annotations

from pathlib import Path

import pytest

from analysis.cli import main
from analysis.ingest import import_paths
from analysis.ingest.decode import decode_bytes

ZH = ("中俄港口合作取得新进展\n\n作者：林晓\n\n"
      "两国港口管理部门周二在哈尔滨举行会谈，就扩大货运航线达成共识。"
      "双方表示，新的时刻表将缩短等候时间，并提高冬季的通行能力。\n")


def _only(path: Path):
    result = import_paths([path])
    assert len(result.corpus) == 1, result.report.format()
    return result.corpus.documents[0], result.report


def test_utf8_with_a_cp1252_phrase_keeps_its_chinese_and_reports_the_repair(tmp_path):
    # Decoded as cp1251 before: 作者 became "дЅњиЂ…" without a word.
    path = tmp_path / "mixed.txt"
    path.write_bytes(ZH.encode("utf-8").replace(
        "会谈".encode(), "会谈".encode() + " (Café Zürich)".encode("cp1252")))
    doc, report = _only(path)
    assert "作者：林晓" in doc.raw_text
    assert "会谈 (Café Zürich)" in doc.text
    label = report.imported[0].encoding
    assert label == "utf-8, 2 bytes in 2 places repaired (read as cp1252)"
    assert f"{path}: decoded as {label}" in "\n".join(report.warnings)


def test_english_utf8_with_a_chinese_byline_and_a_cp1252_phrase():
    text = ("Harbour talks resume\n\n作者: Li Wei\n\nThe port authorities met in Harbin. "
            "Reporters waited at the ")
    data = text.encode("utf-8") + "café, naïve rôle, déjà vu.".encode("cp1252")
    decoded, label = decode_bytes(data)
    assert decoded == text + "café, naïve rôle, déjà vu."
    assert label == "utf-8, 5 bytes in 5 places repaired (read as cp1252)"


def test_utf8_with_one_stray_byte_imports_with_a_local_repair(tmp_path):
    # Rejected whole before.
    path = tmp_path / "stray.txt"
    data = ZH.encode("utf-8")
    cut = data.index("周二".encode())
    path.write_bytes(data[:cut] + b"\x81" + data[cut:])
    doc, report = _only(path)
    assert "部门\ufffd周二在哈尔滨" in doc.text
    assert report.imported[0].encoding == "utf-8, 1 byte in 1 place repaired (replaced by \ufffd)"
    assert any(str(path) in w and "1 byte in 1 place repaired" in w for w in report.warnings)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_chinese_utf16_without_bom_is_detected(tmp_path, encoding):
    # Chinese only (no ASCII, so no NUL bytes): rejected as "not text" before.
    text = ZH.replace("\n", "。").replace("：", "")
    path = tmp_path / "zh16.txt"
    path.write_bytes(text.encode(encoding))
    assert b"\x00" not in path.read_bytes()
    doc, report = _only(path)
    assert report.imported[0].encoding == encoding
    assert "两国港口管理部门周二在哈尔滨举行会谈" in doc.text


def test_clean_files_report_no_repair(tmp_path):
    path = tmp_path / "clean.txt"
    path.write_text(ZH, encoding="utf-8")
    _doc, report = _only(path)
    assert report.imported[0].encoding == "utf-8"
    assert report.warnings == []


@pytest.mark.parametrize(("text", "encoding"), [
    ("Le maire a déclaré à la presse que le port rouvrira à l'été.", "cp1252"),
    # "à\xa0«" is valid UTF-8 by chance (a Samaritan letter): still cp1252.
    ("Il a dit à\xa0« bientôt\xa0» et il est parti à\xa0« la gare\xa0». Été.", "cp1252"),
    ("Мэр заявил прессе, что порт откроется летом.", "cp1251"),
    ("市长对媒体表示，港口将于夏季重新开放。", "gb18030"),
])
def test_legacy_texts_are_not_taken_for_damaged_utf8(text, encoding):
    assert decode_bytes(text.encode(encoding)) == (text, encoding)


def test_import_check_prints_the_repair(tmp_path, capsys):
    path = tmp_path / "stray.txt"
    path.write_bytes(ZH.encode("utf-8") + b"\xfe")
    code = main(["import-check", str(path), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"{path}: decoded as utf-8, 1 byte in 1 place repaired" in out


def test_cyrillic_bytes_with_one_byte_cp1251_lacks(tmp_path):
    # Found by the fuzzer: text that looks like cp1251 but holds 0x98 (undefined there)
    # raised UnicodeDecodeError, caught only by the importer's catch-all.
    text = "Мэр заявил прессе, что порт откроется летом, а паромы пойдут каждый час."
    path = tmp_path / "ru.txt"
    path.write_bytes(text.encode("cp1251").replace(" что ".encode("cp1251"), b" \x98 "))
    result = import_paths([path])
    assert not [s for s in result.report.skipped if "could not be read" in s.reason], \
        result.report.format()
