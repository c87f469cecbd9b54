"""A global exception hook: an unexpected error is shown in a dialog and logged, and the app keeps running."""

from __future__ import annotations

import functools
import sys
import threading
import traceback

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox


class _Reporter(QObject):
    """Carries errors from any thread to the GUI thread."""

    raised = Signal(str, str)


_reporter: _Reporter | None = None
shown_errors: list[str] = []  # summaries of what was shown (for tests)


def _show(summary: str, details: str) -> None:
    shown_errors.append(summary)
    box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("errors", "Unexpected error"), summary, QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    box.setInformativeText(QCoreApplication.translate("errors", "The app is still running; your work is kept. Details below can go in a bug report."))
    box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setModal(False)
    box.show()


def report(exc_type, exc, tb) -> None:
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    sys.stderr.write(details)
    summary = f"{exc_type.__name__}: {exc}"
    if _reporter is not None:
        _reporter.raised.emit(summary, details)


def install() -> None:
    """Route uncaught exceptions (GUI thread and worker threads) to a dialog instead of aborting."""
    global _reporter
    if _reporter is None:
        _reporter = _Reporter()
        _reporter.raised.connect(_show, Qt.ConnectionType.QueuedConnection)
    sys.excepthook = report
    threading.excepthook = lambda args: report(args.exc_type, args.exc_value, args.exc_traceback)


def reported(default=False):
    """Decorate a Python override that Qt calls (an ``eventFilter``): an exception it raises is handed to the exception
    hook (the app's dialog) and ``default`` is returned. Raised into Qt's event dispatch, PySide 6.11 crashes the
    process while reporting it, a segfault in Shiboken's error store, before any hook sees it."""

    def wrap(method):
        @functools.wraps(method)
        def guarded(*args, **kwargs):
            try:
                return method(*args, **kwargs)
            except Exception:  # noqa: BLE001 - reported, not swallowed
                sys.excepthook(*sys.exc_info())
                return default

        return guarded

    return wrap
