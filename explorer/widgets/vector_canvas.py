"""The 2-D vector canvas: named layers of points (queries, inputs, keys, values, outputs), draggable where the
page allows, and weighted segments/arrows between them (line width and opacity ∝ attention weight).

The canvas never moves a point by itself: a drag emits ``pointDragged`` and the page answers by setting its
state, which flows back here through :meth:`set_points` (one-way data flow).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QVBoxLayout, QWidget

from explorer.widgets import style
from explorer.widgets.items import Grid, Markers, PointLabels, Segments


class _PointMarkers(Markers):
    """The canvas's points: drags of draggable points and clicks on any point go to the canvas's signals."""

    def __init__(self, canvas: "VectorCanvas") -> None:
        super().__init__()
        self.canvas = canvas
        self._drag: tuple[str, int] | None = None
        self._drag_offset = QPointF()

    def hoverEvent(self, ev) -> None:  # noqa: N802 - pyqtgraph's name
        self.set_hovered(None if ev.isExit() else self.point_at(ev.scenePos(), draggable_only=True))

    def mouseClickEvent(self, ev) -> None:  # noqa: N802
        hit = self.point_at(ev.scenePos()) if ev.button() == Qt.MouseButton.LeftButton else None
        if hit is None:
            ev.ignore()
            return
        ev.accept()
        self.canvas.pointClicked.emit(*hit)

    def mouseDragEvent(self, ev) -> None:  # noqa: N802
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            hit = self.point_at(ev.buttonDownScenePos(), draggable_only=True)
            if hit is None:
                ev.ignore()
                return
            self._drag = hit
            name, index = hit
            self._drag_offset = QPointF(*self.points(name)[index]) - ev.buttonDownPos()
        elif self._drag is None:
            ev.ignore()
            return
        name, index = self._drag
        position = ev.pos() + self._drag_offset
        ev.accept()
        self.canvas.pointDragged.emit(name, index, float(position.x()), float(position.y()))
        if ev.isFinish():
            self._drag = None
            self.canvas.dragFinished.emit(name, index)


class VectorCanvas(QWidget):
    pointDragged = Signal(str, int, float, float)  # layer, index, x, y (during and at the end of a drag)
    dragFinished = Signal(str, int)
    pointClicked = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = pg.PlotWidget(enableMenu=False)
        self.plot = self.view.getPlotItem()
        self.plot.setAspectLocked(True)
        Grid().attach(self.plot, z=-10)
        self.plot.hideButtons()
        self.plot.addLine(x=0, pen=pg.mkPen("#a0a0a0", width=1))
        self.plot.addLine(y=0, pen=pg.mkPen("#a0a0a0", width=1))
        self.plot.vb.disableAutoRange()
        for side in ("left", "bottom"):  # kept as pixmaps: the items inside repaint their neighbours every edit
            self.plot.getAxis(side).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.markers = _PointMarkers(self)
        self.markers.attach(self.plot, z=20)
        self._labels: dict[str, PointLabels] = {}
        self._segments: dict[str, Segments] = {}
        self._themed_layers: list[str] = []  # drawn in the theme's text colour (see apply_theme)
        self._layer_colours: dict[str, QColor] = {}
        self._themed_segments: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    # ---- points -----------------------------------------------------------------------------------------------
    def add_layer(self, name: str, *, color: QColor, symbol: str = "o", size: float = 14, draggable: bool = False, z: float = 0) -> None:
        self.markers.add_layer(name, symbol=symbol, size=size, brush=color, pen=pg.mkPen("w", width=1.5), draggable=draggable, z=z, hover_size=size * 1.3)
        self._labels[name] = PointLabels(QColor(color).darker(130)).attach(self.plot, z=30 + z)
        self._layer_colours[name] = QColor(color)
        if QColor(color) == style.OUTPUT:
            self._themed_layers.append(name)

    def set_points(self, name: str, points: np.ndarray, labels: Sequence[str] = (), *, sizes: Sequence[float] | None = None, visible: bool = True) -> None:
        points = np.asarray(points, np.float64).reshape(-1, 2)
        self.markers.set_points(name, points, sizes=sizes, visible=visible)
        labels_item = self._labels[name]
        labels_item.setVisible(visible)
        labels_item.set_labels(points, labels)

    def points(self, name: str) -> np.ndarray:
        return self.markers.points(name)

    def layer_visible(self, name: str) -> bool:
        return self.markers.layer_visible(name)

    def widget_pos(self, x: float, y: float) -> QPointF:
        """Where the data point (x, y) is drawn, in the coordinates of the widget that receives the mouse."""
        scene = self.plot.vb.mapViewToScene(QPointF(x, y))
        return QPointF(self.view.mapFromScene(scene))

    # ---- segments ---------------------------------------------------------------------------------------------
    def add_segments(self, name: str, *, color: QColor, arrows: bool = False, end_gap: float = 0.0, z: float = 0) -> None:
        self._segments[name] = Segments(color, arrows=arrows, end_gap=end_gap).attach(self.plot, z=10 + z)
        if QColor(color) == style.OUTPUT:
            self._themed_segments.append(name)

    def apply_theme(self, foreground: QColor) -> None:
        """What is drawn in the text colour (outputs y: near-black on white) follows the theme, or it would vanish on
        the dark background; point names are a shade of their points' colour, darker on light, lighter on dark."""
        dark = QColor(foreground).lightness() > 128
        for name, colour in self._layer_colours.items():
            self._labels[name].color = colour.lighter(150) if dark else colour.darker(130)
            self._labels[name].update()
        for name in self._themed_layers:
            self.markers.set_brush(name, foreground)
            self._labels[name].color = QColor(foreground)
        for name in self._themed_segments:
            self._segments[name].color = QColor(foreground)
            self._segments[name].update()

    def set_segments(self, name: str, starts: np.ndarray, ends: np.ndarray, widths: Sequence[float], opacities: Sequence[float] | None = None) -> None:
        """Lines from ``starts`` to ``ends`` (data coordinates), ``widths`` in pixels, opacities in [0, 1]."""
        self._segments[name].set_segments(starts, ends, widths, opacities)

    def labels(self, name: str) -> list[str]:
        return self._labels[name].labels

    # ---- view -------------------------------------------------------------------------------------------------
    def fit(self, points: np.ndarray, margin: float = 0.25) -> None:
        points = np.asarray(points, float).reshape(-1, 2)
        points = np.vstack([points, [[0.0, 0.0]]])
        low, high = points.min(0), points.max(0)
        span = max(float((high - low).max()), 1.0)
        center = (low + high) / 2
        half = span / 2 * (1 + 2 * margin)
        self.plot.setRange(xRange=(center[0] - half, center[0] + half), yRange=(center[1] - half, center[1] + half), padding=0)
