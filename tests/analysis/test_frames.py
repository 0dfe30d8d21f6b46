"""Frame matching: negation, exclusions, wildcards, phrase variants, shares, seeds."""
from __future__ import annotations

import csv

import pytest

from analysis import Cancelled
from analysis.codebook import CodebookError, load_codebook, parse_codebook
from analysis.corpus import Corpus, Document
from analysis.frames import MATCH_COLUMNS, FrameAnalyzer, match_term

DEMO = parse_codebook("""\
id: demo
negation_window: 3
frames:
- id: sanctions
  terms: [sanction*]
- id: partnership
  terms: [partnership, no limits partnership]
  exclusions: [public-private partnership]
- id: trade
  terms: [trade, {regex: '\\bSWIFT\\b'}]
""", source="demo.yaml")

TEXT = ("The EU imposed sanctions on Russia. Washington did not impose sanctions on the banks. "
        "The no-limits partnership is strong. A public-private partnership was signed. "
        "Trade grew.")


def corpus(*texts: str) -> Corpus:
    return Corpus(Document(f"d{i}", t) for i, t in enumerate(texts))


def test_shares_negation_exclusion_wildcard_and_hyphen_variant():
    result = FrameAnalyzer([DEMO]).transform(corpus(TEXT))
    doc = result.documents.loc["d0"]
    # Five sentences; each frame is carried by exactly one of them.
    assert doc["n_sentences"] == 5
    assert doc["demo.sanctions"] == pytest.approx(1 / 5)
    assert doc["demo.partnership"] == pytest.approx(1 / 5)
    assert doc["demo.trade"] == pytest.approx(1 / 5)
    m = result.matches
    assert list(m.columns) == list(MATCH_COLUMNS)
    rows = [(r.frame, r.sentence, r.term, r.rule, r.negated) for r in m.itertuples()]
    assert rows == [
        ("sanctions", 0, "sanctions", "sanction*", False),
        ("sanctions", 1, "sanctions", "sanction*", True),      # "did not impose sanctions"
        ("partnership", 2, "no-limits partnership", "no limits partnership", False),
        ("trade", 4, "Trade", "trade", False),
    ]  # the public-private partnership (sentence 3) is vetoed by the exclusion
    for r in m.itertuples():
        assert TEXT[r.start:r.end] == r.term


def test_negation_window_override_and_negators():
    off = FrameAnalyzer([DEMO], negation_window=0).transform(corpus(TEXT))
    assert off.documents.loc["d0", "demo.sanctions"] == pytest.approx(2 / 5)
    assert not off.matches["negated"].any()
    texts = ["Moscow didn't face sanctions.",           # n't negates
             "Not only sanctions hurt.",                # "not only" does not
             "No new export rules or sanctions came.",  # negator 4 words back: outside window
             "It was hardly sanctions."]
    result = FrameAnalyzer([DEMO]).transform(corpus(*texts))
    negated = result.matches.set_index("doc_id")["negated"].to_dict()
    assert negated == {"d0": True, "d1": False, "d2": False, "d3": True}
    assert result.documents["demo.sanctions"].tolist() == [0.0, 1.0, 1.0, 0.0]


def test_exclusion_vetoes_only_matches_inside_it():
    text = ("The public-private partnership complements the strategic partnership. "
            "Since the end of the Cold War, a new cold war looms.")
    cb = parse_codebook("""\
id: x
frames:
- id: p
  terms: [partnership]
  exclusions: [public-private partnership]
- id: war
  terms: [war, new cold war]
  exclusions: [Cold War]
""")
    m = FrameAnalyzer([cb]).transform(corpus(text)).matches
    assert m[["frame", "sentence", "term"]].values.tolist() == [
        ["p", 0, "partnership"], ["war", 1, "new cold war"]]
    assert m.loc[0, "start"] == text.index("strategic partnership") + len("strategic ")


def test_regex_term_and_curly_apostrophe():
    cb = parse_codebook("""\
id: x
frames:
- id: f
  terms: ["each other's back", {regex: '\\bSWIFT\\b'}]
""")
    text = "They have each other’s back. Banks left SWIFT."
    m = FrameAnalyzer([cb]).transform(corpus(text)).matches
    assert m[["term", "rule"]].values.tolist() == [
        ["each other’s back", "each other's back"], ["SWIFT", r"regex:\bSWIFT\b"]]


def test_one_phrase_can_signal_two_frames():
    cb = parse_codebook("""\
id: x
frames:
- id: west
  terms: [Western sanctions]
- id: sanctions
  terms: [sanction*]
""")
    m = FrameAnalyzer([cb]).transform(corpus("Firms comply with Western sanctions.")).matches
    assert m[["frame", "term"]].values.tolist() == [["west", "Western sanctions"],
                                                   ["sanctions", "sanctions"]]


def test_empty_corpus_and_empty_document():
    result = FrameAnalyzer([DEMO]).transform(Corpus())
    assert list(result.documents.columns) == ["demo.sanctions", "demo.partnership",
                                              "demo.trade", "n_sentences"]
    assert result.documents.empty and result.matches.empty
    blank = FrameAnalyzer([DEMO]).transform(corpus("   "))
    assert blank.documents.loc["d0", "n_sentences"] == 0
    assert blank.documents["demo.trade"].isna().all()


def test_residual_frames_have_no_column():
    result = FrameAnalyzer([load_codebook("policy")]).transform(corpus("Trade grew."))
    assert "policy.other" not in result.documents.columns
    assert "policy.economic" in result.documents.columns


