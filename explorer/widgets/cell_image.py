"""The colours of a heatmap: one ARGB32 pixel per cell (per block of cells when the matrix has more cells than the
view has pixels), drawn unsmoothed into the cells' rectangle.

pyqtgraph's ImageItem re-colours (and, for large matrices, re-averages) the whole matrix on every ``setImage``:
about 25 ms for a 1024² matrix here. Most edits in the app change a few rows (painting one mask cell changes one
query's row of weights), so this item keeps its colour buffer and recolours only the row blocks whose values
changed. Blocked (−∞) cells take the last entry of the colour table, a grey no colormap uses.
"""

from __future__ import annotations

import functools

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from explorer.widgets.repaint import update_apart

COLOURS = 255  # colormap entries; index 255 is the blocked grey
SAMPLE_ROWS = 16  # rows compared first when a matrix is set: all changed, and it is recoloured whole at once


def colour_table(lookup: np.ndarray, blocked: QColor) -> np.ndarray:
    """(256,) uint32 ARGB: ``lookup`` ((255, 3) uint8 RGB of the colormap) then the blocked colour, with its alpha
    (a transparent one lets the view's background show: the gaps of a mosaic)."""
    rgb = np.asarray(lookup, np.uint32)[:, :3]
    table = np.empty(COLOURS + 1, np.uint32)
    table[:COLOURS] = 0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]
    table[COLOURS] = (blocked.alpha() << 24) | (blocked.red() << 16) | (blocked.green() << 8) | blocked.blue()
    return table


@functools.lru_cache(maxsize=16)
def sample_rows(count: int) -> np.ndarray:
    """SAMPLE_ROWS row indices spread over ``count`` rows, first and last included. Kept per count (``linspace`` is
    ~10 µs of Python at every edit); never modified."""
    rows = np.linspace(0, count - 1, SAMPLE_ROWS).astype(np.int64)
    rows.flags.writeable = False
    return rows


def block_starts(count: int, factor: int) -> np.ndarray:
    return np.arange(0, count, factor)


@functools.lru_cache(maxsize=64)
def block_counts(count: int, factor: int) -> np.ndarray:
    """(blocks,) float32: how many of ``count`` cells each block of ``factor`` holds (the last one may hold fewer).
    Kept per size: recolouring one row of a heatmap computed them again on every edit."""
    counts = np.diff(np.append(block_starts(count, factor), count)).astype(np.float32)
    counts.flags.writeable = False
    return counts


@functools.lru_cache(maxsize=8)
def block_sizes(rows: int, fy: int, cols: int, fx: int) -> np.ndarray:
    """(row blocks, col blocks) float32: the cells in each block of a (rows × cols) matrix cut into fy × fx blocks, or
    what broadcasts to it (one axis not cut: a column or a row of counts). Kept per shape; never modified."""
    counts_y = block_counts(rows, fy)[:, None] if fy > 1 else np.ones((1, 1), np.float32)
    counts_x = block_counts(cols, fx)[None, :] if fx > 1 else np.ones((1, 1), np.float32)
    sizes = counts_y * counts_x
    sizes.flags.writeable = False
    return sizes


