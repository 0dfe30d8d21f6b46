"""Body-text precision, recall and F1 of the HTML import on synthetic news pages.

The pages (benchmarks/html_pages) are 32 invented articles in English, Chinese and
Russian, each rendered into one of ten page templates with the furniture of real news
sites. Scores are token-level (words; one token per Chinese character) bags compared with
each page's gold body, averaged over pages. Three imports are compared:

- ``old``: the HTML reader before issue 15 (one line per block, menus and forms dropped);
- ``whole-page``: the new reader with ``--html whole-page`` (everything visible);
- ``article``: the new reader's default (the article found by trafilatura).

Usage::

    python -m benchmarks.html_extraction [--write DIR] [--per-page]

``--write DIR`` saves the pages and their gold texts for a look or for other tools.
"""
from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks._common import print_table
from benchmarks.html_pages.articles import ARTICLES
from benchmarks.html_pages.templates import render

_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]|[^\W_]+")


def tokens(text: str) -> Counter:
    return Counter(t.lower() for t in _TOKEN.findall(text))


def prf(predicted: str, gold: str) -> tuple[float, float, float]:
    """Token-level precision, recall and F1 of ``predicted`` against ``gold``."""
    p, g = tokens(predicted), tokens(gold)
    common = sum((p & g).values())
    precision = common / sum(p.values()) if p else 0.0
    recall = common / sum(g.values()) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return precision, recall, f1


def write_pages(folder: Path) -> list[tuple[Path, str]]:
    """Render every page into ``folder``: (html path, gold text) pairs."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for i, article in enumerate(ARTICLES):
        html, gold = render(i, ARTICLES)
        path = folder / f"page{i:02d}_{article[0]}.html"
        path.write_text(html, encoding="utf-8")
        path.with_suffix(".gold.txt").write_text(gold, encoding="utf-8")
        pages.append((path, gold))
    return pages


def old_import_text(path: Path) -> str:
    """The text the import gave before issue 15: the old reader through the same build."""
    import hashlib

    from analysis.ingest.importer import _build
    from analysis.ingest.outlets import OutletRegistry
    from analysis.ingest.readers import RawItem, SkipFile, read_html

    data = path.read_bytes()
    pages, meta, enc, wrapped = read_html(path, data)
    item = RawItem(pages=pages, source=str(path), sha256=hashlib.sha256(data).hexdigest(),
                   encoding=enc, wrapped=wrapped, meta=meta)
    try:
        return _build(item, {}, OutletRegistry.load(), "doc").text
    except SkipFile:  # "no text in it": the old reader dropped a page-wide <form>
        return ""


def score(pages: list[tuple[Path, str]], seconds: dict[str, float] | None = None
          ) -> dict[str, list[tuple[float, float, float]]]:
    """Per-page (P, R, F1) of each import mode; ``seconds`` receives each mode's total
    import time."""
    from analysis.ingest import import_paths

    scores: dict[str, list] = {"old": [], "whole-page": [], "article": []}
    seconds = seconds if seconds is not None else {}
    for path, gold in pages:
        start = time.perf_counter()
        scores["old"].append(prf(old_import_text(path), gold))
        seconds["old"] = seconds.get("old", 0.0) + time.perf_counter() - start
        for mode in ("whole-page", "article"):
            start = time.perf_counter()
            corpus = import_paths([path], html=mode).corpus
            seconds[mode] = seconds.get(mode, 0.0) + time.perf_counter() - start
            text = corpus.documents[0].text if len(corpus) else ""
            scores[mode].append(prf(text, gold))
    return scores


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", metavar="DIR", help="also keep the pages in DIR")
    parser.add_argument("--per-page", action="store_true", help="print each page's F1")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        pages = write_pages(Path(args.write or tmp))
        seconds: dict[str, float] = {}
        scores = score(pages, seconds)
    rows = []
    for mode, per_page in scores.items():
        rows.append([mode, f"{_mean(s[0] for s in per_page):.3f}",
                     f"{_mean(s[1] for s in per_page):.3f}",
                     f"{_mean(s[2] for s in per_page):.3f}",
                     f"{min(s[2] for s in per_page):.3f}",
                     f"{1000 * seconds[mode] / len(per_page):.0f}"])
    print(f"{len(pages)} synthetic pages ({', '.join(sorted({a[0] for a in ARTICLES}))}); "
          "token-level body text, mean over pages")
    print_table(["import", "precision", "recall", "F1", "worst F1", "ms/page"], rows)
    if args.per_page:
        print_table(["page", *scores], [
            [path.name, *(f"{scores[m][i][2]:.3f}" for m in scores)]
            for i, (path, _) in enumerate(pages)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
