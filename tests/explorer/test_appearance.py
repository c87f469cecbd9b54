"""Themes, colormaps, presentation mode and the device setting, applied live to the pages."""

import pyqtgraph as pg
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from explorer import runtime
from explorer.appearance import PRESENTATION_SCALE, appearance


def test_dark_theme_and_colormaps_reach_every_view(window, qtbot):
    page = window.show_page("masked")
    window.theme_actions["dark"].trigger()
    try:
        views = page.findChildren(pg.GraphicsView)
        assert views and all(v.backgroundBrush().color().name() == appearance().background.name() for v in views)
        assert page.weights_view.colorbar.colorMap().name == appearance().sequential
        appearance().update(sequential="cividis", diverging="CET-D9")
        assert page.weights_view.colorbar.colorMap().name == "cividis" and page.scores_view.colorbar.colorMap().name == "CET-D9"
        later = window.show_page("multi-head")  # a page built after the change gets it too
        assert later.average_view.colorbar.colorMap().name == "cividis"
        assert QSettings().value("appearance/theme") == "dark"
    finally:
        appearance().update(theme="light", sequential="viridis", diverging="CET-D1")


def test_seq2seq_tabs_built_after_a_theme_change_take_it(window, qtbot):
    page = window.show_page("seq2seq")
    assert "beam_matrix" not in page.__dict__  # the Beam search tab is built when first opened
    window.theme_actions["dark"].trigger()
    try:
        appearance().update(sequential="cividis")
        bar = page.tabs.tabBar()
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
        assert page.beam_matrix.colorbar.colorMap().name == "cividis"
        for view in (page.beam_matrix.view, page.beam_tree.view, page.bottleneck_plot, page.train_view):
            assert view.backgroundBrush().color().name() == appearance().background.name()
    finally:
        appearance().update(theme="light", sequential="viridis", diverging="CET-D1")


def test_presentation_mode_enlarges_fonts_hides_chrome_and_escape_leaves(window, qtbot):
    base = QApplication.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert appearance().presentation and not window.nav.isVisible() and not window.statusBar().isVisible()
    assert abs(QApplication.font().pointSizeF() - base * PRESENTATION_SCALE) < 0.01
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not appearance().presentation and window.nav.isVisible()
    assert abs(QApplication.font().pointSizeF() - base) < 0.01


def test_device_setting_moves_the_core_and_the_status_bar_says_so(window):
    window.show_page("attention-layer")
    window.apply_device("cpu")
    assert runtime.core_device() == "cpu" and window.device_label.text() == "Core: CPU"


def test_dark_theme_keeps_the_canvas_outputs_and_point_names_visible(window, qtbot):
    """Outputs y are drawn in the theme's text colour (near-black on white would vanish on the dark background): the
    star, its arrow from the origin and its name follow the theme, and point names turn lighter; back in light, as
    before."""
    from PySide6.QtGui import QColor

    from explorer.widgets import style

    page = window.show_page("attention-layer")
    qtbot.waitUntil(page.isVisible)
    canvas = page.canvas
    y = page.trace.output[0].tolist()
    viewport = canvas.view.viewport()

    def colour_at_output():
        at = canvas.widget_pos(*y).toPoint()
        return viewport.grab().toImage().pixelColor(at)

    assert colour_at_output() == appearance().foreground  # light: the near-black text colour
    window.theme_actions["dark"].trigger()
    try:
        foreground = appearance().foreground
        qtbot.waitUntil(lambda: colour_at_output() == foreground)
        assert canvas._segments["output"].color == foreground
        assert canvas._labels["outputs"].color == foreground
        assert canvas._labels["inputs"].color.lightness() > style.INPUT.lightness()
        background = QColor(appearance().background)
        assert abs(canvas._labels["queries"].color.lightness() - background.lightness()) > 60
    finally:
        appearance().update(theme="light", sequential="viridis", diverging="CET-D1")
    qtbot.waitUntil(lambda: colour_at_output() == appearance().foreground)
    assert canvas._labels["inputs"].color == style.INPUT.darker(130)
