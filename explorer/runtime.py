"""App-wide runtime choices that pages read: where the core computes."""

from __future__ import annotations

from PySide6.QtCore import QSettings

DEVICE_KEY = "core/device"
_device: str | None = None  # read once: pages ask on every edit, and a QSettings costs 0.1-0.2 ms to make


def core_device() -> str:
    """The device pages compute on ("cpu" by default: the lesson pages' small tensors are fastest there)."""
    global _device
    if _device is None:
        _device = str(QSettings().value(DEVICE_KEY, "cpu"))
    return _device


def set_core_device(name: str) -> None:
    """Compute on ``name`` from now on, and remember it for the next start."""
    global _device
    QSettings().setValue(DEVICE_KEY, name)
    _device = name
