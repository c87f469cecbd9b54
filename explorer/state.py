"""Page state: one frozen dataclass per page, held by a :class:`StateStore`, changed only through undo commands.

Data flows one way: a widget edit calls :meth:`StateStore.set`, which pushes a :class:`SetStateCommand` on the
app's single QUndoStack; the command assigns the state and the store emits ``stateChanged``; the page then
recomputes its trace and repaints its views (with their signals blocked, so nothing loops back).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

_MERGEABLE_ID = 0x5E7


class StateStore(QObject):
    """The truth for one page: a frozen dataclass plus a change signal."""

    stateChanged = Signal(object)  # the new state
    revisited = Signal()  # an undo or redo changed this page's state (the window brings the page forward)

    def __init__(self, initial: Any, undo_stack: QUndoStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = initial
        self.undo_stack = undo_stack

    @property
    def state(self) -> Any:
        return self._state

    def set(self, new_state: Any, text: str, *, merge_key: Hashable | None = None) -> None:
        """Make ``new_state`` the page's state as one undoable step ("text" names it in Edit → Undo).

        Consecutive sets with the same ``merge_key`` (e.g. the moves of one drag) merge into one step.
        """
        if new_state == self._state:
            return
        self.undo_stack.push(SetStateCommand(self, self._state, new_state, text, merge_key))

    def _assign(self, state: Any, *, revisit: bool) -> None:
        self._state = state
        self.stateChanged.emit(state)
        if revisit:
            self.revisited.emit()


class SetStateCommand(QUndoCommand):
    def __init__(self, store: StateStore, old: Any, new: Any, text: str, merge_key: Hashable | None) -> None:
        super().__init__(text)
        self._store, self._old, self._new, self._merge_key = store, old, new, merge_key
        self._pushed = False

    def id(self) -> int:  # noqa: A003 - Qt's name
        return _MERGEABLE_ID if self._merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetStateCommand) or other._store is not self._store or other._merge_key != self._merge_key:
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        self._store._assign(self._new, revisit=self._pushed)
        self._pushed = True

    def undo(self) -> None:
        self._store._assign(self._old, revisit=True)
