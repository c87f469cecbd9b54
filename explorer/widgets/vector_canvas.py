"""The 2-D vector canvas: named layers of points (queries, inputs, keys, values, outputs), draggable where the
page allows, and weighted segments/arrows between them (line width and opacity ∝ attention weight).

The canvas never moves a point by itself: a drag emits ``pointDragged`` and the page answers by setting its
state, which flows back here through :meth:`set_points` (one-way data flow).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget


@dataclass
class _Segments:
    curves: list[pg.PlotCurveItem]
    arrows: list[pg.ArrowItem]


class _PointLayer(pg.ScatterPlotItem):
    """One set of points; forwards drags of its points to the canvas."""

    def __init__(self, canvas: "VectorCanvas", name: str, draggable: bool, **opts) -> None:
        super().__init__(**opts)
        self.canvas, self.layer_name, self.draggable = canvas, name, draggable
        self._drag_index: int | None = None
        self._drag_offset = QPointF()

    def mouseDragEvent(self, ev) -> None:  # noqa: N802 - pyqtgraph's name
        if not self.draggable or ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            points = self.pointsAt(ev.buttonDownPos())
            if len(points) == 0:
                ev.ignore()
                return
            self._drag_index = int(points[0].index())
            self._drag_offset = points[0].pos() - ev.buttonDownPos()
        elif self._drag_index is None:
            ev.ignore()
            return
        position = ev.pos() + self._drag_offset
        index = self._drag_index
        ev.accept()
        self.canvas.pointDragged.emit(self.layer_name, index, float(position.x()), float(position.y()))
        if ev.isFinish():
            self._drag_index = None
            self.canvas.dragFinished.emit(self.layer_name, index)


class VectorCanvas(QWidget):
    pointDragged = Signal(str, int, float, float)  # layer, index, x, y (during and at the end of a drag)
    dragFinished = Signal(str, int)
    pointClicked = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = pg.PlotWidget()
        self.plot = self.view.getPlotItem()
        self.plot.setAspectLocked(True)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.addLine(x=0, pen=pg.mkPen("#a0a0a0", width=1))
        self.plot.addLine(y=0, pen=pg.mkPen("#a0a0a0", width=1))
        self.plot.vb.disableAutoRange()
        self._layers: dict[str, _PointLayer] = {}
        self._labels: dict[str, list[pg.TextItem]] = {}
        self._segments: dict[str, _Segments] = {}
        self._segment_style: dict[str, tuple[QColor, bool, float]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    # ---- points -----------------------------------------------------------------------------------------------
    def add_layer(self, name: str, *, color: QColor, symbol: str = "o", size: float = 14, draggable: bool = False, z: float = 0) -> None:
        layer = _PointLayer(self, name, draggable, symbol=symbol, size=size, brush=pg.mkBrush(color), pen=pg.mkPen("w", width=1.5), hoverable=draggable, hoverSize=size * 1.3)
        layer.setZValue(20 + z)
        layer.sigClicked.connect(lambda item, points, ev, name=name: points and self.pointClicked.emit(name, int(points[0].index())))
        self.plot.addItem(layer)
        self._layers[name] = layer
        self._labels[name] = []

    def set_points(self, name: str, points: np.ndarray, labels: Sequence[str] = (), *, sizes: Sequence[float] | None = None, visible: bool = True) -> None:
        layer = self._layers[name]
        points = np.asarray(points, np.float64).reshape(-1, 2)
        layer.setVisible(visible)
        kwargs = {"size": list(sizes)} if sizes is not None else {}
        layer.setData(pos=points, **kwargs)
        pool = self._labels[name]
        color = layer.opts["brush"].color()
        while len(pool) < len(labels):
            text = pg.TextItem(color=color.darker(130), anchor=(-0.15, 1.1))
            text.setZValue(30)
            self.plot.addItem(text)
            pool.append(text)
        for i, text in enumerate(pool):
            if visible and i < len(labels) and i < len(points):
                text.setText(labels[i])
                text.setPos(*points[i])
                text.show()
            else:
                text.hide()

    def points(self, name: str) -> np.ndarray:
        x, y = self._layers[name].getData()
        return np.column_stack([x, y])

    def layer_visible(self, name: str) -> bool:
        return self._layers[name].isVisible()

    def widget_pos(self, x: float, y: float) -> QPointF:
        """Where the data point (x, y) is drawn, in the coordinates of the widget that receives the mouse."""
        scene = self.plot.vb.mapViewToScene(QPointF(x, y))
        return QPointF(self.view.mapFromScene(scene))

    # ---- segments ---------------------------------------------------------------------------------------------
    def add_segments(self, name: str, *, color: QColor, arrows: bool = False, z: float = 0) -> None:
        self._segments[name] = _Segments([], [])
        self._segment_style[name] = (QColor(color), arrows, z)

    def set_segments(self, name: str, starts: np.ndarray, ends: np.ndarray, widths: Sequence[float], opacities: Sequence[float] | None = None) -> None:
        color, with_arrows, z = self._segment_style[name]
        pool = self._segments[name]
        starts = np.asarray(starts, float).reshape(-1, 2)
        ends = np.asarray(ends, float).reshape(-1, 2)
        n = len(starts)
        opacities = [1.0] * n if opacities is None else list(opacities)
        while len(pool.curves) < n:
            curve = pg.PlotCurveItem()
            curve.setZValue(10 + z)
            self.plot.addItem(curve)
            pool.curves.append(curve)
            if with_arrows:
                arrow = pg.ArrowItem(headLen=14, tipAngle=30, pen=None)
                arrow.setZValue(11 + z)
                self.plot.addItem(arrow)
                pool.arrows.append(arrow)
        for i, curve in enumerate(pool.curves):
            if i >= n:
                curve.hide()
                if with_arrows:
                    pool.arrows[i].hide()
                continue
            c = QColor(color)
            c.setAlphaF(float(np.clip(opacities[i], 0.08, 1.0)))
            curve.setData(x=[starts[i, 0], ends[i, 0]], y=[starts[i, 1], ends[i, 1]], pen=pg.mkPen(c, width=float(widths[i])))
            curve.show()
            if with_arrows:
                dx, dy = ends[i] - starts[i]
                arrow = pool.arrows[i]
                arrow.setStyle(angle=180.0 - math.degrees(math.atan2(dy, dx)), brush=pg.mkBrush(c))
                arrow.setPos(*ends[i])
                arrow.setVisible(bool(np.hypot(dx, dy) > 1e-9))

    # ---- view -------------------------------------------------------------------------------------------------
    def fit(self, points: np.ndarray, margin: float = 0.25) -> None:
        points = np.asarray(points, float).reshape(-1, 2)
        points = np.vstack([points, [[0.0, 0.0]]])
        low, high = points.min(0), points.max(0)
        span = max(float((high - low).max()), 1.0)
        center = (low + high) / 2
        half = span / 2 * (1 + 2 * margin)
        self.plot.setRange(xRange=(center[0] - half, center[0] + half), yRange=(center[1] - half, center[1] + half), padding=0)
