"""Right-click on any view (heatmap, bar chart…): copy its picture, or export it as PNG (1× or 2×) or SVG and its
numbers as CSV or NPZ. Every shared view installs this, so every view of every page can be exported."""

from __future__ import annotations

import pathlib
import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from explorer import export


def _file_name(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:40] or "view"


def build_menu(widget: QWidget, data: Callable[[], export.ViewData], title: Callable[[], str]) -> QMenu:
    menu = QMenu(widget)
    menu.addAction(QCoreApplication.translate("view_menu", "Copy image"), lambda: export.copy_image(widget))
    menu.addSeparator()
    for label, fmt, scale in (
        (QCoreApplication.translate("view_menu", "Export PNG…"), "png", 1.0),
        (QCoreApplication.translate("view_menu", "Export PNG at 2× (print)…"), "png", 2.0),
        (QCoreApplication.translate("view_menu", "Export SVG…"), "svg", 1.0),
        (QCoreApplication.translate("view_menu", "Export data as CSV…"), "csv", 1.0),
        (QCoreApplication.translate("view_menu", "Export data as NPZ…"), "npz", 1.0),
    ):
        menu.addAction(label, lambda fmt=fmt, scale=scale: export_view(widget, data, title(), fmt, scale=scale))
    return menu


def export_view(widget: QWidget, data: Callable[[], export.ViewData], title: str, fmt: str, *, path: str | None = None, scale: float = 1.0) -> str | None:
    if path is None:
        settings = QSettings()
        folder = pathlib.Path(str(settings.value("export/folder", str(pathlib.Path.home()))))
        path, _ = QFileDialog.getSaveFileName(widget, QCoreApplication.translate("view_menu", "Export"), str(folder / f"{_file_name(title)}.{fmt}"), export.FORMATS[fmt])
        if not path:
            return None
        settings.setValue("export/folder", str(pathlib.Path(path).parent))
    if not path.lower().endswith("." + fmt):
        path += "." + fmt
    try:
        export.export(widget, data(), path, scale=scale)
    except (OSError, ValueError) as exc:
        QMessageBox.warning(widget, QCoreApplication.translate("view_menu", "Export failed"), str(exc))
        return None
    return path
