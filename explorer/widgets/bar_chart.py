"""The one bar chart: a value per token/input (scores e, weights a, norms…), signed values coloured by sign."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRect, QRectF, Qt, Signal
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QGraphicsItem, QLabel, QVBoxLayout, QWidget

from explorer.widgets import style
from explorer.widgets.axes import LabelAxis
from explorer.widgets.heatmap import fitted_ticks, format_value
from explorer.widgets.items import VECTOR_ENGINES, PointLabels, nice_step
from explorer.widgets.repaint import c_array, update_apart

# Transforms that only scale and translate. Members, not their values: ``.value`` is a Python property, and this is
# asked at every paint (as in explorer.widgets.axes).
_SCALINGS = (QTransform.TransformationType.TxNone, QTransform.TransformationType.TxTranslate, QTransform.TransformationType.TxScale)
_PARTS_LOW = np.array([[0.0], [-np.inf]], np.float32)  # per row of a (2, columns) array: highs ≥ 0, lows ≤ 0
_PARTS_HIGH = np.array([[np.inf], [0.0]], np.float32)
MAX_VALUE_LABELS = 24
VALUE_LABEL_GAP = 4.0  # pixels kept free between two bars' value labels
BAR_WIDTH = 0.7
FEW_BARS = 64  # up to this many bars, their rectangles are a list of QRectF (see Bars._fill_rects)
MAX_BARS_REPAINTED = 8  # more changed bars than this repaint the whole set
SAME_BAR = 1e-5  # a bar that moves less than this fraction of the largest bar is drawn as it was (see Bars.set_bars)
KEEP_RANGE_FILL = 0.4  # an automatic value range is kept while the values (and their labels' room) fill this much of it
RANGE_HEADROOM = 0.3  # a new automatic range leaves this fraction of the values' span free (see BarChart._value_range)


class Bars(pg.GraphicsObject):
    """A chart's bars in one item: positive ones in the chart's colour, negative ones in NEGATIVE, and the outline of
    a highlighted one. Drawn as pyqtgraph's BarGraphItem draws a single-colour set (one ``drawRects`` per colour, the
    rectangles kept in a numpy-backed array); three BarGraphItems recomputed their bounds in Python a dozen times per
    paint and re-prepared their data on every ``setOpts``."""

    def __init__(self, brush, negative_brush, highlight_pen) -> None:
        super().__init__()
        self._brushes = (pg.mkBrush(brush), pg.mkBrush(negative_brush))
        self._highlight_pen = pg.mkPen(highlight_pen)
        # Every bar's rectangle (x, y, width, height as QRectF's doubles), the positive bars first, then the negative
        # ones, each in order; handed to Qt as two C arrays (see _fill_rects).
        self._rect_rows = np.zeros((0, 4), np.float64)
        self._positive_count = 0
        self._few_rects: tuple[list, list] | None = None  # the same as lists, for a few bars (see _fill_rects)
        self._rects_stale = False
        # Screen columns of bars narrower than a pixel (positive, negative) and where they lie (see _paint_columns).
        self._columns = (_PixelRects(), _PixelRects())
        self._columns_key: tuple = ()
        self._starts = np.zeros(0, np.int64)
        self._extremes = np.zeros(0, np.float32)
        self._ends = np.zeros(0, np.float64)
        self._highlight: QRectF | None = None
        self._bounds = QRectF()
        self._values = np.zeros(0, np.float32)  # the bars drawn, to repaint only the ones that change
        self._largest = 0.0  # their largest |value|
        self.bars_repainted = 0  # counted for tests: bars repainted one by one (not the whole item)

    def set_brush(self, brush) -> None:
        self._brushes = (pg.mkBrush(brush), self._brushes[1])
        self.update()

    def set_bars(self, values: np.ndarray, highlight: int | None) -> None:
        previous, highlighted = self._values, self._highlight
        self._rects_stale = True  # made at the next paint that draws bars one by one (not as pixel columns)
        self._highlight = QRectF(highlight - BAR_WIDTH / 2, 0.0, BAR_WIDTH, float(values[highlight])) if highlight is not None else None
        low, high = min(0.0, float(values.min(initial=0.0))), max(0.0, float(values.max(initial=0.0)))
        bounds = QRectF(-BAR_WIDTH / 2, low, max(values.size - 1, 0) + BAR_WIDTH, high - low) if values.size else QRectF()
        self._values = values.copy()
        # A bar that moved by rounding alone (1e-5 of the largest bar, far below a pixel) is drawn as it was: a
        # reordered input's output y is the same vector up to ~1e-7, and its chart need not be drawn again.
        largest = max(-low, high)  # the largest |value|: low ≤ 0 ≤ high
        tolerance = SAME_BAR * max(largest, self._largest)
        self._largest = largest
        old = self._bounds
        moved = max(abs(bounds.top() - old.top()), abs(bounds.bottom() - old.bottom()))  # along the value axis
        if bounds != old and (old.isNull() or moved > tolerance or (bounds.left(), bounds.width()) != (old.left(), old.width())):
            self.prepareGeometryChange()
            self._bounds = bounds
        elif previous.size == values.size and highlighted == self._highlight:
            # The same bars but a few values (painting one mask cell moves one position's bar): only those bars'
            # columns are repainted, not the whole chart with its axes and title (~1 ms at 256 bars).
            changed = np.flatnonzero(np.abs(previous - values) > tolerance)
            if changed.size <= MAX_BARS_REPAINTED:
                columns = []
                for i in changed.tolist():
                    old, new = float(previous[i]), float(values[i])
                    low, high = min(0.0, old, new), max(0.0, old, new)
                    columns.append(QRectF(i - BAR_WIDTH / 2, low, BAR_WIDTH, high - low))
                update_apart(self, columns)  # each column on its own, not all the bars between them
                self.bars_repainted += int(changed.size)
                return
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(self._bounds)

    def _fill_rects(self) -> None:
        """The bars as rectangles in the chart's coordinates, positive ones and negative ones: a list of QRectF for a
        few bars (numpy's set-up per call cost more than the arithmetic: 0.06 ms for 16 bars, and as much again to
        hand the arrays to Qt), one array for many, the positive bars' rows first (a stable sort by sign: the same
        order as drawing each set apart). Their widths and bases never change, and only the columns that do are
        written: ~0.05 → 0.015 ms at 256 bars, where a numpy array per sign was selected and filled column by column."""
        values = self._values
        self._rects_stale = False
        if values.size <= FEW_BARS:
            positive, negative = [], []
            for i, value in enumerate(values.tolist()):
                (negative if value < 0 else positive).append(QRectF(i - BAR_WIDTH / 2, 0.0, BAR_WIDTH, value))
            self._few_rects = (positive, negative)
            return
        self._few_rects = None
        n = values.size
        if len(self._rect_rows) != n:
            self._rect_rows = np.zeros((n, 4), np.float64)
            self._rect_rows[:, 2] = BAR_WIDTH
        negative = values < 0
        order = np.argsort(negative, kind="stable")  # the positive bars (False) first, each set in order
        rows = self._rect_rows
        np.subtract(order, BAR_WIDTH / 2, out=rows[:, 0])
        rows[:, 3] = values[order]
        self._positive_count = n - int(np.count_nonzero(negative))

    def paint(self, painter, *args) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        transform = painter.transform()
        engine = painter.paintEngine()
        if (
            0.0 < transform.m11() * BAR_WIDTH < 1.0
            and transform.m22() < 0.0
            and transform.type() in _SCALINGS
            and engine is not None
            and engine.type() not in VECTOR_ENGINES  # an SVG or PDF export: every bar as it is
        ):
            self._paint_columns(painter, transform)
        else:
            if self._rects_stale:
                self._fill_rects()
            if self._few_rects is not None:
                for rects, brush in zip(self._few_rects, self._brushes):
                    if rects:
                        painter.setBrush(brush)
                        painter.drawRects(rects)
            else:
                rows, split = self._rect_rows, self._positive_count
                for part, brush in zip((rows[:split], rows[split:]), self._brushes):
                    if len(part):
                        painter.setBrush(brush)
                        painter.drawRects(*c_array(part, QRectF))
        if self._highlight is not None:
            painter.setPen(self._highlight_pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self._highlight.normalized())

    def _paint_columns(self, painter, transform) -> None:
        """Bars narrower than a pixel (1024 tokens in a 540-pixel chart), drawn as one column per screen pixel: up to
        the largest positive value and down to the most negative value of the bars centred in that pixel. Drawn one by
        one, a bar 0.4 pixels wide covered no pixel centre more often than not, and most bars (the largest weight
        among them) were not on the screen at all.

        The columns are whole pixels (a row is filled when its centre lies inside the column's span, as Qt fills a
        rectangle), given to Qt as integer rectangles, which its raster engine fills about twice as fast as
        fractional ones. Their places are kept while the chart's size and range stay."""
        values = self._values
        if values.size == 0:
            return
        m11, m22, dy = transform.m11(), transform.m22(), transform.dy()
        zero = math.ceil(dy - 0.5)  # the first pixel row below the value 0 (y grows downwards: m22 < 0)
        key = (values.size, m11, transform.dx(), zero)
        if key != self._columns_key:
            columns = np.floor(np.arange(values.size) * m11 + transform.dx())  # the pixel column of each bar's centre
            self._starts = np.flatnonzero(np.r_[True, columns[1:] != columns[:-1]])
            high, low = (rects.resize(self._starts.size) for rects in self._columns)
            high[:, 0] = high[:, 2] = low[:, 0] = low[:, 2] = columns[self._starts]  # x1 = x2: one pixel wide
            high[:, 3] = zero - 1  # positive columns: rows end .. zero − 1; negative ones: rows zero .. end − 1
            low[:, 1] = zero
            self._extremes = np.empty((2, self._starts.size), np.float32)
            self._ends = np.empty((2, self._starts.size), np.float64)
            self._columns_key = key
        extremes, ends = self._extremes, self._ends
        np.maximum.reduceat(values, self._starts, out=extremes[0])
        np.minimum.reduceat(values, self._starts, out=extremes[1])
        np.clip(extremes, _PARTS_LOW, _PARTS_HIGH, out=extremes)  # the positive part of the highs, the negative of the lows
        np.multiply(extremes, m22, out=ends)
        ends += dy - 0.5
        np.ceil(ends, out=ends)  # the first row past each value's end
        self._columns[0].corners()[:, 1] = ends[0]
        np.subtract(ends[1], 1.0, out=ends[1])
        self._columns[1].corners()[:, 3] = ends[1]  # an empty column (y2 < y1) is not drawn
        painter.save()
        painter.resetTransform()
        for rects, brush in zip(self._columns, self._brushes):
            painter.setBrush(brush)
            painter.drawRects(*rects.drawargs())
        painter.restore()


