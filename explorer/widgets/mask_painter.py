"""Painting a mask on a heatmap: press on a cell and drag across cells to block them (or, when the first cell was
already blocked, to open them again). The painter only reports strokes; the page puts them in its state."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal

from explorer.errors import reported
from explorer.widgets.heatmap import Heatmap


class MaskPainter(QObject):
    cellsPainted = Signal(object, bool, int)  # cells [(row, col)] (a list, passed as it is), block (True) or open (False), stroke number
    strokeFinished = Signal(int)
    paintedOutside = Signal()  # a press outside the grid: nothing to paint

    def __init__(self, heatmap: Heatmap, is_blocked: Callable[[int, int], bool]) -> None:
        super().__init__(heatmap)
        self.heatmap = heatmap
        self.is_blocked = is_blocked
        self.enabled = True
        self._stroke = 0
        self._block: bool | None = None
        self._visited: set[tuple[int, int]] = set()
        heatmap.view.viewport().installEventFilter(self)

    @reported(default=False)
    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        kind = event.type()
        if not self.enabled or kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease):
            return False
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            cell = self._cell(event)
            if cell[0] < 0:
                self.paintedOutside.emit()
                return True
            self._stroke += 1
            self._block = not self.is_blocked(*cell)
            self._visited = {cell}
            self.cellsPainted.emit([cell], self._block, self._stroke)
            return True
        if kind == QEvent.Type.MouseMove and self._block is not None and event.buttons() & Qt.MouseButton.LeftButton:
            cell = self._cell(event)
            if cell[0] >= 0 and cell not in self._visited:
                self._visited.add(cell)
                self.cellsPainted.emit([cell], self._block, self._stroke)
            return False  # keep the hover readout alive
        if kind == QEvent.Type.MouseButtonRelease and self._block is not None:
            self._block = None
            self.strokeFinished.emit(self._stroke)
            return True
        return False

    def _cell(self, event) -> tuple[int, int]:
        return self.heatmap.cell_at_scene(self.heatmap.view.mapToScene(event.position().toPoint()))
