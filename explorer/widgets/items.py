"""Light pyqtgraph items that draw many small things in one paint call, in screen pixels.

A TextItem or a PlotCurveItem per label or per line costs Python work on every repaint; these items map
their data points to the screen once per paint and draw text, lines and arrowheads with one QPainter each.
They cover the visible view rectangle and are added with ``ignoreBounds`` so they never move the range.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPaintEngine, QPainter, QPen, QPolygonF, QStaticText, QTransform

from explorer.appearance import appearance
from explorer.widgets.repaint import update_apart


def map_points(transform, points: np.ndarray) -> list[list[float]]:
    """(n, 2) data points → device pixels through ``transform``, as a list of [x, y]. In Python floats: the overlays
    below map a few points (a canvas's 16 inputs, a chart's bars) at every paint, and numpy's cost per call, for the
    ten or so array operations of a paint, was larger than the arithmetic (0.63 ± 0.07 ms of each Attention Layer
    drag, measured in one process with drags alternating)."""
    points = np.asarray(points, float).reshape(-1, 2).tolist()
    if transform.isAffine():
        m11, m12, m21, m22, dx, dy = transform.m11(), transform.m12(), transform.m21(), transform.m22(), transform.dx(), transform.dy()
        return [[x * m11 + y * m21 + dx, x * m12 + y * m22 + dy] for x, y in points]
    return [[q.x(), q.y()] for q in (transform.map(QPointF(x, y)) for x, y in points)]


class ViewOverlay(pg.GraphicsObject):
    """Base: an item as large as the visible view, painting in device pixels."""

    def __init__(self) -> None:
        super().__init__()
        self._rect = QRectF()
        self._plot: pg.PlotItem | None = None

    def attach(self, plot: pg.PlotItem, z: float = 0) -> "ViewOverlay":
        self._plot = plot
        plot.addItem(self, ignoreBounds=True)
        self.setZValue(z)
        plot.vb.sigRangeChanged.connect(self._on_range_changed)
        plot.vb.sigResized.connect(self._on_range_changed)
        self._on_range_changed()
        return self

    def _on_range_changed(self, *args) -> None:
        self.prepareGeometryChange()
        self._rect = self._plot.vb.viewRect() if self._plot is not None else QRectF()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect

    def paint(self, painter: QPainter, *args) -> None:
        transform = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint_pixels(painter, transform)
        painter.restore()

    def paint_pixels(self, painter: QPainter, transform) -> None:
        raise NotImplementedError


class PointLabels(ViewOverlay):
    """Text labels at data points; ``anchor`` is the fraction of the text box placed at the point
    (0.5, 1.0 = centred above it), ``offset`` a shift in pixels."""

    def __init__(self, color: QColor | str | None = None, *, anchor=(0.0, 1.0), offset=(6.0, -4.0), point_size: float | None = None) -> None:
        """``color`` None: the theme's foreground, read at paint time."""
        super().__init__()
        self.color = None if color is None else QColor(color)
        self.anchor, self.offset = anchor, offset
        self.font = QFont()
        if point_size:
            self.font.setPointSizeF(point_size)
        self._points = np.zeros((0, 2))
        self._labels: list[str] = []
        self._painted: tuple | None = None  # the last paint's transform and the labels' lines (see _update_changed)
        self._anchors: list[tuple[float, float]] | None = None
        self._colors: list[QColor] | None = None
        self._statics: dict[str, tuple[QStaticText | None, float]] = {}
        self._advances: dict[str, float] = {}  # label → its width in the paint font (see widest)
        self._static_font: tuple = ()
        self._font_and_height: tuple[QFont, float, float] = (self.font, 0.0, 0.0)
        self._metrics = QFontMetricsF(self.font)

    def set_labels(self, points: np.ndarray, labels: Sequence[str], *, anchors=None, colors=None) -> None:
        points = np.asarray(points, float).reshape(-1, 2)
        labels = [str(s) for s in labels][: len(points)]
        anchors = None if anchors is None else list(anchors)
        colors = None if colors is None else [QColor(c) for c in colors]
        in_place = len(labels) == len(self._labels) and anchors == self._anchors and colors == self._colors and np.array_equal(points, self._points)
        if labels == self._labels and (not labels or in_place):
            return  # none before and now (a chart too long for value labels), or the same at the same places: repainting
            # the overlay would repaint the whole view for nothing
        previous = self._labels
        self._points, self._labels, self._anchors, self._colors = points, labels, anchors, colors
        if not (in_place and self._update_changed(previous, labels)):
            self.update()

    def _update_changed(self, previous: list[str], labels: list[str]) -> bool:
        """New texts at the same places (the Multi-head page's map titles give each head's entropy, which changes at
        every painted cell): repaint the band of the view across each changed label, not the whole view with every
        map under it. A band, not the label's box: a repaint whose edge cuts across a scaled image (the map under a
        title) may draw that image's cell boundary one pixel off there. False when the last paint's places are not
        known."""
        if self._painted is None:
            return False
        transform, ys, height = self._painted
        inverse, invertible = transform.inverted()
        if not invertible or len(ys) != len(labels):
            return False
        bands = []
        for before, after, y in zip(previous, labels, ys):
            if before != after and math.isfinite(y):
                line = inverse.mapRect(QRectF(0.0, y - 2.0, 1.0, height + 4.0))  # the label's line, 2 px of slack
                bands.append(QRectF(self._rect.left(), line.top(), self._rect.width(), line.height()))
        update_apart(self, bands)
        return True

    @property
    def labels(self) -> list[str]:
        return list(self._labels) if self.isVisible() else []

    def widest(self, labels: Sequence[str]) -> float:
        """The width in pixels of the widest of ``labels`` as this item draws them (its font at the appearance's scale).
        Each string is measured once per font: a chart asks at every edit, for values that recur."""
        self._paint_font(appearance().scale)
        advances = self._advances
        widest = 0.0
        for label in labels:
            advance = advances.get(label)
            if advance is None:
                if len(advances) > 4096:
                    advances.clear()
                advance = advances[label] = self._metrics.horizontalAdvance(label)
            widest = max(widest, advance)
        return widest

    def _paint_font(self, scale: float) -> tuple[QFont, float, float]:
        """The label font at the appearance's scale, its line height and ascent, made again only when either changes."""
        wanted = (scale, self.font.key())
        if wanted != self._static_font:
            font = QFont(self.font)
            font.setPointSizeF(self.font.pointSizeF() * scale)
            self._static_font, self._statics, self._advances = wanted, {}, {}
            self._metrics = QFontMetricsF(font)
            self._font_and_height = (font, self._metrics.height(), self._metrics.ascent())
        return self._font_and_height

    def _static(self, label: str, font: QFont) -> tuple[QStaticText | None, float]:
        """The label laid out once (QStaticText) from its second paint on, and its width; at its first paint, no static
        text yet. A static text draws several times faster than drawText but costs more than one drawText to make:
        labels that change on every edit (bar values) are drawn plainly, labels that stay (names) are laid out once."""
        entry = self._statics.get(label)
        if entry is None:
            if len(self._statics) > 4096:  # labels that come and go (values): keep the cache bounded
                self._statics.clear()
            entry = self._statics[label] = (None, self._metrics.horizontalAdvance(label))
        elif entry[0] is None:
            text = QStaticText(label)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            text.prepare(QTransform(), font)
            entry = self._statics[label] = (text, text.size().width())
        return entry

    def paint_pixels(self, painter: QPainter, transform) -> None:
        labels = self._labels
        if not labels:
            return
        look = appearance()
        font, height, ascent = self._paint_font(look.scale)
        painter.setFont(font)
        anchors = self._anchors
        ax, ay = self.anchor
        dx, dy = self.offset
        colours = self._colors or [self.color or look.foreground]
        several = len(colours) > 1
        colour = None if several else colours[0]
        if not several:
            painter.setPen(colour)
        ys = []
        for i, ((px, py), label) in enumerate(zip(map_points(transform, self._points[: len(labels)]), labels)):
            text, width = self._static(label, font)
            if anchors is not None:
                ax, ay = anchors[i]
            x, y = px + dx - ax * width, py + dy - ay * height
            ys.append(y)
            if not (math.isfinite(x) and math.isfinite(y)):
                continue
            if several and colours[i] is not colour:
                colour = colours[i]
                painter.setPen(colour)
            if text is not None:
                painter.drawStaticText(QPointF(x, y), text)
            else:  # at the baseline
                painter.drawText(QPointF(x, y + ascent), label)
        self._painted = (transform, ys, height)


