"""The transformer target-sentiment model, read from an exported ONNX folder.

The folder is what ``python -m analysis.models.train_transformer`` writes: ``model.onnx``
and/or ``model.int8.onnx``, ``tokenizer.json`` (with the ``[TGT]`` / ``[/TGT]`` markers)
and ``card.json`` (name, max length, measured accuracy). The shipped one lives in
``resources/models/tsc_minilm`` (:func:`load_transformer_model`). It is the accurate,
slower choice beside the default linear model: about 0.12 macro-F1 better, about 60 times
slower. ``onnxruntime`` is imported only when a scorer is created, so importing this
module costs nothing; the tokenizer is :class:`analysis.models.wordpiece.WordPiece`.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from analysis.base import SENTIMENT_LABELS
from analysis.resources import resource_path

__all__ = ["OnnxTargetScorer", "MARK_OPEN", "MARK_CLOSE", "TRANSFORMER_DIR", "EMBEDDING_OUTPUT",
           "load_transformer_model", "transformer_card"]

#: The shipped transformer's folder under resources/models.
TRANSFORMER_DIR = "tsc_minilm"

#: The model's extra output: the mean token state of the last layer (see ``embed``).
EMBEDDING_OUTPUT = "sentence_embedding"
EMBED_DIM = 384
EMBED_MAX_LENGTH = 128
MARK_OPEN = "[TGT]"
MARK_CLOSE = "[/TGT]"
_MODEL_FILES = ("model.int8.onnx", "model.onnx")
_CACHE_MAX = 200_000  # marked sentences whose probabilities a scorer keeps


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
        Targets per inference call. 1 by default: the int8 model quantises its activations
        with one scale per call, so in a batch a target's probabilities would depend on the
        other sentences (and their padding) that share the call, moving by up to 0.35. One
        target per call gives each mention the same score in any corpus, and on one thread
        it is no slower (no padding; benchmarks/bench_target_model.py --batches measures
        it). With one per call, each distinct marked sentence is scored once per scorer.

    Raises
    ------
    ImportError
        When ``onnxruntime`` is not installed.
    FileNotFoundError
        When the folder, its ONNX file or ``tokenizer.json`` is missing (names the path).
    """

    def __init__(self, folder: str | Path, model_file: str | None = None, threads: int = 1,
                 batch: int = 1):
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
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise ImportError("the transformer target model needs onnxruntime: "
                              "pip install onnxruntime") from exc

        from analysis.models.wordpiece import WordPiece

        self.name: str = card.get("name", "tsc-onnx")
        self.accuracy: dict | None = card.get("accuracy")
        self.max_length = int(card.get("max_length", 128))
        self.batch = int(batch)
        self.model_path = model_path
        self._tok = WordPiece(tok_path, self.max_length)
        self._tok_embed = WordPiece(tok_path, EMBED_MAX_LENGTH)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = int(threads)
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model_path), opts,
                                             providers=["CPUExecutionProvider"])
        self._cache: dict[str, np.ndarray] = {}  # marked sentence -> probabilities

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
        texts = [self.mark(s, sp) for s, sp in zip(sentences, spans, strict=True)]
        if self.batch != 1:
            return self._run(texts)
        # One mention per call, so a score depends on its marked sentence alone: each
        # distinct one is scored once and kept (repeated wire copy, re-runs in the app).
        cache = self._cache
        todo = list(dict.fromkeys(t for t in texts if t not in cache))
        if todo:
            if len(cache) + len(todo) > _CACHE_MAX:
                cache.clear()
            cache.update(zip(todo, self._run(todo), strict=True))
        out = np.zeros((len(texts), len(SENTIMENT_LABELS)))
        for i, t in enumerate(texts):
            out[i] = cache[t]
        return out

    def _run(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(SENTIMENT_LABELS)))
        # Similar lengths per call: less padding, so fewer wasted tokens.
        order = np.argsort([len(t) for t in texts], kind="stable")
        for i in range(0, len(texts), self.batch):
            idx = order[i:i + self.batch]
            ids, mask = self._tok.batch([texts[j] for j in idx])
            logits = self._session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]
            out[idx] = _softmax(logits.astype(float))
        return out

    @property
    def can_embed(self) -> bool:
        """Whether the model file exposes the sentence embedding (see :meth:`embed`)."""
        return EMBEDDING_OUTPUT in {o.name for o in self._session.get_outputs()}

    def embed(self, sentences: Sequence[str]) -> np.ndarray:
        """Sentence embeddings (n, 384): the encoder's mean token state, unit length.

        The encoder is the one fine-tuned for target sentiment; its mean-pooled states
        still carry what a sentence is about, and the frame detector reads them. One
        sentence per call, so a sentence's embedding never depends on its neighbours
        (the int8 model quantises activations per call). Sentences are cut to
        :data:`EMBED_MAX_LENGTH` word pieces.
        """
        if not self.can_embed:
            raise ValueError(f"{self.model_path}: the model has no '{EMBEDDING_OUTPUT}' "
                             "output (python -m analysis.models.encoder_export adds it)")
        out = np.zeros((len(sentences), EMBED_DIM), dtype=np.float32)
        for i, sentence in enumerate(sentences):
            ids, mask = self._tok_embed.batch([sentence])
            out[i] = self._session.run([EMBEDDING_OUTPUT], {"input_ids": ids,
                                                            "attention_mask": mask})[0][0]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)

    def predict(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]]) -> list[str]:
        """The most probable label of each target."""
        return [SENTIMENT_LABELS[i] for i in self.predict_proba(sentences, spans).argmax(1)]


def transformer_card() -> dict | None:
    """The shipped transformer's ``card.json`` (name, figures), without loading the model."""
    path = resource_path("models", TRANSFORMER_DIR, "card.json")
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def default_threads() -> int:
    """Inference threads: all cores but one, at most four (the GUI and other work keep one)."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


@lru_cache(maxsize=1)
def load_transformer_model() -> OnnxTargetScorer:
    """The shipped transformer scorer (loaded once per process).

    Raises ``FileNotFoundError`` when its folder is not installed and ``ImportError`` when
    onnxruntime is missing, each naming what is missing.
    """
    from analysis.models.domain_check import with_domain

    scorer = OnnxTargetScorer(resource_path("models", TRANSFORMER_DIR), threads=default_threads())
    scorer.accuracy = with_domain(scorer.accuracy, scorer.name)
    return scorer
