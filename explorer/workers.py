"""Heavy work off the GUI thread: training, measurements, checkpoint loading, a full forward pass.

A :class:`Job` runs ``fn(progress)`` in the global QThreadPool. ``progress(fraction, message, payload=None)``
reports back (fraction in [0, 1]; payload e.g. a point of a loss curve) and raises :class:`Cancelled` once the
user pressed cancel, so a loop stops at its next report. Results and errors come back as Qt signals on the GUI
thread. ``Job.run_sync()`` does the same work on the calling thread (tests, the CLI).

    job = Job(lambda progress: train(config, callback=progress))
    job.progressed.connect(bar.set_progress); job.succeeded.connect(on_done); job.start()
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Cancelled(Exception):
    """Raised inside a job's function when the user cancelled it."""


class Job(QObject):
    progressed = Signal(float, str, object)  # fraction, message, payload
    succeeded = Signal(object)  # the function's return value
    failed = Signal(str)  # a readable message
    cancelled = Signal()
    finished = Signal()  # after any of the three above

    def __init__(self, fn: Callable[[Callable[..., None]], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._cancel = False
        self.running = False
        self.result: Any = None
        self.error: str | None = None

    def cancel(self) -> None:
        self._cancel = True

    @property
    def cancel_requested(self) -> bool:
        return self._cancel

    def _progress(self, fraction: float, message: str = "", payload: Any = None) -> None:
        if self._cancel:
            raise Cancelled()
        self.progressed.emit(float(fraction), message, payload)

    def _execute(self) -> None:
        self.running = True
        try:
            self.result = self._fn(self._progress)
        except Cancelled:
            self.cancelled.emit()
        except Exception as exc:  # report, never crash the worker thread
            self.error = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
            self.failed.emit(self.error)
        else:
            self.succeeded.emit(self.result)
        finally:
            self.running = False
            self.finished.emit()

    def start(self) -> None:
        """Run in the global thread pool; signals arrive on this object's (GUI) thread."""
        job = self

        class _Runnable(QRunnable):
            def run(self) -> None:  # noqa: D401
                job._execute()

        self._runnable = _Runnable()
        self._runnable.setAutoDelete(False)
        self.running = True
        QThreadPool.globalInstance().start(self._runnable)

    def run_sync(self) -> Any:
        self._execute()
        return self.result
