"""Pixels of a grabbed widget for the tests."""

import numpy as np
from PySide6.QtGui import QImage


def pixels(image: QImage) -> np.ndarray:
    """(height, width, 4) uint8 of ``image`` as RGB32: blue, green, red, 255 per pixel."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width()].copy()
