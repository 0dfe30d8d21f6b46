"""Codebook term syntax: words, phrases and ``*`` wildcards as regular expressions, and the
checks that a term or a user regex can be used (see ``docs/codebook-format.md``)."""
from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.patterns import PatternError, compile_pattern

__all__ = ["term_regex", "terms_regex", "check_term", "check_pattern", "PHRASE_GAP",
           "WORD_SPLIT"]

#: Between the words of a phrase: spaces or one hyphen/dash, never a line (paragraph)
#: break. Shared by codebook terms, the concordance (analysis.kwic) and frame matching.
PHRASE_GAP = r"(?:[^\S\n]*[-‐‑‒–][^\S\n]*|[^\S\n]+)"
#: Splits a phrase into its words at spaces and hyphens/dashes.
WORD_SPLIT = re.compile(r"[\s\-‐‑‒–]+")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=")


def _atoms(term: str, lower: bool = True) -> list[str]:
    """The regex pieces of a term, one per character, separator or wildcard.

    Characters are lower-cased (the regexes are used case-insensitively) unless ``lower``
    is false, for case-sensitive lists such as "US" the country.
    """
    atoms: list[str] = []
    for n, word in enumerate(w for w in WORD_SPLIT.split(term.strip()) if w):
        if n:
            atoms.append(PHRASE_GAP)
        for ch in word:
            if ch == "*":
                atoms.append(r"\w*")
            elif ch in "'’":
                atoms.append("['’]")
            else:
                atoms.append(re.escape(ch.lower() if lower else ch))
    return atoms


def term_regex(term: str, case_sensitive: bool = False) -> str:
    """The regular expression (for case-insensitive use) of one codebook term.

    Words match on word boundaries; ``*`` matches any run of word characters; the words of
    a multi-word term may be joined by spaces or hyphens/dashes; straight and curly
    apostrophes are interchangeable.
    """
    atoms = _atoms(term, not case_sensitive)
    return _opening(atoms[0]) + "".join(atoms[1:]) + r"(?!\w)"


def _opening(atom: str) -> str:
    r"""The first atom of a term with its word-boundary check.

    The check "no word character before" is placed *after* a literal first character, as
    the two-character look-behind ``(?<!\w.)``: the regex engine can then skip quickly to
    candidate characters instead of testing a look-behind at every position (about 2.5x
    faster on long texts). A leading wildcard keeps the plain ``(?<!\w)`` in front.
    """
    if atom == r"\w*":
        return r"(?<!\w)" + atom
    return atom + r"(?<!\w.)"


_END = ""


def terms_regex(terms: Sequence[str], case_sensitive: bool = False) -> str:
    """One regular expression matching any of ``terms``.

    Use it case-insensitively unless ``case_sensitive`` is true.

    The terms are merged into a prefix tree, so the regex engine tests each shared prefix
    once instead of trying every term at every word: hundreds of terms cost little more
    than a few. Where terms share a prefix the longer one is preferred ("strategic
    partnership of coordination" over "strategic partnership"), and a literal continuation
    is tried before a wildcard.
    """
    trie: dict = {}
    for term in terms:
        node = trie
        for atom in _atoms(term, not case_sensitive):
            node = node.setdefault(atom, {})
        node[_END] = {}
    if not trie:
        return r"(?!)"
    return _emit(trie, top=True) + r"(?!\w)"


def _emit(node: dict, top: bool = False) -> str:
    children = sorted((a for a in node if a != _END), key=lambda a: (a == r"\w*", a))
    alts = [(_opening(atom) if top else atom) + _emit(node[atom]) for atom in children]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if _END in node:
        # Greedy optional: the longer term is tried first, the shorter one is the fallback.
        return f"(?:{body})?" if len(alts) == 1 else body + "?"
    return body


def check_term(term: object) -> str | None:
    """Why ``term`` is not a usable term, or ``None`` when it is."""
    if not isinstance(term, str):
        return f"a term must be text, not {type(term).__name__}"
    if not term.strip():
        return "empty term"
    if not re.search(r"\w", term):
        return f"term {term!r} has no letters or digits"
    return None


def check_pattern(pattern: object) -> str | None:
    """Why ``pattern`` is not a usable regex term, or ``None`` when it is."""
    if not isinstance(pattern, str) or not pattern.strip():
        return "empty regex"
    if _BACKREF.search(pattern):
        return f"regex {pattern!r} uses a back-reference, which is not supported"
    try:
        compiled = compile_pattern(f"(?:{pattern})")
    except PatternError as exc:
        return f"bad regex {pattern!r}: {exc}"
    if compiled.fullmatch(""):
        return f"regex {pattern!r} matches empty text"
    return None
