"""Keyness within one language: what two groups' languages are, and per-language keyness.

Keyness across languages is meaningless ("的" is not distinctive of Xinhua, it is Chinese),
so a comparison whose groups differ in language says so, and its terms are also computed
within each language both groups have documents in.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from analysis.corpus import Corpus
from analysis.keyness import TermCounts
from analysis.keyness import compare as keyness_compare
from analysis.lang import document_language, language_name

__all__ = ["languages_of", "language_note", "per_language_keyness"]


def languages_of(corpus: Corpus, ids: Iterable[str]) -> dict[str, int]:
    """Documents per language code ("" when unknown), most frequent first."""
    counts = Counter(document_language(corpus[i]) for i in ids)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _describe(langs: Mapping[str, int]) -> str:
    if len(langs) == 1:
        return f"in {language_name(next(iter(langs)))}"
    return "in " + ", ".join(f"{language_name(k)} ({n})" for k, n in langs.items())


def language_note(a: str, b: str, langs_a: Mapping[str, int],
                  langs_b: Mapping[str, int]) -> str:
    """What a reader must know when the groups' languages differ ("" when they do not).

    Documents of unknown language count as their own language: they cannot be said to
    share one with the rest.
    """
    if len(set(langs_a) | set(langs_b)) <= 1:
        return ""
    shared = [k for k in langs_a if k in langs_b]
    head = (f"'{a}' is {_describe(langs_a)} and '{b}' {_describe(langs_b)}: distinctive "
            "vocabulary over all their documents compares words across languages, so it "
            "mostly shows the languages, not the framing.")
    if not shared:
        return head + " No language has documents in both groups to compare within."
    within = ", ".join(f"{language_name(k)} ({langs_a[k]} vs {langs_b[k]} documents)"
                       for k in shared)
    return head + f" Compared within one language: {within}."


def per_language_keyness(term_counts: TermCounts, corpus: Corpus, ids_a: Iterable[str],
                         ids_b: Iterable[str], **kwargs) -> dict[str, dict]:
    """Keyness of ``ids_a`` vs ``ids_b`` within each language both have documents in,
    when the two groups are not all one language.

    Returns ``{code: {"a": rows, "b": rows, "n_documents_a": int, "n_documents_b": int}}``
    (rows as in results.json: :data:`analysis.keyness.KEYNESS_COLUMNS` records); empty
    when both groups are one and the same language. ``kwargs`` go to
    :func:`analysis.keyness.compare`.
    """
    ids_a, ids_b = list(ids_a), list(ids_b)
    lang_of = {i: document_language(corpus[i]) for i in [*ids_a, *ids_b]}
    langs = set(lang_of.values())
    if len(langs) <= 1:
        return {}
    out: dict[str, dict] = {}
    for lang in sorted(langs):
        sub_a = [i for i in ids_a if lang_of[i] == lang]
        sub_b = [i for i in ids_b if lang_of[i] == lang]
        if not sub_a or not sub_b:
            continue
        result = keyness_compare(term_counts, sub_a, sub_b, **kwargs)
        out[lang] = {"a": result.a.to_dict("records"), "b": result.b.to_dict("records"),
                     "n_documents_a": len(sub_a), "n_documents_b": len(sub_b)}
    return out
