"""Chinese words and Russian lemmas: the keys that count and match words."""
from __future__ import annotations

from analysis.lang import match_key, ru_lemma, text_language, zh_words


def test_zh_words_are_jieba_words_with_offsets():
    text = "俄罗斯总统访问北京，双方签署了能源协议。"
    found = zh_words(text)
    words = [w for w, _, _ in found]
    assert words[:4] == ["俄罗斯", "总统", "访问", "北京"]
    assert "，" not in words and "。" not in words  # punctuation is not a word
    assert all(text[a:b] == w for w, a, b in found)


def test_zh_words_keep_latin_words_and_numbers_whole():
    words = [w for w, _, _ in zh_words("北约NATO在2024年扩大")]
    assert "NATO" in words and "2024" in words


def test_russian_case_endings_share_one_lemma():
    forms = ["партнёрство", "партнёрства", "партнёрству", "партнёрством", "партнёрстве"]
    assert {ru_lemma(f) for f in forms} == {"партнёрство"}
    assert ru_lemma("Москвы") == "москва"


def test_match_key_lemmatises_russian_only_and_folds_yo():
    assert match_key("Партнёрства", "ru") == match_key("партнерство", "ru") == "партнерство"
    assert match_key("Партнёрства", "en") == "партнёрства"
    assert match_key("China’s", "en") == "china's"
    assert match_key("北京", "zh") == "北京"


def test_text_language_from_script():
    assert text_language("中国和俄罗斯的关系不断发展。") == "zh"
    assert text_language("Россия и Китай подписали соглашение.") == "ru"
    assert text_language("Україна і Росія") == ""  # Ukrainian letters: not Russian
    assert text_language("China and Russia signed a deal.") == ""


def test_libraries_load_only_when_a_chinese_or_russian_word_is_seen():
    import subprocess
    import sys
    code = ("import sys, analysis.lang as L, analysis.text as T;"
            "T.segment('China and Russia signed a deal. Talks went on.').norms;"
            "print('jieba' in sys.modules, 'pymorphy3' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]


def test_document_language_guesses_each_text_once(monkeypatch):
    """The corpus stage asks for a document's language many times; the importer's guess
    (a regex scan of the text) runs once per text, with the same answer every time."""
    import analysis.ingest.metadata as metadata
    from analysis.corpus import Document
    from analysis.lang import document_language

    calls = []
    real = metadata.guess_language

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(metadata, "guess_language", counting)
    doc = Document("d1", "Министры подписали соглашение о перевозке грузов через порты "
                         "региона, сообщили в четверг в столице.")
    assert [document_language(doc) for _ in range(5)] == ["ru"] * 5
    assert len(calls) == 1
    stored = Document("d2", doc.text, meta={"language": "en"})
    assert document_language(stored) == "en"  # a stored language is never guessed
    assert len(calls) == 1


def test_each_document_of_a_large_corpus_is_guessed_once(monkeypatch):
    """More documents than any cache of texts would hold: asked again and again (as the
    analyzers and the corpus stage do), each document's text is still guessed once, and a
    copy sent to another process is not guessed at all."""
    import pickle

    import analysis.ingest.metadata as metadata
    from analysis.corpus import Document
    from analysis.lang import document_language

    calls = []
    real = metadata.guess_language
    monkeypatch.setattr(metadata, "guess_language", lambda text: calls.append(1) or real(text))
    docs = [Document(f"d{i}", f"The minister and the envoy met in port {i} of the region "
                              f"that is open for trade.") for i in range(6000)]
    for _ in range(3):
        assert {document_language(d) for d in docs} == {"en"}
    assert len(calls) == len(docs)
    sent = pickle.loads(pickle.dumps(docs[:10]))
    assert [document_language(d) for d in sent] == ["en"] * 10
    assert sent == docs[:10] and len(calls) == len(docs)


def test_a_metadata_edit_changes_the_language_a_document_is_read_in():
    """The language is remembered per document, and an edit in the corpus table makes a new
    document: the edited language is the one every analyzer then reads."""
    from analysis.corpus import Document
    from analysis.lang import document_language

    doc = Document("d1", "The minister and the envoy met in the port that is open for trade.")
    assert document_language(doc) == "en"
    edited = doc.with_meta(language="zh-CN")
    assert document_language(edited) == "zh"
    assert document_language(edited.with_meta(language="")) == "en"
    assert document_language(doc) == "en"
