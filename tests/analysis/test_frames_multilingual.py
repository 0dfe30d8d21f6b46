"""Multilingual codebooks: a frame's terms carry a language, and each document is matched
against the terms of its own language (Russian by lemma, Chinese on jieba's words), so a
frame is compared across languages at the level of the concept. The sentences are our own."""
from __future__ import annotations

import math

import pytest

from analysis.codebook import (
    CodebookError,
    Term,
    dump_codebook,
    load_codebook,
    parse_codebook,
)
from analysis.corpus import Corpus, Document
from analysis.frames import FrameAnalyzer, match_term, unmeasured_warnings

CR = load_codebook("china_russia")
PARTNERSHIP = "china_russia.strategic_partnership"
MULTIPOLAR = "china_russia.multipolarity"
ALLIANCE = "china_russia.alliance_bloc"


def doc(doc_id: str, language: str, *paragraphs: str, group: str = "") -> Document:
    """One sentence per paragraph, so the share of sentences does not depend on how each
    language's sentences are split."""
    return Document(doc_id, "\n".join(paragraphs), {"language": language, "group": group})


def frames_of(*docs: Document, books=(CR,)):
    return FrameAnalyzer(list(books)).transform(Corpus(docs))


def test_one_frame_is_matched_in_english_chinese_and_russian_alike():
    result = frames_of(
        doc("en", "en", "Both capitals praised their strategic partnership.",
            "The weather in the capital was mild."),
        doc("zh", "zh", "两国领导人表示，中俄全面战略协作伙伴关系不断深化。",
            "会场外下着小雨。"),
        doc("ru", "ru", "Лидеры назвали отношения всеобъемлющим партнёрством.",
            "Вечером в городе шёл дождь."))
    shares = result.documents[PARTNERSHIP]
    assert shares.to_dict() == {"en": 0.5, "zh": 0.5, "ru": 0.5}
    m = result.matches[result.matches["frame"] == "strategic_partnership"]
    assert m.set_index("doc_id")["term"].to_dict() == {
        "en": "strategic partnership", "zh": "全面战略协作伙伴关系",
        "ru": "всеобъемлющим партнёрством"}
    assert m.set_index("doc_id")["rule"]["ru"] == "всеобъемлющее партнёрство"


def test_terms_match_only_documents_of_their_language():
    # An English phrase in a Russian text, and a Russian one in an English text: neither
    # counts, because each document is read with the terms of its own language.
    result = frames_of(
        doc("ru", "ru", "Газета процитировала слова strategic partnership без перевода."),
        doc("en", "en", "The slogan read «безграничное партнёрство» on the banner."))
    assert result.documents[PARTNERSHIP].tolist() == [0.0, 0.0]
    assert result.matches.empty


@pytest.mark.parametrize("phrase", [
    "безграничное партнёрство",        # nominative
    "безграничного партнёрства",       # genitive
    "безграничному партнёрству",       # dative
    "безграничным партнёрством",       # instrumental
    "безграничном партнерстве",        # prepositional, written without ё
])
def test_russian_inflected_forms_match_the_term_by_lemma(phrase):
    result = frames_of(doc("ru", "ru", f"Комментатор много писал о {phrase} двух стран."))
    rules = result.matches["rule"].tolist()
    assert rules == ["безграничное партнёрство"]
    assert result.documents.loc["ru", PARTNERSHIP] == 1.0


def test_russian_multipolar_world_in_every_case_and_across_a_hyphen():
    text = ("Министр говорил о многополярном мире.\n"
            "Эксперты ждут многополярного мира.\n"
            "Россия и Китай выступают за многополярный мир.")
    result = frames_of(doc("ru", "ru", text))
    multipolar = result.matches[result.matches["frame"] == "multipolarity"]
    assert multipolar["rule"].tolist() == ["многополярный мир"] * 3
    assert result.documents.loc["ru", MULTIPOLAR] == 1.0


def test_a_chinese_term_is_not_matched_inside_a_longer_word():
    # 结盟 (to ally) is an alliance term; 不结盟 (non-alignment) is one word that
    # contains it and means the opposite.
    from analysis.lang import zh_words

    text = "双方重申坚持不结盟原则。"
    assert "不结盟" in [w for w, _, _ in zh_words(text)]
    result = frames_of(doc("zh", "zh", text))
    assert result.documents.loc["zh", ALLIANCE] == 0.0
    assert "结盟" not in result.matches["rule"].tolist()
    assert result.matches["rule"].tolist() == ["不结盟"]  # the endogenous-drivers term
    # The same term as a word of its own is found.
    control = frames_of(doc("zh", "zh", "有评论说两国会结盟。"))
    assert control.matches["rule"].tolist() == ["结盟"]
    assert control.documents.loc["zh", ALLIANCE] == 1.0


