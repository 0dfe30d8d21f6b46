"""How the reports write numbers: one place, so the PDF, HTML and tests agree."""
from __future__ import annotations

from analysis.charts._common import is_num, num

__all__ = ["is_num", "pct", "pct_ci", "num", "signed", "num_ci", "pvalue", "count",
           "group_text", "plural", "spread", "codebook_title"]


def pct(share, digits: int = 0) -> str:
    """A 0..1 share as a percentage: ``0.413 -> "41%"``."""
    return f"{share * 100:.{digits}f}%" if is_num(share) else "n/a"


def pct_ci(ci, digits: int = 0) -> str:
    """A 0..1 CI as ``"33–49%"`` (en dash), or ``"n/a"``."""
    if not ci or len(ci) != 2 or not all(is_num(v) for v in ci):
        return "n/a"
    return f"{ci[0] * 100:.{digits}f}–{ci[1] * 100:.{digits}f}%"


def signed(x, digits: int = 2) -> str:
    """A signed figure: ``+0.21`` / ``-0.12`` (tone scores, differences)."""
    return f"{x:+.{digits}f}" if is_num(x) else "n/a"


def num_ci(ci, digits: int = 2, sign: bool = False) -> str:
    """A CI as ``"0.05 to 0.35"`` ("to", not a dash, because values may be negative)."""
    if not ci or len(ci) != 2 or not all(is_num(v) for v in ci):
        return "n/a"
    f = signed if sign else num
    return f"{f(ci[0], digits)} to {f(ci[1], digits)}"


def pvalue(p) -> str:
    if not is_num(p):
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def count(n) -> str:
    return f"{int(n):,}" if is_num(n) else "n/a"


def plural(n, word: str, words: str | None = None) -> str:
    """``plural(1, "document") -> "1 document"``, ``plural(3, ...) -> "3 documents"``."""
    n = int(n) if is_num(n) else 0
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def group_text(name: str, start: bool = True) -> str:
    """How a group is named in sentences: ``"chinese" -> "Chinese-group texts"`` at the
    start of a sentence, ``"chinese-group texts"`` inside one (the name as the user wrote it)."""
    name = str(name)
    if name == "rest":
        return "Texts of the other groups" if start else "texts of the other groups"
    return f"{name[:1].upper()}{name[1:]}-group texts" if start else f"{name}-group texts"


def spread(cell: dict | None) -> tuple[list | None, str]:
    """A group figure's spread and its name: ``(ci95, "95% CI")``, or for a group too small
    for an interval ``(range, "range of these documents")`` (docs/methods.md)."""
    cell = cell or {}
    if cell.get("documents") is not None:
        return cell.get("range"), "range of these documents"
    return cell.get("ci95"), "95% CI"


def codebook_title(cb: dict) -> str:
    """"China–Russia relations (v1.2)"; a trained model is named once, by its model name:
    "Generic news frames (trained detector; model generic-frames-linear-v1)"."""
    label = cb.get("label") or cb.get("id") or "?"
    version, model = str(cb.get("version") or ""), str(cb.get("model") or "")
    if model:
        inner = label.endswith(")") and label[:-1] + f"; model {model})"
        return inner or f"{label} (model {model})"
    return f"{label} (v{version})" if version else label
