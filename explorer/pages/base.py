"""What every page offers the main window: its state store on the shared undo stack, what to export, and a
signal after each recompute (for the status bar)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from explorer.export import ViewData  # noqa: F401 - pages import it from here


class Page(QWidget):
    page_id = ""
    title = ""
    recomputed = Signal(float)  # milliseconds from state change to repainted views

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack

    def export_view(self) -> QWidget:
        """The widget that File → Export → PNG/SVG renders (the page by default)."""
        return self

    def export_data(self) -> ViewData:
        raise NotImplementedError