def test_a_chinese_phrase_with_its_punctuation_varied_still_matches():
    text = "中方表示，两国关系坚持不结盟，不对抗，不针对第三方。"
    result = frames_of(doc("zh", "zh", text))
    rules = result.matches["rule"].tolist()
    assert rules == ["不结盟、不对抗、不针对第三方"]
    assert result.matches["term"].tolist() == ["不结盟，不对抗，不针对第三方"]
    # A term that opens with a negator (不对抗) is negative by design: not negated.
    assert not result.matches["negated"].any()


def test_negation_in_chinese_and_russian():
    result = frames_of(
        doc("zh", "zh", "他说两国并不是战略伙伴关系。"),
        doc("ru", "ru", "Эксперт считает, что это не стратегическое партнёрство."),
        doc("ru2", "ru", "Речь идёт не только о стратегическом партнёрстве."))
    negated = result.matches.set_index("doc_id")["negated"].to_dict()
    assert negated == {"zh": True, "ru": True, "ru2": False}
    assert result.documents[PARTNERSHIP].to_dict() == {"zh": 0.0, "ru": 0.0, "ru2": 1.0}


def test_exclusions_work_per_language():
    # 欧亚经济联盟 / Евразийский экономический союз are economic terms, and veto the
    # alliance terms 联盟 / союз inside them.
    result = frames_of(
        doc("zh", "zh", "欧亚经济联盟成员国的贸易额增长。"),
        doc("ru", "ru", "Товарооборот внутри Евразийского экономического союза вырос."))
    assert set(result.matches["frame"]) == {"economic_energy"}
    assert result.documents[ALLIANCE].tolist() == [0.0, 0.0]


def test_frames_without_terms_in_a_language_are_missing_there_and_say_so():
    generic = load_codebook("generic")
    result = frames_of(doc("zh", "zh", "两国加强经贸合作。"),
                       doc("en", "en", "The conflict over trade worsened."),
                       books=(generic, CR))
    assert math.isnan(result.documents.loc["zh", "generic.conflict"])
    assert result.documents.loc["en", "generic.conflict"] == 1.0
    assert result.documents.loc["zh", "china_russia.economic_energy"] == 1.0
    assert result.warnings == ()  # said once per corpus, not per run of the matcher
    corpus = Corpus([doc("zh", "zh", "两国加强经贸合作。"), doc("en", "en", "Trade.")])
    (warning,) = unmeasured_warnings([generic, CR], corpus)
    assert warning.startswith("Codebook 'generic': 5 frame(s) ('conflict', 'human_interest'")
    assert "no terms in language 'zh'" in warning and "in the 1 document(s)" in warning


def test_regex_terms_run_only_on_documents_of_their_language():
    book = parse_codebook("""id: rx
frames:
- id: names
  terms:
    en: [{regex: '\\bPutin\\b'}]
    ru: [{regex: 'Путин\\w*'}]
""")
    result = frames_of(doc("en", "en", "Putin met Xi."),
                       doc("ru", "ru", "Путина встретили в Пекине. Putin"), books=(book,))
    assert result.matches[["doc_id", "term"]].values.tolist() == [
        ["en", "Putin"], ["ru", "Путина"]]


def test_group_comparison_is_at_the_level_of_the_concept():
    from analysis.config import AnalysisConfig
    from analysis.pipeline import run_analysis

    docs = [
        doc("zh1", "zh", "新华社评论称，中俄全面战略协作伙伴关系不断深化。", "当天天气晴朗。",
            group="official"),
        doc("zh2", "zh", "两国坚持世界多极化。", "会议在下午结束。", group="official"),
        doc("ru1", "ru", "ТАСС пишет о безграничном партнёрстве Москвы и Пекина.",
            "Погода в столице была тёплой.", group="official"),
        doc("en1", "en", "Western analysts doubt the strategic partnership will last.",
            "The summit ended early.", "Reporters waited outside.", group="western"),
        doc("en2", "en", "The talks touched on a multipolar world.", "Lunch was served.",
            group="western"),
    ]
    config = AnalysisConfig(n_boot=100, n_perm=100, codebooks=("china_russia", "generic"),
                            skip=("detector", "targets", "markers", "readability", "topics"))
    res = run_analysis(Corpus(docs), config)
    partnership = {g: res.groups[g]["frames"]["china_russia"]["strategic_partnership"]
                   for g in ("official", "western")}
    # Chinese and Russian documents carry the concept as the English ones do.
    assert partnership["official"]["documents"] == [0.5, 0.0, 0.5]
    assert partnership["western"]["documents"] == [pytest.approx(1 / 3), 0.0]
    multipolar = res.groups["official"]["frames"]["china_russia"]["multipolarity"]
    assert multipolar["documents"] == [0.0, 0.5, 0.0]
    # The English-only generic codebook is not measured in the Chinese and Russian
    # documents, and the results say so.
    notes = [w for w in res.data["warnings"] if w.startswith("Codebook 'generic'")]
    assert len(notes) == 2
    assert "language 'ru'" in notes[0] and "the 1 document(s)" in notes[0]
    assert "language 'zh'" in notes[1] and "the 2 document(s)" in notes[1]
    conflict = res.groups["western"]["frames"]["generic"]["conflict"]
    assert len(conflict["documents"]) == 2


