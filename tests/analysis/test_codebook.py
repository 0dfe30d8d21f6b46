"""Codebook format: loading, checking (errors with file and line), dumping, term syntax."""
from __future__ import annotations

import re

import pytest

from analysis.codebook import (
    Codebook,
    CodebookError,
    Frame,
    Term,
    builtin_codebook_names,
    dump_codebook,
    load_codebook,
    parse_codebook,
    save_codebook,
    term_regex,
    terms_regex,
)

POLICY_FRAMES = ["economic", "capacity_resources", "morality", "fairness_equality", "legality",
                 "policy_prescription", "crime_punishment", "security_defense",
                 "health_safety", "quality_of_life", "cultural_identity", "public_opinion",
                 "political", "external_regulation_reputation", "other"]


def test_builtin_codebooks_load_with_the_expected_frames():
    assert builtin_codebook_names() == ["china_russia", "generic", "policy"]
    generic = load_codebook("generic")
    assert generic.frame_ids == ["conflict", "human_interest", "economic", "morality",
                                 "responsibility"]
    assert "Semetko" in generic.description
    policy = load_codebook("policy")
    assert policy.frame_ids == POLICY_FRAMES
    assert "Boydstun" in policy.description
    assert policy.frame("other").residual and policy.frame("other").terms == ()
    cr = load_codebook("china_russia")
    assert {"strategic_partnership", "alliance_bloc", "multipolarity", "us_west_driver",
            "endogenous_drivers", "economic_energy", "military_security",
            "sanctions_constraints", "asymmetry_friction"} <= set(cr.frame_ids)
    assert Term("comprehensive strategic partnership of coordination", "en") in \
        cr.frame("strategic_partnership").terms
    # Bare "partner" would match nearly every sentence of this coverage.
    assert "partner" not in cr.frame("strategic_partnership").terms


@pytest.mark.parametrize("name", ["generic", "policy", "china_russia"])
def test_dump_round_trips(name):
    cb = load_codebook(name)
    assert parse_codebook(dump_codebook(cb), source="dumped") == cb


def test_save_and_load_by_path(tmp_path):
    cb = Codebook(id="mine", label="Mine", version="2", negation_window=2, frames=(
        Frame("a", "A", "first", terms=("x y", "z*"), patterns=(r"\bq+\b",),
              exclusions=("x y z",), negation_window=0),
        Frame("rest", "Rest", residual=True)))
    path = tmp_path / "mine.yaml"
    save_codebook(cb, path)
    assert load_codebook(path) == cb
    assert load_codebook(str(path)) == cb
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]  # no temp file left


def test_missing_codebook_names_the_choices(tmp_path):
    with pytest.raises(CodebookError, match=r"no such codebook.*china_russia, generic, policy"):
        load_codebook(tmp_path / "absent.yaml")


GOOD = """\
id: demo
label: Demo
frames:
- id: one
  terms:
  - alpha
- id: two
  terms: [beta]
"""


def error_for(text: str) -> CodebookError:
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, source="demo.yaml")
    return info.value


def test_good_codebook_parses_with_defaults():
    cb = parse_codebook(GOOD)
    assert cb.id == "demo" and cb.version == "1" and cb.language == "en"
    assert cb.negation_window == 3
    assert cb.frame("one").label == "one" and cb.frame("two").terms == (Term("beta", "en"),)


@pytest.mark.parametrize("text, line, reason", [
    # PyYAML notices the unclosed bracket on the next line, and says so.
    (GOOD.replace("  - alpha", "  - alpha: [unclosed"), 7, "not valid YAML"),
    (GOOD.replace("id: two", "id: one"), 7, "duplicate frame id 'one'"),
    (GOOD.replace("- id: two", "- label: two"), 7, "frame has no id"),
    (GOOD.replace("id: demo\n", ""), 1, "codebook has no id"),
    (GOOD.replace("  - alpha", "  - ''"), 6, "frame 'one': empty term"),
    (GOOD.replace("  - alpha", "  - '*'"), 6, "term '*' has no letters or digits"),
    (GOOD.replace("  - alpha", "  - regex: '(alpha'"), 6, "frame 'one': bad regex '(alpha'"),
    (GOOD.replace("  - alpha", r"  - regex: '(a)\1'"), 6, "back-reference"),
    (GOOD.replace("  - alpha", "  - regex: 'a*'"), 6, "matches empty text"),
    (GOOD.replace("  terms: [beta]", "  term: [beta]"), 8, "unknown key 'term' in frame"),
    (GOOD.replace("  terms: [beta]", "  terms: []"), 7, "frame 'two' has no terms"),
    (GOOD.replace("  terms: [beta]", "  residual: true\n  terms: [beta]"), 7,
     "residual (never matched) but lists terms"),
    (GOOD.replace("id: two", "id: two words"), 7, "may only contain letters"),
    (GOOD.replace("label: Demo", "label: Demo\nnegation_window: -1"), 3,
     "negation_window must be a whole number"),
    (GOOD.replace("label: Demo", "label: Demo\nlabel: Again"), 3, "duplicate key 'label'"),
    ("- just\n- a list\n", None, "must be a YAML mapping"),
    ("id: x\nframes: []\n", 2, "has no frames"),
])
def test_malformed_codebooks_name_file_line_and_reason(text, line, reason):
    err = error_for(text)
    assert err.source == "demo.yaml"
    assert err.line == line
    assert reason in err.reason
    expected_where = f"demo.yaml, line {line}: " if line else "demo.yaml: "
    assert str(err).startswith(expected_where)


def test_file_errors_name_the_path(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(GOOD.replace("id: two", "id: one"), encoding="utf-8")
    with pytest.raises(CodebookError, match=r"broken\.yaml, line 7: duplicate frame id"):
        load_codebook(path)


def find(term: str, text: str) -> list[str]:
    return [m.group(0) for m in re.finditer(term_regex(term), text, re.IGNORECASE)]


def test_term_syntax():
    assert find("sanction*", "Sanctions, sanctioned; unsanctioned sanction.") == [
        "Sanctions", "sanctioned", "sanction"]
    assert find("no limits", "a no-limits deal, no limits, no – limits, nolimits") == [
        "no-limits", "no limits", "no – limits"]
    assert find("no-limits", "No limits.") == ["No limits"]
    assert find("each other's", "each other’s back, each other's") == ["each other’s",
                                                                     "each other's"]
    assert find("trade", "trader tradeoff trade-off trade.") == ["trade", "trade"]
    assert find("U.S.", "the U.S.-China talks; US") == ["U.S."]
    assert find("no limits", "no\nlimits") == []  # never across a paragraph break


def test_terms_regex_prefers_the_longest_term_and_falls_back():
    pattern = re.compile(terms_regex(["strategic partnership",
                                      "strategic partnership of coordination", "sanction*",
                                      "sanctions regime"]), re.IGNORECASE)
    text = ("A strategic partnership of coordination; a strategic partnership of trust; "
            "the sanctions regime; sanctions.")
    assert [m.group(0) for m in pattern.finditer(text)] == [
        "strategic partnership of coordination", "strategic partnership",
        "sanctions regime", "sanctions"]
