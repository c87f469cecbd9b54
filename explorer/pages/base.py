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

    # ---- files dropped on the page ---------------------------------------------------------------------------
    def accept_file_drops(self) -> None:
        """Take dropped local files: the first one goes to :meth:`open_dropped` (pages that open files override it)."""
        self.setAcceptDrops(True)

    def open_dropped(self, path: str) -> None:
        raise NotImplementedError

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if self.acceptDrops() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if self.acceptDrops() and urls:
            self.open_dropped(urls[0].toLocalFile())
            event.acceptProposedAction()
        else:
            super().dropEvent(event)

    def export_view(self) -> QWidget:
        """The widget that File → Export → PNG/SVG renders (the page by default)."""
        return self

    def export_data(self) -> ViewData:
        raise NotImplementedError