def test_progress_and_cancel():
    seen = []
    FrameAnalyzer([DEMO]).transform(corpus(TEXT, TEXT), seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0

    def cancel(_):
        raise Cancelled

    with pytest.raises(Cancelled):
        FrameAnalyzer([DEMO]).transform(corpus(TEXT), cancel)


def test_duplicate_codebook_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        FrameAnalyzer([DEMO, DEMO])


def test_match_term_counts_and_kwic_rows():
    c = corpus(TEXT, "Trade and sanctions.")
    rows = match_term("sanction*", c, limit=2)
    assert rows.attrs["count"] == 3 and rows.attrs["n_documents"] == 2
    assert rows[["doc_id", "sentence", "term"]].values.tolist() == [["d0", 0, "sanctions"],
                                                                   ["d0", 1, "sanctions"]]
    assert rows.loc[1, "sentence_text"] == "Washington did not impose sanctions on the banks."
    assert match_term(r"\bTrade\b", c, regex=True).attrs["count"] == 2
    with pytest.raises(CodebookError, match="bad regex"):
        match_term("(unclosed", c, regex=True)
    with pytest.raises(CodebookError, match="empty term"):
        match_term("  ", c)


def seed_corpus(seeds_dir) -> Corpus:
    with open(seeds_dir / "manifest.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return Corpus(Document(r["file"][:3], (seeds_dir / r["file"]).read_text(encoding="utf-8"),
                           {"group": r["group"]}) for r in rows)


def test_china_russia_frames_on_the_seed_articles(seeds_dir):
    c = seed_corpus(seeds_dir)
    result = FrameAnalyzer([load_codebook("china_russia")]).transform(c)
    share = result.documents
    chinese, western = ["001", "003", "004"], ["000", "002"]
    # Endogenous drivers are a Chinese-side argument: in all three Chinese texts, neither
    # Western one.
    assert (share.loc[chinese, "china_russia.endogenous_drivers"] > 0).all()
    assert (share.loc[western, "china_russia.endogenous_drivers"] == 0).all()
    # The VOA article (002) is the one about sanctions, and it names frictions/complications.
    sanctions = share["china_russia.sanctions_constraints"]
    assert sanctions.idxmax() == "002" and sanctions["002"] > 0.2
    assert share.loc["002", "china_russia.asymmetry_friction"] > 0.1
    m = result.matches[~result.matches["negated"]]
    partnership = m[m["frame"] == "strategic_partnership"]
    # The official formula of mutual trust appears only in the Chinese texts; the Western
    # ones speak of the "no-limits partnership" (002) instead.
    trust_docs = set(partnership[partnership["rule"].str.contains("mutual trust")]["doc_id"])
    assert trust_docs == {"001", "004"}
    assert set(partnership[partnership["rule"] == "no-limits partnership"]["doc_id"]) == {"002"}
    # The think-tank report (001) uses partnership language most.
    assert partnership["doc_id"].value_counts().idxmax() == "001"
    # Multipolarity / anti-hegemony is the academic Chinese article's (004) theme.
    assert share["china_russia.multipolarity"].idxmax() == "004"


def test_term_matcher_groups_case_and_symbol_terms():
    from analysis.frames import TermMatcher

    matcher = TermMatcher([(["Xi Jinping", "Beijing"], False), (["Xi"], True),
                           (["$100 billion"], False), (["sanction*"], False)],
                          groups=[0, 0, 1, 2])
    text = "Xi Jinping and xi; Beijing paid $100 billion despite sanctions. XI"
    found = [(g, text[a:b]) for g, a, b in matcher.find(text)]
    # The longest match of a group wins at one place; "xi" and "XI" are not "Xi".
    assert found == [(0, "Xi Jinping"), (0, "Beijing"), (1, "$100 billion"),
                     (2, "sanctions")]


def test_counts_per_frame():
    result = FrameAnalyzer([DEMO]).transform(corpus(TEXT))
    assert result.counts().values.tolist() == [["demo", "sanctions", 1],
                                               ["demo", "partnership", 1],
                                               ["demo", "trade", 1]]
    assert result.counts(negated=True).values.tolist() == [["demo", "sanctions", 1]]


def test_generic_codebook_avoids_idioms_seen_in_real_articles():
    generic = load_codebook("generic")
    text = ("The loss of moral high ground is plain to see. "
            "There have been some gains in security cooperation. "
            "Cooperation across the fault line becomes difficult. "
            "Sanctions caused heavy losses and job losses. "
            "It is the fault of the sanctions.")
    result = FrameAnalyzer([generic]).transform(corpus(text))
    m = result.matches
    economic = [(r.sentence, r.term) for r in m.itertuples() if r.frame == "economic"]
    assert economic == [(3, "losses"), (3, "job losses")]
    responsibility = [(r.sentence, r.term) for r in m.itertuples()
                      if r.frame == "responsibility"]
    assert responsibility == [(4, "fault")]


def test_disavowed_confrontation_is_not_a_conflict_frame():
    from analysis.codebook import load_codebook
    from analysis.corpus import Corpus, Document
    from analysis.frames import FrameAnalyzer

    corpus = Corpus([Document("d", "Their ties are non-confrontational. They confront rivals.")])
    matches = FrameAnalyzer([load_codebook("generic")]).fit_transform(corpus).matches
    conflict = matches[(matches["frame"] == "conflict") & ~matches["negated"].astype(bool)]
    assert sorted(conflict["term"].str.lower()) == ["confront", "rivals"]