def block_reduce(values: np.ndarray, factor: int, axis: int, ufunc=np.add) -> np.ndarray:
    """``ufunc`` (add, logical_or) over consecutive blocks of ``factor`` along ``axis`` (0 or 1), the last block
    shorter: what ``ufunc.reduceat`` at :func:`block_starts` gives, by ``factor`` strided passes (the same order of
    additions), ~20× faster than reduceat on a 1024² matrix."""
    count = values.shape[axis]
    full = count - count % factor
    if axis == 0:
        blocks = values[:full].reshape(full // factor, factor, values.shape[1])
        parts = [blocks[:, i] for i in range(factor)]
        tail = values[full:]
    else:
        blocks = values[:, :full].reshape(values.shape[0], full // factor, factor)
        parts = [blocks[:, :, i] for i in range(factor)]
        tail = values[:, full:]
    result = ufunc(parts[0], parts[1]) if factor > 1 else parts[0].copy()  # no copy pass before the first sum
    for part in parts[2:]:
        ufunc(result, part, out=result)
    if full < count:
        result = np.concatenate([result, ufunc.reduce(tail, axis=axis, keepdims=True)], axis=axis)
    return result


def downsample(values: np.ndarray, blocked: np.ndarray | None, factors: tuple[int, int]) -> tuple[np.ndarray, np.ndarray | None]:
    """Block means of ``values`` (blocked cells must already hold a finite value) and, per block, whether any cell
    is blocked (so one painted cell stays visible when a pixel covers several)."""
    fy, fx = factors
    if fy == 1 and fx == 1:
        return values, blocked
    rows, cols = values.shape
    sums = values
    if fy > 1:
        sums = block_reduce(sums, fy, 0)
    if fx > 1:
        sums = block_reduce(sums, fx, 1)
    # The sums are a new array: divided in place by the cells per block (the same division as before, without a
    # new (blocks × blocks) array of counts and another for the quotient at every full recolour).
    means = np.divide(sums, block_sizes(rows, fy, cols, fx), out=sums).astype(np.float32, copy=False)
    if blocked is None:
        return means, None
    any_blocked = blocked
    if fy > 1:
        any_blocked = block_reduce(any_blocked, fy, 0, np.logical_or)
    if fx > 1:
        any_blocked = block_reduce(any_blocked, fx, 1, np.logical_or)
    return means, any_blocked


def colour(values: np.ndarray, blocked: np.ndarray | None, levels: tuple[float, float], table: np.ndarray) -> np.ndarray:
    """ARGB32 pixels for ``values`` on ``levels`` (clipped; NaN takes the low end), blocked cells grey."""
    low, high = levels
    scale = (COLOURS - 1) / ((high - low) or 1.0)
    index = np.subtract(values, np.float32(low), dtype=np.float32)
    index *= np.float32(scale)
    # One clip pass (~30 µs at 256²) where fmax and fmin took ~85: NaN goes through a clip, so a sum (~14 µs) tells
    # whether there is one to send to the low end, as fmax did.
    np.clip(index, np.float32(0.0), np.float32(COLOURS - 1), out=index)
    if np.isnan(np.add.reduce(index, axis=None)):
        np.copyto(index, np.float32(0.0), where=np.isnan(index))
    index += np.float32(0.5)
    index = index.astype(np.uint8)
    if blocked is not None:
        index[blocked] = COLOURS
    return np.take(table, index)  # the same gather as table[index], without fancy indexing's set-up: ~40 % less at 342²


class CellImage(pg.GraphicsObject):
    """Colours for a (rows × cols) matrix in view coordinates: cell (i, j) is centred on (j, i)."""

    def __init__(self) -> None:
        super().__init__()
        self._rect = QRectF(-0.5, -0.5, 1, 1)
        self._pixels = np.zeros((1, 1), np.uint32)
        self._qimage: QImage | None = None
        self._values: np.ndarray | None = None  # the matrix as last coloured (blocked cells already filled)
        self._blocked: np.ndarray | None = None
        self._levels: tuple[float, float] | None = None
        self._table: np.ndarray | None = None
        self._factors = (1, 1)
        self.full_renders = 0  # counted for tests: an edit of a few rows must not recolour everything
        self.rows_rendered = 0

    # ---- what is drawn ----------------------------------------------------------------------------------------
    @property
    def pixels(self) -> np.ndarray:
        """(rows/fy, cols/fx) uint32 ARGB, what the next paint draws."""
        return self._pixels

    @property
    def factors(self) -> tuple[int, int]:
        return self._factors

    def pixel_of_cell(self, row: int, col: int) -> int:
        fy, fx = self._factors
        return int(self._pixels[row // fy, col // fx])

    def pixel_centre(self, row: int, col: int) -> tuple[float, float]:
        """Where the pixel that draws cell (row, col) is centred, in view coordinates (row, col)."""
        fy, fx = self._factors
        height, width = self._pixels.shape
        return ((row // fy + 0.5) * self._rect.height() / height - 0.5, (col // fx + 0.5) * self._rect.width() / width - 0.5)

    def set_matrix(self, values: np.ndarray, blocked: np.ndarray | None, levels: tuple[float, float], table: np.ndarray, factors: tuple[int, int]) -> None:
        """Show ``values`` (float32, blocked cells filled with a finite value); recolour only the row blocks that
        differ from the last matrix when nothing else (shape, levels, colours, resolution) changed."""
        rows, cols = values.shape
        same = (
            self._values is not None
            and self._values.shape == values.shape
            and self._levels == tuple(levels)
            and self._table is table
            and self._factors == tuple(factors)
        )
        rows_changed = self._rows_changed(values, blocked) if same else None
        if rows_changed is not None:
            if rows_changed.size == 0:
                return
            if self._recolour_rows(rows_changed, values, blocked):
                return
        means, any_blocked = downsample(values, blocked, factors)
        self._pixels = np.ascontiguousarray(colour(means, any_blocked, levels, table))
        self._qimage = pg.functions.ndarray_to_qimage(self._pixels, QImage.Format.Format_ARGB32)
        # Kept to tell which rows the next matrix changes. A read-only array is kept as it is: its owner does not change
        # it (a trace's weights; a reorder at N=1024 copied 4 MB); it is copied when rows are written into it.
        self._values = values if not values.flags.writeable else values.copy()
        self._blocked = None if blocked is None else blocked.copy()
        self._levels, self._table, self._factors = tuple(levels), table, tuple(factors)
        self.full_renders += 1
        rect = QRectF(-0.5, -0.5, cols, rows)
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self.update()

    def _rows_changed(self, values: np.ndarray, blocked: np.ndarray | None) -> np.ndarray | None:
        """The rows of ``values`` (and ``blocked``) that differ from the matrix shown; None as soon as they fill more
        row blocks than :meth:`_recolour_rows` recolours one by one. A matrix whose rows all changed (reordered
        tokens) is told by a few rows spread over it (:data:`SAMPLE_ROWS`), not by comparing a quarter of it."""
        fy = self._factors[0]
        limit = self._pixels.shape[0] // 4  # more changed row blocks than this: everything is recoloured
        if limit > SAMPLE_ROWS and self._all_differ(sample_rows(values.shape[0]), values, blocked):
            return None
        chunk = (limit + 1) * fy
        found = []
        blocks = 0
        for start in range(0, values.shape[0], chunk):
            stop = start + chunk
            changed = (values[start:stop].view(np.uint32) != self._values[start:stop].view(np.uint32)).any(axis=1)
            if blocked is not None and self._blocked is not None:
                changed |= (blocked[start:stop] != self._blocked[start:stop]).any(axis=1)
            elif blocked is not None or self._blocked is not None:  # cells blocked on one side only
                changed |= (blocked if blocked is not None else self._blocked)[start:stop].any(axis=1)
            rows = np.flatnonzero(changed) + start
            blocks += np.unique(rows // fy).size
            if blocks * 4 > self._pixels.shape[0]:
                return None
            found.append(rows)
        return np.concatenate(found) if found else np.zeros(0, np.int64)

    def _all_differ(self, rows: np.ndarray, values: np.ndarray, blocked: np.ndarray | None) -> bool:
        """Whether every one of ``rows`` differs from the matrix shown. When they all do, the matrix is recoloured
        whole: the pixels :meth:`_recolour_rows` would give, for at most the cost it would take."""
        changed = (values[rows].view(np.uint32) != self._values[rows].view(np.uint32)).any(axis=1)
        if blocked is not None or self._blocked is not None:
            before = self._blocked[rows] if self._blocked is not None else np.zeros((rows.size, values.shape[1]), bool)
            after = blocked[rows] if blocked is not None else np.zeros_like(before)
            changed |= (before != after).any(axis=1)
        return bool(changed.all())

    def set_rows(self, rows: np.ndarray, values: np.ndarray, blocked: np.ndarray | None) -> bool:
        """Rows ``rows`` of the matrix are now ``values`` (len(rows) × cols, blocked cells filled), the others as
        they were: recolour their row blocks. False (nothing done) when there is no matrix yet to edit."""
        if self._values is None or values.shape[1:] != self._values.shape[1:]:
            return False
        full_values = self._writable_values()
        full_values[rows] = values
        if blocked is not None:
            if self._blocked is None:
                self._blocked = np.zeros(full_values.shape, bool)
            self._blocked[rows] = blocked
        elif self._blocked is not None:
            self._blocked[rows] = False
        if not self._recolour_rows(np.asarray(rows), full_values, self._blocked, stored=True):
            self._recolour_all()
        return True

    def _recolour_rows(self, rows_changed: np.ndarray, values: np.ndarray, blocked: np.ndarray | None, *, stored: bool = False) -> bool:
        """Recolour the row blocks holding ``rows_changed`` from ``values``; False when so many changed that a
        whole recolour is as cheap."""
        fy, fx = self._factors
        row_count = values.shape[0]
        rows_changed = np.asarray(rows_changed)
        # With one pixel row per matrix row the blocks are the rows: a matrix whose rows all changed (a decoder step's
        # three vectors) goes to the whole recolour before its rows are sorted into blocks.
        if fy == 1 and rows_changed.size * 4 > self._pixels.shape[0]:
            return False
        # Python ints from here: numpy scalars cost more per operation than the few blocks are worth; a set, not
        # np.unique, for the few rows of an edit (~50 µs a call).
        row_blocks = sorted({row // fy for row in rows_changed.tolist()})
        if len(row_blocks) * 4 > self._pixels.shape[0]:
            return False
        # The changed row blocks are averaged and coloured together, the rows of whole blocks gathered into one slab
        # (the same sums in the same order as block by block); a shorter last block goes on its own.
        whole = [block for block in row_blocks if (block + 1) * fy <= row_count]
        slabs = []
        if whole:
            starts = np.asarray(whole, np.int64) * fy
            rows = (starts[:, None] + np.arange(fy)).ravel() if fy > 1 else starts
            slabs.append((whole, rows, fy))
        if len(whole) < len(row_blocks):
            last = row_blocks[-1]
            slabs.append(([last], np.arange(last * fy, row_count), row_count - last * fy))
        for blocks, rows, height in slabs:
            slab_blocked = None if blocked is None else blocked[rows]
            means, any_blocked = downsample(values[rows], slab_blocked, (height, fx))
            self._pixels[blocks] = colour(means, any_blocked, self._levels, self._table)
            if not stored:
                self._writable_values()[rows] = values[rows]
                if blocked is not None:
                    if self._blocked is None:
                        self._blocked = np.zeros(values.shape, bool)
                    self._blocked[rows] = blocked[rows]
                elif self._blocked is not None:
                    self._blocked[rows] = False
        self.rows_rendered += len(row_blocks)
        # Only the recoloured pixel rows are repainted: the view then redraws strips, not every item over the matrix.
        pixel_height = self._rect.height() / self._pixels.shape[0]
        update_apart(self, [QRectF(self._rect.left(), self._rect.top() + block * pixel_height, self._rect.width(), pixel_height) for block in row_blocks])
        return True

    def _writable_values(self) -> np.ndarray:
        """The kept matrix, copied first if it is a caller's read-only array."""
        if not self._values.flags.writeable:
            self._values = self._values.copy()
        return self._values

    def _recolour_all(self) -> None:
        values, blocked = self._values, self._blocked
        self._values = None
        self.set_matrix(values, blocked, self._levels, self._table, self._factors)

    def forget(self) -> None:
        """The next matrix is coloured whole (the colour table or resolution changed)."""
        self._values = None

    # ---- QGraphicsItem ----------------------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect

    def paint(self, painter: QPainter, *args) -> None:
        if self._qimage is None:
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(self._rect, self._qimage)
