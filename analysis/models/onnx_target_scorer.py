"""An optional transformer target-sentiment model, read from an exported ONNX folder.

The folder is what ``python -m analysis.models.train_transformer`` writes: ``model.onnx``
and/or ``model.int8.onnx``, ``tokenizer.json`` (with the ``[TGT]`` / ``[/TGT]`` markers)
and ``card.json`` (name, max length, measured accuracy). The scorer needs the optional
packages ``onnxruntime`` and ``tokenizers``; they are imported only when a scorer is
created, so importing this module costs nothing and the engine stays light without them.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis.base import SENTIMENT_LABELS

__all__ = ["OnnxTargetScorer", "MARK_OPEN", "MARK_CLOSE"]

MARK_OPEN = "[TGT]"
MARK_CLOSE = "[/TGT]"
_MODEL_FILES = ("model.int8.onnx", "model.onnx")


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class OnnxTargetScorer:
    """Sentiment toward a target mention from a fine-tuned transformer (ONNX).

    Parameters
    ----------
    folder : str or Path
        The exported model folder.
    model_file : str, optional
        Which ONNX file to use; by default ``model.int8.onnx`` if present, else ``model.onnx``.
    threads : int
        Intra-op threads of onnxruntime (1 keeps the rest of the machine responsive).
    batch : int
        Targets per inference call.

    Raises
    ------
    ImportError
        When ``onnxruntime`` or ``tokenizers`` is not installed (names the missing package).
    FileNotFoundError
        When the folder, its ONNX file or ``tokenizer.json`` is missing (names the path).
    """

    def __init__(self, folder: str | Path, model_file: str | None = None, threads: int = 1,
                 batch: int = 32):
        folder = Path(folder)
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: no such model folder")
        names = (model_file,) if model_file else _MODEL_FILES
        model_path = next((folder / n for n in names if (folder / n).is_file()), None)
        if model_path is None:
            raise FileNotFoundError(f"{folder}: no {' or '.join(names)} in the model folder")
        tok_path = folder / "tokenizer.json"
        if not tok_path.is_file():
            raise FileNotFoundError(f"{tok_path}: missing (the model's tokenizer)")
        card_path = folder / "card.json"
        card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.is_file() else {}
        missing = [m for m in ("onnxruntime", "tokenizers") if not _importable(m)]
        if missing:
            raise ImportError(f"the transformer target model needs {' and '.join(missing)}: "
                              f"pip install {' '.join(missing)}")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.name: str = card.get("name", "tsc-onnx")
        self.accuracy: dict | None = card.get("accuracy")
        self.max_length = int(card.get("max_length", 128))
        self.batch = int(batch)
        self.model_path = model_path
        self._tok = Tokenizer.from_file(str(tok_path))
        self._tok.enable_truncation(self.max_length)
        pad_id = self._tok.token_to_id("[PAD]") or 0
        self._tok.enable_padding(pad_id=pad_id, pad_token="[PAD]")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = int(threads)
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model_path), opts,
                                             providers=["CPUExecutionProvider"])

    @staticmethod
    def mark(sentence: str, span: tuple[int, int]) -> str:
        """The sentence with the mention wrapped in the markers the model was trained with."""
        a, b = int(span[0]), int(span[1])
        return f"{sentence[:a]}{MARK_OPEN} {sentence[a:b]} {MARK_CLOSE}{sentence[b:]}"

    def predict_proba(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """Probabilities (n, 3) of negative, neutral, positive toward each target.

        ``spans`` are ``(start, end)`` character offsets of the mention, end exclusive.
        """
        if len(sentences) != len(spans):
            raise ValueError(f"{len(sentences)} sentences but {len(spans)} spans")
        out = np.zeros((len(sentences), len(SENTIMENT_LABELS)))
        texts = [self.mark(s, sp) for s, sp in zip(sentences, spans, strict=True)]
        # Similar lengths per call: less padding, so fewer wasted tokens.
        order = np.argsort([len(t) for t in texts], kind="stable")
        for i in range(0, len(texts), self.batch):
            idx = order[i:i + self.batch]
            enc = self._tok.encode_batch([texts[j] for j in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            logits = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            out[idx] = _softmax(logits.astype(float))
        return out

    def predict(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]]) -> list[str]:
        """The most probable label of each target."""
        return [SENTIMENT_LABELS[i] for i in self.predict_proba(sentences, spans).argmax(1)]


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None
