"""Editors for numbers the user types: a small matrix (e.g. a 2×2 W_Q) and a list of vectors as text.

Both validate everything before anything reaches the page state: a non-number, NaN/Inf, a wrong count of
entries or zero vectors shows a message at the field, and the last good value stays in the state.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from explorer.widgets import style


def parse_number(text: str) -> float:
    """A finite float from user text (accepts "1,5" with a decimal comma); ValueError with a readable message."""
    cleaned = text.strip().replace("−", "-")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"“{text.strip()}” is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"“{text.strip()}” is not a finite number")
    return value


def parse_vectors(text: str, *, dim: int, min_count: int = 1, max_count: int = 1_000_000) -> np.ndarray:
    """One vector per line, entries separated by commas, semicolons or spaces → (N, dim) array."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p for p in line.replace(";", " ").replace(",", " ").split() if p]
        if len(parts) != dim:
            raise ValueError(f"line {number} has {len(parts)} numbers; vectors here have {dim}")
        try:
            rows.append([parse_number(p) for p in parts])
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from None
    if len(rows) < min_count:
        raise ValueError(f"give at least {min_count} vector{'s' if min_count > 1 else ''}")
    if len(rows) > max_count:
        raise ValueError(f"at most {max_count} vectors here (got {len(rows)})")
    return np.array(rows, dtype=np.float64).reshape(-1, dim)


def format_vectors(vectors: np.ndarray) -> str:
    return "\n".join(", ".join(f"{v:.4g}" for v in row) for row in np.asarray(vectors))


class MatrixEditor(QWidget):
    """A rows × cols grid of number fields. ``matrixEdited`` fires with the whole matrix once every field holds a
    finite number; otherwise the bad field turns red and the message says which entry is wrong."""

    matrixEdited = Signal(object)  # np.ndarray (rows, cols)

    def __init__(self, name: str, rows: int = 2, cols: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._matrix = np.eye(rows, cols)
        self.fields: list[list[QLineEdit]] = []
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(3)
        title = QLabel(name)
        grid.addWidget(title, 0, 0, rows, 1)
        for r in range(rows):
            row = []
            for c in range(cols):
                field = QLineEdit()
                field.setFixedWidth(46)
                field.setAccessibleName(f"{name}[{r + 1},{c + 1}]")
                field.editingFinished.connect(self._on_edited)
                grid.addWidget(field, r, c + 1)
                row.append(field)
            self.fields.append(row)
        self.error = QLabel("")
        self.error.setStyleSheet(style.ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        self.set_matrix(self._matrix)

    @property
    def matrix(self) -> np.ndarray:
        return self._matrix.copy()

    def set_matrix(self, matrix: np.ndarray) -> None:
        """Show ``matrix`` (from the state); clears any error. Emits nothing."""
        self._matrix = np.array(matrix, dtype=np.float64)
        for r, row in enumerate(self.fields):
            for c, field in enumerate(row):
                text = f"{self._matrix[r, c]:.4g}"
                if field.text() != text:  # every page edit syncs the editors: touch only what differs
                    field.blockSignals(True)
                    field.setText(text)
                    field.blockSignals(False)
                if field.styleSheet():  # re-styling re-polishes the field, even with the same (empty) sheet
                    field.setStyleSheet("")
        if self.error.isVisible() or self.error.text():
            self._show_error("")

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _on_edited(self) -> None:
        values = np.empty_like(self._matrix)
        problems = []
        for r, row in enumerate(self.fields):
            for c, field in enumerate(row):
                try:
                    values[r, c] = parse_number(field.text())
                    field.setStyleSheet("")
                except ValueError as exc:
                    field.setStyleSheet(style.FIELD_ERROR_STYLE)
                    problems.append(f"{self.name}[{r + 1},{c + 1}]: {exc}")
        if problems:
            self._show_error("; ".join(problems) + " — keeping the last valid matrix.")
            return
        self._show_error("")
        if not np.array_equal(values, self._matrix):
            self._matrix = values
            self.matrixEdited.emit(values.copy())


class VectorListEditor(QWidget):
    """Vectors as text, one per line; Apply validates and emits ``vectorsEdited`` or shows what is wrong."""

    vectorsEdited = Signal(object)  # np.ndarray (N, dim)

    def __init__(self, dim: int, *, min_count: int = 1, max_count: int = 16, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dim, self.min_count, self.max_count = dim, min_count, max_count
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("one vector per line, e.g.  1.0, -0.5"))
        self.text.setFixedHeight(90)
        self.apply_button = QPushButton(self.tr("Apply"))
        self.apply_button.clicked.connect(self.apply)
        self.error = QLabel("")
        self.error.setStyleSheet(style.ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.apply_button)
        layout.addWidget(self.error)

    def set_vectors(self, vectors: np.ndarray) -> None:
        self.text.blockSignals(True)
        self.text.setPlainText(format_vectors(vectors))
        self.text.blockSignals(False)
        self.error.hide()

    def apply(self) -> None:
        try:
            vectors = parse_vectors(self.text.toPlainText(), dim=self.dim, min_count=self.min_count, max_count=self.max_count)
        except ValueError as exc:
            self.error.setText(self.tr("{0} — keeping the current vectors.").format(exc))
            self.error.show()
            self.text.setStyleSheet(style.FIELD_ERROR_STYLE)
            return
        self.error.hide()
        self.text.setStyleSheet("")
        self.vectorsEdited.emit(vectors)
