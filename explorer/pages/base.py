"""What every page offers the main window: its state store on the shared undo stack, what to export, and a
signal after each recompute (for the status bar)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from explorer.export import ViewData  # noqa: F401 - pages import it from here

_repaint = None  # explorer.widgets.repaint, once a page first repaints


def _import_repaint():
    global _repaint
    from explorer.widgets import repaint

    _repaint = repaint
    return repaint


class Page(QWidget):
    page_id = ""
    title = ""
    recomputed = Signal(float)  # milliseconds from state change to repainted views
    repaint_on_recompute = True  # False: the page repaints its changed views itself (see repaint_changed_views)

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        if self.repaint_on_recompute:
            self.recomputed.connect(self.repaint_changed_views)

    def repaint_changed_views(self, *args) -> None:
        """Paint what a recompute changed now, in one pass of the window (see explorer.widgets.repaint): left to
        the event loop, each changed pyqtgraph view would paint the window once more."""
        if not self.isVisible():
            return
        # Imported here, not with this module (imported before pyqtgraph at start-up), and once: an import statement
        # goes through PySide6's import hook at every edit.
        repaint = _repaint or _import_repaint()
        repaint.repaint_together(self.window(), repaint.views_in(self))

    # ---- edits: one undoable state change, a message line under the controls ---------------------------------
    def _set(self, text: str, merge_key=None, **changes) -> None:
        """Replace fields of the page's state (``self.store``) as one undo step named ``text``; clears the message."""
        self._show_message("")
        self.store.set(replace(self.store.state, **changes), text, merge_key=merge_key)

    def _show_message(self, text: str) -> None:
        """The page's message label (``self.message``): shown with ``text``, hidden when it is empty."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ---- work in the background ---------------------------------------------------------------------------------
    def background_jobs(self) -> list:
        """The page's workers (explorer.workers.Job or None), for :meth:`stop_jobs`."""
        return []

    def stop_jobs(self, wait_ms: int = 10_000) -> None:
        """Cancel the page's running workers and wait for them (each stops at its next progress report): called when
        the window closes and when the application quits."""
        running = [job for job in self.background_jobs() if job is not None and job.running]
        for job in running:
            job.cancel()
            if hasattr(job, "terminate"):  # a process: stopped now, whatever it was doing
                job.terminate()
        if running:
            QThreadPool.globalInstance().waitForDone(wait_ms)

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
