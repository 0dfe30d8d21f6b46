"""Chinese words (jieba) and Russian lemmas (pymorphy3), loaded only when a text needs them.

Both libraries are slow to start (jieba builds its prefix dictionary in about a second,
pymorphy3 opens its DAWG files in about 0.2 s), so neither is imported until the first
Chinese or Russian word is seen: an English-only corpus never pays for them.
"""
from __future__ import annotations

import logging
import re
import threading
import warnings
from functools import lru_cache

__all__ = ["zh_words", "ru_lemma", "match_key", "text_language", "resolve_language",
           "document_language", "language_name", "LEMMATISED", "SEGMENTED",
           "NOT_AVAILABLE", "method_available", "unavailable_note", "reads_plain_words"]

#: Languages whose words are counted by lemma (case endings would split a term in six).
LEMMATISED = frozenset({"ru"})
#: Languages written without spaces, whose words come from a segmenter.
SEGMENTED = frozenset({"zh"})


def reads_plain_words(lang: str) -> bool:
    """Whether a text of ``lang`` is read as plain words (neither lemmatised nor segmented)."""
    return lang not in LEMMATISED and lang not in SEGMENTED

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_KANA = re.compile(r"[\u3040-\u30ff]")
# Letters Russian does not use: a Cyrillic text with them is Ukrainian or Belarusian.
_NOT_RUSSIAN = re.compile(r"[іїєґў]", re.IGNORECASE)
# Han or Cyrillic anywhere: without either, no share can pass a threshold below.
_HAN_OR_CYRILLIC = re.compile(r"[\u0400-\u04ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LOCK = threading.Lock()
_jieba = None
_morph = None


def _tokenizer():
    """jieba's tokenizer, dictionary loaded on first use (thread-safe, once)."""
    global _jieba
    if _jieba is None:
        with _LOCK:
            if _jieba is None:
                with warnings.catch_warnings():
                    # jieba 0.42 imports pkg_resources, which newer setuptools deprecates.
                    warnings.simplefilter("ignore", DeprecationWarning)
                    warnings.simplefilter("ignore", UserWarning)
                    import jieba
                # jieba logs "Building prefix dict..." at DEBUG on stderr.
                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                _jieba = tok
    return _jieba


def _analyzer():
    global _morph
    if _morph is None:
        with _LOCK:
            if _morph is None:
                import pymorphy3
                _morph = pymorphy3.MorphAnalyzer(lang="ru")
    return _morph


def zh_words(text: str) -> list[tuple[str, int, int]]:
    """The words of a Chinese text as ``(word, start, end)``, offsets into ``text``.

    jieba's dictionary and HMM segmentation; white space and punctuation are left out, so
    every item has a letter or digit. Latin words and numbers inside the text come back
    whole ("NATO", "2024").
    """
    if not text:
        return []
    return [(w, a, b) for w, a, b in _tokenizer().tokenize(text, HMM=True)
            if any(ch.isalnum() for ch in w)]


@lru_cache(maxsize=200_000)
def ru_lemma(word: str) -> str:
    """The dictionary form of a Russian word, lower case ("партнёрства" -> "партнёрство").

    pymorphy3's most probable parse; a word that is not Cyrillic comes back lower-cased.
    Cached: news vocabulary is small, and a parse costs tens of microseconds.
    """
    low = word.lower()
    if not _CYRILLIC.search(low):
        return low
    return _analyzer().parse(low)[0].normal_form


def match_key(word: str, lang: str) -> str:
    """The form used to count and match ``word`` in a text of language ``lang``.

    Lower case with curly apostrophes folded; for Russian, the lemma with "ё" written "е"
    (writers and codebook authors use both). Chinese words are their own key.
    """
    low = word.lower().replace("’", "'")
    if lang in LEMMATISED and _CYRILLIC.search(low):
        return ru_lemma(low).replace("ё", "е")
    return low


@lru_cache(maxsize=4096)
def text_language(text: str) -> str:
    """"zh" or "ru" when the script of ``text`` says so, else "" (used when a caller
    does not pass the document's stored language).

    The same thresholds as the importer's language guess: more than 30 % of the letters
    Han (without kana) or Cyrillic (without the letters Russian does not use).
    Remembered: the analyzers ask for the same text's language several times each.
    """
    sample = text[:2000]
    # An English text with curly quotes is not ASCII: one search then settles it,
    # instead of counting every letter.
    if sample.isascii() or not _HAN_OR_CYRILLIC.search(sample):
        return ""
    han, cyr = len(_HAN.findall(sample)), len(_CYRILLIC.findall(sample))
    letters = han + cyr + len(_LATIN.findall(sample)) + len(_KANA.findall(sample))
    if not letters:
        return ""
    if han / letters > 0.3 and not _KANA.search(sample):
        return "zh"
    if cyr / letters > 0.3 and not _NOT_RUSSIAN.search(sample):
        return "ru"
    return ""


def resolve_language(text: str, lang: str | None) -> str:
    """The language to process ``text`` as: ``lang`` (a stored code, any region suffix
    dropped: "zh-CN" -> "zh") or, when None, the one its script shows."""
    if lang is None:
        return text_language(text)
    return lang.strip().lower().replace("_", "-").split("-")[0]


def document_language(doc) -> str:
    """A document's language: its stored ``language`` (set at import, editable in the
    corpus table) or, when that is empty, the importer's guess ("" if unknown).

    Remembered on the document: the analyzers and the corpus stage ask for each document's
    language about five times, and a document is immutable (a metadata edit makes a new
    one). A cache keyed by text held 4,096 texts and was emptied over and over on a larger
    corpus, each look-up also decoding the text to hash it.
    """
    held = doc.__dict__
    lang = held.get("_language")
    if lang is None:
        stored = doc.get("language") or _guessed_language(doc.text)
        lang = held["_language"] = resolve_language(doc.text, stored)
    return lang


def _guessed_language(text: str) -> str:
    """The importer's guess (a scan of the text with regular expressions)."""
    # Imported here: the ingest package imports the text module, which imports this one.
    from analysis.ingest.metadata import guess_language

    return guess_language(text)


_NAMES = {"zh": "Chinese", "ru": "Russian", "en": "English", "fr": "French", "de": "German",
          "es": "Spanish", "ja": "Japanese", "ko": "Korean", "uk": "Ukrainian",
          "be": "Belarusian", "": "unknown language"}


def language_name(code: str) -> str:
    """"Chinese" for "zh"; an unlisted code comes back as itself."""
    return _NAMES.get(code, code)


#: What the app, the tables and the reports say where a method has no validated version
#: for a document's language.
NOT_AVAILABLE = "not available for this language"
# Languages each language-bound method is validated for. VADER (sentence and target tone),
# the transformer target model and the readability formulas (Flesch, Flesch-Kincaid, fog,
# SMOG) are English; "" (language unknown) is taken as English, the importer's default.
_VALIDATED = {"sentiment": frozenset({"en", ""}), "targets": frozenset({"en", ""}),
              "readability": frozenset({"en", ""})}


def method_available(section: str, lang: str) -> bool:
    """Whether ``section`` ("sentiment", "targets", "readability") has a validated method
    for language ``lang``; any other section is language-neutral."""
    return lang in _VALIDATED.get(section, (lang,))


def unavailable_note(group: str, langs: dict[str, int], n_documents: int,
                     sections: tuple[str, ...] = ("sentiment", "targets", "readability")
                     ) -> str:
    """The sentence a group's figures carry when some of its documents are in a language
    a method is not validated for ("" when every document is covered).

    ``langs`` counts the group's documents per language code.
    """
    missing = {k: n for k, n in langs.items()
               if any(not method_available(s, k) for s in sections)}
    n_missing = sum(missing.values())
    if not n_missing:
        return ""
    names = ", ".join(f"{language_name(k)} {n}" for k, n in sorted(missing.items()))
    kept = n_documents - n_missing
    uses = (f"its figures for them use the other {kept} document{'s' if kept != 1 else ''}"
            if kept else "it has no such figures")
    return (f"Sentiment, target tone and the readability formulas are {NOT_AVAILABLE} "
            f"for {n_missing} of {n_documents} documents of '{group}' ({names}): {uses}.")
