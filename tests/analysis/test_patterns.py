"""Codebook regex terms run in bounded time: a catastrophic pattern is named and left out,
the rest of the analysis goes on (issue 12, item 1)."""
from __future__ import annotations

import time

import pytest

from analysis import Cancelled, patterns
from analysis.codebook import CodebookError, parse_codebook
from analysis.corpus import Corpus, Document
from analysis.frames import FrameAnalyzer, match_term
from analysis.ingest import import_paths

# Exponential for a backtracking engine on a long run of "a" that does not end the text.
EVIL = "(a|aa)+$"
# The two patterns of the issue: they hung `re` on the seed articles.
ISSUE_PATTERNS = (r"(\w+\s?)+:", "(a+)+$")
EVIL_TEXT = "The delegation shouted " + "a" * 60 + "h at the end of the talks. Trade grew."

CODEBOOK = parse_codebook(f"""\
id: hostile
frames:
- id: shouting
  terms: [trade, {{regex: '{EVIL}'}}]
- id: talks
  terms: [delegation]
""", source="hostile.yaml")


def corpus(*texts: str) -> Corpus:
    return Corpus(Document(f"d{i}", t) for i, t in enumerate(texts))


def test_catastrophic_regex_term_is_left_out_with_a_message_naming_it():
    # d0 ends in "aaa": the pattern matches there quickly; d1 makes it backtrack.
    docs = corpus("Trade talks ended with a long aaa", EVIL_TEXT, "The delegation met.")
    start = time.monotonic()
    result = FrameAnalyzer([CODEBOOK], pattern_budget=0.2).transform(docs)
    assert time.monotonic() - start < 30

    assert len(result.warnings) == 1
    message = result.warnings[0]
    for part in ("Codebook 'hostile'", "frame 'shouting'", EVIL, "took longer than 0.2 s",
                 "document 'd1'", "rewrite it", "left out of the analysis in every document"):
        assert part in message
    # Left out everywhere, also in d0 where it matched before it ran out of time, so the
    # frame is measured the same way in every document.
    assert not result.matches["rule"].str.startswith("regex:").any()
    assert set(result.matches["term"].str.lower()) == {"trade", "delegation"}
    assert result.documents.loc["d2", "hostile.talks"] == 1.0


def test_fast_regex_terms_still_match():
    book = parse_codebook("id: ok\nframes:\n- id: swift\n  terms: [{regex: '\\bSWIFT\\b'}]\n")
    result = FrameAnalyzer([book], pattern_budget=0.5).transform(
        corpus("Banks left SWIFT. Then swift action."))
    assert result.warnings == ()
    assert result.matches["term"].tolist() == ["SWIFT", "swift"]
    assert result.matches["rule"].tolist() == ["regex:\\bSWIFT\\b"] * 2


def test_issue_patterns_end_on_the_seed_articles(seeds_dir):
    imported = import_paths([seeds_dir], manifest=seeds_dir / "manifest.csv")
    terms = "".join(f"\n  - {{regex: '{p}'}}" for p in ISSUE_PATTERNS)
    book = parse_codebook(f"id: issue\nframes:\n- id: evil\n  terms:{terms}\n")
    start = time.monotonic()
    result = FrameAnalyzer([book], pattern_budget=1.0).transform(imported.corpus)
    # Bounded: at most one budget per pattern before it is dropped (the regex engine may
    # overshoot a budget a few times over on a busy machine).
    assert time.monotonic() - start < 60
    assert len(result.documents) == 5
    assert all("took longer than" in w for w in result.warnings)


def test_sinoru_analyze_finishes_and_names_the_pattern(tmp_path, monkeypatch, capsys):
    from analysis import cli

    monkeypatch.setattr(patterns, "PATTERN_BUDGET", 0.2)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Talks\n\n" + EVIL_TEXT + "\n", encoding="utf-8")
    (folder / "b.txt").write_text("Trade\n\nTrade grew again. The delegation met.\n",
                                  encoding="utf-8")
    book = tmp_path / "hostile.yaml"
    book.write_text(f"id: hostile\nframes:\n- id: shouting\n  terms: [trade, "
                    f"{{regex: '{EVIL}'}}]\n", encoding="utf-8")
    out = tmp_path / "out"
    code = cli.main(["analyze", str(folder), "--codebook", str(book), "--out", str(out),
                     "--quiet", "--n-boot", "20", "--n-perm", "20", "--topics", "2",
                     "--min-docs", "1"])
    err = capsys.readouterr().err
    assert code == 0
    assert "warning: Codebook 'hostile', frame 'shouting': the regex '(a|aa)+$' took " \
           "longer than 0.2 s on document" in err
    results = (out / "results.json").read_text(encoding="utf-8")
    assert "took longer than 0.2 s" in results


def test_test_a_term_stops_with_a_clear_message():
    with pytest.raises(CodebookError, match=r"took longer than 0.2 s on document 'd1'; "
                                            r"rewrite it"):
        match_term(EVIL, corpus("Nothing here.", EVIL_TEXT), regex=True, budget=0.2)
    hits = match_term(r"\btrade\b", corpus(EVIL_TEXT, "Trade, trade."), regex=True)
    assert hits.attrs["count"] == 3 and hits.attrs["n_documents"] == 2


def test_test_a_term_can_be_cancelled_between_documents():
    calls = []

    def progress(fraction):
        calls.append(fraction)
        if len(calls) > 1:
            raise Cancelled()

    with pytest.raises(Cancelled):
        match_term("trade", corpus(*["Trade grew."] * 120), progress=progress)


def test_bad_regex_is_reported_by_the_codebook_loader():
    with pytest.raises(CodebookError, match="bad regex"):
        parse_codebook("id: x\nframes:\n- id: f\n  terms: [{regex: '(unclosed'}]\n")
