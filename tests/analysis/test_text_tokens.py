"""The token table of a segmented text equals reading each sentence on its own (the
former implementation, kept here as the reference): same words, offsets and sentences."""
from __future__ import annotations

import re
from array import array

from analysis.resources import resource_path
from analysis.text import Segmented, Sentence, normalise_token, segment, split_sentences

_TOKEN = re.compile(r"\w+(?:[-'’.&]\w+)*", re.UNICODE)


def _per_sentence(seg: Segmented) -> tuple:
    norms, starts, ends, ids = [], [], [], []
    for s in seg.sentences:
        for m in _TOKEN.finditer(s.text):
            norms.append(normalise_token(m.group(), seg.lang))
            starts.append(s.start + m.start())
            ends.append(s.start + m.end())
            ids.append(s.index)
    return tuple(norms), starts, ends, ids


def _assert_same(seg: Segmented) -> int:
    norms, starts, ends, ids = _per_sentence(seg)
    assert seg.norms == norms
    assert list(seg.token_starts) == starts and list(seg.token_ends) == ends
    assert list(seg.token_sentences) == ids
    return len(norms)


TRICKY = [
    "",
    "   \n\n",
    "___\nOnly underscores above. — \n-- * --\nA line.",
    "Mr. J. Smith met the U.S. envoy at 3 p.m. on Feb. 2. It rained… Then? “Yes!” she said.",
    "Beijing’s and Moscow's no-limits partnership (e.g. trade & energy) grew 12.5 per cent.",
    "English with a stop。Then more text！And a quote。's end",
    "Tabs\tand  double  spaces.  Next sentence.\tAnd a tab one.",
    "Ends without a full stop",
    "И по-русски тоже. 中文也有。",
]


def test_token_table_equals_reading_each_sentence_on_tricky_text():
    for text in TRICKY:
        _assert_same(Segmented(text, tuple(split_sentences(text)), ""))


def test_token_table_equals_reading_each_sentence_on_the_demo_and_seed_articles(seeds_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8")
              for p in sorted(resource_path("demo").glob("*.txt"))]
    assert len(texts) > 5
    assert sum(_assert_same(segment(t, "en")) for t in texts) > 5000


def test_a_word_cut_by_a_sentence_edge_is_read_within_each_sentence():
    # Not produced by split_sentences, but a Segmented may be built with any sentences:
    # each sentence then keeps only its own part of the word, as before.
    text = "abcdef ghi"
    seg = Segmented(text, (Sentence(0, 0, 3, 0, "abc"), Sentence(1, 3, 10, 0, "def ghi")))
    assert _assert_same(seg) == 3
    assert seg.norms == ("abc", "def", "ghi")
    assert seg.token_starts == array(seg.token_starts.typecode, [0, 3, 7])


def test_words_and_offsets_without_match_objects_equal_finditer_on_random_text():
    """The token table reads words with their gaps (``_words_with_offsets``); on random
    strings of word, joiner, space, punctuation and odd Unicode characters, it gives
    exactly the words and offsets ``finditer`` gives."""
    import random

    from analysis.text import _words_with_offsets

    alphabet = list("ab Z9_-'’.&,;!?\n\t\u00a0") + ["é", "e\u0301", "中", "Я", "ё", "\u200b",
                                                     "Ⅻ", "²", "ß", "ﬁ", "😀", "\udce9"]
    rng = random.Random(16)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        found = list(_TOKEN.finditer(text))
        assert _words_with_offsets(text) == ([m.group() for m in found],
                                             [m.start() for m in found],
                                             [m.end() for m in found]), repr(text)


