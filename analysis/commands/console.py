"""Console helpers shared by the sub-commands: a progress bar on stderr and messages."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from analysis.display import escaped

__all__ = ["ProgressBar", "error", "say", "manifest_missing"]


def error(message: str) -> None:
    """Print an error for the user on stderr, prefixed with the program name; file names
    in it are escaped (see :func:`analysis.display.escaped`), newlines included."""
    print(f"sinoru: {escaped(message)}", file=sys.stderr)


def say(text: str, *, err: bool = False) -> None:
    """Print lines for the user (stdout, or stderr with ``err``): every terminal output
    of the CLI goes through here or :func:`error`, so no file name can drive the
    terminal."""
    print(escaped(text, keep_newlines=True), file=sys.stderr if err else sys.stdout)


def manifest_missing(manifest: str | None) -> bool:
    """True, after an error message, when ``--manifest`` names no file: metadata the user
    asked for must not silently go missing from a whole analysis."""
    if manifest is None or Path(manifest).is_file():
        return False
    error(f"{manifest}: no such manifest file")
    return True


class ProgressBar:
    """A progress callback that draws ``label [#####     ]  52%`` on stderr.

    On a terminal it redraws in place at most ten times a second; otherwise (a log file,
    CI) it prints a line at every tenth, so logs stay short.
    """

    def __init__(self, label: str, *, enabled: bool = True, stream=None) -> None:
        self.label = label
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_draw = 0.0
        self._last_tenth = -1

    def __call__(self, fraction: float) -> None:
        if not self.enabled:
            return
        fraction = min(max(fraction, 0.0), 1.0)
        if self.tty:
            now = time.monotonic()
            if fraction < 1.0 and now - self._last_draw < 0.1:
                return
            self._last_draw = now
            filled = int(fraction * 30)
            self.stream.write(f"\r{self.label} [{'#' * filled}{' ' * (30 - filled)}] "
                              f"{fraction:4.0%}")
            if fraction >= 1.0:
                self.stream.write("\n")
            self.stream.flush()
        else:
            tenth = int(fraction * 10)
            if tenth > self._last_tenth:
                self._last_tenth = tenth
                self.stream.write(f"{self.label}: {tenth * 10}%\n")
                self.stream.flush()
