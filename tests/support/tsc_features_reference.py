"""The target-sentiment features as first written (one token loop per mention).

Kept only as the yardstick for the faster :mod:`analysis.models.tsc_features`: the shipped
weights were trained on these features, so the fast code must give the same names, values
and order for every mention.
"""
from __future__ import annotations

import math
import re

from analysis.models.tsc_features import lexicon

__all__ = ["reference_target_features"]

WINDOW = 5
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[;:—–()\"“”]|--|,")
_CONTRAST = frozenset("but while although though however whereas yet despite unlike "
                      "instead".split())
_BREAK_PUNCT = frozenset(";:—–()\"“”") | {"--"}
_SPEECH = frozenset("said says say told tells according claimed claims argued argues "
                    "wrote writes added adds insisted insists stated states asked asks "
                    "warned warns accused accuses praised praises criticized criticised "
                    "blamed blames".split())
_DEICTIC = frozenset("he she his her him they them their it its we our i my".split())


def _tokens(sentence: str) -> list[tuple[str, int, int]]:
    return [(m.group(0).lower().replace("’", "'"), m.start(), m.end())
            for m in _TOKEN.finditer(sentence)]


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    return sum(value > e for e in edges)


def reference_target_features(sentence: str, span: tuple[int, int],
                    others: list[tuple[int, int]] | tuple = ()) -> dict[str, float]:
    """Named features of ``sentence`` toward the target at ``span`` (characters, end excl.).

    ``others`` are further mentions of the same target (coreferences), masked like it.
    Returns a dict feature name -> value (binary features have value 1).
    """
    lex, negate, boosters = lexicon()
    start, end = span
    toks = _tokens(sentence)
    mentions = [(start, end), *others]

    lo, hi = min(s for s, _ in mentions), max(e for _, e in mentions)

    def in_mention(a: int, b: int) -> bool:
        return a < hi and b > lo and any(a < e and b > s for s, e in mentions)

    # Words with the target collapsed to one <t> token; remember where the main mention is.
    seq: list[str] = []
    target_pos = -1
    for tok, a, b in toks:
        if in_mention(a, b):
            is_main = a < end and b > start
            if seq and seq[-1] == "<t>" and not (is_main and target_pos < 0):
                continue
            if is_main and target_pos < 0:
                target_pos = len(seq)
            seq.append("<t>")
        else:
            seq.append(tok)
    if target_pos < 0:  # the span fell between tokens: place it by offset
        target_pos = sum(1 for _, a, _ in toks if a < start)
        seq.insert(target_pos, "<t>")

    feats: dict[str, float] = {"bias": 1.0}
    words = [t for t in seq if t[0].isalnum() or t == "<t>"]
    for w in words:
        if w != "<t>":
            feats["w:" + w] = 1.0
    for a, b in zip(words, words[1:], strict=False):
        feats["b:" + a + " " + b] = 1.0

    # Clause boundaries: contrast words and breaking punctuation.
    clause = [0] * len(seq)
    c = 0
    for i, t in enumerate(seq):
        if t in _CONTRAST or t in _BREAK_PUNCT:
            c += 1
        clause[i] = c
    tclause = clause[target_pos]

    # Valence of each word, flipped when one of the three words before it negates it.
    valence = [0.0] * len(seq)
    for i, t in enumerate(seq):
        v = lex.get(t, 0.0)
        if v:
            before = seq[max(0, i - 3):i]
            if any(b in negate or b.endswith("n't") for b in before):
                v *= -0.74
                feats["neg_flip"] = 1.0
            if i > 0 and seq[i - 1] in boosters:
                v *= 1.3
            valence[i] = v

    total = sum(valence)
    pos_near = neg_near = pos_l = neg_l = pos_r = neg_r = 0.0
    pos_clause = neg_clause = pos_other = neg_other = weighted = 0.0
    nearest, nearest_d = 0.0, 99
    for i, v in enumerate(valence):
        if not v:
            continue
        d = i - target_pos
        dist = abs(d)
        side = "l" if d < 0 else "r"
        w = 1.0 / (1.0 + 0.25 * dist)
        weighted += v * w
        if dist < nearest_d:
            nearest, nearest_d = v, dist
        sign = "+" if v > 0 else "-"
        if clause[i] == tclause:
            if v > 0:
                pos_clause += v
            else:
                neg_clause -= v
            feats[f"lx:{side}{sign}:{_bucket(dist, (2, 5, 10))}"] = feats.get(
                f"lx:{side}{sign}:{_bucket(dist, (2, 5, 10))}", 0.0) + abs(v) / 2
            feats[f"lw:{side}:{seq[i]}" + ("~" if (v > 0) != (lex.get(seq[i], 0) > 0)
                                            else "")] = 1.0
        else:
            if v > 0:
                pos_other += v
            else:
                neg_other -= v
        if dist <= WINDOW:
            if v > 0:
                pos_near += v
            else:
                neg_near -= v
        if d < 0:
            pos_l, neg_l = (pos_l + v, neg_l) if v > 0 else (pos_l, neg_l - v)
        else:
            pos_r, neg_r = (pos_r + v, neg_r) if v > 0 else (pos_r, neg_r - v)

    def squash(x: float) -> float:
        return math.log1p(x)

    feats.update({
        "d:pos_near": squash(pos_near), "d:neg_near": squash(neg_near),
        "d:pos_clause": squash(pos_clause), "d:neg_clause": squash(neg_clause),
        "d:pos_other": squash(pos_other), "d:neg_other": squash(neg_other),
        "d:pos_l": squash(pos_l), "d:neg_l": squash(neg_l),
        "d:pos_r": squash(pos_r), "d:neg_r": squash(neg_r),
        "d:weighted": math.tanh(weighted / 4),
        "d:nearest": nearest / 4 if nearest_d < 99 else 0.0,
        # VADER's normalisation of the summed valence; computed here rather than by
        # calling VADER, which would halve the model's speed for no measurable gain.
        "d:compound": total / math.sqrt(total * total + 15.0),
    })
    if nearest_d < 99:
        feats[f"near:{'+' if nearest > 0 else '-'}{_bucket(nearest_d, (1, 3, 6))}"] = 1.0

    # Window words with their side; the two nearest words also with their exact position.
    for k in range(1, WINDOW + 1):
        for side, j in (("l", target_pos - k), ("r", target_pos + k)):
            if 0 <= j < len(seq) and seq[j] != "<t>":
                feats[f"{side}:{seq[j]}"] = 1.0
                if k <= 2:
                    feats[f"{side}{k}:{seq[j]}"] = 1.0
    for i, t in enumerate(seq):
        if clause[i] == tclause and t[0].isalnum():
            feats["c:" + t] = 1.0

    # Cues.
    if target_pos == 0 or (target_pos == 1 and seq[0] in {"the", "a", "an"}):
        feats["cue:opens"] = 1.0
    quotes = [i for i, t in enumerate(seq) if t in {'"', "“", "”"}]
    if sum(q < target_pos for q in quotes) % 2 == 1:
        feats["cue:in_quote"] = 1.0
    if quotes:
        feats["cue:has_quote"] = 1.0
    right = seq[target_pos + 1:target_pos + 4]
    if any(t in _SPEECH for t in right):
        feats["cue:speaks"] = 1.0
    if any(t in _SPEECH for t in seq[max(0, target_pos - 3):target_pos]):
        feats["cue:spoken_of"] = 1.0
    if any(t in _CONTRAST for t in seq[target_pos + 1:]):
        feats["cue:contrast_after"] = 1.0
    if any(t in _CONTRAST for t in seq[:target_pos]):
        feats["cue:contrast_before"] = 1.0
    if any(t in negate for t in seq[max(0, target_pos - 4):target_pos + 5]):
        feats["cue:negation_near"] = 1.0
    if any(t in _DEICTIC for t in seq):
        feats["cue:pronoun"] = 1.0
    feats["d:rel_pos"] = target_pos / max(1, len(seq) - 1)
    feats["d:log_len"] = math.log1p(len(words)) / 4
    return feats