def test_yaml_terms_by_language_round_trip_and_english_lists_stay_lists():
    text = """id: demo
language: en
frames:
- id: partners
  terms:
    en: [strategic partner*]
    zh: [战略伙伴关系]
    ru: [стратегическое партнёрство, {regex: 'партн[её]р\\w*'}]
  exclusions:
    ru: [торговый партнёр]
"""
    book = parse_codebook(text)
    frame = book.frame("partners")
    assert frame.terms == (Term("strategic partner*", "en"), Term("战略伙伴关系", "zh"),
                           Term("стратегическое партнёрство", "ru"))
    assert frame.patterns == (Term("партн[её]р\\w*", "ru"),)
    assert frame.exclusions == (Term("торговый партнёр", "ru"),)
    assert frame.languages == ("en", "zh", "ru")
    assert parse_codebook(dump_codebook(book)) == book
    assert "战略伙伴关系" in dump_codebook(book)  # written as text, not escaped
    # The built-in codebooks round-trip, and one without other languages keeps its list.
    assert parse_codebook(dump_codebook(CR)) == CR
    generic = load_codebook("generic")
    assert "  terms:\n  - " in dump_codebook(generic)


def test_a_codebook_in_another_language_takes_plain_lists_in_that_language():
    book = parse_codebook("id: ru_book\nlanguage: ru\nframes:\n- id: f\n  terms: [санкция]\n")
    assert book.frame("f").terms == (Term("санкция", "ru"),)
    result = frames_of(doc("ru", "ru", "Новые санкции вступили в силу."), books=(book,))
    assert result.documents.loc["ru", "ru_book.f"] == 1.0


@pytest.mark.parametrize("frames, line, reason", [
    ("- id: f\n  terms:\n    chinese: [伙伴]\n", 6,
     "codebook 'demo', frame 'f': terms: 'chinese' is not a language code"),
    ("- id: f\n  terms:\n    zh: [伙伴*]\n", 6,
     "codebook 'demo', frame 'f': zh term '伙伴*': Chinese terms cannot use the * wildcard"),
    ("- id: f\n  terms:\n    ru: ['']\n", 6, "codebook 'demo', frame 'f': ru empty term"),
    ("- id: f\n  terms:\n    ru: [{regex: '(санкц'}]\n", 6,
     "codebook 'demo', frame 'f': ru bad regex '(санкц'"),
    ("- id: f\n  terms: партнёр\n", 5,
     "codebook 'demo', frame 'f': terms must be a list, or a mapping from a language"),
])
def test_malformed_multilingual_terms_name_codebook_frame_and_term(frames, line, reason):
    with pytest.raises(CodebookError) as info:
        parse_codebook("id: demo\nlabel: Demo\nframes:\n" + frames, source="demo.yaml")
    err = info.value
    assert (err.source, err.line) == ("demo.yaml", line)
    assert reason in err.reason, err.reason
    assert str(err).startswith(f"demo.yaml, line {line}: ")


def test_a_bad_codebook_language_is_refused():
    with pytest.raises(CodebookError, match=r"line 2: codebook 'demo': 'Russian' is not a "
                                            r"language code"):
        parse_codebook("id: demo\nlanguage: Russian\nframes:\n- id: f\n  terms: [x]\n",
                       source="demo.yaml")


def test_testing_a_term_searches_documents_of_its_language():
    corpus = Corpus([
        doc("ru1", "ru", "Стороны обсуждали многополярный мир.",
            "Позже говорили о многополярном мире снова."),
        doc("zh1", "zh", "双方支持世界多极化。"),
        doc("zh2", "zh", "他们讨论了不结盟的立场。"),
        doc("en1", "en", "A multipolar world was discussed."),
    ])
    ru = match_term("многополярный мир", corpus, language="ru")
    assert ru["term"].tolist() == ["многополярный мир", "многополярном мире"]
    assert (ru.attrs["count"], ru.attrs["n_documents"], ru.attrs["n_searched"]) == (2, 1, 1)
    zh = match_term("结盟", corpus, language="zh")
    assert zh.attrs["count"] == 0 and zh.attrs["n_searched"] == 2
    assert match_term("世界多极化", corpus, language="zh")["doc_id"].tolist() == ["zh1"]
    en = match_term("multipolar world", corpus)
    assert en["doc_id"].tolist() == ["en1"]
    with pytest.raises(CodebookError, match="cannot use the \\* wildcard"):
        match_term("多极*", corpus, language="zh")
