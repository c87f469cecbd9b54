"""Export a view as PNG or SVG and its numbers as CSV or NPZ."""

from __future__ import annotations

import contextlib
import csv
import io
import pathlib
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget


@dataclass
class ViewData:
    """The numbers behind a view, for CSV / NPZ export. Labels are optional per array."""

    arrays: dict[str, np.ndarray]
    row_labels: dict[str, list[str]] = field(default_factory=dict)
    col_labels: dict[str, list[str]] = field(default_factory=dict)


FORMATS = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)", "csv": "CSV table (*.csv)", "npz": "NumPy arrays (*.npz)"}


def save_png(widget: QWidget, path: str | pathlib.Path, *, scale: float = 1.0) -> None:
    """Render ``widget`` at ``scale`` × its size (scale 2 ≈ a 192-dpi figure)."""
    if not grab_image(widget, scale=scale).save(str(path), "PNG"):
        raise OSError(f"could not write {path}")


def grab_image(widget: QWidget, *, scale: float = 1.0) -> QImage:
    size = widget.size() * scale
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(scale)
    image.fill(widget.palette().window().color())
    with _uncached(widget) if scale != 1.0 else contextlib.nullcontext():  # pixmap caches are at screen resolution
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        widget.render(painter, QPoint(0, 0))
        painter.end()
    return image


def copy_image(widget: QWidget) -> QImage:
    """Put the widget's picture on the clipboard (and return it)."""
    image = grab_image(widget)
    QGuiApplication.clipboard().setImage(image)
    return image


@contextlib.contextmanager
def _uncached(widget: QWidget):
    """Views' backgrounds and items kept as pixmaps (tick axes, for speed on screen) are drawn afresh while inside:
    an SVG would otherwise embed those pixmaps as bitmaps instead of lines and text."""
    from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

    views = widget.findChildren(QGraphicsView) + ([widget] if isinstance(widget, QGraphicsView) else [])
    view_modes = [(view, view.cacheMode()) for view in views]
    item_modes = [(item, item.cacheMode()) for view in views for item in view.scene().items() if item.cacheMode() != QGraphicsItem.CacheMode.NoCache]
    try:
        for view, _ in view_modes:
            view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        for item, _ in item_modes:
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        yield
    finally:
        for view, mode in view_modes:
            view.setCacheMode(mode)
        for item, mode in item_modes:
            item.setCacheMode(mode)


def save_svg(widget: QWidget, path: str | pathlib.Path, *, title: str = "") -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(widget.width(), widget.height()))
    generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    generator.setTitle(title or widget.windowTitle())
    with _uncached(widget):
        painter = QPainter(generator)
        widget.render(painter, QPoint(0, 0))
        painter.end()
    if not pathlib.Path(path).exists():
        raise OSError(f"could not write {path}")


def save_npz(data: ViewData, path: str | pathlib.Path) -> None:
    arrays = {name: np.asarray(value) for name, value in data.arrays.items()}
    for name, labels in data.row_labels.items():
        arrays[f"{name}__rows"] = np.array(labels)
    for name, labels in data.col_labels.items():
        arrays[f"{name}__cols"] = np.array(labels)
    np.savez(path, **arrays)


def csv_text(data: ViewData) -> str:
    """Each array as a block: a "# name RxC" line, a header of column labels, rows led by their label."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for name, value in data.arrays.items():
        array = np.asarray(value)
        if array.ndim == 0:
            array = array.reshape(1, 1)
        elif array.ndim == 1:
            array = array.reshape(1, -1)
        elif array.ndim > 2:
            array = array.reshape(-1, array.shape[-1])
        rows = data.row_labels.get(name, [str(i) for i in range(array.shape[0])])
        cols = data.col_labels.get(name, [str(j) for j in range(array.shape[1])])
        out.write(f"# {name} {'x'.join(str(n) for n in np.shape(value)) or 'scalar'}\n")
        writer.writerow([""] + list(cols))
        for label, row in zip(rows, array):
            writer.writerow([label] + [f"{v:.9g}" if isinstance(v, (float, np.floating)) else v for v in row.tolist()])
        writer.writerow([])
    return out.getvalue()


def save_csv(data: ViewData, path: str | pathlib.Path) -> None:
    pathlib.Path(path).write_text(csv_text(data), encoding="utf-8")


def export(widget: QWidget, data: ViewData, path: str | pathlib.Path, *, scale: float = 1.0) -> None:
    """Write by the file's extension: .png, .svg, .csv or .npz."""
    suffix = pathlib.Path(path).suffix.lower().lstrip(".")
    if suffix == "png":
        save_png(widget, path, scale=scale)
    elif suffix == "svg":
        save_svg(widget, path)
    elif suffix == "csv":
        save_csv(data, path)
    elif suffix == "npz":
        save_npz(data, path)
    else:
        raise ValueError(f"unknown export format .{suffix}: use {', '.join('.' + f for f in FORMATS)}")
