"""Document features for the generic-frame detector: TF-IDF terms and codebook evidence.

Terms are the words and word pairs of :func:`analysis.text.ngrams` (never across a
comma or sentence end). Codebook evidence is, per frame, the share of a document's
sentences that contain one of the frame's indicator phrases; the indicators follow the
Semetko & Valkenburg (2000) yes/no questions. The built-in indicator lists below are the
fallback; when the project's editable generic codebook (``analysis.frames``) is present,
its dictionaries can be passed in instead, so a user's edits reach the detector.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from analysis.models.data import FRAME_IDS
from analysis.text import ngrams, split_sentences

__all__ = ["DEFAULT_INDICATORS", "Codebook", "document_terms", "codebook_features",
           "sentence_hits"]

#: Indicator phrases per frame (lower case; a trailing ``*`` matches any word ending).
DEFAULT_INDICATORS: dict[str, tuple[str, ...]] = {
    "conflict": (
        "disagree*", "dispute*", "conflict*", "clash*", "oppos*", "critic*", "attack*",
        "accus*", "blame*", "fight*", "battle*", "war", "rival*", "reject*", "denounc*",
        "slam*", "debate*", "versus", "against", "controvers*", "tension*", "protest*",
        "lawsuit*", "sue", "sued", "argu*", "skeptic*", "denier*", "hoax", "alarmist*",
        "winner*", "loser*", "partisan", "republicans", "democrats",
    ),
    "economic": (
        "cost*", "econom*", "financ*", "fund*", "money", "dollar*", "billion*", "million*",
        "tax*", "price*", "invest*", "market*", "jobs", "job", "industr*", "business*",
        "profit*", "spend*", "budget*", "gdp", "trade", "subsid*", "expens*", "afford*",
        "revenue*", "insurance", "bank*", "pay", "paid", "compan*",
    ),
    "human_interest": (
        "family", "families", "child*", "kids", "mother*", "father*", "daughter*", "son",
        "home*", "her life", "his life", "lives", "personal*", "story of", "suffer*",
        "victim*", "tragic*", "heartbreak*", "devastat*", "grief", "fear*", "hope*",
        "resident*", "farmer*", "died", "death*", "homeless", "emotional*", "told me",
        "i feel", "we feel", "grandchildren", "community", "communities",
    ),
    "morality": (
        "moral*", "ethic*", "god", "church", "faith", "relig*", "pope", "sin", "sinful",
        "duty", "obligation*", "responsib* to", "right thing", "wrong", "justice",
        "injustice", "fair*", "unfair*", "conscience", "sacred", "values", "shame*",
        "selfish*", "greed*", "evil", "virtue*", "should", "must", "generation*",
        "creation", "stewardship",
    ),
    "responsibility": (
        "solution*", "solve*", "mitigat*", "reduce*", "cut emissions", "policy", "policies",
        "plan*", "agreement*", "accord*", "target*", "commit*", "pledge*", "action",
        "act now", "urgent*", "govern*", "regulat*", "law*", "legislat*", "responsib*",
        "caused by", "blame*", "renewable*", "transition*", "carbon tax", "ban*",
        "initiative*", "deal", "measures",
    ),
}


class Codebook:
    """Indicator phrases per frame, compiled to one regular expression per frame."""

    def __init__(self, indicators: Mapping[str, Iterable[str]] | None = None):
        self.indicators = {f: tuple(dict.fromkeys(p.lower() for p in terms))
                           for f, terms in (indicators or DEFAULT_INDICATORS).items()}
        self.patterns = {f: re.compile(r"\b(?:" + "|".join(_to_regex(t) for t in terms)
                                       + r")", re.IGNORECASE)
                         for f, terms in self.indicators.items() if terms}

    def hits(self, text: str, frame: str) -> list[str]:
        """The indicator matches of ``frame`` in ``text`` (lower case, in order)."""
        pattern = self.patterns.get(frame)
        return [m.group(0).lower() for m in pattern.finditer(text)] if pattern else []


def _to_regex(term: str) -> str:
    if term.endswith("*"):
        return re.escape(term[:-1]) + r"\w*"
    return re.escape(term) + r"\b"


def document_terms(text: str) -> Counter[str]:
    """Counts of the words and word pairs of a document (``analysis.text.ngrams``, n <= 2)."""
    return Counter(ngrams(text, n_max=2))


def sentence_hits(text: str, codebook: Codebook) -> dict[str, list[tuple[str, list[str]]]]:
    """Per frame, the sentences of ``text`` that hold an indicator, with the matches."""
    out: dict[str, list[tuple[str, list[str]]]] = {f: [] for f in FRAME_IDS}
    for s in split_sentences(text):
        for frame in FRAME_IDS:
            found = codebook.hits(s.text, frame)
            if found:
                out[frame].append((s.text, found))
    return out


def codebook_features(texts: Sequence[str], codebook: Codebook) -> list[dict[str, float]]:
    """Per document, ``cb:<frame>``: share of its sentences with an indicator of the frame,
    and ``cbn:<frame>``: log(1 + number of indicator matches)."""
    rows = []
    for text in texts:
        sentences = split_sentences(text) or []
        n = max(1, len(sentences))
        feats: dict[str, float] = {}
        for frame in FRAME_IDS:
            counts = [len(codebook.hits(s.text, frame)) for s in sentences]
            feats["cb:" + frame] = sum(c > 0 for c in counts) / n
            feats["cbn:" + frame] = math.log1p(sum(counts)) / 3
        rows.append(feats)
    return rows
