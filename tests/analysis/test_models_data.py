"""Readers of the gold formats: quirks tolerated, problems named by file and line."""
from __future__ import annotations

import json

import pytest

from analysis.models.data import DataError, read_frames_tsv, read_tsc_jsonl


def _write_jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def test_tsc_reader_maps_polarity_and_keeps_targets_of_a_sentence_together(tmp_path):
    path = _write_jsonl(tmp_path / "t.jsonl", [
        {"primary_gid": "a", "sentence_normalized": "Ada praised Bo but Bo sulked.",
         "targets": [{"from": 0, "to": 3, "polarity": 6.0},
                     {"from": 12, "to": 14, "polarity": 2.0,
                      "further_mentions": [{"from": 19, "to": 21, "mention": "Bo"}]}]},
        {"primary_gid": "b", "sentence_normalized": "Cy spoke.",
         "targets": [{"from": 0, "to": 2, "polarity": "neutral"}]},
    ])
    ex = read_tsc_jsonl(path)
    assert ex.labels.tolist() == [2, 0, 1]
    assert ex.spans == [(0, 3), (12, 14), (0, 2)]
    assert ex.others[1] == [(19, 21)]
    assert ex.groups[0] == ex.groups[1] != ex.groups[2]
    assert ex.problems == []


def test_tsc_reader_skips_bad_rows_naming_file_and_line(tmp_path):
    path = _write_jsonl(tmp_path / "bad.jsonl", [
        {"sentence_normalized": "Good one here.", "targets": [{"from": 0, "to": 4, "polarity": 4.0}]},
        "{not json",
        {"sentence_normalized": "Out of range.", "targets": [{"from": 5, "to": 99, "polarity": 2.0}]},
        {"sentence_normalized": "Odd label.", "targets": [{"from": 0, "to": 3, "polarity": 5.0}]},
    ])
    ex = read_tsc_jsonl(path)
    assert len(ex) == 1
    messages = [str(p) for p in ex.problems]
    assert messages[0].startswith(f"{path}, line 2: not valid JSON")
    assert "line 3" in messages[1] and "outside" in messages[1]
    assert "line 4" in messages[2] and "5.0" in messages[2]


def test_tsc_reader_without_usable_rows_raises(tmp_path):
    path = _write_jsonl(tmp_path / "none.jsonl", ["[1, 2]"])
    with pytest.raises(DataError, match="none.jsonl.*no usable target"):
        read_tsc_jsonl(path)
    with pytest.raises(DataError, match="file not found"):
        read_tsc_jsonl(tmp_path / "missing.jsonl")


def test_frames_reader_skips_malformed_and_empty_labels(tmp_path):
    path = tmp_path / "f.tsv"
    path.write_text(
        "ID\tsource\tmbfc\tdate\ttext\tRE\tHI\tCO\tMO\tEC\n"
        "1\tThe Daily Planet\tx\t2020\t\"A long\ttabbed \"\"quoted\"\" text.\"\tTrue\tFalse\tTrue\tFalse\tFalse\n"
        "2\tdailyplanet\tx\t2020\tSecond text.\tFalse\tTrue\tFalse\tFalse\tFalse)\n"
        "3\tx\tx\t2020\tThird text.\t\t\t\t\t\n"
        "4\tx\tx\t2020\tFourth text.\tfalse\tFALSE\ttrue\tTrue\tTrue\n", encoding="utf-8")
    art = read_frames_tsv(path)
    assert art.table.index.tolist() == ["1", "4"]
    assert art.table.loc["1", "text"] == 'A long\ttabbed "quoted" text.'
    assert art.table.loc["1", "source"] == "dailyplanet"
    # columns in FRAME_IDS order: conflict, economic, human_interest, morality, responsibility
    assert art.labels.tolist() == [[1, 0, 0, 0, 1], [1, 1, 0, 1, 0]]
    messages = [str(p) for p in art.problems]
    assert "line 3" in messages[0] and "economic ('False)')" in messages[0]
    assert "line 4" in messages[1]


def test_frames_reader_names_missing_columns(tmp_path):
    path = tmp_path / "cols.tsv"
    path.write_text("ID\ttext\tRE\tCO\n1\tSome text.\tTrue\tFalse\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"cols.tsv, line 1: missing column\(s\) EC, HI, MO"):
        read_frames_tsv(path)