class Segments(ViewOverlay):
    """Line segments between data points, each with its own width (px) and opacity, optional arrowheads."""

    def __init__(self, color: QColor | str, *, arrows: bool = False, end_gap: float = 0.0) -> None:
        super().__init__()
        self.color = QColor(color)
        self.arrows = arrows
        self.end_gap = end_gap  # pixels left free before the end point (so a head touches a marker's edge)
        self._starts = self._ends = np.zeros((0, 2))
        self._widths = self._opacities = np.zeros(0)

    def set_segments(self, starts, ends, widths, opacities=None) -> None:
        self._starts = np.asarray(starts, float).reshape(-1, 2)
        self._ends = np.asarray(ends, float).reshape(-1, 2)
        n = len(self._starts)
        self._widths = np.broadcast_to(np.asarray(widths, float), (n,)).copy()
        self._opacities = np.ones(n) if opacities is None else np.clip(np.broadcast_to(np.asarray(opacities, float), (n,)), 0.08, 1.0)
        self.update()

    @property
    def count(self) -> int:
        return len(self._starts)

    def paint_pixels(self, painter: QPainter, transform) -> None:
        """Lines are stroked (the raster engine's antialiased line path is several times faster than filling the
        same quad as a polygon); arrowheads are small filled triangles."""
        if len(self._starts) == 0:
            return
        color = QColor(self.color)
        pen = QPen(color, 1.0)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)  # round caps cost a third more to rasterise
        no_pen = Qt.PenStyle.NoPen
        arrows, end_gap = self.arrows, self.end_gap
        rows = zip(map_points(transform, self._starts), map_points(transform, self._ends), self._widths.tolist(), self._opacities.tolist())
        for (ax, ay), (bx, by), width, opacity in rows:
            length = math.hypot(bx - ax, by - ay)
            if not length >= 1e-6:
                continue
            ux, uy = (bx - ax) / length, (by - ay) / length
            head = 0.0
            if arrows:
                gap = min(end_gap, 0.5 * length)
                bx, by = bx - ux * gap, by - uy * gap
                head = min(7.0 + 1.5 * width, 0.5 * (length - gap))  # the head grows with the line's weight
            base_x, base_y = bx - ux * head, by - uy * head
            color.setAlphaF(opacity)
            pen.setColor(color)
            pen.setWidthF(width)
            painter.setPen(pen)
            painter.drawLine(QLineF(ax, ay, base_x, base_y))
            if arrows:
                hx, hy = -uy * (0.45 * head), ux * (0.45 * head)
                painter.setPen(no_pen)
                painter.setBrush(color)
                painter.drawPolygon(QPolygonF([QPointF(bx, by), QPointF(base_x + hx, base_y + hy), QPointF(base_x - hx, base_y - hy)]))


