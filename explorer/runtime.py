"""App-wide runtime choices that pages read: where the core computes."""

from __future__ import annotations

from PySide6.QtCore import QSettings

DEVICE_KEY = "core/device"


def core_device() -> str:
    """The device pages compute on ("cpu" by default: the lesson pages' small tensors are fastest there)."""
    return str(QSettings().value(DEVICE_KEY, "cpu"))
