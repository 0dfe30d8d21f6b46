"""The function-word list shared by keyness and topics (modals and negation deliberately kept)."""
from __future__ import annotations

from functools import lru_cache

from analysis.resources import resource

__all__ = ["STOPWORDS_RESOURCE", "stopwords", "is_phrase_edge_stopword"]

#: Packaged file, one word per line, ``#`` comments.
STOPWORDS_RESOURCE = ("lexicons", "stopwords.txt")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Articles, pronouns, prepositions, conjunctions and auxiliaries (lower case).

    Modals ("must", "should", "may", "will"...) and negation ("not", "no", "never") are
    not in the list: they carry stance, so they stay available to keyness.
    """
    text = resource(*STOPWORDS_RESOURCE).read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.lstrip().startswith("#"))


def is_phrase_edge_stopword(word: str, stop: frozenset[str] | None = None) -> bool:
    """Whether ``word`` may not start or end a keyness term.

    Stop words and tokens without a letter (numbers such as "2018") make poor phrase
    edges: "of the", "the partnership" and "2018 summit" are dropped, but a stop word or
    number inside a phrase ("partnership of coordination") is fine.
    """
    stop = stopwords() if stop is None else stop
    return word in stop or not any(ch.isalpha() for ch in word)
