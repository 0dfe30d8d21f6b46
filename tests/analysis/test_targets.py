"""Targets: loading, finding mentions, clause-window VADER scoring, per-document means."""
from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.base import TargetScorer
from analysis.corpus import Corpus, Document
from analysis.progress import Cancelled
from analysis.targets import (
    MENTION_COLUMNS,
    Target,
    TargetSentimentAnalyzer,
    TargetsError,
    VaderWindowScorer,
    clause_around,
    compound_to_proba,
    dump_targets,
    find_mentions,
    load_targets,
    parse_targets,
)


def _found(text, targets=None):
    return [(m.target, m.text) for m in find_mentions(text, targets or load_targets())]


def test_builtin_targets():
    targets = load_targets()
    assert [t.id for t in targets] == ["russia", "china", "us_west", "eu", "ukraine", "nato",
                                       "partnership"]
    assert "the Kremlin" in targets[0].aliases


def test_longest_alias_wins_and_word_boundaries():
    text = ("China-Russia relations grew while Xinhua reported that the Kremlin and Xi met. "
            "The Russians and Prussian history; Russia's gas.")
    assert _found(text) == [("partnership", "China-Russia relations"), ("russia", "the Kremlin"),
                            ("china", "Xi"), ("russia", "Russians"), ("russia", "Russia")]


def test_case_sensitive_capital_aliases():
    text = "Let us talk: the US and the EU, then NATO; nato and eu in lower case. The Alliance met."
    assert _found(text) == [("us_west", "US"), ("eu", "EU"), ("nato", "NATO"),
                            ("nato", "The Alliance")]
    assert _found("U.S. officials and the United States") == [
        ("us_west", "U.S."), ("us_west", "the United States")]


def test_mentions_carry_offsets_and_sentence_index():
    text = "Trade grew.\nPutin visited Beijing in May."
    mentions = find_mentions(text, load_targets())
    assert [(m.target, m.sentence, text[m.start:m.end]) for m in mentions] == [
        ("russia", 1, "Putin"), ("china", 1, "Beijing")]


def test_hyphen_and_space_variants():
    targets = (Target("p", "Partnership", ("no-limits partnership",)),)
    assert _found("a no\u2013limits partnership and a no-limits  partnership", targets) == [
        ("p", "no\u2013limits partnership"), ("p", "no-limits  partnership")]


def test_malformed_yaml_names_the_file(tmp_path):
    bad = tmp_path / "mine.yaml"
    bad.write_text("targets: [id: x, : :", encoding="utf-8")
    with pytest.raises(TargetsError, match="mine.yaml"):
        load_targets(bad)
    missing = tmp_path / "none.yaml"
    with pytest.raises(TargetsError, match="none.yaml"):
        load_targets(missing)
    no_alias = tmp_path / "noalias.yaml"
    no_alias.write_text("targets:\n  - id: russia\n    label: Russia\n", encoding="utf-8")
    with pytest.raises(TargetsError, match="noalias.yaml.*aliases"):
        load_targets(no_alias)


def test_parse_targets_from_edited_text():
    text = "targets:\n  - id: iran\n    label: Iran\n    aliases: [Iran, Tehran, {text: IR}]\n"
    (iran,) = parse_targets(text, source="targets")
    assert iran.aliases == ("Iran", "Tehran", "IR") and iran.label == "Iran"
    assert _found("Tehran and Iran's ir", (iran,)) == [("iran", "Tehran"), ("iran", "Iran")]
    with pytest.raises(TargetsError, match="^targets: target id 'x' is used twice"):
        parse_targets("targets:\n  - {id: x, aliases: [a]}\n  - {id: x, aliases: [b]}\n",
                      source="targets")


def test_dump_and_load_round_trip(tmp_path):
    targets = (Target("nato", "NATO", ("NATO", "the Alliance"), ("the Alliance",)),
               Target("iran", "Iran", ("Iran", "Tehran")))
    path = tmp_path / "t.yaml"
    dump_targets(targets, path)
    assert load_targets(path) == targets


def test_clause_around_contrast():
    s = "Moscow praised the talks, but Washington condemned them."
    lo, hi = clause_around(s, 0, 6)
    assert s[lo:hi] == "Moscow praised the talks"
    lo, hi = clause_around(s, s.index("Washington"), s.index("Washington") + 10)
    assert s[lo:hi] == "but Washington condemned them."