class _PixelRects:
    """Integer rectangles (QRect: x1, y1, x2, y2, both corners inside) in one numpy array, handed to
    ``QPainter.drawRects`` as a C array (see explorer.widgets.repaint.c_array); Bars' other rectangles are QRectF doubles."""

    def __init__(self) -> None:
        self._memory = np.zeros((0, 4), np.int32)
        self._size = 0

    def resize(self, size: int) -> np.ndarray:
        if size > len(self._memory):
            self._memory = np.zeros((size, 4), np.int32)
        self._size = size
        return self.corners()

    def corners(self) -> np.ndarray:
        return self._memory[: self._size]

    def drawargs(self) -> tuple:
        return c_array(self.corners(), QRect) if self._size else (None, 0)


class BarChart(QWidget):
    barClicked = Signal(int)

    def __init__(self, title: str = "", *, value_name: str = "", levels: tuple[float, float] | None = None, color=style.INPUT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value_name = value_name
        self._levels = levels
        self._color = color
        self._values = np.zeros(0, np.float32)
        self._labels: list[str] = []
        self.view = pg.PlotWidget(title=title or None, axisItems={"bottom": LabelAxis("bottom"), "left": LabelAxis("left")}, enableMenu=False)
        self.view.setMinimumSize(160, 120)
        self.plot = self.view.getPlotItem()
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        for side in ("left", "bottom"):  # kept as pixmaps: the items inside repaint their neighbours every edit
            self.plot.getAxis(side).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.bars = Bars(color, style.NEGATIVE, pg.mkPen(style.QUERY, width=2.5))
        self.plot.addItem(self.bars, ignoreBounds=True)  # the chart sets its range itself
        self.plot.addLine(y=0, pen=pg.mkPen("#808080", width=1))
        self._range: tuple | None = None
        self._ticks_shown: list | None = None
        self._value_ticks_shown: list | None = None
        self.plot.vb.sigResized.connect(self._fit_ticks)
        self.plot.vb.sigResized.connect(self._fit_value_ticks)
        self._texts = PointLabels(offset=(0.0, -2.0)).attach(self.plot, z=5)
        self.plot.vb.sigResized.connect(self._refit_texts)
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
        if title != self.plot.titleLabel.text or not self.plot.titleLabel.isVisible():  # a new title re-lays-out the plot
            self.plot.setTitle(title)

    def set_data(self, values: np.ndarray, labels: Sequence[str] | None = None, *, highlight: int | None = None) -> None:
        values = np.asarray(values, np.float32).ravel()
        n = values.size
        labels = [str(i) for i in range(n)] if labels is None else list(map(str, labels))
        self.bars.set_bars(values, highlight if highlight is not None and 0 <= highlight < n else None)
        if labels != self._labels:
            self._labels = labels
            self._fit_ticks()
        self._values = values
        if self._levels is not None:
            y_range = self._levels
        else:  # round limits: the axis stays still while values move inside them, and is not re-laid out
            y_range = self._value_range(values)
        x_range = (-0.6, max(n, 1) - 0.4)
        if (x_range, y_range) != self._range:
            self._range = (x_range, y_range)
            self.plot.setRange(xRange=x_range, yRange=y_range, padding=0)
            self._fit_value_ticks()
        self._update_texts(values)
        self.readout.setText(" ")

    def _value_range(self, values: np.ndarray) -> tuple[float, float]:
        """Round limits with room for the value labels. The shown range is kept while the new values fit inside it
        and fill at least KEEP_RANGE_FILL of it: values that change a little at each edit (a decoder step's scores)
        leave the axis still instead of moving it, re-laying it out and repainting the whole chart. A new range
        leaves RANGE_HEADROOM of the values' span free beyond the labels' room, so values that grow a little further
        still fit (a decoder's scores moved the range at 22 of 100 steps with no headroom, 10 with it)."""
        low, high = min(0.0, float(values.min(initial=0.0))), max(0.0, float(values.max(initial=0.0)))
        span = (high - low) or 1.0
        room = 0.3 * span  # for the value labels above (below) the bars
        needed = (low - room * (low < 0), high + room * (high > 0))
        if self._range is not None:
            kept_low, kept_high = self._range[1]
            if low == high == 0.0 and kept_low <= 0.0 <= kept_high:
                return kept_low, kept_high  # all zero (nothing computed yet, e.g. before a decoder's first step)
            fits = kept_low <= needed[0] and needed[1] <= kept_high and (kept_low < 0) == (low < 0) and (kept_high > 0) == (high > 0)
            if fits and needed[1] - needed[0] >= KEEP_RANGE_FILL * (kept_high - kept_low):
                return kept_low, kept_high
        spare = RANGE_HEADROOM * span
        step = nice_step(span * (1.0 + RANGE_HEADROOM), 5)
        return math.floor((needed[0] - spare * (low < 0)) / step) * step, math.ceil((needed[1] + spare * (high > 0)) / step) * step

    def _fit_ticks(self, *args) -> None:
        """Label as many bars as fit side by side (a label on every bar of 256 would overlap, and every label
        costs layout work on each redraw); again when the chart is resized."""
        metrics = self.fontMetrics()
        extent = metrics.averageCharWidth() * max(map(len, self._labels), default=1) + 8.0
        ticks = fitted_ticks(self._labels, self.plot.vb.width(), extent)
        if ticks != self._ticks_shown:
            self._ticks_shown = ticks
            self.plot.getAxis("bottom").setTicks([ticks, []])

    def _fit_value_ticks(self, *args) -> None:
        """Round values on the value axis, one per ~22 pixels of height (at most 10), given to the axis as explicit ticks: the
        lean tick path (explorer.widgets.axes) lays them out when the range moves, where pyqtgraph's automatic ticks
        took ~3 ms a time (a chart whose values grow moves its range every few edits)."""
        if self._range is None:
            return
        low, high = self._range[1]
        span = high - low
        if not span > 0:
            return
        step = nice_step(span, min(10, max(2, int(self.plot.vb.height() // 22))))  # ≤ 10 labels on a tall chart
        decimals = max(0, -math.floor(math.log10(step) + 1e-9))
        first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
        ticks = [(k * step, f"{k * step:.{decimals}f}" if k else "0") for k in range(first, last + 1)]
        if ticks != self._value_ticks_shown:
            self._value_ticks_shown = ticks
            self.plot.getAxis("left").setTicks([ticks, []])

    @property
    def value_ticks(self) -> list[tuple[float, str]]:
        return list(self._value_ticks_shown or [])

    def _update_texts(self, values: np.ndarray) -> None:
        """Each bar's value printed over it, for up to MAX_VALUE_LABELS bars and only while the labels fit side by side
        (16 values in a narrow chart ran into each other: "-0.19-0.22"); otherwise a click on a bar reads its value."""
        if values.size > MAX_VALUE_LABELS and not self._texts.isVisible():
            return  # too many bars for labels, and none shown: nothing to change (a long sequence's every edit)
        shown = values if values.size <= MAX_VALUE_LABELS else values[:0]
        numbers = shown.tolist()  # Python floats: numpy scalars format and compare several times slower
        texts = [f"{v:.2f}" for v in numbers]
        if texts and self._texts.widest(texts) + VALUE_LABEL_GAP > self.plot.vb.width() / values.size:
            shown, numbers, texts = values[:0], [], []
        if self._texts.isVisible() != bool(shown.size):  # no labels: no item for each repaint of the chart to visit
            self._texts.setVisible(bool(shown.size))
        points = np.column_stack([np.arange(shown.size), shown])
        anchors = [(0.5, 1.0) if v >= 0 else (0.5, -0.15) for v in numbers]
        self._texts.set_labels(points, texts, anchors=anchors)

    def _refit_texts(self, *args) -> None:
        """Value labels that now fit the chart's width, or no longer do."""
        self._update_texts(self._values)

    @property
    def value_labels(self) -> list[str]:
        return self._texts.labels

    def apply_theme(self, foreground) -> None:
        """Bars drawn in the text colour (outputs) follow the theme."""
        if self._color == style.OUTPUT:
            self.bars.set_brush(foreground)

    def view_data(self):
        from explorer.export import ViewData

        name = self.value_name or "values"
        return ViewData({name: self._values}, {name: [name]}, {name: self._labels})

    def title(self) -> str:
        return self.plot.titleLabel.text or self.value_name

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        from explorer.widgets.view_menu import build_menu

        build_menu(self, self.view_data, self.title).exec(event.globalPos())

    def _on_clicked(self, event) -> None:
        point = self.plot.vb.mapSceneToView(event.scenePos())
        index = int(round(point.x()))
        if 0 <= index < self._values.size and self.plot.vb.sceneBoundingRect().contains(event.scenePos()):
            self.readout.setText(f"{self._labels[index]}: {self.value_name} = {format_value(float(self._values[index]))}")
            self.barClicked.emit(index)
