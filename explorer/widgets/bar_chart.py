"""The one bar chart: a value per token/input (scores e, weights a, norms…), signed values coloured by sign."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.widgets import style
from explorer.widgets.heatmap import _ticks, format_value

MAX_VALUE_LABELS = 24


class BarChart(QWidget):
    barClicked = Signal(int)

    def __init__(self, title: str = "", *, value_name: str = "", levels: tuple[float, float] | None = None, color=style.INPUT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value_name = value_name
        self._levels = levels
        self._color = color
        self._values = np.zeros(0, np.float32)
        self._labels: list[str] = []
        self.view = pg.PlotWidget(title=title or None)
        self.view.setMinimumSize(160, 120)
        self.plot = self.view.getPlotItem()
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.plot.addItem(self.bars)
        self.plot.addLine(y=0, pen=pg.mkPen("#808080", width=1))
        self._texts: list[pg.TextItem] = []
        self.readout = QLabel(" ")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.readout)
        self.view.scene().sigMouseClicked.connect(self._on_clicked)

    @property
    def values(self) -> np.ndarray:
        return self._values

    def set_title(self, title: str) -> None:
        self.plot.setTitle(title)

    def set_data(self, values: np.ndarray, labels: Sequence[str] | None = None, *, highlight: int | None = None) -> None:
        values = np.asarray(values, np.float32).ravel()
        n = values.size
        labels = [str(i) for i in range(n)] if labels is None else [str(s) for s in labels]
        brushes = [style.NEGATIVE if v < 0 else self._color for v in values]
        pens = [pg.mkPen(style.QUERY, width=2.5) if i == highlight else pg.mkPen(None) for i in range(n)]
        self.bars.setOpts(x=np.arange(n), height=values, width=0.7, brushes=brushes, pens=pens)
        if labels != self._labels:
            self.plot.getAxis("bottom").setTicks([_ticks(labels), []])
            self._labels = labels
        self._values = values
        if self._levels is not None:
            low, high = self._levels
        else:
            low, high = min(0.0, float(values.min(initial=0.0))), max(0.0, float(values.max(initial=0.0)))
            span = (high - low) or 1.0
            low, high = low - 0.2 * span * (low < 0), high + 0.2 * span  # room for the value labels
        self.plot.setRange(xRange=(-0.6, max(n, 1) - 0.4), yRange=(low, high), padding=0)
        self._update_texts(values)
        self.readout.setText(" ")

    def _update_texts(self, values: np.ndarray) -> None:
        shown = values if values.size <= MAX_VALUE_LABELS else values[:0]
        while len(self._texts) < shown.size:
            text = pg.TextItem(color="#303030", anchor=(0.5, 1.0))
            self.plot.addItem(text)
            self._texts.append(text)
        for i, text in enumerate(self._texts):
            if i < shown.size:
                value = float(shown[i])
                text.setText(f"{value:.2f}")
                text.setAnchor((0.5, 1.0) if value >= 0 else (0.5, 0.0))
                text.setPos(i, value)
                text.show()
            else:
                text.hide()

    def _on_clicked(self, event) -> None:
        point = self.plot.vb.mapSceneToView(event.scenePos())
        index = int(round(point.x()))
        if 0 <= index < self._values.size and self.plot.vb.sceneBoundingRect().contains(event.scenePos()):
            self.readout.setText(f"{self._labels[index]}: {self.value_name} = {format_value(float(self._values[index]))}")
            self.barClicked.emit(index)
