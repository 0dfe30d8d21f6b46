"""Expose the transformer's sentence embedding as a second output of its ONNX file.

The target-sentiment transformer already computes the mean of its last layer's token
states (the first half of what its classification head reads). This adds that tensor as
the output ``sentence_embedding`` so the frame detector can use the same 23 MB model
as a sentence encoder; the ``logits`` output and every weight stay as they were.
Needs the ``onnx`` package (a development tool; the app only needs onnxruntime):

    pip install onnx
    python -m analysis.models.encoder_export resources/models/tsc_minilm/model.int8.onnx
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.models.onnx_target_scorer import EMBEDDING_OUTPUT

__all__ = ["add_embedding_output", "main"]

#: The tensor of the exported graph holding the mask-weighted mean of the token states.
POOLED_TENSOR = "/Div_output_0"


def add_embedding_output(path: Path, out: Path | None = None) -> bool:
    """Add the output to the model at ``path`` (written to ``out`` or in place); False when
    it is there already."""
    import onnx

    model = onnx.load(str(path))
    graph = model.graph
    if EMBEDDING_OUTPUT in {o.name for o in graph.output}:
        return False
    if POOLED_TENSOR not in {o for n in graph.node for o in n.output}:
        raise ValueError(f"{path}: no tensor {POOLED_TENSOR} (not a model exported by "
                         "analysis.models.train_transformer)")
    graph.node.append(onnx.helper.make_node("Identity", [POOLED_TENSOR], [EMBEDDING_OUTPUT]))
    graph.output.append(onnx.helper.make_tensor_value_info(
        EMBEDDING_OUTPUT, onnx.TensorProto.FLOAT, ["batch", 384]))
    onnx.checker.check_model(model)
    onnx.save(model, str(out or path))
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.models.encoder_export",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, help="the ONNX file (changed in place)")
    args = parser.parse_args(argv)
    changed = add_embedding_output(args.model)
    print(f"{args.model}: {'added' if changed else 'already has'} '{EMBEDDING_OUTPUT}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
