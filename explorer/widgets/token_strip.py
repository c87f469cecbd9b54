"""The token strip: a row of token chips. Click a chip to select it; drag a chip sideways to reorder the
sequence (the permutation experiments of notes §3). Reordering emits ``orderChanged`` with the permutation
(new position i holds old token perm[i]); the page applies it to its state.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Sequence

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from explorer.widgets import style

PADDING_X, PADDING_Y, GAP = 7, 4, 4
CHIP_MARGIN = 2  # pixels around a cached chip for its outline's antialiasing (a 1.5-pixel pen reaches 0.75 out)
MAX_CACHED_CHIPS = 2048  # chip pixmaps kept (~6 kB for a 40-pixel chip): every token of the longest sequence, once; then it starts again


class TokenStrip(QWidget):
    tokenClicked = Signal(int)
    # The permutation, a list: new position i holds old index perm[i]. Declared as object, it reaches the slot as the
    # same list; Signal(list) converted it to a QVariantList and back on every drop (0.4 ms at 1024 tokens).
    orderChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, reorderable: bool = True) -> None:
        super().__init__(parent)
        self.reorderable = reorderable
        self._tokens: list[str] = []
        self._selected: int | None = None
        # Each chip's left edge (ascending: the chips a paint or a press covers are found by bisection) and width.
        # Plain ints, not a QRect per chip: a reorder of 1024 tokens lays them out again in well under a millisecond.
        self._lefts: list[int] = []
        self._chip_widths: list[int] = []
        self._chip_height = 0
        self._widths: dict[str, int] = {}  # text width + padding per token string, measured once per font
        self._widths_font = None
        self._press: QPoint | None = None
        self._drag_from: int | None = None
        self._drop_at: int | None = None
        self._chips: dict[tuple, QPixmap] = {}  # (token, width, selected, dragged) → the chip drawn (see paintEvent)
        self._chips_look: tuple = ()  # the palette, font and pixel ratio they were drawn with
        self.setMouseTracking(False)
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

    @property
    def tokens(self) -> list[str]:
        return list(self._tokens)

    @property
    def selected(self) -> int | None:
        return self._selected

    def set_tokens(self, tokens: Sequence[str], selected: int | None = None) -> None:
        tokens = list(map(str, tokens))
        selected = selected if selected is not None and 0 <= selected < len(tokens) else None
        laid_out = bool(self._lefts) or not tokens
        if tokens == self._tokens and selected == self._selected and laid_out:
            return  # as shown: no new layout of a thousand chips
        if tokens != self._tokens or not laid_out:
            changed = self._changed_span(tokens) if laid_out and len(tokens) == len(self._tokens) else None
            if changed is not None and self._lay_out_span(tokens, *changed):
                # A reorder: the chips from the first to the last moved one took each other's places in the same
                # width, so the chips after them and the strip's size stay. Only that run is drawn again.
                self._tokens = tokens
                if selected == self._selected:
                    first, last = changed
                    end = self._lefts[last] + self._chip_widths[last]
                    self.update(QRect(self._lefts[first] - GAP, 0, end - self._lefts[first] + 2 * GAP, self.height()))
                    return
            else:
                width = self.sizeHint().width()
                self._tokens = tokens
                self._layout_chips()
                if self.sizeHint().width() != width:
                    self.updateGeometry()
        self._selected = selected
        self.update()

    def _changed_span(self, tokens: list[str]) -> tuple[int, int] | None:
        """The first and last positions where ``tokens`` differ from the shown ones (same length); compared in C
        (itertools), not by a Python loop over a thousand chips."""
        shown = self._tokens
        first = next(itertools.compress(itertools.count(), map(operator.ne, tokens, shown)), None)
        if first is None:
            return None
        last = len(tokens) - 1 - next(itertools.compress(itertools.count(), map(operator.ne, reversed(tokens), reversed(shown))))
        return first, last

    def _lay_out_span(self, tokens: list[str], first: int, last: int) -> bool:
        """Lay out chips ``first``..``last`` for ``tokens`` when their widths are known and add up to the width the
        shown chips there take; False (nothing changed) otherwise."""
        widths = self._widths
        if self._widths_font != self.font().key():
            return False
        try:
            span = [widths[token] for token in tokens[first : last + 1]]
        except KeyError:  # a new string: the whole strip is laid out (and measured) again
            return False
        if sum(span) != sum(self._chip_widths[first : last + 1]):
            return False
        self._chip_widths[first : last + 1] = span
        self._lefts[first : last + 1] = itertools.accumulate((width + GAP for width in span[:-1]), initial=self._lefts[first])
        return True

    def chip_rect(self, index: int) -> QRect:
        return QRect(self._lefts[index], GAP, self._chip_widths[index], self._chip_height)

    def _layout_chips(self) -> None:
        metrics = QFontMetrics(self.font())
        if self._widths_font != self.font().key():  # text widths are measured once per string and font
            self._widths, self._widths_font = {}, self.font().key()
        widths = self._widths
        for token in set(self._tokens).difference(widths):
            widths[token] = metrics.horizontalAdvance(token or "␣") + 2 * PADDING_X
        self._chip_widths = [widths[token] for token in self._tokens]
        # left_i = GAP + Σ_{j<i} (width_j + GAP)
        self._lefts = list(itertools.accumulate((width + GAP for width in self._chip_widths[:-1]), initial=GAP)) if self._tokens else []
        self._chip_height = metrics.height() + 2 * PADDING_Y

    def sizeHint(self) -> QSize:  # noqa: N802
        metrics = QFontMetrics(self.font())
        width = (self._lefts[-1] + self._chip_widths[-1] + GAP) if self._lefts else 40
        return QSize(width, metrics.height() + 2 * PADDING_Y + 2 * GAP)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(40, self.sizeHint().height())

    def _index_at(self, point: QPoint) -> int | None:
        i = bisect.bisect_right(self._lefts, point.x() + GAP // 2) - 1
        if i >= 0 and self.chip_rect(i).adjusted(-GAP // 2, -GAP, GAP // 2, GAP).contains(point):
            return i
        return None

    def _insertion_at(self, x: int) -> int:
        """The first chip whose centre lies right of ``x`` (the chips' count when none does)."""
        i = max(0, bisect.bisect_right(self._lefts, x) - 1)
        while i < len(self._lefts) and x >= self.chip_rect(i).center().x():
            i += 1
        return i

    # ---- mouse ------------------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            self._drag_from = self._index_at(self._press)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press is None or self._drag_from is None or not self.reorderable:
            return
        point = event.position().toPoint()
        if self._drop_at is None and (point - self._press).manhattanLength() < QApplication.startDragDistance():
            return
        self._drop_at = self._insertion_at(point.x())
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        source, target = self._drag_from, self._drop_at
        self._press = self._drag_from = self._drop_at = None
        self.update()
        if source is None:
            return
        if target is None:
            self.tokenClicked.emit(source)
            return
        order = list(range(len(self._tokens)))
        moved = order.pop(source)
        order.insert(target - (target > source), moved)
        if order != list(range(len(self._tokens))):
            self.orderChanged.emit(order)

    # ---- painting ---------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Each chip is drawn once per token, state and look into a pixmap, and copied from it on later paints: a reorder
        repaints every visible chip from the first moved one on, and drawing ~30 antialiased chips with their text
        laid out again took ~0.9 ms (one edit in five at 256 tokens); copied, they take a fraction of that."""
        painter = QPainter(self)
        exposed = event.rect()
        first = max(0, bisect.bisect_right(self._lefts, exposed.left()) - 1)
        last = bisect.bisect_right(self._lefts, exposed.right())
        palette = self.palette()
        look = (palette.cacheKey(), self.font().key(), self.devicePixelRatioF(), self._chip_height)
        if look != self._chips_look:
            self._chips.clear()
            self._chips_look = look
        chips = self._chips
        dragging = self._drop_at is not None
        for i in range(first, last):
            left, width = self._lefts[i], self._chip_widths[i]
            if left + width <= exposed.left() or left > exposed.right():
                continue
            state = (self._tokens[i], width, i == self._selected, dragging and i == self._drag_from)
            pixmap = chips.get(state)
            if pixmap is None:
                if len(chips) >= MAX_CACHED_CHIPS:
                    chips.clear()
                pixmap = chips[state] = self._chip_pixmap(palette, *state)
            painter.drawPixmap(left - CHIP_MARGIN, GAP - CHIP_MARGIN, pixmap)
        if dragging and self._lefts:
            x = self._lefts[self._drop_at] - GAP // 2 if self._drop_at < len(self._lefts) else self.chip_rect(len(self._lefts) - 1).right() + GAP // 2
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(style.QUERY, 2.5))
            painter.drawLine(x, 1, x, self.height() - 2)
        painter.end()

    def _chip_pixmap(self, palette, token: str, width: int, selected: bool, dragged: bool) -> QPixmap:
        """One chip with CHIP_MARGIN pixels around it for its antialiased outline, at the screen's pixel ratio."""
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(round((width + 2 * CHIP_MARGIN) * ratio), round((self._chip_height + 2 * CHIP_MARGIN) * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setFont(self.font())
        draw_chip(painter, QRect(CHIP_MARGIN, CHIP_MARGIN, width, self._chip_height), token, palette, selected=selected, dragged=dragged)
        painter.end()
        return pixmap


def draw_chip(painter: QPainter, rect: QRect, token: str, palette, *, selected: bool = False, dragged: bool = False) -> None:
    """A token chip: a rounded box (the query colour when selected, darker while dragged) with the token centred."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor(style.QUERY).lighter(175) if selected else palette.base().color()
    if dragged:
        fill = fill.darker(115)
    painter.setPen(QPen(style.QUERY if selected else palette.mid().color(), 1.5))
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, 5, 5)
    painter.setPen(palette.text().color())
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, token or "␣")
