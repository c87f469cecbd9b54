"""Recently opened checkpoints, kept in QSettings: the Checkpoints page's Recent list and File → Recent checkpoints
read the same list. No torch here, so the menu is filled before the core has loaded."""

from __future__ import annotations

import pathlib

from PySide6.QtCore import QSettings

RECENT_KEY = "checkpoints/recent"
MAX_RECENT = 8
CHECKPOINT_SUFFIXES = (".pt", ".pth", ".bin", ".ckpt", ".safetensors")


def recent_checkpoints() -> list[str]:
    """Absolute paths, the most recent first."""
    value = QSettings().value(RECENT_KEY, [])
    return [value] if isinstance(value, str) else list(value or [])


def remember_checkpoint(path: str | pathlib.Path) -> list[str]:
    """Put ``path`` first (once), keep at most MAX_RECENT, and return the new list."""
    path = str(pathlib.Path(path).absolute())
    recent = ([path] + [p for p in recent_checkpoints() if p != path])[:MAX_RECENT]
    QSettings().setValue(RECENT_KEY, recent)
    return recent


def forget_checkpoints() -> None:
    QSettings().remove(RECENT_KEY)


def looks_like_checkpoint(path: str | pathlib.Path) -> bool:
    """Whether a dropped path is for the Checkpoints page: a weights file or a (Hugging Face) folder."""
    path = pathlib.Path(path)
    return path.is_dir() or path.suffix.lower() in CHECKPOINT_SUFFIXES
