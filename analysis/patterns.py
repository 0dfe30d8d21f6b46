"""Regular expressions typed by users (codebook regex terms, "Test a term"), run with a time
budget.

Python's ``re`` can take exponential time on some patterns (``(a|aa)+$``, ``(\\w+\\s?)+:``)
and holds the interpreter while it does, so neither a progress callback nor Cancel can stop
it. User patterns therefore run on the ``regex`` module: its syntax is that of ``re``, it
gives up after a timeout, and with ``concurrent=True`` it releases the interpreter while it
matches, so the GUI stays responsive and other threads run. The patterns Sinoru builds from
codebook terms are linear by construction and stay on ``re`` for speed.
"""
from __future__ import annotations

import regex

__all__ = ["PATTERN_BUDGET", "PatternError", "PatternTimeout", "compile_pattern",
           "find_spans", "timeout_advice"]

#: Seconds one user pattern may spend on one document. Ordinary patterns need well under a
#: millisecond on an article; a pattern that needs seconds is backtracking, not searching.
PATTERN_BUDGET = 2.0


#: Raised by :func:`compile_pattern` for an invalid pattern (``str(exc)`` says why).
PatternError = regex.error


class PatternTimeout(Exception):
    """A user pattern ran longer than its budget on one text."""

    def __init__(self, pattern: str, budget: float, where: str = "") -> None:
        self.pattern, self.budget, self.where = pattern, budget, where
        on = f" on {where}" if where else ""
        super().__init__(f"the regex '{pattern}' took longer than {budget:g} s{on}; "
                         f"{timeout_advice()}")


def timeout_advice() -> str:
    """How to rewrite a pattern that ran out of time (one sentence for messages)."""
    return ("rewrite it without nested or overlapping repetition (such as (a+)+, (\\w+\\s?)+ "
            "or (a|aa)+), for example with \\b word boundaries and single repetitions")


def compile_pattern(pattern: str) -> regex.Pattern:
    """Compile a user regex case-insensitively, as codebook regex terms are matched.

    Raises
    ------
    PatternError
        For an invalid pattern (``str(exc)`` says what is wrong).
    """
    return regex.compile(pattern, regex.IGNORECASE)


def find_spans(compiled: regex.Pattern, text: str, budget: float = PATTERN_BUDGET,
               where: str = "", shown: str | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-empty match of ``compiled`` in ``text``.

    Raises
    ------
    PatternTimeout
        When matching takes longer than ``budget`` seconds; the message names ``where``
        (for example "document 'd12'") and ``shown`` (the pattern as the user typed it;
        default: the compiled pattern).
    """
    try:
        return [m.span() for m in compiled.finditer(text, timeout=budget, concurrent=True)
                if m.end() > m.start()]
    except TimeoutError:
        raise PatternTimeout(shown or compiled.pattern, budget, where) from None
