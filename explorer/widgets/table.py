"""A read-only table of numbers whose model and delegate are Qt's own (C++): a repaint calls no Python.

A table model written in Python is asked through Python for its row and column counts, flags and indexes many times
in every repaint, and a Python delegate paints each cell: on the Attention Layer page, whose drag rewrites two
columns of the table, that was about 1 ms of each drag (measured in one process, drags alternating between the two
tables: 1.08 ± 0.23 ms). A QStandardItemModel holds the strings and the default delegate draws them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget


class TextTable(QTableView):
    """Rows of already-formatted cells with row and column headers, centred; a string too long for its column is
    elided ("…"), a clicked cell is selected."""

    def __init__(self, columns: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = QStandardItemModel(0, len(columns), self)
        self._model.setHorizontalHeaderLabels(list(columns))
        self._rows: list[str] = []
        self._cells: list[list[str]] = []
        self.setModel(self._model)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setDefaultSectionSize(22)
        self.setWordWrap(False)
        self.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)

    def set_rows(self, row_labels: Sequence[str], cells: Sequence[Sequence[str]]) -> None:
        """Show ``cells`` (one sequence of strings per row). With the same rows as shown, only the cells whose text
        changed are set, and the view repaints those cells alone."""
        model = self._model
        row_labels = [str(label) for label in row_labels]
        new_cells = [[str(text) for text in row] for row in cells]
        if row_labels == self._rows and [len(row) for row in new_cells] == [len(row) for row in self._cells]:
            changed = [(r, c, text) for r, (before, after) in enumerate(zip(self._cells, new_cells)) for c, text in enumerate(after) if before[c] != text]
            self._cells = new_cells
            if len(changed) * 2 <= len(new_cells) * model.columnCount():
                for r, c, text in changed:  # each emits its cell's dataChanged: the view repaints that cell
                    model.item(r, c).setText(text)
                return
            model.blockSignals(True)  # most cells: one repaint of the table, not one update per cell
            try:
                for r, c, text in changed:
                    model.item(r, c).setText(text)
            finally:
                model.blockSignals(False)
            model.dataChanged.emit(model.index(0, 0), model.index(model.rowCount() - 1, model.columnCount() - 1))
            return
        model.setRowCount(0)
        for row in new_cells:
            items = []
            for text in row:
                item = QStandardItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setEditable(False)
                items.append(item)
            items += [QStandardItem() for _ in range(model.columnCount() - len(items))]
            model.appendRow(items)
        model.setVerticalHeaderLabels(row_labels)
        self._rows, self._cells = row_labels, new_cells

    def text(self, row: int, column: int) -> str:
        return self._cells[row][column]

    def row_count(self) -> int:
        return len(self._cells)
