"""The ONNX target-model reader: clear errors when its folder or package is missing."""
from __future__ import annotations

import subprocess
import sys

import pytest

from analysis.models.onnx_target_scorer import OnnxTargetScorer


def _folder(tmp_path, files=("model.int8.onnx", "tokenizer.json")):
    folder = tmp_path / "tsc_minilm"
    folder.mkdir()
    for name in files:
        (folder / name).write_bytes(b"")
    return folder


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such model folder") as err:
        OnnxTargetScorer(tmp_path / "nowhere")
    assert "nowhere" in str(err.value)


def test_folder_without_an_onnx_file_says_which_files_it_wanted(tmp_path):
    folder = _folder(tmp_path, files=("tokenizer.json",))
    with pytest.raises(FileNotFoundError, match="model.int8.onnx or model.onnx"):
        OnnxTargetScorer(folder)


def test_missing_tokenizer_is_named(tmp_path):
    folder = _folder(tmp_path, files=("model.onnx",))
    with pytest.raises(FileNotFoundError, match="tokenizer.json"):
        OnnxTargetScorer(folder)


def test_missing_onnxruntime_gives_an_import_error_naming_it(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    # A None entry in sys.modules makes the import fail as if the package were absent.
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(ImportError) as err:
        OnnxTargetScorer(folder)
    assert str(err.value) == ("the transformer target model needs onnxruntime: "
                              "pip install onnxruntime")


def test_marker_wraps_exactly_the_mention():
    sentence = "Critics said Beijing erred."
    assert OnnxTargetScorer.mark(sentence, (13, 20)) == "Critics said [TGT] Beijing [/TGT] erred."


def test_importing_the_module_loads_no_inference_package():
    code = ("import sys, analysis.models.onnx_target_scorer; "
            "print(sorted(m for m in ('onnxruntime', 'tokenizers', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
