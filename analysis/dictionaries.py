"""Import and export LIWC (``.dic``) and WordStat (``.cat``) dictionaries as codebooks.

Each dictionary category becomes a frame whose terms are the category's words (``*``
wildcards carry over unchanged). What the formats cannot hold is dropped on export with a
clear error rather than silently: regex terms raise :class:`CodebookError`; exclusions and
negation windows are Sinoru-only and are not written; residual frames (no terms) are left
out. On import, LIWC's conditional entries (``(02 134)131/125``) and WordStat weights are
ignored, and categories without words are left out (named in the codebook description).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from analysis.atomic import write_text_atomic
from analysis.codebook import Codebook, CodebookError, Frame, check_term

__all__ = ["parse_liwc", "read_liwc", "liwc_text", "write_liwc", "parse_wordstat",
           "read_wordstat", "wordstat_text", "write_wordstat", "read_dictionary"]

# LIWC conditional entries: "(02 134)131/125" or "131/125"; not plain category ids.
_LIWC_CONDITIONAL = re.compile(r"\([\d\s]*\)\s*\d+(?:/\d+)?|\b\d+/\d+\b")
_WORDSTAT_WEIGHT = re.compile(r"\s*\((-?\d+(?:\.\d+)?)\)\s*$")


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", name.strip()).strip("_-").lower()
    return slug or "category"


def _unique(slug: str, taken: set[str]) -> str:
    out, n = slug, 2
    while out in taken:
        out, n = f"{slug}_{n}", n + 1
    taken.add(out)
    return out


def _read(path: str | os.PathLike[str]) -> str:
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older LIWC and WordStat dictionaries are often saved in Windows-1252.
        return data.decode("cp1252", errors="replace")


def _build(cb_id: str, label: str, fmt: str, categories: list[tuple[str, str, list[str]]],
           source: str) -> Codebook:
    frames, empty = [], []
    for frame_id, name, words in categories:
        words = list(dict.fromkeys(words))
        if not words:
            empty.append(name)
            continue
        frames.append(Frame(id=frame_id, label=name, terms=tuple(words)))
    if not frames:
        raise CodebookError(source, "the dictionary has no category with words")
    description = f"Imported from the {fmt} dictionary {Path(source).name}."
    if empty:
        description += f" Categories without words were left out: {', '.join(empty)}."
    return Codebook(id=cb_id, label=label, description=description, frames=tuple(frames))


def parse_liwc(text: str, source: str = "<liwc>", codebook_id: str | None = None) -> Codebook:
    """A codebook from the text of a LIWC ``.dic`` dictionary.

    The header between two ``%`` lines maps category numbers to names; every following
    line is a word (or phrase) and its category numbers, separated by tabs or spaces.

    Raises
    ------
    CodebookError
        Naming ``source`` and the line: no ``%`` header, a bad category line, an unknown
        category number, a word without categories.
    """
    lines = text.splitlines()
    marks = [i for i, line in enumerate(lines) if line.strip() == "%"]
    if len(marks) < 2:
        raise CodebookError(source, "not a LIWC dictionary: expected a header of category "
                            "numbers and names between two lines holding only '%'",
                            (marks[0] + 1) if marks else 1)
    first, second = marks[0], marks[1]
    for i in range(first):
        if lines[i].strip():
            raise CodebookError(source, "text before the '%' header", i + 1)
    numbers: dict[str, int] = {}
    categories: list[tuple[str, str, list[str]]] = []
    taken: set[str] = set()
    for i in range(first + 1, second):
        parts = lines[i].split()
        if not parts:
            continue
        if len(parts) < 2 or not parts[0].isdigit():
            raise CodebookError(source, f"expected '<number> <category name>', got "
                                f"{lines[i].strip()!r}", i + 1)
        if parts[0].lstrip("0") in numbers:
            raise CodebookError(source, f"category number {parts[0]} is defined twice", i + 1)
        # The name is the rest of the line up to any tab-separated note.
        name = lines[i].strip().split(None, 1)[1].split("\t")[0].strip()
        numbers[parts[0].lstrip("0")] = len(categories)
        categories.append((_unique(_slug(name), taken), name, []))
    for i in range(second + 1, len(lines)):
        line = _LIWC_CONDITIONAL.sub(" ", lines[i]).rstrip()
        if not line.strip():
            continue
        if "\t" in line:
            fields = [f.strip() for f in line.split("\t") if f.strip()]
            word, ids = fields[0], " ".join(fields[1:]).split()
        else:
            tokens = line.split()
            k = len(tokens)
            while k > 1 and tokens[k - 1].isdigit():
                k -= 1
            word, ids = " ".join(tokens[:k]), tokens[k:]
        problem = check_term(word)
        if problem:
            raise CodebookError(source, problem, i + 1)
        if not ids and not _LIWC_CONDITIONAL.search(lines[i]):
            raise CodebookError(source, f"word {word!r} has no category numbers", i + 1)
        for cat in ids:
            if not cat.isdigit() or cat.lstrip("0") not in numbers:
                raise CodebookError(source, f"word {word!r}: unknown category number {cat!r}",
                                    i + 1)
            categories[numbers[cat.lstrip("0")]][2].append(word)
    cb_id = codebook_id or _slug(Path(source).stem if source[:1] != "<" else "liwc")
    return _build(cb_id, Path(source).stem, "LIWC", categories, source)


def read_liwc(path: str | os.PathLike[str]) -> Codebook:
    """A codebook from a LIWC ``.dic`` file (see :func:`parse_liwc`)."""
    try:
        text = _read(path)
    except OSError as exc:
        raise CodebookError(str(path), f"cannot be read ({exc})") from None
    return parse_liwc(text, source=str(path))


def _exportable(cb: Codebook, fmt: str) -> list[Frame]:
    for f in cb.frames:
        if f.patterns:
            raise CodebookError(cb.id, f"frame {f.id!r} has regex terms, which a {fmt} "
                                "dictionary cannot hold; remove them before exporting")
    return [f for f in cb.frames if not f.residual]


def liwc_text(cb: Codebook) -> str:
    """The codebook as a LIWC ``.dic`` dictionary (categories numbered in frame order)."""
    frames = _exportable(cb, "LIWC")
    out = ["%"] + [f"{n}\t{f.id}" for n, f in enumerate(frames, start=1)] + ["%"]
    words: dict[str, list[int]] = {}
    for n, f in enumerate(frames, start=1):
        for term in f.terms:
            words.setdefault(term.text, []).append(n)
    for word in sorted(words, key=str.lower):
        out.append("\t".join([word, *(str(n) for n in words[word])]))
    return "\n".join(out) + "\n"


def write_liwc(cb: Codebook, path: str | os.PathLike[str]) -> None:
    """Write the codebook as a LIWC ``.dic`` file, atomically."""
    write_text_atomic(path, liwc_text(cb))


def parse_wordstat(text: str, source: str = "<wordstat>",
                   codebook_id: str | None = None) -> Codebook:
    """A codebook from the text of a WordStat ``.cat`` dictionary.

    Category names stand on their own line; their words follow, indented more, each
    optionally followed by a weight such as ``(1)``. Nested categories become frames named
    ``parent_child``. Underscores in phrases are read as spaces.

    Raises
    ------
    CodebookError
        Naming ``source`` and the line: a word outside any category, an empty word.
    """
    stack: list[tuple[int, str, str]] = []   # (indent, id path, name path)
    categories: list[tuple[str, str, list[str]]] = []
    index: dict[str, int] = {}
    taken: set[str] = set()
    lines = text.splitlines()
    for i, raw in enumerate(lines):
        if not raw.strip():
            continue
        indent = len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip())
        content = raw.strip()
        weight = _WORDSTAT_WEIGHT.search(content)
        next_indent = _next_indent(lines, i)
        is_category = weight is None and (indent == 0 or (next_indent or -1) > indent)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if is_category:
            name = content
            path_id = _slug(name) if not stack else f"{stack[-1][1]}_{_slug(name)}"
            label = name if not stack else f"{stack[-1][2]} / {name}"
            stack.append((indent, path_id, label))
            frame_id = _unique(path_id, taken)
            index[frame_id] = len(categories)
            categories.append((frame_id, label, []))
            stack[-1] = (indent, frame_id, label)
            continue
        word = content[:weight.start()] if weight else content
        word = " ".join(word.replace("_", " ").split())
        if not stack:
            raise CodebookError(source, f"word {word!r} is not under any category "
                                "(category names start at the line's beginning; words are "
                                "indented)", i + 1)
        problem = check_term(word)
        if problem:
            raise CodebookError(source, problem, i + 1)
        categories[index[stack[-1][1]]][2].append(word)
    if not categories:
        raise CodebookError(source, "no categories found (not a WordStat .cat dictionary?)")
    cb_id = codebook_id or _slug(Path(source).stem if source[:1] != "<" else "wordstat")
    return _build(cb_id, Path(source).stem, "WordStat", categories, source)


def _next_indent(lines: list[str], i: int) -> int | None:
    for raw in lines[i + 1:]:
        if raw.strip():
            expanded = raw.expandtabs(4)
            return len(expanded) - len(expanded.lstrip())
    return None


def read_wordstat(path: str | os.PathLike[str]) -> Codebook:
    """A codebook from a WordStat ``.cat`` file (see :func:`parse_wordstat`)."""
    try:
        text = _read(path)
    except OSError as exc:
        raise CodebookError(str(path), f"cannot be read ({exc})") from None
    return parse_wordstat(text, source=str(path))


def wordstat_text(cb: Codebook) -> str:
    """The codebook as a WordStat ``.cat`` dictionary (one category per frame, weight 1)."""
    out = []
    for f in _exportable(cb, "WordStat"):
        out.append(f.id)
        out.extend(f"\t{term.text} (1)" for term in f.terms)
    return "\n".join(out) + "\n"


def write_wordstat(cb: Codebook, path: str | os.PathLike[str]) -> None:
    """Write the codebook as a WordStat ``.cat`` file, atomically."""
    write_text_atomic(path, wordstat_text(cb))


def read_dictionary(path: str | os.PathLike[str]) -> Codebook:
    """A codebook from a ``.dic`` (LIWC), ``.cat`` (WordStat) or ``.yaml`` codebook file."""
    suffix = Path(path).suffix.lower()
    if suffix == ".dic":
        return read_liwc(path)
    if suffix == ".cat":
        return read_wordstat(path)
    if suffix in (".yaml", ".yml"):
        from analysis.codebook import load_codebook

        return load_codebook(Path(path))
    raise CodebookError(str(path), "unknown dictionary type (expected .dic, .cat or .yaml)")
