"""``sinoru evaluate``: the message without data, user files, and an end-to-end run."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.commands.evaluate import format_markdown, format_table
from analysis.evaluate import EvalReport, tsc_row


def test_without_data_it_says_what_it_needs_and_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SINORU_SHARED_DIR", raising=False)
    code = main(["evaluate", "--data", str(tmp_path / "nowhere"), "--write-doc", "-"])
    err = capsys.readouterr().err
    assert code == 2
    assert "no gold-labelled data found" in err
    assert "newsmtsc/train.jsonl" in err and "--data DIR" in err


def test_malformed_user_file_is_named_with_its_line(tmp_path, capsys):
    bad = tmp_path / "mine.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    code = main(["evaluate", "--data", str(tmp_path), "--tsc", str(bad), "--write-doc", "-"])
    err = capsys.readouterr().err
    assert code == 2
    assert "mine.jsonl" in err and "line 1" in err


def test_user_tsc_file_is_scored_with_the_shipped_model_and_vader(tmp_path, capsys):
    rows = [
        ("The senator praised the brave volunteers.", "volunteers", 6.0),
        ("Critics called the senator corrupt and dishonest.", "senator", 2.0),
        ("The senator arrived in Ohio on Monday.", "senator", 4.0),
        ("Voters loved the governor and cheered her win.", "governor", 6.0),
        ("The mayor was accused of fraud and lying.", "mayor", 2.0),
        ("The mayor will speak on Tuesday.", "mayor", 4.0),
    ]
    path = tmp_path / "coded.jsonl"
    path.write_text("\n".join(json.dumps({
        "sentence_normalized": s, "targets": [{"from": s.index(m), "to": s.index(m) + len(m),
                                               "polarity": p}]}) for s, m, p in rows) + "\n",
        encoding="utf-8")
    doc = tmp_path / "validation.md"
    code = main(["evaluate", "--tsc", str(path), "--write-doc", str(doc)])
    out = capsys.readouterr().out
    assert code == 0
    assert "tsc-linear-v1" in out and "VADER sentence" in out and "VADER window" in out
    assert "this recipe" not in out  # only the user's file, no cross-validation
    assert "coded.jsonl" in out and "  6  " in out
    text = doc.read_text(encoding="utf-8")
    assert "sinoru evaluate --tsc coded.jsonl" in text
    assert "| **tsc-linear-v1** | coded.jsonl | 6 |" in text


def test_scoring_a_user_file_leaves_the_project_validation_doc_alone(tmp_path, capsys):
    from analysis.commands import evaluate as command

    doc = Path(command.__file__).resolve().parents[2] / "docs" / "validation.md"
    before = doc.read_bytes() if doc.is_file() else None
    s = "Critics called the senator corrupt."
    path = tmp_path / "coded.jsonl"
    path.write_text(json.dumps({"sentence_normalized": s, "targets": [
        {"from": s.index("senator"), "to": s.index("senator") + 7, "polarity": 2.0}]}) + "\n",
        encoding="utf-8")
    assert main(["evaluate", "--tsc", str(path)]) == 0
    assert "wrote" not in capsys.readouterr().err
    assert (doc.read_bytes() if doc.is_file() else None) == before


def test_table_and_markdown_show_the_figures():
    import numpy as np

    y = np.array([0, 0, 1, 1, 2, 2])
    row = tsc_row("m", "d", y, np.array([0, 1, 1, 1, 2, 0]))
    report = EvalReport(rows=[row])
    table = format_table(report)
    assert "TARGET SENTIMENT" in table and "0.667" in table  # accuracy 4/6
    md = format_markdown(report, "sinoru evaluate")
    # F1: negative 1/2, neutral 4/5, positive 2/3
    assert "| 0.500 | 0.800 | 0.667 |" in md


def test_evaluate_runs_end_to_end_on_a_sample_of_the_gold_data(validation_dir, tmp_path, capsys):
    doc = tmp_path / "validation.md"
    code = main(["evaluate", "--data", str(validation_dir), "--folds", "3", "--sample", "800",
                 "--write-doc", str(doc)])
    out = capsys.readouterr().out
    assert code == 0
    assert "tsc-linear (this recipe)" in out and "generic-frames-linear (this recipe)" in out
    assert "held-out" in out
    assert "TF-IDF + LR" in out
    assert "--folds 3 --sample 800" in doc.read_text(encoding="utf-8")


def test_shipped_tsc_model_on_training_rows_matches_its_card(validation_dir):
    """Training data, so this checks the file loads and behaves, not generalisation."""
    from analysis.evaluate import subsample_targets
    from analysis.models.data import read_tsc_jsonl
    from analysis.models.target_sentiment import load_target_model

    scorer = load_target_model()
    ex = subsample_targets(read_tsc_jsonl(validation_dir / "newsmtsc" / "train.jsonl"), 1500)
    pred = scorer.predict_proba(ex.sentences, ex.spans, ex.others).argmax(1)
    row = tsc_row(scorer.name, "train sample", ex.labels, pred)
    assert row.macro_f1 >= scorer.accuracy["macro_f1"] - 0.02


def test_shipped_frame_model_on_training_articles_matches_its_card(validation_dir):
    """Training data, so this checks the file loads and behaves, not generalisation."""
    from analysis.evaluate import frames_row
    from analysis.models.data import read_frames_tsv
    from analysis.models.frame_detector import load_frame_model

    model = load_frame_model()
    art = read_frames_tsv(validation_dir / "narrative_frames" / "articles_dev.tsv")
    texts, labels = art.texts[:80], art.labels[:80]
    row = frames_row(model.name, "train", labels, model.predict(texts))
    assert row.macro_f1 >= model.accuracy["macro_f1"] - 0.02


@pytest.mark.parametrize("folds", ["1"])
def test_folds_below_two_is_a_usage_error(validation_dir, folds, capsys):
    assert main(["evaluate", "--data", str(validation_dir), "--folds", folds,
                 "--write-doc", "-"]) == 2
    assert "--folds" in capsys.readouterr().err


def test_user_frames_file_is_scored_with_the_shipped_detector(tmp_path, capsys):
    path = tmp_path / "coded.tsv"
    econ = "The tax will cost companies billions of dollars and hurt jobs and investment."
    fight = "Republicans attacked Democrats over the plan, and the dispute turned bitter."
    path.write_text("ID\ttext\tRE\tHI\tCO\tMO\tEC\n"
                    f"1\t{econ}\tFalse\tFalse\tFalse\tFalse\tTrue\n"
                    f"2\t{fight}\tFalse\tFalse\tTrue\tFalse\tFalse\n"
                    "3\tNo label here.\tTrue\t\tFalse\tFalse\tFalse\n", encoding="utf-8")
    code = main(["evaluate", "--frames", str(path), "--write-doc", "-"])
    captured = capsys.readouterr()
    assert code == 1  # one row skipped
    assert "coded.tsv, line 4: no clean True/False label for human_interest" in captured.err
    assert "GENERIC FRAMES" in captured.out and "generic-frames-linear-v1" in captured.out
