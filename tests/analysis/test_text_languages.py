"""Sentences and words of Chinese and Russian text (issue 15)."""
from __future__ import annotations

from analysis.text import ngrams, phrase_chunks, segment, split_sentences, tokenize, words

ZH = ("新华社北京电 中俄两国元首举行会谈。外交部发言人表示：“中方愿同俄方加强合作！”"
      "双方讨论了能源、贸易和安全问题……会谈持续两个小时；\n第二段说明了会谈的成果。")
RU = ("Россия и Китай укрепляют безграничное партнёрство. В.В. Путин заявил о "
      "многополярном мире в г. Москве. Партнёрства без доверия не бывает.")


def test_chinese_sentences_end_at_chinese_punctuation_with_closing_quotes():
    assert [s.text for s in split_sentences(ZH)] == [
        "新华社北京电 中俄两国元首举行会谈。",
        "外交部发言人表示：“中方愿同俄方加强合作！”",
        "双方讨论了能源、贸易和安全问题……",
        "会谈持续两个小时；",
        "第二段说明了会谈的成果。",
    ]


def test_chinese_tokens_are_words_not_characters_or_runs():
    seg = segment(ZH)
    assert seg.lang == "zh"
    assert {"外交部", "发言人", "能源", "贸易", "会谈"} <= set(seg.norms)
    assert seg.n_words == len(seg.norms)
    # offsets point at the words in the text
    assert all(ZH[a:b] == w for w, a, b in zip(seg.norms, seg.token_starts, seg.token_ends,
                                                 strict=True))
    assert words("外交部发言人表示") == ["外交部", "发言人", "表示"]


def test_chinese_phrases_do_not_cross_enumeration_commas():
    chunks = phrase_chunks(ZH)
    assert ["双方", "讨论", "了", "能源"] in chunks and ["贸易", "和", "安全", "问题"] in chunks
    assert "能源 贸易" not in ngrams(ZH, 2)
    assert "安全 问题" in ngrams(ZH, 2)


def test_russian_sentences_keep_initials_and_city_abbreviation():
    assert [s.text for s in split_sentences(RU)] == [
        "Россия и Китай укрепляют безграничное партнёрство.",
        "В.В. Путин заявил о многополярном мире в г. Москве.",
        "Партнёрства без доверия не бывает.",
    ]


def test_russian_tokens_count_lemmas_and_keep_surface_offsets():
    seg = segment(RU)
    assert seg.lang == "ru"
    assert seg.norms.count("партнерство") == 2
    assert "многополярный мир" in ngrams(RU, 2)
    i = seg.norms.index("москва")
    assert RU[seg.token_starts[i]:seg.token_ends[i]] == "Москве"
    assert [t.norm for t in tokenize("Китаем и Россией")] == ["китай", "и", "россия"]


def test_the_stored_language_wins_over_the_script():
    assert segment(RU, "en").norms[:2] == ("россия", "и")
    assert segment(RU, "en").norms.count("партнерство") == 0
    assert segment("俄罗斯总统访问北京", "zh-CN").norms == ("俄罗斯", "总统", "访问", "北京")
    assert segment("俄罗斯总统访问北京", "ja").n_words == 1  # no segmenter for this language: one run
