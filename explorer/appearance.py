"""How the app looks: light or dark theme, presentation mode (larger fonts and lines, less chrome), and the
colormaps for weights (sequential) and signed values (diverging). Kept in QSettings; applied live to every
view of every page (a page built later gets it when it is shown)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

THEMES = {
    "light": {"background": "#ffffff", "foreground": "#303030", "grid": "#e6e6e6", "window": None},
    "dark": {"background": "#1e2125", "foreground": "#dedede", "grid": "#3b4047", "window": "#2b2f34"},
}
SEQUENTIAL_MAPS = {"viridis": "viridis", "magma": "magma", "cividis": "cividis (colour-blind safe)"}
DIVERGING_MAPS = {"CET-D1": "blue–white–red", "CET-D9": "blue–white–orange", "CET-D13": "teal–white–orange"}
PRESENTATION_SCALE = 1.4


class Appearance(QObject):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        settings = QSettings()
        self.theme = str(settings.value("appearance/theme", "light"))
        self.sequential = str(settings.value("appearance/sequential", "viridis"))
        self.diverging = str(settings.value("appearance/diverging", "CET-D1"))
        self.presentation = False  # a mode for a lecture, not a preference: off at every start
        self._base_font: QFont | None = None
        if self.theme not in THEMES:
            self.theme = "light"

    # ---- colours ----------------------------------------------------------------------------------------------
    @property
    def foreground(self) -> QColor:
        return QColor(THEMES[self.theme]["foreground"])

    @property
    def background(self) -> QColor:
        return QColor(THEMES[self.theme]["background"])

    @property
    def grid(self) -> QColor:
        return QColor(THEMES[self.theme]["grid"])

    def colormap_name(self, kind: str) -> str:
        return self.sequential if kind == "sequential" else self.diverging

    @property
    def scale(self) -> float:
        return PRESENTATION_SCALE if self.presentation else 1.0

    def update(self, **changes) -> None:
        settings = QSettings()
        for key, value in changes.items():
            setattr(self, key, value)
            if key != "presentation":
                settings.setValue(f"appearance/{key}", value)
        self.apply_application()
        self.changed.emit()

    # ---- applying ---------------------------------------------------------------------------------------------
    def apply_application(self) -> None:
        app = QApplication.instance()
        if app is None:
            return
        if self._base_font is None:
            self._base_font = QFont(app.font())
        font = QFont(self._base_font)
        font.setPointSizeF(self._base_font.pointSizeF() * self.scale)
        app.setFont(font)
        window = THEMES[self.theme]["window"]
        if window is None:
            app.setPalette(app.style().standardPalette())
            return
        palette = QPalette()
        dark, text = QColor(window), QColor(THEMES["dark"]["foreground"])
        for role, color in (
            (QPalette.ColorRole.Window, dark),
            (QPalette.ColorRole.WindowText, text),
            (QPalette.ColorRole.Base, QColor(THEMES["dark"]["background"])),
            (QPalette.ColorRole.AlternateBase, dark.lighter(115)),
            (QPalette.ColorRole.Text, text),
            (QPalette.ColorRole.Button, dark.lighter(120)),
            (QPalette.ColorRole.ButtonText, text),
            (QPalette.ColorRole.Highlight, QColor("#3d7cc9")),
            (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
            (QPalette.ColorRole.ToolTipBase, dark),
            (QPalette.ColorRole.ToolTipText, text),
            (QPalette.ColorRole.PlaceholderText, text.darker(150)),
            (QPalette.ColorRole.Mid, dark.lighter(160)),
        ):
            palette.setColor(role, color)
        app.setPalette(palette)

    def apply_to(self, root: QWidget) -> None:
        """Restyle every pyqtgraph view under ``root``: background, axes, titles, tick fonts, colormaps."""
        if "pyqtgraph" not in sys.modules:  # no view exists yet (pyqtgraph costs ~0.6 s to import: after the first paint)
            return
        import pyqtgraph as pg

        from explorer.widgets.bar_chart import BarChart
        from explorer.widgets.heatmap import Heatmap
        from explorer.widgets.vector_canvas import VectorCanvas

        foreground = self.foreground
        tick_font = QFont()
        tick_font.setPointSizeF(8.5 * self.scale)
        for view in root.findChildren(pg.GraphicsView):
            view.setBackground(self.background)
            for item in view.scene().items():
                if isinstance(item, pg.AxisItem):
                    item.setPen(foreground)
                    item.setTextPen(foreground)
                    item.setStyle(tickFont=tick_font)
                elif isinstance(item, pg.PlotItem):
                    title = item.titleLabel
                    if title.text:
                        title.setText(title.text, color=foreground.name(), size=f"{11 * self.scale:.0f}pt")
        for heatmap in root.findChildren(Heatmap):
            heatmap.apply_colormap(self.colormap_name(heatmap.colormap_kind))
        for chart in root.findChildren(BarChart):
            chart.apply_theme(foreground)
        for canvas in root.findChildren(VectorCanvas):
            canvas.apply_theme(foreground)


_instance: Appearance | None = None


def appearance() -> Appearance:
    global _instance
    if _instance is None:
        _instance = Appearance()
    return _instance
