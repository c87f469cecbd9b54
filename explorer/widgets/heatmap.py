"""The one heatmap of the app: a matrix with token tick labels on both axes, a colorbar, a hover readout of the
exact value, row/column highlight, and blocked (masked, −∞) cells drawn in a grey that no colormap uses.

Items are created once; :meth:`Heatmap.set_data` recolours only the rows whose values changed (see
:mod:`explorer.widgets.cell_image`), at the view's resolution.
"""

from __future__ import annotations

import functools
import math

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsRectItem, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from explorer.errors import reported
from explorer.i18n import QT_TRANSLATE_NOOP
from explorer.widgets.axes import LabelAxis
from explorer.widgets import style
from explorer.widgets.cell_image import COLOURS, CellImage, colour_table
from explorer.widgets.items import PointLabels

MAX_TICK_LABELS = 48  # beyond this, every k-th label is shown
MAX_CELL_TEXTS = 64  # small matrices print their values in the cells
DARK_TEXT, LIGHT_TEXT = QColor("#202020"), QColor("#f4f4f4")  # cell values on bright and on dark cells
# What rows and columns are called in the readout; translated when a heatmap is made.
AXIS_NAMES = (
    QT_TRANSLATE_NOOP("Heatmap", "query"),
    QT_TRANSLATE_NOOP("Heatmap", "key"),
    QT_TRANSLATE_NOOP("Heatmap", "token"),
    QT_TRANSLATE_NOOP("Heatmap", "dim"),
    QT_TRANSLATE_NOOP("Heatmap", "position"),
    QT_TRANSLATE_NOOP("Heatmap", "input"),
    QT_TRANSLATE_NOOP("Heatmap", "output"),
    QT_TRANSLATE_NOOP("Heatmap", "dimension"),
    QT_TRANSLATE_NOOP("Heatmap", "vector"),
    QT_TRANSLATE_NOOP("Heatmap", "head"),
)