def nice_step(span: float, target_lines: int = 10) -> float:
    raw = span / max(target_lines, 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


class Grid(ViewOverlay):
    """A light grid at round steps, drawn as a handful of lines (AxisItem's grid redraws all tick levels)."""

    def __init__(self) -> None:
        super().__init__()
        self._lines_key: tuple = ()
        self._lines: list[QLineF] = []

    def paint_pixels(self, painter: QPainter, transform) -> None:
        """The lines in device pixels are kept while the view's range and size stay (a drag on a canvas repaints the
        grid under it at every move, with the same lines), and drawn in one call."""
        rect = self._rect
        if rect.isEmpty():
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pen = QPen(appearance().grid, 1)
        pen.setCosmetic(True)
        painter.setPen(pen)
        matrix = (transform.m11(), transform.m12(), transform.m13(), transform.m21(), transform.m22(), transform.m23(), transform.m31(), transform.m32(), transform.m33())
        key = (rect.getRect(), matrix)
        if key != self._lines_key:
            step = nice_step(max(rect.width(), rect.height()))
            lines = []
            for x in np.arange(math.ceil(rect.left() / step) * step, rect.right(), step):
                lines.append(QLineF(transform.map(QPointF(x, rect.top())), transform.map(QPointF(x, rect.bottom()))))
            for y in np.arange(math.ceil(rect.top() / step) * step, rect.bottom(), step):
                lines.append(QLineF(transform.map(QPointF(rect.left(), y)), transform.map(QPointF(rect.right(), y))))
            self._lines_key, self._lines = key, lines
        if self._lines:
            painter.drawLines(self._lines)


# The paint engines of exports (SVG, PDF, a recorded picture): there, shapes are drawn as shapes, not as pixels.
VECTOR_ENGINES = (QPaintEngine.Type.SVG, QPaintEngine.Type.Pdf, QPaintEngine.Type.Picture)


class Markers(ViewOverlay):
    """Named layers of point symbols drawn in one paint, each symbol a sprite rendered once (pyqtgraph's own
    ``renderSymbol``, so they look like a ScatterPlotItem's). A ScatterPlotItem per layer cost ~0.5 ms a layer per
    update (``setData`` rebuilds its spot table) and ~0.3 ms per paint (bounds and pixel padding recomputed in Python
    several times per frame); a canvas drag updates three layers and paints six.

    Hit-testing is in pixels, like the symbols: :meth:`point_at` returns the topmost visible point under a scene
    position (within its symbol's radius), optionally among draggable layers only.
    """

    def __init__(self) -> None:
        super().__init__()
        self._layers: dict[str, dict] = {}
        self._sprites: dict[tuple, "QImage"] = {}
        self.hovered: tuple[str, int] | None = None

    def add_layer(self, name: str, *, symbol: str, size: float, brush, pen, draggable: bool, z: float, hover_size: float | None = None) -> None:
        self._layers[name] = {
            "symbol": symbol, "size": float(size), "brush": pg.mkBrush(brush), "pen": pg.mkPen(pen), "draggable": draggable, "z": z,
            "hover_size": float(hover_size or size), "points": np.zeros((0, 2)), "sizes": None, "visible": True,
        }
        self._layers = dict(sorted(self._layers.items(), key=lambda item: item[1]["z"]))  # painted bottom to top

    def set_points(self, name: str, points: np.ndarray, *, sizes=None, visible: bool = True) -> None:
        layer = self._layers[name]
        points = np.asarray(points, float).reshape(-1, 2)
        sizes = None if sizes is None else np.broadcast_to(np.asarray(sizes, float), (len(points),)).copy()
        unchanged = (
            layer["visible"] == visible
            and layer["points"].shape == points.shape
            and np.array_equal(layer["points"], points)
            and (sizes is None) == (layer["sizes"] is None)
            and (sizes is None or np.array_equal(sizes, layer["sizes"]))
        )
        if unchanged:
            return
        layer["points"], layer["sizes"], layer["visible"] = points, sizes, visible
        if self.hovered is not None and self.hovered[0] == name and self.hovered[1] >= len(points):
            self.hovered = None
        self.update()

    def points(self, name: str) -> np.ndarray:
        return self._layers[name]["points"].copy()

    def set_brush(self, name: str, brush) -> None:
        self._layers[name]["brush"] = pg.mkBrush(brush)  # its sprites are keyed by colour: made again when drawn
        self.update()

    def layer_visible(self, name: str) -> bool:
        return self._layers[name]["visible"]

    def _sprite(self, layer: dict, size: float):
        key = (layer["symbol"], size, layer["pen"].color().rgba(), layer["pen"].widthF(), layer["brush"].color().rgba())
        sprite = self._sprites.get(key)
        if sprite is None:
            from pyqtgraph.graphicsItems.ScatterPlotItem import renderSymbol

            sprite = self._sprites[key] = renderSymbol(layer["symbol"], size, layer["pen"], layer["brush"])
        return sprite

    def _size(self, name: str, layer: dict, index: int) -> float:
        if self.hovered == (name, index) and layer["draggable"]:
            return layer["hover_size"]
        return layer["size"] if layer["sizes"] is None else float(layer["sizes"][index])

    def paint_pixels(self, painter: QPainter, transform) -> None:
        engine = painter.paintEngine()
        vector = engine is not None and engine.type() in VECTOR_ENGINES  # an SVG or PDF export: shapes, not sprites
        for name, layer in self._layers.items():
            points = layer["points"]
            if not layer["visible"] or len(points) == 0:
                continue
            sprites = {}  # size → (sprite, half its width, half its height), looked up once per size in a paint
            for index, (x, y) in enumerate(map_points(transform, points)):
                if not (math.isfinite(x) and math.isfinite(y)):
                    continue
                if vector:
                    from pyqtgraph.graphicsItems.ScatterPlotItem import drawSymbol

                    painter.save()
                    painter.translate(QPointF(x, y))
                    drawSymbol(painter, layer["symbol"], self._size(name, layer, index), layer["pen"], layer["brush"])
                    painter.restore()
                    continue
                size = self._size(name, layer, index)
                found = sprites.get(size)
                if found is None:
                    sprite = self._sprite(layer, size)
                    found = sprites[size] = (sprite, sprite.width() / 2.0, sprite.height() / 2.0)
                sprite, half_width, half_height = found
                painter.drawImage(QPointF(x - half_width, y - half_height), sprite)

    def point_at(self, scene_pos: QPointF, *, draggable_only: bool = False) -> tuple[str, int] | None:
        """(layer, index) of the topmost visible point whose symbol covers ``scene_pos``, or None."""
        transform = self.sceneTransform()
        for name, layer in reversed(self._layers.items()):
            if not layer["visible"] or (draggable_only and not layer["draggable"]) or len(layer["points"]) == 0:
                continue
            for index in range(len(layer["points"]) - 1, -1, -1):
                at = transform.map(QPointF(*layer["points"][index]))
                radius = self._size(name, layer, index) / 2.0
                if abs(at.x() - scene_pos.x()) <= radius and abs(at.y() - scene_pos.y()) <= radius:
                    return name, index
        return None

    def set_hovered(self, hovered: tuple[str, int] | None) -> None:
        if hovered != self.hovered:
            self.hovered = hovered
            self.update()
