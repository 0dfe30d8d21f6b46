"""A small two-group corpus of our own sentences ("east" vs "west"), quick to analyse.
Importable from tests as ``small_corpus``."""
from __future__ import annotations

from analysis.corpus import Corpus, Document

EAST = ("Beijing and Moscow deepened their strategic partnership and mutual trust.",
        "Win-win cooperation in energy keeps growing, the ministry said on Monday.",
        "Both sides firmly supported a multipolar world and friendly neighbours.")
WEST = ("Analysts doubt the strategic partnership will survive new sanctions on Moscow.",
        "Critics said the Kremlin sought to evade sanctions with Chinese help.",
        "Officials in Brussels warned about the authoritarian partners and their trade.")
#: Settings that keep an analysis of it to seconds (every figure is still the engine's).
FAST = {"n_boot": 50, "n_perm": 50, "n_topics": 2}


def two_group_corpus(n: int = 8) -> Corpus:
    """``n`` stories alternating between the groups "east" and "west"."""
    docs = []
    for i in range(n):
        group, sentences = ("east", EAST) if i % 2 == 0 else ("west", WEST)
        text = f"Story {i}\n" + " ".join(sentences[(i + k) % 3] for k in range(4))
        docs.append(Document(f"d{i}", text, meta={"group": group, "title": f"Story {i}",
                                                  "outlet": f"{group.title()} Daily"}))
    return Corpus(docs)
