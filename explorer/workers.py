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


class ProcessJob(Job):
    """A :class:`Job` whose function runs in a separate Python process (``spawn``), for long CPU-bound work such
    as training. A thread would share the interpreter lock with the GUI thread, so every stretch of Python work in
    it (the first optimiser steps, a held-out evaluation) delays painting and input; a process does not.

    ``fn`` must be importable by the child (a module-level function, no Qt) and take ``progress`` after ``args``;
    its payloads and result come back by value through :func:`encode` / :func:`decode`, which admit only the app's
    own classes, torch's modules and plain data (tensors travel as numpy arrays): nothing from the pipe can name a
    function to run, as with checkpoints (weights_only / safetensors). The GUI thread collects
    reports every ``poll_ms``. Cancelling stops the child at its next report, as with a thread; closing the app
    stops it too. ``run_sync`` still runs ``fn`` on the calling thread.
    """

    def __init__(self, fn: Callable[..., Any], *args: Any, poll_ms: int = 30, parent: QObject | None = None) -> None:
        super().__init__(lambda progress: fn(*args, progress), parent)
        self._target, self._args, self._poll_ms = fn, args, poll_ms
        self._process = None
        self._timer = None
        self._pending = None  # a message taken from the queue, handled at the next tick

    def start(self) -> None:
        from PySide6.QtCore import QTimer

        self._child = child = _take_warm_child() or _Child()  # kept: its queues must outlive the child's start
        self._process, self._queue, self._cancel_event = child.process, child.results, child.cancel
        self.running = True
        child.jobs.put(encode((self._target, self._args)))
        self._timer = QTimer(self)
        self._timer.setInterval(self._poll_ms)
        self._timer.timeout.connect(self._collect)
        self._timer.start()

    def cancel(self) -> None:
        super().cancel()
        if self._process is not None:
            self._cancel_event.set()

    def _collect(self) -> None:
        """Hand the child's messages on, a few milliseconds' worth per tick of the timer: the last report and the
        result arrive together, and handling both at once (curves, the new model, the page's controls) held the
        event loop past 50 ms; between ticks the window paints."""
        import queue
        import time

        start = time.perf_counter()
        handled = False
        while True:
            message, self._pending = self._pending, None
            if message is None:
                try:
                    message = self._queue.get_nowait()  # (kind, pickled payload): the kind is read without the payload
                except queue.Empty:
                    break
            kind, payload = message
            if kind != "progress" and handled:
                self._pending = message  # the end, on the next tick
                return
            if kind != "progress":
                self._end(kind, decode(payload))
                return
            self.progressed.emit(*decode(payload))
            handled = True
            if time.perf_counter() - start > 0.008:
                return
        if not self._process.is_alive():  # gone without a word: killed, or crashed in native code
            lost = f"the worker process stopped unexpectedly (exit code {self._process.exitcode})"
            try:
                kind, payload = self._queue.get(timeout=0.5)  # a last message may still be in the pipe
                value = decode(payload)
            except queue.Empty:
                kind, value = "error", lost
            if kind == "progress":
                kind, value = "error", lost
            self._end(kind, value)

    def _end(self, kind: str, value: Any) -> None:
        self._timer.stop()  # no join: the child may take a second to exit (torch's teardown) and the GUI must not wait
        self.running = False
        if kind == "result":
            self.result = value
            self.succeeded.emit(value)
        elif kind == "cancelled":
            self.cancelled.emit()
        else:
            self.error = str(value)
            self.failed.emit(self.error)
        self.finished.emit()

    def terminate(self) -> None:
        """Stop the child now (the window is closing): nothing it computed is kept."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)
        if self.running and self._process is not None:
            self._end("cancelled", None)


class _Child:
    """A spawned worker process that imports the core, warms up torch's training path (the first optimiser step
    imports torch._dynamo, seconds of work), then waits for one job."""

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.jobs, self.results, self.cancel = context.Queue(), context.Queue(), context.Event()
        self.process = context.Process(target=_serve_one_job, args=(self.jobs, self.results, self.cancel), daemon=True)
        self.process.start()


_warm_child: _Child | None = None


def prewarm() -> None:
    """Start a worker process now, so that a training the user starts later begins at once instead of after the
    child's imports and warm-up (4-10 s here). Pages that train call it when they are shown; one is kept at a time."""
    global _warm_child
    if _warm_child is None or not _warm_child.process.is_alive():
        _warm_child = _Child()


