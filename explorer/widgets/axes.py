"""A tick axis for label ticks (tokens, inputs, queries) that lays itself out in a fraction of pyqtgraph's time.

Heatmaps and bar charts give their axes explicit ticks (``setTicks([[(position, label), …], []])``). When one
shown label changes, pyqtgraph's ``AxisItem.generateDrawSpecs`` measures every label with ``QPainter.boundingRect``,
asks the axis for its bounding rectangle once per label and builds several ``Point`` objects per tick: ~4 ms for
32 token labels on the development machine, paid inside the repaint (every edit of a sequence that renames a shown
token). :class:`LabelAxis` computes the same draw specs with text sizes measured once per string and the axis
geometry computed once; anything else (automatic ticks, a grid, several tick levels) goes to pyqtgraph. Painted
into its pixmap cache by a raster painter, the axis draws itself from kept tick places and labels laid out once per
string (:meth:`LabelAxis._paint_lean`), with the pixels pyqtgraph's drawing gives.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEngine, QTextLayout, QTextOption, QTransform
from PySide6.QtWidgets import QGraphicsItem

from explorer.widgets.repaint import c_array

_FLAGS = {
    "left": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip,
    "right": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip,
    "top": Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextDontClip,
    "bottom": Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextDontClip,
}
_MEASURE = QRectF(0, 0, 100, 100)
# Looked up once: an enum member's ``.value`` is a Python property, and the axes paint at every edit.
_TRANSLATIONS = (QTransform.TransformationType.TxNone, QTransform.TransformationType.TxTranslate)
_RASTER = QPaintEngine.Type.Raster
_ANTIALIASING, _TEXT_ANTIALIASING = QPainter.RenderHint.Antialiasing, QPainter.RenderHint.TextAntialiasing
_RTL = ("R", "AL", "AN")  # bidirectional classes that make Qt's formatting lay a line out right to left
_EDGE = 1e-6  # a label this close to the axis's edge is tested as pyqtgraph tests it (QRectF's fuzzy compare)


def _label_box(orientation: str, x: float, width: float, height: float, tick_stop: float, text_offset: float) -> tuple[float, float]:
    """The top-left corner pyqtgraph gives a label's box (width × height) at the tick ``x`` pixels along the axis."""
    if orientation == "left":
        return tick_stop - text_offset - width, x - height / 2
    if orientation == "right":
        return tick_stop + text_offset, x - height / 2
    if orientation == "top":
        return x - width / 2.0, tick_stop - text_offset - height
    return x - width / 2.0, tick_stop + text_offset


