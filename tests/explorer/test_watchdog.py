"""Loading in the background never stalls the event loop: a watchdog timer measures the longest gap."""

import time

import pytest

import torch
from PySide6.QtCore import QCoreApplication, QTimer
from safetensors.torch import save_file


class Watchdog:
    """Ticks every 5 ms on the GUI thread; the largest gap between ticks is how long the loop was blocked."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = None
        self.worst_ms = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.last is not None:
            self.worst_ms = max(self.worst_ms, (now - self.last) * 1000.0)
        self.last = now

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.stop()


def test_opening_a_large_checkpoint_keeps_the_event_loop_responsive(window, qtbot, tmp_path):
    path = tmp_path / "large.safetensors"
    generator = torch.Generator().manual_seed(0)
    save_file({f"blocks.{i}.mlp.fc{j}.weight": torch.randn(1024, 1024, generator=generator) for i in range(24) for j in (1, 2)}, str(path))  # 200 MB
    page = window.show_page("checkpoints")
    qtbot.waitUntil(page.isVisible)
    with Watchdog() as watchdog:
        qtbot.waitUntil(lambda: watchdog.last is not None)
        with qtbot.waitSignal(page.checkpointOpened, timeout=120_000):
            page.open_path(path)
        qtbot.wait(20)  # let the watchdog tick once after the tree was filled
    assert len(page.opened.checkpoint.tensors) == 48
    assert watchdog.worst_ms <= 50.0, f"the event loop was blocked for {watchdog.worst_ms:.0f} ms"


def test_training_in_the_app_keeps_the_event_loop_responsive(window, qtbot):
    """Seq2seq training runs in a worker process and reports every few steps: the GUI thread is never blocked past
    50 ms. (A worker thread shared the interpreter lock and left 60-110 ms gaps.)"""
    from PySide6.QtCore import Qt

    page = window.show_page("seq2seq")
    qtbot.waitUntil(page.isVisible)
    page.tabs.setCurrentIndex(page.tabs.count() - 1)  # the Train tab
    page.train_hidden.setValue(16)
    page.train_max_len.setValue(6)
    page.train_steps.setValue(150)
    QCoreApplication.sendPostedEvents()  # the Train tab's first layout and paint are not the training's: settle them
    QCoreApplication.processEvents()
    reports = []
    with Watchdog() as watchdog:
        qtbot.waitUntil(lambda: watchdog.last is not None)
        qtbot.mouseClick(page.train_button, Qt.MouseButton.LeftButton)
        job = page.train_job
        job.progressed.connect(lambda *args: reports.append(args))
        with qtbot.waitSignal(job.finished, timeout=120_000):
            pass
        qtbot.wait(20)
    assert len(reports) >= 3 and page.trained is not None
    assert watchdog.worst_ms <= 50.0, f"the event loop was blocked for {watchdog.worst_ms:.0f} ms"
