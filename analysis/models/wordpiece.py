"""BERT's uncased WordPiece tokenizer, read from a ``tokenizer.json`` file.

The transformer target model needs its input split exactly as in training. Hugging Face's
``tokenizers`` package would do it, but it pulls in ``huggingface-hub`` and its network
code; the steps for an uncased BERT vocabulary are few and fixed, so they live here:
added tokens are cut out of the raw text first, the rest is cleaned, spaced around CJK
ideographs, lower-cased and stripped of accents, split at whitespace and at every
punctuation character, and each word is cut greedily into the longest vocabulary pieces
("##" marks a piece that continues a word). tests/analysis/test_wordpiece.py holds ids the
reference tokenizer gave.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["WordPiece"]

_CJK = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
        (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


def _is_cjk(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _CJK)


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    # BERT counts every non-alphanumeric ASCII symbol ("$", "^", "`") as punctuation.
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _clean_char(ch: str) -> str:
    """Whitespace becomes a space; other control and format characters, NUL and U+FFFD
    disappear; CJK ideographs get spaces around them (each becomes a word)."""
    if ch in "\t\n\r":
        return " "
    category = unicodedata.category(ch)
    if category[0] == "C" or ch == "\ufffd":
        return ""
    if category in ("Zs", "Zl", "Zp"):
        return " "
    cp = ord(ch)
    return f" {ch} " if cp > 0x2E7F and _is_cjk(cp) else ch


class WordPiece:
    """Text to token ids for an uncased BERT model.

    Parameters
    ----------
    path : the ``tokenizer.json`` written with the model (its ``model.vocab`` and
        ``added_tokens`` are read; the model type must be WordPiece).
    max_length : tokens per input, ``[CLS]`` and ``[SEP]`` included; longer inputs are cut.
    """

    def __init__(self, path: str | Path, max_length: int = 128) -> None:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
        model = spec.get("model") or {}
        if model.get("type") != "WordPiece":
            raise ValueError(f"{path}: not a WordPiece tokenizer")
        self.vocab: dict[str, int] = model["vocab"]
        self.unk = self.vocab[model.get("unk_token", "[UNK]")]
        self.prefix = model.get("continuing_subword_prefix", "##")
        self.max_word = int(model.get("max_input_chars_per_word", 100))
        self.added = {t["content"]: t["id"] for t in spec.get("added_tokens") or []}
        self.cls, self.sep = self.added["[CLS]"], self.added["[SEP]"]
        self.pad = self.added.get("[PAD]", 0)
        self.max_length = int(max_length)
        # Longest first, so "[/TGT]" is not read as "[" + ...; matched on the raw text.
        names = sorted(self.added, key=len, reverse=True)
        self._added_re = re.compile("(" + "|".join(map(re.escape, names)) + ")")
        self._piece = lru_cache(maxsize=65536)(self._word_pieces)

    def _word_pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > self.max_word:
            return (self.unk,)
        out, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                if piece in self.vocab:
                    out.append(self.vocab[piece])
                    break
                end -= 1
            else:
                return (self.unk,)  # one unmatched piece makes the whole word unknown
            start = end
        return tuple(out)

    def _words(self, text: str) -> list[str]:
        # Lower-cased a character at a time, as the reference does: no final-sigma rule.
        text = "".join(_clean_char(ch).lower() for ch in text)
        text = "".join(ch for ch in unicodedata.normalize("NFD", text)
                       if unicodedata.category(ch) != "Mn")
        words = []
        for chunk in text.split():
            word = ""
            for ch in chunk:
                if _is_punctuation(ch):
                    if word:
                        words.append(word)
                    words.append(ch)
                    word = ""
                else:
                    word += ch
            if word:
                words.append(word)
        return words

    def pieces(self, text: str) -> list[int]:
        """The ids of the text's word pieces, uncut, without ``[CLS]`` and ``[SEP]``."""
        out: list[int] = []
        for part in self._added_re.split(text):
            if part in self.added:
                out.append(self.added[part])
            elif part:
                for word in self._words(part):
                    out.extend(self._piece(word))
        return out

    def ids(self, text: str) -> list[int]:
        """``[CLS]``, the text's pieces (cut to fit ``max_length``), ``[SEP]``."""
        return [self.cls, *self.pieces(text)[:self.max_length - 2], self.sep]

    def batch(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """``input_ids`` and ``attention_mask`` (int64), padded to the longest text."""
        rows = [self.ids(t) for t in texts]
        width = max((len(r) for r in rows), default=0)
        ids = np.full((len(rows), width), self.pad, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, row in enumerate(rows):
            ids[i, :len(row)] = row
            mask[i, :len(row)] = 1
        return ids, mask
