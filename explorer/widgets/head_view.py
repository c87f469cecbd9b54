"""The head view: every token on the left (queries) joined to every token on the right (keys) by a line per head,
its opacity the weight a, its colour the head's — BertViz's view, drawn natively.

Lines are grouped by head and by opacity step and built into one QPainterPath per group from numpy
(``pg.arrayToQPath``) when the data, the focus or the size change, so a repaint is a few ``drawPath`` calls
whatever the sequence length. Without a focused token only the strongest lines are drawn (a budget); hovering or
clicking a token shows all of its lines, and small head-coloured cells beside the other column give each weight.
Long sequences keep a readable row height and scroll.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from explorer.errors import reported
from explorer.widgets import style

HEAD_PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
                "#393b79", "#ad494a", "#637939", "#8c6d31", "#7b4173", "#3182bd"]
QUERY, KEY = "query", "key"
ALPHA_STEPS = 10  # opacity levels per head: one path each
MIN_ROW, MAX_ROW = 17.0, 26.0  # row height in pixels: below this, the view scrolls
# Which lines are drawn, so that a hover stays cheap at 512 tokens (the page's per-head strip gives every weight):
# a focused token's lines with a ≥ FOCUSED_MIN_WEIGHT, and in any case its FOCUSED_TOP strongest per head (long
# sequences spread attention thin) — at most H · max(1/FOCUSED_MIN_WEIGHT, FOCUSED_TOP) lines whatever T. With
# nothing focused, the LINE_BUDGET strongest lines between visible tokens above 4× the uniform weight (≤ 0.05).
LINE_BUDGET = 800
UNFOCUSED_MIN_WEIGHT = 0.05
FOCUSED_MIN_WEIGHT = 0.02
FOCUSED_TOP = 24
CELL = 7.0  # size of a head's weight cell beside the focused token's partners


def head_colors(count: int) -> list[QColor]:
    return [QColor(HEAD_PALETTE[h % len(HEAD_PALETTE)]) for h in range(count)]


class _Canvas(QWidget):
    def __init__(self, owner: "HeadView") -> None:
        super().__init__()
        self.owner = owner
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        self.owner._paint(painter, QRectF(event.rect()))
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.owner._on_pointer(event.position())

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            side, index = self.owner.token_at(event.position())
            if index >= 0:
                self.owner.tokenClicked.emit(side, index)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        self.owner._on_pointer(None)


class HeadView(QWidget):
    """``set_data(weights (H, T, T), tokens, heads shown)``; hover or click a token to see its lines."""

    tokenHovered = Signal(str, int)  # side ("query" / "key"), token index; ("", -1) when the pointer leaves
    tokenClicked = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weights = np.zeros((0, 0, 0), np.float32)
        self._tokens: list[str] = []
        self._shown: list[int] = []
        self._colors: list[QColor] = []
        self._pinned: tuple[str, int] = ("", -1)
        self._hover: tuple[str, int] = ("", -1)
        self._paths: list[tuple[QPen, object]] = []  # lines, one path per (head, opacity step)
        self._cells: list[tuple[QColor, list[QRectF]]] = []  # weight cells beside the partners, per (head, step)
        self._line_count = 0
        self._caption = ""
        self._built: tuple = ()  # what the current paths were built for
        self._font = QFont(self.font())
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        self._metrics = QFontMetricsF(self._font)
        # x where lines start (after the query labels and their cells) and end, top margin, row height, and the x of
        # the query cells, the key cells and the key labels
        self._geometry = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        self._label_width = 60.0

        self.canvas = _Canvas(self)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.canvas)
        self.scroll.setWidgetResizable(False)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.viewport().installEventFilter(self)
        self.scroll.verticalScrollBar().valueChanged.connect(lambda _: self._rebuild())  # paths hold the visible part
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        self.setMinimumSize(260, 200)

    # ---- data -------------------------------------------------------------------------------------------------
    def set_data(self, weights: np.ndarray, tokens: Sequence[str], heads_shown: Sequence[int]) -> None:
        """``weights`` (H, T, T) of one layer, float32; ``heads_shown`` the heads whose lines are drawn."""
        self._weights = np.ascontiguousarray(weights, np.float32)
        tokens = [str(t) for t in tokens]
        if tokens != self._tokens:
            self._tokens = tokens
            self._label_width = min(150.0, max((self._metrics.horizontalAdvance(t) for t in tokens), default=20.0) + 10.0)
            if not (0 <= self._pinned[1] < len(tokens)):
                self._pinned = ("", -1)
            self._hover = ("", -1)
        self._colors = head_colors(self._weights.shape[0])
        self._shown = sorted({h for h in heads_shown if 0 <= h < self._weights.shape[0]})
        self._relayout()

    def set_pinned(self, side: str, index: int) -> None:
        """The token whose lines stay shown when nothing is hovered (("", -1) for none)."""
        pinned = (side, index) if side in (QUERY, KEY) and 0 <= index < len(self._tokens) else ("", -1)
        if pinned != self._pinned:
            self._pinned = pinned
            self._rebuild()

    @property
    def focus(self) -> tuple[str, int]:
        return self._hover if self._hover[1] >= 0 else self._pinned

    @property
    def line_count(self) -> int:
        """How many lines the view draws now."""
        return self._line_count

    @property
    def tokens(self) -> list[str]:
        return list(self._tokens)

    # ---- geometry ---------------------------------------------------------------------------------------------
    def _relayout(self) -> None:
        n = max(len(self._tokens), 1)
        viewport = self.scroll.viewport().size()
        top = max(24.0, self._metrics.height() + 8)
        least = max(MIN_ROW, self._metrics.height() + 3)  # larger fonts (presentation mode) need taller rows
        row = float(np.clip((viewport.height() - top - 6) / n, least, max(MAX_ROW, least)))
        width = max(viewport.width(), 240)
        height = max(int(top + n * row + 6), viewport.height())  # fills the view; taller ones scroll
        strip = CELL * max(len(self._shown), 1)
        query_cells = 8 + self._label_width + 3
        key_labels = width - 8 - self._label_width
        key_cells = key_labels - 3 - strip
        self._geometry = (query_cells + strip + 3, key_cells - 3, top, row, query_cells, key_cells, key_labels)
        if self.canvas.size() != QSize(width, height):
            self.canvas.resize(width, height)
        self._rebuild()

    def _row_y(self, index: np.ndarray | int):
        top, row = self._geometry[2:4]
        return top + (np.asarray(index) + 0.5) * row

    def token_at(self, point: QPointF) -> tuple[str, int]:
        """Which token is at ``point`` (canvas coordinates): ("query"/"key", index), or ("", -1)."""
        left, right, top, row = self._geometry[:4]
        index = int((point.y() - top) // row) if row else -1
        if not (0 <= index < len(self._tokens)):
            return ("", -1)
        if point.x() <= left:
            return (QUERY, index)
        if point.x() >= right:
            return (KEY, index)
        return ("", -1)

    def token_center(self, side: str, index: int) -> QPoint:
        """Where a token's label is, in the coordinates of :attr:`canvas` (tests and tours); scrolls it into view."""
        x = 8 + self._label_width / 2 if side == QUERY else self._geometry[6] + self._label_width / 2
        y = float(self._row_y(index))
        self.scroll.ensureVisible(int(x), int(y), 0, int(self._geometry[3]))
        return QPointF(x, y).toPoint()

    # ---- lines ------------------------------------------------------------------------------------------------
    def _rebuild(self) -> None:
        """Choose the lines for the current focus and build one path per (head, opacity step)."""
        weights, shown = self._weights, self._shown
        left, right = self._geometry[:2]
        side, focus = self.focus
        built = (id(weights), tuple(shown), side, focus, self._geometry, self.scroll.verticalScrollBar().value(), self.scroll.viewport().height())
        if built == self._built:
            return
        self._built = built
        self._paths, self._cells = [], []
        count = 0
        if weights.size and shown and self._tokens:
            every_head = len(shown) == weights.shape[0]
            heads = slice(None) if every_head else np.asarray(shown)  # a slice keeps a view: no (H, T, T) copy
            if focus >= 0:
                part = weights[heads, focus, :] if side == QUERY else weights[heads, :, focus]  # (S, T)
                top = min(FOCUSED_TOP, part.shape[1])
                chosen = part >= FOCUSED_MIN_WEIGHT
                strongest = np.argpartition(part, part.shape[1] - top, axis=1)[:, -top:]  # (S, top), ties cut
                chosen[np.arange(part.shape[0])[:, None], strongest] = True
                h_idx, other = np.nonzero(chosen)
                values = part[h_idx, other]
                queries = np.full_like(other, focus) if side == QUERY else other
                keys = other if side == QUERY else np.full_like(other, focus)
            else:  # the strongest lines between visible tokens (a long sequence scrolls)
                first, last = self._visible_rows()
                part = weights[heads, first:last, first:last]  # (S, V, V)
                h_idx, queries, keys = np.nonzero(part >= min(UNFOCUSED_MIN_WEIGHT, 4.0 / weights.shape[-1]))
                values = part[h_idx, queries, keys]
                queries, keys = queries + first, keys + first
                if values.size > LINE_BUDGET:
                    keep = np.argpartition(values, values.size - LINE_BUDGET)[-LINE_BUDGET:]
                    h_idx, queries, keys, values = h_idx[keep], queries[keep], keys[keep], values[keep]
            count = int(values.size)
            y_q, y_k = self._row_y(queries), self._row_y(keys)
            # 1 px: Qt strokes thin lines on its fast path (a 1.6 px line costs five times as much to rasterise);
            # only the few lines with a ≥ 0.3 (at most three per head and token) are drawn 2.5 px wide
            self._add_lines(h_idx, values, *self._clip(np.full(count, left), y_q, np.full(count, right), y_k))
            if focus >= 0:  # beside each partner token, one cell per head as opaque as its weight (filled, not stroked)
                x0 = (self._geometry[5] if side == QUERY else self._geometry[4]) + CELL * h_idx
                y = y_k if side == QUERY else y_q
                top, bottom = self._visible_span()
                for group, chosen in self._groups(h_idx, values, (y >= top) & (y <= bottom)):
                    rects = [QRectF(float(x), float(v) - CELL / 2, CELL - 1, CELL) for x, v in zip(x0[chosen], y[chosen])]
                    self._cells.append((self._color(*group), rects))
        self._line_count = count
        self._caption = self._describe_focus(side, focus)
        self.canvas.update()

    def _describe_focus(self, side: str, focus: int) -> str:
        """The focused token's strongest partner over the heads shown, for the header line."""
        if focus < 0 or not self._shown or not self._weights.size:
            return ""
        part = self._weights[self._shown, focus, :] if side == QUERY else self._weights[self._shown, :, focus]  # (S, T)
        position, other = np.unravel_index(int(part.argmax()), part.shape)
        token, partner = self._tokens[focus], self._tokens[other]
        pair = f"“{token}” → “{partner}”" if side == QUERY else f"“{partner}” → “{token}”"
        return self.tr("strongest: {0}, head {1}, a = {2:.2f}").format(pair, self._shown[position] + 1, part[position, other])

    @property
    def caption(self) -> str:
        return self._caption

    def _visible_rows(self) -> tuple[int, int]:
        top, row = self._geometry[2:4]
        scrolled = self.scroll.verticalScrollBar().value()
        first = max(0, int((scrolled - top) // row) - 1)
        return first, min(len(self._tokens), int((scrolled + self.scroll.viewport().height() - top) // row) + 2)

    def _visible_span(self) -> tuple[float, float]:
        """The canvas y range on screen, with two rows to spare."""
        scrolled = self.scroll.verticalScrollBar().value()
        return scrolled - 2.0 * self._geometry[3], scrolled + self.scroll.viewport().height() + 2.0 * self._geometry[3]

    def _clip(self, x0, y0, x1, y1):
        """The parts of segments inside the visible rows (a long sequence scrolls): stroking what is off screen
        costs as much as what is on it. Returns the clipped ends and which segments are kept."""
        low, high = self._visible_span()
        dy = y1 - y0
        with np.errstate(divide="ignore", invalid="ignore"):
            t_low, t_high = (low - y0) / dy, (high - y0) / dy
        flat = dy == 0
        enter = np.where(flat, 0.0, np.clip(np.minimum(t_low, t_high), 0.0, 1.0))
        leave = np.where(flat, 1.0, np.clip(np.maximum(t_low, t_high), 0.0, 1.0))
        keep = np.where(flat, (y0 >= low) & (y0 <= high), enter < leave)
        ex, ey, lx, ly = x0 + enter * (x1 - x0), y0 + enter * dy, x0 + leave * (x1 - x0), y0 + leave * dy
        return ex, ey, lx, ly, keep

    @staticmethod
    def _groups(h_idx, values, keep):
        """(shown head position, opacity step) → indices of the kept items in that group."""
        steps = np.minimum((values * ALPHA_STEPS).astype(int), ALPHA_STEPS - 1)
        group = np.where(keep, h_idx * ALPHA_STEPS + steps, -1)
        order = np.argsort(group, kind="stable")
        order = order[group[order] >= 0]
        bounds = np.flatnonzero(np.diff(group[order])) + 1
        for chosen in np.split(order, bounds) if order.size else []:
            yield divmod(int(group[chosen[0]]), ALPHA_STEPS), chosen

    def _color(self, position: int, step: int) -> QColor:
        color = QColor(self._colors[self._shown[position]])
        color.setAlphaF(float(min(1.0, 0.06 + 1.4 * (step + 0.5) / ALPHA_STEPS)))  # weak fade out; a ≥ 0.65 opaque
        return color

    def _add_lines(self, h_idx, values, x0, y0, x1, y1, keep) -> None:
        """Segments (x0, y0)–(x1, y1) where ``keep``, one path per (shown head, opacity step)."""
        for (position, step), chosen in self._groups(h_idx, values, keep):
            xs = np.empty(2 * chosen.size)
            ys = np.empty_like(xs)
            xs[0::2], xs[1::2] = x0[chosen], x1[chosen]
            ys[0::2], ys[1::2] = y0[chosen], y1[chosen]
            pen = QPen(self._color(position, step), 2.5 if (step + 0.5) / ALPHA_STEPS >= 0.3 else 1.0)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            self._paths.append((pen, pg.arrayToQPath(xs, ys, connect="pairs")))

    # ---- painting ---------------------------------------------------------------------------------------------
    def _paint(self, painter: QPainter, exposed: QRectF) -> None:
        palette = self.palette()
        painter.fillRect(exposed, palette.base())
        top, row, key_x = self._geometry[2], self._geometry[3], self._geometry[6]
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self._font)
        muted = QColor(palette.text().color())
        muted.setAlphaF(0.6)  # the column headers, quieter than the tokens (light and dark themes alike)
        painter.setPen(muted)
        painter.drawText(QRectF(8, 2, self._label_width, top - 6), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, self.tr("query"))
        painter.drawText(QRectF(key_x, 2, self._label_width, top - 6), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, self.tr("key"))
        if self._caption:
            painter.setPen(palette.text().color())
            middle = QRectF(self._geometry[0], 2, self._geometry[1] - self._geometry[0], top - 6)
            painter.drawText(middle, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, self._metrics.elidedText(self._caption, Qt.TextElideMode.ElideRight, middle.width()))
        if not self._tokens:
            painter.drawText(QRectF(0, 0, self.canvas.width(), self.canvas.height()), Qt.AlignmentFlag.AlignCenter, self.tr("no tokens"))
            return
        for pen, path in self._paths:
            painter.setPen(pen)
            painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        for color, rects in self._cells:
            painter.setBrush(color)
            painter.drawRects(rects)
        first = max(0, int((exposed.top() - top) // row))
        last = min(len(self._tokens), int((exposed.bottom() - top) // row) + 1)
        side, focus = self.focus
        text = palette.text().color()
        for i in range(first, last):
            y = top + i * row
            for column, x in ((QUERY, 8.0), (KEY, key_x)):
                rect = QRectF(x, y, self._label_width - 4, row)
                if i == focus and column == side:
                    highlight = QColor(style.QUERY if side == QUERY else style.KEY)
                    highlight.setAlphaF(0.18)
                    painter.fillRect(rect.adjusted(-3, 1, 3, -1), highlight)
                    painter.setFont(self._bold)
                else:
                    painter.setFont(self._font)
                painter.setPen(text)
                align = Qt.AlignmentFlag.AlignRight if column == QUERY else Qt.AlignmentFlag.AlignLeft
                painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, self._metrics.elidedText(self._tokens[i], Qt.TextElideMode.ElideRight, rect.width()))

    # ---- pointer ----------------------------------------------------------------------------------------------
    def _on_pointer(self, point: QPointF | None) -> None:
        hover = ("", -1) if point is None else self.token_at(point)
        if hover != self._hover:
            self._hover = hover
            self._rebuild()
            self.tokenHovered.emit(*hover)

    def hover(self, side: str, index: int) -> None:
        """Focus a token as a pointer over it would (benchmarks, tours)."""
        self._hover = (side, index) if index >= 0 else ("", -1)
        self._rebuild()

    def changeEvent(self, event) -> None:  # noqa: N802 - presentation mode and themes change the font
        if event.type() == QEvent.Type.FontChange:
            self._font = QFont(self.font())
            self._bold = QFont(self._font)
            self._bold.setBold(True)
            self._metrics = QFontMetricsF(self._font)
            self._label_width = min(150.0, max((self._metrics.horizontalAdvance(t) for t in self._tokens), default=20.0) + 10.0)
            self._relayout()
        super().changeEvent(event)

    @reported(default=False)
    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self._relayout()
        return False
