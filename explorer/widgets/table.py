"""A read-only table of numbers: one model reset per update instead of one signal per cell."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHeaderView, QStyle, QStyledItemDelegate, QTableView, QWidget


class _TextModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[list[str]] = []
        self.columns: list[str] = []
        self.rows: list[str] = []

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.cells)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        labels = self.columns if orientation == Qt.Orientation.Horizontal else self.rows
        return labels[section] if section < len(labels) else None


class _CellDelegate(QStyledItemDelegate):
    """Paints a cell's string straight from the model, centred. The default delegate fills its style option by
    asking the model for every role of every cell through Python (display, font, alignment, colours, check
    state…) on each paint: half of the table's paint time when a drag rewrites all its numbers."""

    def __init__(self, model: _TextModel, parent: QWidget) -> None:
        super().__init__(parent)
        self._model = model
        self.widths: dict[str, float] = {}  # text → pixels in the view's font (cleared when the font changes)

    def _width(self, option, text: str) -> float:
        width = self.widths.get(text)
        if width is None:
            if len(self.widths) > 4096:
                self.widths.clear()
            width = self.widths[text] = option.fontMetrics.horizontalAdvance(text)
        return width

    def paint(self, painter, option, index: QModelIndex) -> None:
        text = self._model.cells[index.row()][index.column()]
        room = option.rect.width() - 6
        if self._width(option, text) > room:  # as the default delegate does: "…" rather than both ends cut
            text = option.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.brush(QPalette.ColorRole.Highlight))
            painter.setPen(option.palette.color(QPalette.ColorRole.HighlightedText))
        else:
            painter.setPen(option.palette.color(QPalette.ColorRole.Text))
        painter.drawText(option.rect, Qt.AlignmentFlag.AlignCenter, text)


class TextTable(QTableView):
    """Rows of already-formatted cells with row and column headers."""

    def __init__(self, columns: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = _TextModel()
        self._model.columns = list(columns)
        self.setModel(self._model)
        self._delegate = _CellDelegate(self._model, self)
        self.setItemDelegate(self._delegate)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setDefaultSectionSize(22)
        self.setWordWrap(False)
        self.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange:
            self._delegate.widths.clear()
        super().changeEvent(event)

    def set_rows(self, row_labels: Sequence[str], cells: Sequence[Sequence[str]]) -> None:
        model = self._model
        new_cells = [list(row) for row in cells]
        if list(row_labels) == model.rows and len(new_cells) == len(model.cells):
            old, model.cells = model.cells, new_cells
            changed = [(r, c) for r, (before, after) in enumerate(zip(old, new_cells)) for c, text in enumerate(after) if c >= len(before) or before[c] != text]
            if len(changed) * 2 > len(new_cells) * len(model.columns):
                model.dataChanged.emit(model.index(0, 0), model.index(len(new_cells) - 1, len(model.columns) - 1))
            else:  # a cell at a time: the view repaints those cells (a range repaints the whole table)
                for r, c in changed:
                    index = model.index(r, c)
                    model.dataChanged.emit(index, index)
            return
        model.beginResetModel()
        model.rows, model.cells = list(row_labels), new_cells
        model.endResetModel()

    def text(self, row: int, column: int) -> str:
        return self._model.cells[row][column]

    def row_count(self) -> int:
        return len(self._model.cells)