class LabelAxis(pg.AxisItem):
    """``pg.AxisItem`` whose draw specs for explicit one-level ticks are computed directly (same pixels)."""

    penChanged = Signal()  # the axis line's pen (a theme): see explorer.widgets.heatmap.FrameLines

    # Bumped by what changes the frame besides geometry and range (pens, style). A class attribute: pyqtgraph's
    # __init__ sets the pens before this class's __init__ body runs.
    _frame_version = 0
    # Class defaults, there before __init__'s body runs (pyqtgraph's __init__ may set ticks or a cache mode):
    _pixmap_wanted = False  # the owner asked for DeviceCoordinateCache (see setTicks)
    _direct = False  # drawn straight onto the view while the labels change
    _ticks_version = 0  # counts setTicks calls
    _bounds: QRectF | None = None  # pyqtgraph's bounding rectangle while the geometry and the tick style stay
    _text_space_fitted = False  # the axis's room for labels set once (see _fit_text_space)
    _font_given = None  # the tick font object the kept sizes were checked against (see _check_font)

    def __init__(self, orientation: str, **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        self._text_sizes: dict[str, tuple[float, float]] = {}
        self._text_font = ""
        self._font_seen = None  # the painter font the sizes and texts below were made with (see _check_font)
        self._texts: dict[str, tuple] = {}  # label → its laid-out line and pyqtgraph's box for it (see _text)
        self._places_key: tuple = ()  # see _places_for
        self._places: tuple = ()
        self._frame_key: tuple = ()  # see _frame
        self._frame_value: tuple = ()
        self._direct_painted = -1  # the ticks version last painted directly
        self._restore_at: int | None = None  # the ticks version a pending return to the pixmap was asked at

    def boundingRect(self) -> QRectF:  # noqa: N802
        """pyqtgraph's rectangle, worked out again only after the geometry or the tick style changed: Qt asks each
        axis for it several times per paint (~18 times per Self-attention reorder), and pyqtgraph computes it in
        Python every time. A new geometry forgets it (:meth:`_resetCachedProperties`), as does :meth:`setStyle`."""
        if self.grid is not False:
            return super().boundingRect()
        if self._bounds is None:
            self._bounds = super().boundingRect()
        return QRectF(self._bounds)

    def _resetCachedProperties(self) -> None:  # noqa: N802 - pyqtgraph's slot for geometryChanged
        super()._resetCachedProperties()
        self._bounds = None

    def paint(self, p, opt, widget) -> None:
        """A label axis kept as a pixmap (DeviceCoordinateCache: heatmaps' and bar charts' token axes) is painted only
        when it changed, so pyqtgraph's QPicture, recorded and replayed at once, only doubled the work: the axis is
        drawn straight into Qt's cache (:meth:`_paint_lean`; pyqtgraph's drawing from the same specs when the painter
        is not a plain raster one: a vector export, a scaled render). While its labels change at every edit (a
        reorder of the tokens), the pixmap is left aside and the axis drawn straight onto the view (see
        :meth:`setTicks`)."""
        if self._direct:
            self._note_direct_paint()
        elif self.cacheMode() == QGraphicsItem.CacheMode.NoCache:
            super().paint(p, opt, widget)
            return
        if not self._lean():
            super().paint(p, opt, widget)
            return
        p.save()
        try:
            engine = p.paintEngine()
            if engine is not None and engine.type() is _RASTER and p.transform().type() in _TRANSLATIONS:
                self._paint_lean(p)  # sets the tick font itself
            else:
                if self.style["tickFont"]:
                    p.setFont(self.style["tickFont"])
                specs = self.generateDrawSpecs(p)
                if specs is not None:
                    self.drawPicture(p, *specs)
        finally:
            p.restore()

    # ---- a pixmap while the labels stay, drawn directly while they change ---------------------------------------
    def setCacheMode(self, mode, *args) -> None:  # noqa: N802 - Qt's name
        """The cache mode the axis's owner wants; DeviceCoordinateCache is then left aside while the labels change."""
        self._pixmap_wanted = mode == QGraphicsItem.CacheMode.DeviceCoordinateCache
        self._direct = False
        super().setCacheMode(mode, *args)

    def setTicks(self, ticks) -> None:  # noqa: N802 - pyqtgraph's name
        """New labels: an axis kept as a pixmap is drawn straight onto the view until it is painted again with the
        same labels. Through the cache, each new set of labels was drawn into a cleared pixmap, then the pixmap onto
        the view (~0.03 ms more an axis; four such axes at each Self-attention reorder)."""
        super().setTicks(ticks)
        self._ticks_version += 1
        if self._pixmap_wanted and not self._direct:
            self._direct = True
            QGraphicsItem.setCacheMode(self, QGraphicsItem.CacheMode.NoCache)

    def _note_direct_paint(self) -> None:
        """A direct paint of the labels painted last time (the item beside the axis changed, not its labels): the
        pixmap is taken up again once this paint is over (the mode cannot change inside a paint)."""
        if self._ticks_version == self._direct_painted and self._restore_at is None:
            self._restore_at = self._ticks_version
            QTimer.singleShot(0, self, self._restore_pixmap)
        self._direct_painted = self._ticks_version

    def _restore_pixmap(self) -> None:
        unchanged = self._restore_at == self._ticks_version
        self._restore_at = None
        if unchanged and self._direct and self._pixmap_wanted:
            self._direct = False
            QGraphicsItem.setCacheMode(self, QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def _paint_lean(self, p) -> None:
        """What ``drawPicture(generateDrawSpecs())`` paints, with the same pixels, for less work per paint. A reorder
        of the tokens gives an axis new labels at the same places, and each paint built every label's specs and laid
        its text out again (``drawText(rect, flags)``): ~0.7 ms an axis here, four axes at each Self-attention
        reorder. Here the tick lines and places are kept while the frame and the tick positions stay, and each label
        is laid out once per string (a QTextLayout) and drawn where ``drawText(rect, flags)`` draws its line: offset in
        the box by the line's advance and height, as Qt's own text formatting offsets it."""
        self._check_font(p)
        frame = self._frame()
        if frame is None:
            return
        axis_spec, axis, tick_pen, tick_stop, text_offset, box, text_pen = frame[0], frame[1], frame[6], frame[8], frame[10], frame[11], frame[12]
        ticks = self._tickLevels[0]
        lines, places = self._places_for(frame, ticks)
        labels = []  # (text entry, pixel position along the axis) of the ticks in range
        if self.style["showValues"]:
            texts = self._texts
            labels = [(texts.get(text) or self._text(p, text), x) for (_, text), x in zip(ticks, places) if x is not None]
            largest = max((entry[1] if axis == 0 else entry[2] for entry, _ in labels), default=0.0)
            self._fit_text_space(largest)
        p.setRenderHint(_ANTIALIASING, False)
        p.setRenderHint(_TEXT_ANTIALIASING, True)
        first_line, line_count, _ = lines
        if not frame[13]:  # its own pen: the axis line apart (else it is the first of the lines)
            pen, start, end = axis_spec
            p.setPen(pen)
            p.drawLine(start, end)
        if line_count:
            p.setPen(tick_pen)
            p.drawLines(first_line, line_count)
        if not labels:
            return
        p.setPen(text_pen)
        p.setClipRect(box.toAlignedRect(), Qt.ClipOperation.IntersectClip)  # within what the view repaints
        orientation = self.orientation
        low, high, top, bottom = box.left() + _EDGE, box.right() - _EDGE, box.top() + _EDGE, box.bottom() - _EDGE
        for (layout, width, height, text, advance, line_height), x in labels:
            rx, ry = _label_box(orientation, x, width, height, tick_stop, text_offset)
            if not (low < rx and rx + width < high and top < ry and ry + height < bottom):  # near an edge: Qt's test
                rect = QRectF(rx, ry, width, height)
                if (box & rect) != rect:  # pyqtgraph draws only labels wholly inside the axis
                    continue
            if layout is None:  # several lines, tabs, leading spaces: Qt's formatting itself
                p.drawText(QRectF(rx, ry, width, height), int(_FLAGS[orientation]), text)
            elif orientation == "left":  # right-aligned, centred vertically
                layout.draw(p, QPointF(rx + width - advance, ry + (height - line_height) / 2))
            elif orientation == "right":
                layout.draw(p, QPointF(rx, ry + (height - line_height) / 2))
            elif orientation == "top":  # centred, at the bottom
                layout.draw(p, QPointF(rx + (width - advance) / 2, ry + height - line_height))
            else:
                layout.draw(p, QPointF(rx + (width - advance) / 2, ry))

    def _fit_text_space(self, largest: float) -> None:
        """The axis's room for its labels follows the largest shown (pyqtgraph's ``_updateMaxTextSize``), asked only
        when that moves the room: pyqtgraph re-applies the axis's width at every call (~20 µs), and a reorder of the
        tokens changes the largest shown label at most paints, by less than the 10 pixels that resize the axis."""
        vertical = self.orientation in ("left", "right")
        room = self.textWidth if vertical else self.textHeight
        if self.style["autoReduceTextSpace"]:
            moves = largest > room or largest < room - 10
        else:
            moves = largest > room
        if moves or not self._text_space_fitted:
            self._updateMaxTextSize(largest)
            self._text_space_fitted = True

    def _places_for(self, frame, ticks) -> tuple[tuple, list]:
        """The tick lines (``drawLines`` arguments: one C array of x1, y1, x2, y2 and its length, made once with the
        array they point into; the axis line first when it has the ticks' pen) and each tick's pixel position along
        the axis (None outside the range), worked out again only when the frame or the tick positions change, not
        their labels."""
        positions = [value for value, _ in ticks]
        key = (frame, positions)
        if key == self._places_key:
            return self._places
        axis, scale, offset, lowest, highest, tick_start, tick_end = frame[1], frame[2], frame[3], frame[4], frame[5], frame[7], frame[9]
        lines, places = [], []
        if frame[13]:  # the axis line in the same call, first (one drawLine less at each paint, ~10 µs)
            _, start, end = frame[0]
            lines.append((start.x(), start.y(), end.x(), end.y()))
        for value in positions:
            x = value * scale - offset
            if x < lowest or x > highest:
                places.append(None)
                continue
            lines.append((tick_start, x, tick_end, x) if axis == 0 else (x, tick_start, x, tick_end))
            places.append(x)
        rows = np.array(lines, np.float64).reshape(-1, 4)
        self._places_key, self._places = key, ((*c_array(rows, QLineF), rows), places)  # the array lives as long
        return self._places

    def _text(self, p, text: str) -> tuple:
        """A label laid out once: (its line's layout, pyqtgraph's box width and height, the text, the line's advance
        and height). The layout is None for text Qt's formatting treats specially (line breaks, tabs, leading
        spaces, right-to-left script): such a label is drawn with ``drawText`` as pyqtgraph draws it."""
        if len(self._texts) > 4096:
            self._texts.clear()
        width, height = self._text_size(p, text)
        layout, advance, line_height = None, 0.0, 0.0
        plain = text and not text[0].isspace() and not any(c in "\n\r\t\u2028" or unicodedata.bidirectional(c) in _RTL for c in text)
        if plain:
            layout = QTextLayout(text, p.font())
            layout.setCacheEnabled(True)
            option = QTextOption()
            option.setWrapMode(QTextOption.WrapMode.NoWrap)
            layout.setTextOption(option)
            layout.beginLayout()
            line = layout.createLine()
            line.setLineWidth(1e9)
            line.setPosition(QPointF(0.0, 0.0))
            layout.endLayout()
            # QTextLine.height() is rounded up; Qt's formatting offsets the line by its exact ascent + descent
            advance, line_height = line.horizontalAdvance(), line.ascent() + line.descent()
        entry = self._texts[text] = (layout, width, height, text, advance, line_height)
        return entry

    def _check_font(self, p) -> None:
        """Sizes and laid-out texts are kept per font: a new one (a theme's scale) forgets them. The tick font object
        checked last time needs no second look (a theme gives the axis a new QFont through setStyle)."""
        tick_font = self.style["tickFont"]
        if tick_font is not None:
            p.setFont(tick_font)
            if tick_font is self._font_given:
                return
        self._font_given = tick_font
        font = p.font()
        if self._font_seen is not None and font == self._font_seen:
            return
        key = font.key()
        self._font_seen = font
        if key != self._text_font:
            self._text_font, self._text_sizes, self._texts = key, {}, {}

    def _lean(self) -> bool:
        levels = self._tickLevels
        return (
            levels is not None
            and len(levels) >= 1
            and all(len(level) == 0 for level in levels[1:])
            and self.grid is False
            and not self.style["stopAxisAtTick"][0]
            and not self.style["stopAxisAtTick"][1]
        )

    def _text_size(self, painter, text: str) -> tuple[float, float]:
        """What pyqtgraph measures for a label: the painter's bounding box, its height × 0.8."""
        size = self._text_sizes.get(text)
        if size is None:
            if len(self._text_sizes) > 4096:
                self._text_sizes.clear()
            box = painter.boundingRect(_MEASURE, Qt.AlignmentFlag.AlignCenter, text)
            size = self._text_sizes[text] = (box.width(), box.height() * 0.8)
        return size

    def setStyle(self, **kwargs):  # noqa: N802 - pyqtgraph's names
        self._frame_version += 1
        self._bounds = None
        return super().setStyle(**kwargs)

    def setPen(self, *args, **kwargs):  # noqa: N802
        self._frame_version += 1
        super().setPen(*args, **kwargs)
        self.penChanged.emit()

    def setTickPen(self, *args, **kwargs):  # noqa: N802
        self._frame_version += 1
        super().setTickPen(*args, **kwargs)

    def setTextPen(self, *args, **kwargs):  # noqa: N802
        self._frame_version += 1
        super().setTextPen(*args, **kwargs)

    def _frame(self):
        """What the draw specs take from the axis's geometry, range, pens and style: the axis line, the tick pen and
        the mapping from tick values to pixels. Worked out again only when one of those changes; a reorder of the
        tokens changes only the labels, and building the frame (a dozen Qt calls, a pen and a colour made afresh)
        was ~40 % of a label axis's specs. None while the axis has no length on the screen."""
        geometry = self.geometry()
        low, high = self.range
        key = (geometry.x(), geometry.y(), geometry.width(), geometry.height(), low, high, self._frame_version)
        if key == self._frame_key:
            return self._frame_value
        bounds = self.mapRectFromParent(geometry)
        orientation = self.orientation
        axis = 0 if orientation in ("left", "right") else 1
        if orientation == "left":
            start, end = bounds.topRight() + QPointF(-1.0, -1.0), bounds.bottomRight() + QPointF(-1.0, 1.0)
            tick_start = tick_stop = bounds.right()
            direction = -1
        elif orientation == "right":
            start, end = bounds.topLeft() + QPointF(1.0, -1.0), bounds.bottomLeft() + QPointF(1.0, 1.0)
            tick_start = tick_stop = bounds.left()
            direction = 1
        elif orientation == "top":
            start, end = bounds.bottomLeft() + QPointF(-1.0, -1.0), bounds.bottomRight() + QPointF(1.0, -1.0)
            tick_start = tick_stop = bounds.bottom()
            direction = -1
        else:
            start, end = bounds.topLeft() + QPointF(-1.0, 1.0), bounds.topRight() + QPointF(1.0, 1.0)
            tick_start = tick_stop = bounds.top()
            direction = 1
        device = [self.mapToDevice(point) for point in (start, end)]
        if None in device:
            return None  # not kept: the axis may be shown later with the same geometry
        if (device[1] - device[0]).manhattanLength() == 0:
            return None

        span = high - low
        if span == 0:
            scale, offset = 1.0, 0.0
        elif axis == 0:
            scale = -bounds.height() / span
            offset = low * scale - bounds.height()
        else:
            scale = bounds.width() / span
            offset = low * scale
        ends = (low * scale - offset, high * scale - offset)

        tick_pen = self.tickPen()
        alpha = self.style["tickAlpha"]
        if tick_pen.brush().style() == Qt.BrushStyle.SolidPattern:
            if alpha is None:
                alpha = 255
            elif isinstance(alpha, float):
                alpha = min(255, max(0, int(round(alpha * 255))))
            tick_pen = pg.QtGui.QPen(tick_pen)
            colour = pg.QtGui.QColor(tick_pen.color())
            colour.setAlpha(int(alpha))
            tick_pen.setColor(colour)
        tick_length = self.style["tickLength"]
        text_offset = max(0, tick_length) + self.style["tickTextOffset"][axis]
        axis_spec = (self.pen(), start, end)
        # The text pen too: pyqtgraph's textPen() makes a new pen at every call (~9 µs).
        # Last, whether the axis line and the ticks share a pen: then they are drawn with one call (see _places_for).
        value = (axis_spec, axis, scale, offset, min(ends), max(ends), tick_pen, tick_start, tick_stop, tick_stop + tick_length * direction, text_offset, self.boundingRect(), self.textPen(), tick_pen == axis_spec[0])
        self._frame_key, self._frame_value = key, value
        return value

    def generateDrawSpecs(self, p):  # noqa: N802 - pyqtgraph's name
        if not self._lean():
            return super().generateDrawSpecs(p)
        self._check_font(p)
        frame = self._frame()
        if frame is None:
            return None
        axis_spec, axis, _, _, _, _, tick_pen, tick_start, tick_stop, tick_end, text_offset, box, _, _ = frame
        orientation = self.orientation
        flags = _FLAGS[orientation]

        tick_specs, text_specs = [], []
        largest = 0.0
        values_shown = self.style["showValues"]
        ticks = self._tickLevels[0]
        for (_, text), x in zip(ticks, self._places_for(frame, ticks)[1]):
            if x is None:  # outside the range
                continue
            if axis == 0:
                tick_specs.append((tick_pen, QPointF(tick_start, x), QPointF(tick_end, x)))
            else:
                tick_specs.append((tick_pen, QPointF(x, tick_start), QPointF(x, tick_end)))
            if not values_shown:  # pyqtgraph returns before measuring text, and leaves the axis size alone
                continue
            width, height = self._text_size(p, text)
            largest = max(largest, width if axis == 0 else height)
            rect = QRectF(*_label_box(orientation, x, width, height, tick_stop, text_offset), width, height)
            if box & rect != rect:  # pyqtgraph's test: only labels wholly inside the axis
                continue
            text_specs.append((rect, flags, text))
        if values_shown:
            self._updateMaxTextSize(largest)
        return axis_spec, tick_specs, text_specs
