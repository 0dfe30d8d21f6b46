"""Each document's language is guessed at import from its script or function words."""
from __future__ import annotations

import pytest

from analysis.ingest import import_paths
from analysis.ingest.metadata import guess_language


@pytest.mark.parametrize(("text", "lang"), [
    ("Officials said on Tuesday that the talks in the capital would continue for a week.",
     "en"),
    ("Les ministres ont signé un accord pour le transport des marchandises dans la région.",
     "fr"),
    ("Die Minister haben sich auf einen Plan für den Ausbau der Häfen und der Bahn geeinigt.",
     "de"),
    ("Los ministros firmaron un acuerdo para el transporte de mercancías por la región.",
     "es"),
    ("两国农业部门本周二签署合作协议，计划扩大大豆和小麦贸易规模。", "zh"),
    ("両国の農業省は火曜日、大豆と小麦の貿易を拡大する協定に署名した。", "ja"),
    ("양국 농업부는 화요일 대두와 밀 무역을 확대하는 협정에 서명했다.", "ko"),
    ("Министры подписали соглашение о перевозке грузов через порты региона.", "ru"),
    ("Міністри підписали угоду про перевезення вантажів через порти регіону.", "uk"),
    ("Міністры падпісалі пагадненне аб перавозцы грузаў праз парты рэгіёна.", "be"),
    ("12 345 678", ""),
    ("", ""),
])
def test_guess_language(text, lang):
    assert guess_language(text) == lang


def test_mixed_folder_gets_one_language_per_document(tmp_path):
    texts = {"en": "Talks resume\n\nThe delegations met again on Friday and agreed on the "
                   "timetable for the next round.\n",
             "zh": "会谈恢复\n\n两国代表团周五再次会面，并就下一轮会谈的时间表达成一致。\n",
             "ru": "Переговоры возобновились\n\nДелегации снова встретились в пятницу и "
                   "согласовали график следующего раунда.\n",
             "uk": "Переговори відновилися\n\nДелегації знову зустрілися в п'ятницю і "
                   "погодили графік наступного раунду.\n"}
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    corpus = import_paths([tmp_path]).corpus
    assert {d.doc_id: d.meta["language"] for d in corpus} == {n: n for n in texts}


def test_function_word_counts_decide_as_one_pass_per_language():
    """The Latin-script guess counts function words once over the tokens; its answers equal
    those of counting them once per language (the shares compared to the bit), also where
    languages share a word ("que") or tie."""
    import random

    from analysis.ingest.metadata import _COMMON

    def per_language(text):
        tokens = text[:2000].lower().split()
        if not tokens:
            return ""
        shares = {lang: sum(map(words.__contains__, tokens)) / len(tokens)
                  for lang, words in _COMMON.items()}
        best = max(shares, key=shares.get)
        return best if shares[best] > 0.08 else ""

    rng = random.Random(16)
    vocabulary = sorted(set().union(*_COMMON.values())) + ["QUE", "The", "Die", "xyz",
                                                          "talks", "port", "¿que?"]
    texts = [" ".join(rng.choices(vocabulary, k=rng.randint(1, 40))
                      + ["filler"] * rng.randint(0, 120)) for _ in range(3000)]
    answers = [guess_language(t) for t in texts]
    assert answers == [per_language(t) for t in texts]
    assert {"en", "fr", "de", "es", ""} <= set(answers)