def test_compound_to_proba_hand_values():
    p = compound_to_proba(np.array([0.6, -0.2, 0.02, 0.0]))
    # 0.6 -> side 0.5 + 0.3 = 0.8; -0.2 -> 0.6; 0.02 (neutral band) -> 0.02 / 0.1 = 0.2.
    assert p[0] == pytest.approx([0.0, 0.2, 0.8])
    assert p[1] == pytest.approx([0.6, 0.4, 0.0])
    assert p[2] == pytest.approx([0.0, 0.8, 0.2])
    assert p[3] == pytest.approx([0.0, 1.0, 0.0])
    assert p.sum(axis=1) == pytest.approx(np.ones(4))


def test_vader_window_scorer_separates_clauses():
    scorer = VaderWindowScorer()
    assert isinstance(scorer, TargetScorer)
    s = "Moscow praised the excellent talks, but Washington condemned the terrible deal."
    proba = scorer.predict_proba([s, s], [(0, 6), (s.index("Washington"), s.index("Washington") + 10)])
    assert proba.shape == (2, 3)
    assert proba[0].argmax() == 2 and proba[1].argmax() == 0


class _FakeScorer:
    """Scores +0.5 for mentions of Russia, -1 otherwise; records its calls."""

    name = "fake"
    accuracy = {"macro_f1": 0.5}

    def __init__(self):
        self.calls = 0

    def predict_proba(self, sentences, spans):
        self.calls += 1
        out = []
        for s, (a, b) in zip(sentences, spans, strict=True):
            out.append([0.0, 0.5, 0.5] if s[a:b] in ("Russia", "Moscow") else [1.0, 0.0, 0.0])
        return np.array(out)


def test_analyzer_documents_and_mentions_with_one_batch():
    corpus = Corpus([Document("a", "Russia met China. Moscow spoke."), Document("b", "Nothing here.")])
    scorer = _FakeScorer()
    result = TargetSentimentAnalyzer(scorer=scorer).transform(corpus)
    assert scorer.calls == 1
    m = result.mentions
    assert list(m.columns) == list(MENTION_COLUMNS)
    assert m["mention"].tolist() == ["Russia", "China", "Moscow"]
    assert m["score"].tolist() == [0.5, -1.0, 0.5]
    assert m["label"].tolist() == ["neutral", "negative", "neutral"]
    docs = result.documents
    assert docs.loc["a", "russia"] == 0.5 and docs.loc["a", "russia.n"] == 2
    assert docs.loc["a", "china"] == -1.0 and docs.loc["a", "china.n"] == 1
    assert math.isnan(docs.loc["b", "russia"]) and docs.loc["b", "russia.n"] == 0
    assert math.isnan(docs.loc["a", "ukraine"])
    assert result.model == "fake" and result.accuracy == {"macro_f1": 0.5}


def test_analyzer_empty_corpus_and_cancel():
    result = TargetSentimentAnalyzer().transform(Corpus())
    assert result.documents.empty and "russia.n" in result.documents.columns
    assert result.mentions.empty and list(result.mentions.columns) == list(MENTION_COLUMNS)

    def cancel(_f):
        raise Cancelled

    with pytest.raises(Cancelled):
        TargetSentimentAnalyzer().transform(Corpus([Document("a", "Russia.")]), progress=cancel)


def test_default_scorer_on_contrast_sentence():
    text = "Russia welcomed the wonderful agreement, but Ukraine condemned the brutal attack."
    result = TargetSentimentAnalyzer().transform(Corpus([Document("a", text)]))
    docs = result.documents
    assert docs.loc["a", "russia"] > 0.5 and docs.loc["a", "ukraine"] < -0.5
    assert result.model == "vader-window"


def test_outlet_and_place_names_are_not_mentions_of_the_country():
    from analysis.targets import find_mentions, load_targets

    text = ("China protested, the South China Morning Post reported, as ships sailed the "
            "South China Sea. Washington said little, a scholar at East China Normal "
            "University told Voice of America and the Washington Post.")
    found = [(m.target, m.text) for m in find_mentions(text, load_targets())]
    assert found == [("china", "China"), ("us_west", "Washington")]


def test_exclusions_in_a_user_file_round_trip_and_are_checked(tmp_path):
    from analysis.targets import TargetsError, dump_targets, load_targets, parse_targets

    text = "targets:\n- id: us\n  aliases: [America]\n  exclusions: [Voice of America]\n"
    targets = parse_targets(text, source="t.yaml")
    assert targets[0].exclusions == ("Voice of America",)
    dump_targets(targets, tmp_path / "t.yaml")
    assert load_targets(tmp_path / "t.yaml") == targets
    with pytest.raises(TargetsError, match="t.yaml: target 'us': 'exclusions' must be a list"):
        parse_targets(text.replace("[Voice of America]", "3"), source="t.yaml")