def _take_warm_child() -> _Child | None:
    global _warm_child
    child, _warm_child = _warm_child, None
    return child if child is not None and child.process.is_alive() else None


def _serve_one_job(jobs, results, cancel_event) -> None:
    """The child process: warm up, run one ``fn(*args, progress)`` and send back its reports and its result, encoded
    here by value (torch's queue pickler would share tensors through file descriptors that die with this process)."""
    from core import device

    def send(kind: str, payload: Any = None) -> None:
        results.put((kind, encode(payload)))

    device.configure_threads()
    device.warm_up_training()
    fn, args = decode(jobs.get(), functions=True)

    def progress(fraction: float, message: str = "", payload: Any = None) -> None:
        if cancel_event.is_set():
            raise Cancelled()
        send("progress", (float(fraction), message, payload))

    try:
        send("result", fn(*args, progress))
    except Cancelled:
        send("cancelled")
    except Exception as exc:  # report, never a traceback in place of a message
        traceback.print_exc()
        send("error", f"{type(exc).__name__}: {exc}")


# ---- the pipe between the app and its worker processes ----------------------------------------------------------
_PLAIN = {("builtins", name) for name in ("set", "frozenset", "tuple", "list", "dict", "slice", "range", "complex", "float", "int", "str", "bytes", "bool")}
_PLAIN |= {("collections", "OrderedDict"), ("torch.nn.parameter", "Parameter"), ("explorer.workers", "_tensor")}
_NUMPY = ("_reconstruct", "scalar", "dtype", "ndarray", "_frombuffer")


def _tensor(array, parameter: bool, requires_grad: bool):
    """Rebuild a tensor sent by :func:`encode`."""
    import torch

    tensor = torch.from_numpy(array)
    return torch.nn.Parameter(tensor, requires_grad=requires_grad) if parameter else tensor.requires_grad_(requires_grad)


def encode(value: Any) -> bytes:
    """``value`` as bytes for the other side of a worker pipe; tensors (parameters too) go as numpy arrays."""
    import io
    import pickle

    import torch

    class _Pickler(pickle.Pickler):
        def reducer_override(self, obj):
            if isinstance(obj, torch.Tensor):
                array = obj.detach().cpu().numpy().copy()
                return _tensor, (array, isinstance(obj, torch.nn.Parameter), obj.requires_grad)
            return NotImplemented

    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def decode(data: bytes, *, functions: bool = False) -> Any:
    """What :func:`encode` made, refusing any global but plain data, numpy arrays, torch modules and the app's own
    classes (its own functions too with ``functions``: the job a worker is sent). Bytes from a pipe never name
    anything else to call, as checkpoints never do."""
    import io
    import pickle

    class _Unpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str):
            if (module, name) in _PLAIN or (module.split(".")[0] == "numpy" and name in _NUMPY):
                return super().find_class(module, name)
            if module.startswith(("core.", "torch.nn.modules.")) and not name.startswith("_"):
                import torch

                found = super().find_class(module, name)
                if isinstance(found, type) and (module.startswith("core.") or issubclass(found, torch.nn.Module)):
                    return found
                if functions and module.startswith("core.") and callable(found):
                    return found
            raise pickle.UnpicklingError(f"a worker message may not refer to {module}.{name}")

    return _Unpickler(io.BytesIO(data)).load()