def _fitting_step(positions: Sequence[float], pixels_per_cell: float, extent: float) -> int:
    """The smallest k such that every k-th labelled position is at least ``extent`` pixels from the next."""
    if len(positions) < 2:
        return 1
    gaps = np.diff(np.asarray(positions, float)) * pixels_per_cell
    wanted = _wanted(extent)
    for step in range(1, len(positions)):
        spacing = np.add.reduceat(gaps, np.arange(0, len(gaps), step)) if step > 1 else gaps
        if spacing[: len(gaps) // step].min(initial=np.inf) >= wanted:
            return step
    return len(positions)


def _wanted(extent: float) -> float:
    """The spacing that counts as ``extent``: a billionth less, so that a spacing exactly equal to it passes whether
    it was summed gap by gap (:func:`_fitting_step`) or multiplied (:func:`_even_step`), whose roundings differ."""
    return extent * (1.0 - 1e-9)


def _even_step(count: int, pixels_per_cell: float, extent: float) -> int:
    """:func:`_fitting_step` for positions 0, 1, …, count − 1: k cells span k · pixels_per_cell."""
    if count < 2:
        return 1
    wanted = _wanted(extent)
    cells = wanted / pixels_per_cell if pixels_per_cell > 0 else math.inf
    if cells >= count:
        return count
    step = max(1, math.ceil(cells))
    while step > 1 and (step - 1) * pixels_per_cell >= wanted:  # float rounding of the division, either way
        step -= 1
    while step < count and step * pixels_per_cell < wanted:
        step += 1
    return min(step, count)


def fitted_ticks(labels: Sequence[str], pixels: float, extent: float) -> list[tuple[float, str]]:
    """Ticks for as many of the labelled positions as fit in ``pixels`` without overlapping (each label needs
    ``extent`` pixels), at most MAX_TICK_LABELS. ``labels``: strings (a list is taken as it is)."""
    labels = labels if isinstance(labels, list) else list(map(str, labels))  # the views pass lists of strings already
    per_cell = pixels / max(len(labels), 1)
    if all(labels):  # every position labelled (tokens): the step follows from the cell size
        step = _even_step(len(labels), per_cell, extent) if pixels > 0 else 1
        step = max(step, math.ceil(len(labels) / MAX_TICK_LABELS))
        return [(float(i), labels[i]) for i in range(0, len(labels), step)]
    labelled = [(float(i), label) for i, label in enumerate(labels) if label]
    step = _fitting_step([p for p, _ in labelled], per_cell, extent) if pixels > 0 else 1
    return labelled[:: max(step, math.ceil(len(labelled) / MAX_TICK_LABELS))]


@functools.lru_cache(maxsize=32)
def _positions(count: int) -> list[str]:
    """The labels of a matrix given none ("0", "1", …): one list per size, the same object at every edit, so the view
    sees at once that its labels did not change. Never modified."""
    return [str(i) for i in range(count)]


def plural(word: str) -> str:
    if not word.isascii():  # a translated name (Chinese has no plural forms)
        return word
    return word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"


FIT_SAMPLE = 1 << 16  # cells the fitted colour range is taken from, evenly spaced (a 256 × 256 matrix: all of them)
FIT_QUANTILES = (0.01, 0.99)
FIT_STEADY = 0.02  # a fitted range that moves by less than this share of its span is kept


def _within(levels: tuple[float, float], kept: tuple[float, float], share: float) -> bool:
    span = kept[1] - kept[0]
    return abs(levels[0] - kept[0]) <= share * span and abs(levels[1] - kept[1]) <= share * span


def fitted_range(values: np.ndarray, blocked: np.ndarray | None, low: float, high: float) -> tuple[float, float]:
    """The colour range a fitted map uses: the 1st and 99th percentiles of its finite, unblocked values (of about
    FIT_SAMPLE cells, evenly spaced, every column among them), within (low, high), their extremes. The largest 1 %
    share the top colour: one weight of 0.35 among 65,536 near 1/256 would otherwise leave the rest in the bottom
    tenth of the colormap. The percentile is a value of the matrix ("higher"): up to 100 values, the 99th is the
    largest."""
    flat = values.ravel() if blocked is None else values[~blocked]
    step = max(1, flat.size // FIT_SAMPLE)
    while step > 1 and math.gcd(step, values.shape[-1]) > 1:  # a step sharing a factor with the row length would
        step += 1  # sample some columns only (every 16th cell of 1024-cell rows: 64 of the columns)
    sample = flat[::step]
    if not np.isfinite(sample).all():
        sample = sample[np.isfinite(sample)]
    if sample.size == 0:
        return low, high
    q_low, q_high = (float(q) for q in np.quantile(sample, FIT_QUANTILES, method="higher"))
    if not q_high > q_low:
        return low, high
    return max(low, q_low), min(high, q_high)


def format_value(value: float) -> str:
    if np.isneginf(value):
        return QCoreApplication.translate("Heatmap", "−∞ (masked)")
    if np.isnan(value):
        return "—"
    return f"{value:.4g}"


class _PlotWithoutMenu(pg.PlotItem):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, enableMenu=False, **kwargs)


class ColorBar(pg.ColorBarItem, _PlotWithoutMenu):
    """pyqtgraph's colorbar, made without the context menu it builds and then deletes: ColorBarItem (a PlotItem)
    calls ``super().__init__()``, which this class's order of bases sends through :class:`_PlotWithoutMenu`. The view
    menu's widgets were ~4 ms of each heatmap's construction, paid again on every page's first visit."""


class FrameLines:
    """A plot's frame: the lines its top and right axes draw, drawn instead by two plain QGraphicsLineItems at the
    same places, with the axes' pens. The axes keep their room in the plot's layout and their visibility (a page may
    hide them: the lines follow), but at opacity 0 Qt neither paints them nor asks them anything. A new image
    repaints the region around it, the frame's axes included: pyqtgraph's paint and bounds for two lines, in Python
    (~0.07 ms of a Self-attention reorder at N=256, in one process alternating between the two)."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self._axes = {side: plot.getAxis(side) for side in ("top", "right")}
        self._lines = {side: QGraphicsLineItem(plot) for side in self._axes}
        for axis in self._axes.values():
            axis.setOpacity(0.0)
            axis.geometryChanged.connect(self._place)
            axis.visibleChanged.connect(self._place)
            axis.penChanged.connect(self._place)
        self._place()

    def lines(self) -> dict[str, QGraphicsLineItem]:
        return dict(self._lines)

    def _place(self) -> None:
        """Where the axes draw their lines (pyqtgraph's AxisItem: one pixel outside the plot's area, a pixel past
        each end), in the plot's coordinates."""
        for side, axis in self._axes.items():
            box = axis.geometry()
            line = self._lines[side]
            if side == "top":
                line.setLine(box.left() - 1.0, box.bottom() - 1.0, box.right() + 1.0, box.bottom() - 1.0)
            else:
                line.setLine(box.left() + 1.0, box.top() - 1.0, box.left() + 1.0, box.bottom() + 1.0)
            line.setPen(axis.pen())
            line.setVisible(axis.isVisible())


class Heatmap(QWidget):
    """A (rows × cols) matrix view. Rows are queries/tokens, columns keys/tokens/dimensions."""

    cellClicked = Signal(int, int)  # row, col
    fittedChanged = Signal(bool)  # the colour range was fitted to the values (True) or set back to the fixed one
    cellHovered = Signal(int, int)  # row, col; (-1, -1) when the pointer leaves the matrix

    def __init__(
        self,
        title: str = "",
        *,
        colormap: str = style.SEQUENTIAL,
        levels: tuple[float, float] | None = (0.0, 1.0),
        row_name: str = "query",
        col_name: str = "key",
        value_name: str = "a",
        compact: bool = False,
        blocked_colour: QColor = style.BLOCKED,
        parent: QWidget | None = None,
    ) -> None:
        """``compact`` drops the colorbar, the tick labels and the cell values (thumbnails in a grid); the
        readout line stays so a hover still gives the exact value. ``blocked_colour``: what blocked cells are drawn
        in (a transparent colour for the gaps of a mosaic whose maps have no blocked cell)."""
        super().__init__(parent)
        self.compact = compact
        self.blocked_colour = QColor(blocked_colour)
        self.colormap_kind = "diverging" if colormap == style.DIVERGING else "sequential"
        self.row_name, self.col_name, self.value_name = self.tr(row_name), self.tr(col_name), value_name
        self._fixed_levels = levels
        self._range_levels = levels  # the colour range given at construction (weights: 0 to 1); see set_fitted
        self._explicit_levels = None  # the levels the last set_data was given, if any
        self._values = np.zeros((1, 1), np.float32)
        self._blocked: np.ndarray | None = None
        self._row_labels: list[str] = []
        self._col_labels: list[str] = []
        self._hover: tuple[int, int] = (-1, -1)
        self._cell_texts: PointLabels | None = None  # made when a matrix first is small enough for them
        self._texts_shown = 0
        self._levels_given = None
        self._row_low: np.ndarray | None = None  # per-row extremes of the shown matrix, for auto levels
        self._row_high: np.ndarray | None = None
        self._levels: tuple[float, float] | None = None
        self._ticks_shown: dict[str, list[tuple[float, str]]] = {}
        self._given_ticks = None
        self._tick_key: tuple | None = None  # what the shown ticks were fitted to
        # What the readout says of a blocked (grey) cell: masked by default; a view whose grey cells are not yet computed
        # says so.
        self.blocked_text = format_value(-np.inf)
        self.blocked_cell_text = "−∞"  # what a blocked cell shows inside it, when a matrix is small enough for values
        # The readout with no cell hovered: the matrix's shape by default (None). A view that grows at every edit (a
        # decoder's outputs × inputs) gives a fixed text, so an edit does not repaint the readout line too.
        self.idle_text: str | None = None
        # Optional: (row, col) -> readout text, for views whose cells are not one query × key (a mosaic of maps);
        # called with (-1, -1) when the pointer is off the matrix.
        self.describe_cell = None

        self.view = pg.GraphicsLayoutWidget()
        self.view.setMinimumSize(160, 140)
        self.plot = self.view.addPlot(title=title or None, axisItems={side: LabelAxis(side) for side in ("left", "bottom", "top", "right")}, enableMenu=False)
        for side in ("left", "bottom", "top", "right"):
            # Rows and columns have no unit to scale: without this, every range change (a matrix that gains a row)
            # re-sets each axis's label HTML and re-lays it out, for an SI prefix that never applies.
            self.plot.getAxis(side).enableAutoSIPrefix(False)
        self.plot.invertY(True)
        self.plot.setDefaultPadding(0.0)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.showAxes(True, showValues=(True, False, False, True), size=(None, None))
        self.cells = CellImage()  # the colours, blocked cells in grey; recoloured row by row
        self.plot.addItem(self.cells)
        self.colorbar = ColorBar(values=levels or (0.0, 1.0), colorMap=style.colormap(colormap), interactive=False, width=14)
        self._table = colour_table(self.colorbar.colorMap().getLookupTable(nPts=COLOURS, alpha=False), self.blocked_colour)
        if compact:
            self.plot.hideAxis("left")
            self.plot.hideAxis("bottom")
            self.view.setMinimumSize(60, 60)
            self.view.ci.setContentsMargins(1, 1, 1, 1)
        else:
            self.colorbar.setImageItem([], insert_in=self.plot)  # beside the plot; the cells colour themselves
        # The tick axes are kept as pixmaps Qt redraws only when an axis changes: a new image repaints the region
        # around it, the axes flush against it included, and an axis repaints by replaying its picture, shaping each
        # label's text again (~0.2-0.7 ms an axis). Not the top and right axes nor the colorbar's: their lines lie
        # on their items' bounding edges, and the cache would clip them.
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        # The top and right axes are the matrix's frame, without marks: pyqtgraph's automatic numeric ticks (minor
        # ones at fractions of a row) meant nothing on token axes, and were worked out again whenever the range moved.
        # Without marks they do not follow the range either: linked, a matrix that gained a row (each decoder step)
        # redrew its right frame line from scratch (~0.5 ms); a resize still redraws them.
        for axis in ("top", "right"):
            self.plot.getAxis(axis).setTicks([[], []])
            self.plot.getAxis(axis).unlinkFromView()
        self.frame = FrameLines(self.plot)
        self._row_box = QGraphicsRectItem()
        self._col_box = QGraphicsRectItem()
        for box in (self._row_box, self._col_box):
            pen = QPen(style.QUERY, 0)
            pen.setCosmetic(True)
            pen.setWidthF(2.0)
            box.setPen(pen)
            box.setZValue(10)
            box.hide()
            self.plot.addItem(box)

        self.readout = QLabel(" ")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The colour range's switch, a link at the end of the readout line (no taller than it): the weights of 256
        # tokens, ~1/256 each, are one dark colour on the 0-to-1 scale until fitted; the right-click menu has it too.
        self.fit_link = QLabel()
        self.fit_link.setTextFormat(Qt.TextFormat.RichText)
        self.fit_link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.fit_link.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.fit_link.linkActivated.connect(lambda _: self.set_fitted(not self.fitted))
        self.fit_link.hide()
        # Offered on maps of weights (a fixed 0-to-1 sequential range), where small values are the common case; a
        # signed map's fixed range (−1 to 1 for tanh states) is part of what it shows. The right-click menu offers
        # the fit on both.
        self.offers_fit = levels is not None and not compact and self.colormap_kind == "sequential"
        self._fit_link_state: tuple[bool, bool] | None = None  # (shown, fitted) the link was last set for
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.setSpacing(12)
        bottom.addWidget(self.readout, 1)
        bottom.addWidget(self.fit_link)
        layout.addLayout(bottom)

        # Hover through an event filter, not pyqtgraph's sigMouseMoved: that one is rate-limited and can drop the
        # last move, leaving the readout on a cell the pointer has left.
        self.view.viewport().setMouseTracking(True)
        self.view.viewport().installEventFilter(self)
        self.view.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self.plot.vb.sigResized.connect(self._on_view_resized)

    # ---- data -------------------------------------------------------------------------------------------------
    @property
    def values(self) -> np.ndarray:
        return self._values

    @property
    def row_labels(self) -> list[str]:
        return list(self._row_labels)

    @property
    def col_labels(self) -> list[str]:
        return list(self._col_labels)

    def set_title(self, title: str) -> None:
        if title != self.plot.titleLabel.text or not self.plot.titleLabel.isVisible():  # a new title re-lays-out the plot
            self.plot.setTitle(title)

    def set_data(
        self,
        values: np.ndarray,
        row_labels: Sequence[str] | None = None,
        col_labels: Sequence[str] | None = None,
        *,
        blocked: np.ndarray | None = None,
        levels: tuple[float, float] | None = None,
        ticks: tuple[list[tuple[float, str]], list[tuple[float, str]]] | None = None,
        rows_changed: np.ndarray | None = None,
    ) -> None:
        """Show ``values`` (rows × cols, float32). −∞ cells, or cells where ``blocked`` is True, are grey.

        ``levels`` overrides the colour range; without it, the range given at construction is used, or a
        symmetric range around 0 for signed data when none was given. ``ticks`` (rows, cols) of (position, label)
        replace the per-label ticks (a mosaic of maps labels its bands, not its cells). ``rows_changed``: the
        caller knows that only these rows differ from the matrix shown (painting a mask cell changes one query's
        row); the others are not compared again. A read-only ``values`` (float32, C-contiguous) is kept without a
        copy: its owner must not change it afterwards.
        """
        self._explicit_levels = levels
        values = np.ascontiguousarray(values, dtype=np.float32)
        if values.ndim == 1:
            values = values[None, :]
        rows, cols = values.shape
        if rows_changed is not None and self._set_rows(values, np.asarray(rows_changed, np.int64), blocked, levels):
            self._set_labels(rows, cols, row_labels, col_labels, ticks)
            self._sync_fit_link()
            return
        # One reduction tells whether any cell is −∞ (a matrix without a mask has none): no N² mask made for nothing.
        negative_infinity = bool(values.size) and bool(np.fmin.reduce(values, axis=None) == -np.inf)  # fmin: NaN skipped
        if blocked is None:
            blocked_cells = np.isneginf(values) if negative_infinity else None  # none: no N² mask of False made and scanned
        else:
            blocked_cells = np.asarray(blocked, bool) | np.isneginf(values) if negative_infinity else np.asarray(blocked, bool)
        any_blocked = negative_infinity or (blocked_cells is not None and bool(blocked_cells.any()))
        # Blocked cells are drawn grey whatever they hold: a 0 there keeps them out of the levels and the block means.
        shown = np.where(blocked_cells, np.float32(0.0), values) if any_blocked else values
        self._levels_given = levels if levels is not None else self._fixed_levels
        if levels is None:
            levels = self._fixed_levels
        if levels is None:
            low, high = float(shown.min()), float(shown.max())
            if np.isnan(low) or np.isnan(high) or np.isinf(high) or np.isinf(low):
                finite = shown[np.isfinite(shown)]
                low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
            if any_blocked and bool(blocked_cells.all()):
                low, high = 0.0, 1.0
            elif self.fitted:
                low, high = fitted_range(shown, blocked_cells if any_blocked else None, low, high)
            bound = max(abs(low), abs(high))
            levels = (-bound, bound) if low < 0 else (0.0, bound)
            if levels[1] <= levels[0]:
                levels = (levels[0], levels[0] + 1.0)
            if self.fitted and self._levels is not None and _within(levels, self._levels, FIT_STEADY):
                # A fitted range moved by less than 2 % of its span stays: the weights of a reordered sequence differ
                # from the typed order's in their last bits, a sample of 1024² cells by a little more, and a colorbar
                # whose range moves is laid out again (~1.5 ms at each reorder at N=256).
                levels = self._levels
        levels = (float(levels[0]), float(levels[1]))
        self._blocked = blocked_cells if any_blocked else None
        self._values = values
        self.cells.set_matrix(shown, self._blocked, levels, self._table, self._factors_for(rows, cols))
        if levels != self._levels:  # the colorbar's axis is re-laid out on every setLevels
            self._levels = levels
            self.colorbar.setLevels(levels)
        self._set_cell_texts(values, blocked_cells, levels)
        self._row_low = self._row_high = None
        if self._levels_given is None:  # auto levels: per-row extremes, so an edit of a few rows needs no full pass
            low_rows, high_rows = shown.min(axis=1), shown.max(axis=1)
            if np.isfinite(low_rows).all() and np.isfinite(high_rows).all():
                self._row_low, self._row_high = low_rows, high_rows
        self._set_labels(rows, cols, row_labels, col_labels, ticks)
        self._sync_fit_link()

    def _set_rows(self, values: np.ndarray, rows: np.ndarray, blocked: np.ndarray | None, levels) -> bool:
        """The ``rows_changed`` path of :meth:`set_data`; False when it does not apply (new shape, levels moved)."""
        if values.shape != self._values.shape or self._levels is None or (rows.size and rows.max() >= values.shape[0]):
            return False
        given = levels if levels is not None else self._fixed_levels
        sub = values[rows]
        sub_blocked = np.isneginf(sub) if blocked is None else np.asarray(blocked, bool)[rows] | np.isneginf(sub)
        shown = np.where(sub_blocked, np.float32(0.0), sub) if sub_blocked.any() else sub
        if given is None:
            if self._row_low is None or self.fitted or not np.isfinite(shown).all():  # fitted: percentiles of all rows
                return False
            low, high = self._row_low.copy(), self._row_high.copy()
            low[rows], high[rows] = shown.min(axis=1, initial=np.inf), shown.max(axis=1, initial=-np.inf)
            bound = max(abs(float(low.min())), abs(float(high.max())))
            given = (-bound, bound) if low.min() < 0 else (0.0, bound)
            if (float(given[0]), float(given[1])) != self._levels:
                return False  # the colour range moves: everything is recoloured by the full path
            self._row_low, self._row_high = low, high
        elif (float(given[0]), float(given[1])) != self._levels:
            return False
        if not self.cells.set_rows(rows, shown, sub_blocked if (sub_blocked.any() or self._blocked is not None) else None):
            return False
        if sub_blocked.any() and self._blocked is None:
            self._blocked = np.zeros(values.shape, bool)
        if self._blocked is not None:
            self._blocked[rows] = sub_blocked
        self._values = values
        if self._texts_shown:
            self._set_cell_texts(values, self._blocked if self._blocked is not None else np.zeros(values.shape, bool), self._levels)
        return True

    def _set_labels(self, rows: int, cols: int, row_labels, col_labels, ticks) -> None:
        both = col_labels is not None and col_labels is row_labels and rows == cols  # one list for both axes (tokens)
        row_labels = self._as_labels(row_labels, rows, self._row_labels)
        col_labels = row_labels if both else self._as_labels(col_labels, cols, self._col_labels)  # converted once
        shape_changed = (rows, cols) != self._shown_shape()
        self._row_labels, self._col_labels, self._given_ticks = row_labels, col_labels, ticks
        self._update_ticks()
        if shape_changed:
            self.plot.setRange(xRange=(-0.5, cols - 0.5), yRange=(-0.5, rows - 0.5), padding=0)
        self._update_readout()

    @staticmethod
    def _as_labels(given, count: int, shown: list[str]) -> list[str]:
        """``given`` as a list of strings (positions when None); the shown list itself when they are the same
        labels, which most edits give (comparing the same string objects is ~50× cheaper than converting 1024)."""
        if given is None:
            return _positions(count)
        given = list(given)
        return shown if given == shown else list(map(str, given))

    # ---- tick labels ------------------------------------------------------------------------------------------
    def _update_ticks(self) -> None:
        """Label as many rows/columns as fit without overlapping (at most MAX_TICK_LABELS), again on resize.
        Only an axis whose ticks differ is touched: new ticks make pyqtgraph re-lay-out and redraw the axis, and
        with many labels most edits of one label leave the shown ticks as they are."""
        key = (self._row_labels, self._col_labels, self.plot.vb.height(), self.plot.vb.width(), self._given_ticks, self.font().key())
        if key == self._tick_key:  # same labels in the same space: the same ticks (an edit of the values only)
            return
        self._tick_key = key
        metrics = self.fontMetrics()
        for index, (axis, labels, pixels) in enumerate((("left", self._row_labels, self.plot.vb.height()), ("bottom", self._col_labels, self.plot.vb.width()))):
            if self._given_ticks is not None:  # a mosaic labels its bands, given by the caller
                given = list(self._given_ticks[index])
                if given != self._ticks_shown.get(axis):
                    self._ticks_shown[axis] = given
                    self.plot.getAxis(axis).setTicks([given, []])
                continue
            if axis == "left":
                extent = metrics.height() + 1.0
            else:
                extent = metrics.averageCharWidth() * max(map(len, labels), default=1) + 8.0
            ticks = fitted_ticks(labels, pixels, extent)
            if ticks != self._ticks_shown.get(axis):
                self._ticks_shown[axis] = ticks
                self.plot.getAxis(axis).setTicks([ticks, []])

    def _on_view_resized(self, *args) -> None:
        if self._row_labels or self._col_labels:
            self._update_ticks()
        if self._levels is not None and self._factors_for(*self._values.shape) != self.cells.factors:
            self._recolour()

    def _shown_shape(self) -> tuple[int, int]:
        return (len(self._row_labels), len(self._col_labels))

    def _factors_for(self, rows: int, cols: int) -> tuple[int, int]:
        """Cells per screen pixel, rounded up: a 1024² matrix in a 400-pixel view is coloured as 342² block means
        (any blocked cell greys its block), so no block is dropped when the image is scaled to the view."""
        height, width = self.plot.vb.height(), self.plot.vb.width()
        fy = max(1, int(np.ceil(rows / height))) if height >= 1 else 1
        fx = max(1, int(np.ceil(cols / width))) if width >= 1 else 1
        return (fy, fx)

    @property
    def levels(self) -> tuple[float, float] | None:
        """The colour range of the shown matrix."""
        return self._levels

    def cell_colour(self, row: int, col: int) -> QColor:
        """The colour drawn for cell (row, col) (the block's, when a pixel covers several cells)."""
        return QColor.fromRgba(self.cells.pixel_of_cell(row, col))

    def _recolour(self) -> None:
        """Colour the shown matrix again from scratch: the colormap or the view's resolution changed."""
        if self._levels is None:
            return
        rows, cols = self._values.shape
        shown = self._values if self._blocked is None else np.where(self._blocked, np.float32(0.0), self._values)
        self.cells.forget()
        self.cells.set_matrix(shown, self._blocked, self._levels, self._table, self._factors_for(rows, cols))

    def _set_cell_texts(self, values: np.ndarray, blocked: np.ndarray | None, levels: tuple[float, float]) -> None:
        """Print the values of a small matrix in its cells, dark on bright cells and light on dark ones: one item
        draws them all (a TextItem per cell cost a transform update per cell on every paint)."""
        rows, cols = values.shape
        count = rows * cols if rows * cols <= MAX_CELL_TEXTS and not self.compact else 0
        if not count and not self._texts_shown:
            return
        self._texts_shown = count
        if self._cell_texts is None:
            from explorer.appearance import appearance

            size = QFont().pointSizeF() / appearance().scale  # the overlay applies presentation mode's scale itself
            self._cell_texts = PointLabels(anchor=(0.5, 0.5), offset=(0.0, 0.0), point_size=max(6.5, size * 0.8)).attach(self.plot, z=5)
        if not count:
            self._cell_texts.set_labels(np.zeros((0, 2)), [])
            self._cell_texts.setVisible(False)
            return
        low, high = levels
        shown = values.ravel()
        cells_blocked = blocked.ravel() if blocked is not None else np.zeros(shown.size, bool)
        fractions = np.clip((shown.astype(np.float64) - low) / ((high - low) or 1.0), 0.0, 1.0)
        fractions[np.isnan(fractions)] = 0.0
        dark = cells_blocked | self._bright_lut()[(fractions * 255).astype(np.int64)]
        rows_of, cols_of = np.divmod(np.arange(count), cols)
        labels = [self.blocked_cell_text if b else f"{v:.2f}" for v, b in zip(shown.tolist(), cells_blocked.tolist())]
        colours = [DARK_TEXT if d else LIGHT_TEXT for d in dark.tolist()]
        self._cell_texts.set_labels(np.column_stack([cols_of, rows_of]), labels, colors=colours)
        self._cell_texts.setVisible(True)

    @property
    def cell_texts(self) -> list[str]:
        """The values printed in the cells, row by row (none for a large or compact matrix)."""
        return self._cell_texts.labels if self._cell_texts is not None else []

    def _bright_lut(self) -> np.ndarray:
        """For 256 steps of the colormap: is the cell colour bright enough for dark text?"""
        cmap = self.colorbar.colorMap()
        if getattr(self, "_lut_for", None) is not cmap:
            rgb = cmap.getLookupTable(nPts=256, alpha=False).astype(float)
            self._lut = (0.299 * rgb[:, 0] + 0.587 * rgb[:, 1] + 0.114 * rgb[:, 2]) > 140
            self._lut_for = cmap
        return self._lut

    def is_blocked(self, row: int, col: int) -> bool:
        return self._blocked is not None and bool(self._blocked[row, col])

    def apply_colormap(self, name: str) -> None:
        if self.colorbar.colorMap().name != name:
            self.colorbar.setColorMap(style.colormap(name))
            self._lut_for = None
            self._table = colour_table(self.colorbar.colorMap().getLookupTable(nPts=COLOURS, alpha=False), self.blocked_colour)
            self._recolour()

    # ---- export -----------------------------------------------------------------------------------------------
    def view_data(self):
        from explorer.export import ViewData

        name = self.value_name or "values"
        return ViewData({name: self._values}, {name: self.row_labels}, {name: self.col_labels})

    def title(self) -> str:
        return self.plot.titleLabel.text or self.value_name

    # ---- colour range ------------------------------------------------------------------------------------------
    @property
    def can_fit(self) -> bool:
        """Whether the view has a fixed colour range (weights: 0 to 1) that the values can be shown fitted to."""
        return self._range_levels is not None and self._explicit_levels is None

    @property
    def fitted(self) -> bool:
        return self._range_levels is not None and self._fixed_levels is None

    def set_fitted(self, fitted: bool) -> None:
        """Colour from the 1st to the 99th percentile of the values (from 0 for values that are never negative; see
        :func:`fitted_range`) instead of the fixed range: the weights of 300 tokens, ~1/300 each, are a few shades of
        one colour on a 0-to-1 scale. The colorbar shows the range in use; the next matrices keep it until it is
        turned off. A matrix with more cells than the view has pixels is still drawn as block means."""
        if self._range_levels is None or fitted == self.fitted:
            return
        self._fixed_levels = None if fitted else self._range_levels
        self.set_data(self._values, self._row_labels, self._col_labels, blocked=self._blocked, ticks=self._given_ticks)
        self.fittedChanged.emit(fitted)

    def _sync_fit_link(self) -> None:
        state = (self.offers_fit and self.can_fit, self.fitted)
        if state == self._fit_link_state:
            return
        self._fit_link_state = state
        shown, fitted = state
        if shown:
            if fitted:
                text, tip = self.tr("colours: 0 to 1"), self.tr("Colour the values on the fixed range again ({0} to {1})").format(*(format_value(v) for v in self._range_levels))
            else:
                text, tip = self.tr("fit colours"), self.tr("Colour from 0 to the 99th percentile of the values instead of the fixed range (the largest 1 % share the top colour): small weights (many tokens) become visible")
            self.fit_link.setText(f'<a href="fit">{text}</a>')
            self.fit_link.setToolTip(tip)
        self.fit_link.setVisible(shown)

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        from explorer.widgets.view_menu import build_menu

        menu = build_menu(self, self.view_data, self.title)
        if self.can_fit:
            menu.addSeparator()
            action = menu.addAction(self.tr("Fit the colour range to the values"))
            action.setCheckable(True)
            action.setChecked(self.fitted)
            action.toggled.connect(self.set_fitted)
        menu.exec(event.globalPos())

    # ---- highlight --------------------------------------------------------------------------------------------
    def set_highlight(self, row: int | None = None, col: int | None = None) -> None:
        rows, cols = self._values.shape
        if row is not None and 0 <= row < rows:
            self._row_box.setRect(QRectF(-0.5, row - 0.5, cols, 1))
            self._row_box.show()
        else:
            self._row_box.hide()
        if col is not None and 0 <= col < cols:
            self._col_box.setRect(QRectF(col - 0.5, -0.5, 1, rows))
            self._col_box.show()
        else:
            self._col_box.hide()

    def highlighted_row(self) -> int | None:
        return int(round(self._row_box.rect().center().y())) if self._row_box.isVisible() else None

    # ---- pointer ----------------------------------------------------------------------------------------------
    def cell_at_scene(self, scene_pos: QPointF) -> tuple[int, int]:
        if not self.plot.vb.sceneBoundingRect().contains(scene_pos):
            return (-1, -1)
        point = self.plot.vb.mapSceneToView(scene_pos)
        row, col = int(np.floor(point.y() + 0.5)), int(np.floor(point.x() + 0.5))
        rows, cols = self._values.shape
        return (row, col) if 0 <= row < rows and 0 <= col < cols else (-1, -1)

    def cell_center(self, row: int, col: int) -> QPointF:
        """Where cell (row, col) is, in this widget's coordinates (for tests and tours)."""
        scene = self.plot.vb.mapViewToScene(QPointF(col, row))
        return QPointF(self.view.mapTo(self, self.view.mapFromScene(scene)))

    @reported(default=False)
    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.MouseMove:
            self._on_mouse_moved(self.view.mapToScene(event.position().toPoint()))
        elif event.type() == QEvent.Type.Leave:
            self._on_mouse_moved(QPointF(-1e9, -1e9))
        return False

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        cell = self.cell_at_scene(scene_pos)
        if cell != self._hover:
            self._hover = cell
            self._update_readout()
            self.cellHovered.emit(*cell)

    def _on_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        row, col = self.cell_at_scene(event.scenePos())
        if row >= 0:
            self.cellClicked.emit(row, col)

    def hover_cell(self, row: int, col: int) -> None:
        """Show the readout for a cell as if the pointer were over it."""
        self._hover = (row, col)
        self._update_readout()

    def _update_readout(self) -> None:
        row, col = self._hover
        rows, cols = self._values.shape
        if self.describe_cell is not None:
            self.readout.setText(self.describe_cell(row, col) if 0 <= row < rows and 0 <= col < cols else self.describe_cell(-1, -1))
            return
        if not (0 <= row < rows and 0 <= col < cols):
            if self.idle_text is not None:
                self.readout.setText(self.idle_text)
                return
            self.readout.setText(" " if self.compact else self.tr("{0} {1} × {2} {3} — hover a cell for its value").format(rows, self.row_name if rows == 1 else plural(self.row_name), cols, self.col_name if cols == 1 else plural(self.col_name)))
            return
        value = self.blocked_text if self.is_blocked(row, col) else format_value(float(self._values[row, col]))
        row_label = self._row_labels[row] if row < len(self._row_labels) else str(row)
        col_label = self._col_labels[col] if col < len(self._col_labels) else str(col)
        self.readout.setText(f"{self.row_name} {row_label} → {self.col_name} {col_label}:  {self.value_name} = {value}")
