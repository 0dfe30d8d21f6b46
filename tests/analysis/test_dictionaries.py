"""LIWC .dic and WordStat .cat import/export."""
from __future__ import annotations

import pytest

from analysis.codebook import Codebook, CodebookError, Frame, load_codebook
from analysis.corpus import Corpus, Document
from analysis.dictionaries import (
    liwc_text,
    parse_liwc,
    parse_wordstat,
    read_dictionary,
    read_liwc,
    read_wordstat,
    wordstat_text,
    write_liwc,
    write_wordstat,
)
from analysis.frames import FrameAnalyzer


def texts(frame: Frame) -> tuple[str, ...]:
    return tuple(t.text for t in frame.terms)

LIWC = """\
%
1\tconflict
2\tTrade Words
3\tempty
%
sanction*\t1\t2
war\t1
trade\t2
no limits\t1
like\t02 (02 134)131/125
"""

WORDSTAT = """\
CONFLICT
\tSANCTION* (1)
\tWAR (1)
ECONOMY
    ENERGY
        GAS_PIPELINE (1)
        OIL (2)
    TRADE (1)
"""


def test_liwc_import():
    cb = parse_liwc(LIWC, source="dicts/mini.dic")
    assert cb.id == "mini" and cb.label == "mini"
    assert [(f.id, f.label, texts(f)) for f in cb.frames] == [
        ("conflict", "conflict", ("sanction*", "war", "no limits")),
        ("trade_words", "Trade Words", ("sanction*", "trade", "like")),
    ]
    assert "left out: empty" in cb.description
    # The imported dictionary works as a codebook: wildcard and phrase included.
    docs = Corpus([Document("a", "Sanctions and war. No-limits talk. Trade.")])
    shares = FrameAnalyzer([cb]).transform(docs).documents.loc["a"]
    assert shares["mini.conflict"] == pytest.approx(2 / 3)
    assert shares["mini.trade_words"] == pytest.approx(2 / 3)


def test_wordstat_import_with_nesting_weights_and_underscores():
    cb = parse_wordstat(WORDSTAT, source="mini.cat")
    assert [(f.id, f.label, texts(f)) for f in cb.frames] == [
        ("conflict", "CONFLICT", ("SANCTION*", "WAR")),
        ("economy", "ECONOMY", ("TRADE",)),
        ("economy_energy", "ECONOMY / ENERGY", ("GAS PIPELINE", "OIL")),
    ]


def sample_codebook() -> Codebook:
    return Codebook(id="sample", label="sample", frames=(
        Frame("conflict", "conflict", terms=("sanction*", "no-limits partnership", "war")),
        Frame("trade", "trade", terms=("each other's", "sanction*", "trade"))))


def test_liwc_round_trip(tmp_path):
    cb = sample_codebook()
    text = liwc_text(cb)
    assert text.splitlines()[:4] == ["%", "1\tconflict", "2\ttrade", "%"]
    assert "sanction*\t1\t2" in text.splitlines()
    path = tmp_path / "sample.dic"
    write_liwc(cb, path)
    back = read_liwc(path)
    assert [(f.id, sorted(texts(f))) for f in back.frames] == [
        (f.id, sorted(texts(f))) for f in cb.frames]
    assert read_dictionary(path).frame_ids == ["conflict", "trade"]


def test_wordstat_round_trip(tmp_path):
    cb = sample_codebook()
    path = tmp_path / "sample.cat"
    write_wordstat(cb, path)
    assert path.read_text(encoding="utf-8").splitlines()[:2] == ["conflict", "\tsanction* (1)"]
    back = read_wordstat(path)
    assert [(f.id, texts(f)) for f in back.frames] == [(f.id, texts(f)) for f in cb.frames]


def test_builtin_codebook_exports_leave_out_the_residual_frame():
    policy = load_codebook("policy")
    back = parse_liwc(liwc_text(policy), source="policy.dic")
    assert back.frame_ids == [f for f in policy.frame_ids if f != "other"]
    assert {f.id: set(texts(f)) for f in back.frames} == {
        f.id: set(texts(f)) for f in policy.frames if not f.residual}


def test_regex_terms_cannot_be_exported():
    cb = Codebook(id="r", frames=(Frame("f", terms=("a",), patterns=(r"\bb\b",)),))
    with pytest.raises(CodebookError, match="frame 'f' has regex terms"):
        liwc_text(cb)
    with pytest.raises(CodebookError, match="WordStat dictionary cannot hold"):
        wordstat_text(cb)


@pytest.mark.parametrize("text, line, reason", [
    ("1\tx\n%\nword\t1\n", 2, "expected a header"),
    ("%\n1\tconflict\n%\nwar\t7\n", 4, "unknown category number '7'"),
    ("%\n1\tconflict\n%\nwar\n", 4, "word 'war' has no category numbers"),
    ("%\none conflict\n%\nwar\t1\n", 2, "expected '<number> <category name>'"),
    ("%\n1\ta\n1\tb\n%\n", 3, "defined twice"),
])
def test_malformed_liwc_names_file_and_line(text, line, reason):
    with pytest.raises(CodebookError) as info:
        parse_liwc(text, source="bad.dic")
    assert (info.value.source, info.value.line) == ("bad.dic", line)
    assert reason in info.value.reason
    assert str(info.value).startswith(f"bad.dic, line {line}: ")


def test_malformed_wordstat_names_file_and_line(tmp_path):
    path = tmp_path / "bad.cat"
    path.write_text("\n    WAR (1)\nCONFLICT\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"bad\.cat, line 2: word 'WAR' is not under"):
        read_wordstat(path)
    with pytest.raises(CodebookError, match="unknown dictionary type"):
        read_dictionary(tmp_path / "x.txt")


def test_windows_1252_files_are_read(tmp_path):
    path = tmp_path / "old.dic"
    path.write_bytes("%\n1\tcafe\n%\ncaf\u00e9\t1\n".encode("cp1252"))
    assert texts(read_liwc(path).frame("cafe")) == ("caf\u00e9",)