def test_word_count_read_alone_equals_the_token_tables_length(seeds_dir):
    # The stance markers divide by len(norms) (the table the pipeline builds anyway)
    # where they counted the words sentence by sentence: the rates must not move.
    texts = TRICKY + [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    for text in texts:
        for lang in ("", "ru", "zh"):
            alone = Segmented(text, tuple(split_sentences(text)), lang).n_words
            assert alone == len(Segmented(text, tuple(split_sentences(text)), lang).norms)


def test_words_read_without_offsets_equal_the_token_table_on_random_text():
    """``word_norms`` (one ``findall`` over the whole text, what readability, the markers
    and the sizes read) equals the token table's norms for a text split by
    ``split_sentences``: on random strings of words, joiners, sentence stops (Latin and
    Chinese), closing quotes, line breaks, underscores and odd Unicode, in each language
    path, and on the tricky texts."""
    import random

    alphabet = (list("ab Z9_-'’.&,;!?…\n\t\u00a0\"”»)") + [". ", "! ", ".” ", "。", "……", "！",
                "U.S. ", "Mr. ", "J. ", "No. 2", " the ", "II. ", "é", "中", "Я", "ё",
                "\u200b", "Ⅻ", "²", "ß", "ﬁ", "😀", "___", "\r\n"])
    rng = random.Random(49)
    texts = TRICKY + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
                      for _ in range(4000)]
    read_alone = 0
    for text in texts:
        for lang in ("", "ru", "zh"):
            sentences = tuple(split_sentences(text))
            fast = Segmented(text, sentences, lang, split=True)
            table = Segmented(text, sentences, lang, split=True)
            assert fast.word_norms == table.norms, (repr(text), lang)
            assert fast.n_words == len(table.norms), (repr(text), lang)
            read_alone += "_token_table" not in fast.__dict__
    assert read_alone > 2000  # the findall path ran (not only the table behind it)


def test_words_of_sentences_not_split_from_the_text_come_from_the_table():
    # A Segmented built with other sentences keeps only the words inside them.
    text = "abcdef ghi. Left out."
    seg = Segmented(text, (Sentence(0, 0, 3, 0, "abc"), Sentence(1, 3, 10, 0, "def ghi")))
    assert seg.word_norms == ("abc", "def", "ghi")
    assert segment(text).word_norms == ("abcdef", "ghi", "left", "out")


def test_possessive_token_patterns_match_as_the_backtracking_ones():
    """The words (and the gaps between them) found with possessive quantifiers are those
    the plain patterns find, on texts made of the characters that end or join words."""
    import random

    from analysis.text import _TOKEN, _WORD_OR_BREAK, _WORD_SPLIT

    word_split = re.compile(f"({_TOKEN_PLAIN})")
    word_or_break = re.compile(_WORD_OR_BREAK.pattern.replace(_TOKEN.pattern, _TOKEN_PLAIN))
    assert word_or_break.pattern != _WORD_OR_BREAK.pattern
    rng = random.Random(16)
    alphabet = list("ab1_-'’.&, \n;:…—“”()") + ["é", "名", "\u0301", "ß"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
             for _ in range(20000)]
    texts.extend(p.read_text("utf-8") for p in sorted(resource_path("demo").glob("*.txt")))
    for text in texts:
        assert _TOKEN.findall(text) == _TOKEN_REFERENCE.findall(text)
        assert [m.span() for m in _TOKEN.finditer(text)] == \
            [m.span() for m in _TOKEN_REFERENCE.finditer(text)]
        assert _WORD_SPLIT.split(text) == word_split.split(text)
        assert _WORD_OR_BREAK.findall(text) == word_or_break.findall(text)


_TOKEN_PLAIN = r"\w+(?:[-'’.&]\w+)*"
_TOKEN_REFERENCE = re.compile(_TOKEN_PLAIN, re.UNICODE)


def test_token_table_of_split_sentences_equals_reading_each_sentence_on_random_text():
    """A text segmented by ``split_sentences`` (``split=True``) takes each sentence's words
    by count alone; on random strings of words, joiners, sentence stops (Latin and
    Chinese), closing quotes, line breaks, underscores and odd Unicode, in each
    tokenised language, its table equals reading each sentence on its own."""
    import random

    alphabet = (list("ab Z9_-'’.&,;!?…\n\t\u00a0\"”»)") + [". ", "! ", ".” ", "。", "……", "！",
                "U.S. ", "Mr. ", "J. ", "No. 2", " the ", "II. ", "é", "中", "Я", "ё",
                "\u200b", "Ⅻ", "²", "ß", "ﬁ", "😀", "___", "\r\n", " - ", "\n\n"])
    rng = random.Random(73)
    texts = TRICKY + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
                      for _ in range(4000)]
    without_underscore = 0
    for text in texts:
        for lang in ("", "ru"):
            seg = Segmented(text, tuple(split_sentences(text)), lang, split=True)
            _assert_same(seg)
            without_underscore += "_" not in text
    assert without_underscore > 2000  # the path by counts ran
