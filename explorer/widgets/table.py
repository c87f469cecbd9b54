"""A read-only table of numbers: one model reset per update instead of one signal per cell."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget


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


class TextTable(QTableView):
    """Rows of already-formatted cells with row and column headers."""

    def __init__(self, columns: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = _TextModel()
        self._model.columns = list(columns)
        self.setModel(self._model)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setDefaultSectionSize(22)
        self.setWordWrap(False)
        self.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)

    def set_rows(self, row_labels: Sequence[str], cells: Sequence[Sequence[str]]) -> None:
        model = self._model
        new_cells = [list(row) for row in cells]
        if list(row_labels) == model.rows and len(new_cells) == len(model.cells):
            model.cells = new_cells
            if new_cells:
                model.dataChanged.emit(model.index(0, 0), model.index(len(new_cells) - 1, len(model.columns) - 1))
            return
        model.beginResetModel()
        model.rows, model.cells = list(row_labels), new_cells
        model.endResetModel()

    def text(self, row: int, column: int) -> str:
        return self._model.cells[row][column]

    def row_count(self) -> int:
        return len(self._model.cells)
