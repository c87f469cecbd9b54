"""Colours and colormaps shared by the views, so a quantity looks the same on every page."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor

# Roles in the lecture's terms.
QUERY = QColor("#d62728")  # q: red
INPUT = QColor("#1f77b4")  # x: blue
KEY = QColor("#2ca02c")  # k: green
VALUE = QColor("#9467bd")  # v: purple
OUTPUT = QColor("#202020")  # y: black
POSITIVE = QColor("#c44e52")
NEGATIVE = QColor("#4c72b0")
BLOCKED = QColor("#cfcfcf")  # masked cells (−∞): a neutral grey that is on no colormap below
ERROR_STYLE = "color: #b00020;"
FIELD_ERROR_STYLE = "border: 1px solid #b00020; background: #fff0f0;"

SEQUENTIAL = "viridis"  # weights a ∈ [0, 1]
DIVERGING = "CET-D1"  # signed quantities (scores e, activations), symmetric levels


def colormap(name: str) -> pg.ColorMap:
    return pg.colormap.get(name)
