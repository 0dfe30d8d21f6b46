"""The transformer's tokenizer must split text exactly as the model saw it in training.

The expected ids were produced by Hugging Face ``tokenizers`` from the shipped
tokenizer.json; the implementation matched it on every NewsMTSC sentence as well.
"""
import pytest

from analysis.models.onnx_target_scorer import TRANSFORMER_DIR
from analysis.models.wordpiece import WordPiece
from analysis.resources import resource_path

TOKENIZER = resource_path("models", TRANSFORMER_DIR, "tokenizer.json")


@pytest.fixture(scope="module")
def wordpiece():
    return WordPiece(TOKENIZER, max_length=80)


@pytest.mark.parametrize("text, ids", [
    # The markers are single tokens; words split at punctuation.
    ("Critics said [TGT] Beijing [/TGT] erred.",
     [101, 4401, 2056, 30522, 7211, 30523, 9413, 5596, 1012, 102]),
    # Accents stripped, typographic quotes and dashes are punctuation, "$" too.
    ("Café naïve — “Sino-Russian” ties, 2,000$!",
     [101, 7668, 15743, 1517, 1523, 19432, 1011, 2845, 1524, 7208, 1010, 1016, 1010, 2199,
      1002, 999, 102]),
    # Each CJK ideograph is a word (one unknown here); Cyrillic in pieces; no final sigma.
    ("中俄 Путин ΣΊΣΥΦΟΣ",
     [101, 1746, 100, 1194, 29748, 22919, 10325, 18947, 1173, 18199, 29733, 29735, 29736,
      29730, 29733, 102]),
    # Tabs, line and no-break spaces separate words; control and zero-width characters vanish.
    ("tab\there\u2028x\u00a0y \x0bz\u200b", [101, 21628, 2182, 1060, 1061, 1062, 102]),
])
def test_ids_match_the_reference_tokenizer(wordpiece, text, ids):
    assert wordpiece.ids(text) == ids


def test_long_input_is_cut_to_the_model_length_and_keeps_its_end_token(wordpiece):
    ids = wordpiece.ids("word " * 200)
    assert len(ids) == 80
    assert ids[0] == 101 and ids[-1] == 102


def test_batch_pads_to_the_longest_and_masks_the_padding(wordpiece):
    ids, mask = wordpiece.batch(["Moscow.", "Moscow and Beijing signed it."])
    assert ids.shape == mask.shape == (2, 8)
    assert mask[0].tolist() == [1, 1, 1, 1, 0, 0, 0, 0]
    assert ids[0, 4:].tolist() == [0, 0, 0, 0]
    assert mask[1].sum() == 8


def test_a_word_longer_than_100_characters_is_unknown(wordpiece):
    assert wordpiece.ids("a" * 120) == [101, 100, 102]


def test_not_a_wordpiece_file_is_refused(tmp_path):
    bad = tmp_path / "tokenizer.json"
    bad.write_text('{"model": {"type": "BPE"}}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a WordPiece tokenizer"):
        WordPiece(bad)
