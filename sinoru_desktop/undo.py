"""Undo and redo of the user's edits to the project (documents, codebooks, targets,
settings): each edit is a :class:`ProjectEdit` on the state's ``QUndoStack``."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from sinoru_desktop.state import AppState

__all__ = ["ProjectEdit", "MERGE_SECONDS"]

#: Edits with the same merge key closer together than this are one undo step (typing).
MERGE_SECONDS = 1.5
_MERGEABLE = 1


class ProjectEdit(QUndoCommand):
    """Swap parts of the project (``corpus``, ``config``, ``codebooks``, ``targets_yaml``)
    for new values; undo puts the old ones back. The values are immutable or copied, so
    both states stay intact on the stack."""

    def __init__(self, state: AppState, text: str, parts: dict,
                 merge_key: str | None = None) -> None:
        super().__init__(text)
        self._state = state
        self._new = dict(parts)
        self._old = state.project_parts(parts)
        self._merge_key = merge_key
        self._time = time.monotonic()

    def redo(self) -> None:
        self._state.apply_parts(self._new)

    def undo(self) -> None:
        self._state.apply_parts(self._old)

    def id(self) -> int:
        return _MERGEABLE if self._merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not isinstance(other, ProjectEdit) or other._merge_key != self._merge_key \
                or other._time - self._time > MERGE_SECONDS or set(other._new) != set(self._new):
            return False
        self._new, self._time = other._new, other._time
        return True
