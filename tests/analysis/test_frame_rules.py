"""Each frame match names the codebook term behind it: the longest term whose regex matches
the matched text. The plan tries only the terms that can open with the match's first word
(and compiles a term's regex when first needed); the rule must be the one a full scan of
every term's regex gives."""
from __future__ import annotations

import re

from analysis.codebook import load_codebook, parse_codebook, term_regex
from analysis.corpus import Corpus, Document
from analysis.frames import FrameAnalyzer

TRICKY = parse_codebook("""\
id: tricky
frames:
- id: f
  terms: [sanction*, sanctions regime, "*cooperation", win-win, U.S., "China's rise",
          anti-west*, partner, partnership, no limits partnership, strategic partner*,
          "$100 billion", Ostpolitik, ça va, "(sic)"]
- id: g
  terms: [partner*, "partner's role", U.S.-led, cooperation, mutual*, café]
""", source="tricky.yaml")

TEXTS = [
    "Sanctions and the sanctions regime hit Moscow; win-win cooperation, economic "
    "cooperation and the U.S. view differ. China’s rise worried the anti-western press.",
    "The no-limits partnership and a strategic partnership: partner states, partners, "
    "the partner’s role in the U.S.-led order. Mutually agreed, $100 billion, OSTPOLITIK.",
    "Ça va, said the café owner (sic). A no limits  partnership and a win – win deal.",
]


def _full_scan(terms: list[str], matched: str) -> str:
    ordered = sorted(dict.fromkeys(terms), key=lambda t: (-len(t), t))
    return next((t for t in ordered
                 if re.compile(term_regex(t), re.IGNORECASE).fullmatch(matched.lower())), "")


def _check(codebooks, texts) -> int:
    result = FrameAnalyzer(codebooks).transform(
        Corpus(Document(f"d{i}", t) for i, t in enumerate(texts)))
    terms = {(cb.id, f.id): [t.text for t in f.terms] for cb in codebooks for f in cb.frames}
    rows = result.matches[~result.matches["rule"].str.startswith("regex:")]
    for cb, frame, matched, rule in rows[["codebook", "frame", "term", "rule"]].values:
        assert rule == _full_scan(terms[(cb, frame)], matched), (frame, matched)
    return len(rows)


def test_rules_equal_a_scan_of_every_term_on_tricky_terms():
    assert _check([TRICKY], TEXTS) >= 25


def test_rules_equal_a_scan_of_every_term_with_the_built_in_codebooks(seeds_dir):
    from analysis.codebook import builtin_codebook_names

    books = [load_codebook(name) for name in builtin_codebook_names()]
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    assert _check(books, texts + TEXTS) > 300
