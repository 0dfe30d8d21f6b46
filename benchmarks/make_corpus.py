"""Write a synthetic, deterministic corpus of China–Russia news-style articles.

The sentences are generated from our own templates and word lists (no real article
text). Two groups ("chinese" and "western") draw on partly different vocabulary and
tone, so keyness, sentiment and frames have something to find. Each article is a
``.txt`` file with one paragraph per line; ``manifest.csv`` names its metadata.

Usage::

    python -m benchmarks.make_corpus OUT_DIR --n 1000 --seed 7
"""
from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

__all__ = ["make_article", "write_corpus"]

_SHARED_SUBJECTS = [
    "Beijing", "Moscow", "China", "Russia", "the Kremlin", "Xi Jinping", "Vladimir Putin",
    "the foreign ministry", "Russian officials", "Chinese diplomats", "the two leaders",
    "Sergei Lavrov", "Wang Yi", "the U.S. State Department", "Washington", "the E.U.",
    "NATO", "the Shanghai Cooperation Organisation", "BRICS members", "energy firms",
]
_GROUP_SUBJECTS = {
    "chinese": ["the comprehensive strategic partnership", "both sides", "the two countries",
                "friendly neighbours", "the new era of cooperation"],
    "western": ["the authoritarian partners", "analysts in Brussels", "sanctions experts",
                "critics of the Kremlin", "the so-called no-limits partnership"],
}
_VERBS = [
    "signed", "discussed", "announced", "expanded", "welcomed", "criticised", "warned about",
    "pledged", "reviewed", "defended", "rejected", "praised", "questioned", "endorsed",
]
_GROUP_VERBS = {
    "chinese": ["deepened", "jointly promoted", "firmly supported", "steadily advanced",
                "upheld"],
    "western": ["quietly propped up", "sought to evade", "faced scrutiny over",
                "struggled to hide", "raised alarm over"],
}
_OBJECTS = [
    "the Power of Siberia 2 pipeline", "trade settled in yuan", "a new energy agreement",
    "joint military exercises", "grain exports", "the Belt and Road Initiative",
    "cross-border payments", "the Ukraine crisis", "oil and gas deliveries",
    "Arctic shipping routes", "a multipolar world order", "technology transfers",
    "the dollar's role in trade", "nuclear cooperation", "visa-free tourism",
]
_GROUP_OBJECTS = {
    "chinese": ["mutual trust", "win-win cooperation", "a community with a shared future",
                "strategic coordination", "practical cooperation", "lasting peace",
                "mutual respect and common development"],
    "western": ["Western sanctions", "dual-use goods", "the war in Ukraine",
                "human rights abuses", "military drones", "economic coercion",
                "an increasingly lopsided relationship"],
}
_ADVERBIALS = [
    "on Feb. 8", "in Vladivostok", "at the summit in Kazan", "last year", "in 2023",
    "by 12.5 per cent", "for the first time", "despite the sanctions", "in Harbin",
    "during talks in Moscow", "after months of negotiation", "at 9 a.m. local time",
]
_GROUP_ADVERBIALS = {
    "chinese": ["with great success", "in a spirit of friendship", "in the new era",
                "to the benefit of both peoples", "with firm resolve"],
    "western": ["amid growing concern", "under heavy pressure", "in a blow to the West",
                "with little transparency", "despite repeated warnings"],
}
_QUOTES = {
    "chinese": ["“Our friendship has no limits,” a spokesperson said.",
                "“China and Russia are good neighbours and good partners,” Wang said.",
                "“This cooperation is not directed at any third party,” the ministry said.",
                "Officials called the talks “fruitful” and “constructive”."],
    "western": ["“It’s a marriage of convenience,” one analyst said.",
                "“Beijing is hedging its bets,” said a former U.S. diplomat.",
                "“[We] must watch closely,” a NATO official told reporters.",
                "Critics called the deal “deeply troubling” for Europe."],
}
_OUTLETS = {
    "chinese": ["Xinhua", "China Daily", "Global Times", "People's Daily", "CGTN"],
    "western": ["Reuters", "The Guardian", "Voice of America", "Financial Times", "BBC News"],
}
_TITLE_NOUNS = ["ties", "trade", "energy deal", "summit", "partnership", "pipeline talks"]


def _sentence(rng: random.Random, group: str) -> str:
    """One sentence; about half of its slots use the group's own vocabulary."""
    def pick(shared, own):
        return rng.choice(own[group] if rng.random() < 0.45 else shared)

    subject = pick(_SHARED_SUBJECTS, _GROUP_SUBJECTS)
    verb = pick(_VERBS, _GROUP_VERBS)
    obj = pick(_OBJECTS, _GROUP_OBJECTS)
    sentence = f"{subject[0].upper()}{subject[1:]} {verb} {obj}"
    if rng.random() < 0.7:
        sentence += " " + pick(_ADVERBIALS, _GROUP_ADVERBIALS)
    if rng.random() < 0.3:
        sentence += f", and {rng.choice(_SHARED_SUBJECTS)} {rng.choice(_VERBS)} " \
                    f"{rng.choice(_OBJECTS)}"
    return sentence + rng.choice([".", ".", ".", ".", "?", "!"])


def make_article(rng: random.Random, group: str, n_words: int) -> str:
    """Paragraphs (one per line) of generated sentences, about ``n_words`` words long."""
    paragraphs: list[str] = []
    words = 0
    while words < n_words:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            s = rng.choice(_QUOTES[group]) if rng.random() < 0.12 else _sentence(rng, group)
            sentences.append(s)
            words += len(s.split())
        paragraphs.append(" ".join(sentences))
    return "\n".join(paragraphs) + "\n"


def write_corpus(out: Path, n: int, seed: int = 7, mean_words: int = 600) -> Path:
    """Write ``n`` articles and ``manifest.csv`` into ``out``; returns the manifest path."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(n):
        group = "chinese" if i % 2 == 0 else "western"
        n_words = max(80, int(rng.gauss(mean_words, mean_words / 3)))
        text = make_article(rng, group, n_words)
        name = f"{i:06d}.txt"
        (out / name).write_text(text, encoding="utf-8")
        rows.append({
            "file": name,
            "title": f"China and Russia {rng.choice(_TITLE_NOUNS)} ({i})",
            "outlet": rng.choice(_OUTLETS[group]),
            "outlet_type": "news", "group": group, "author": "",
            "date": f"202{rng.randint(0, 5)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "language": "en", "reference": "",
        })
    manifest = out / "manifest.csv"
    with manifest.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["file"])
        writer.writeheader()
        writer.writerows(rows)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="output folder")
    parser.add_argument("--n", type=int, default=1000, help="number of articles")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--words", type=int, default=600, help="mean words per article")
    args = parser.parse_args(argv)
    manifest = write_corpus(args.out, args.n, args.seed, args.words)
    print(f"wrote {args.n} articles and {manifest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
